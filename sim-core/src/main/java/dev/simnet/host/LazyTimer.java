package dev.simnet.host;

import dev.simnet.sched.Event;
import dev.simnet.sched.Scheduler;

/**
 * A restartable timer on the scheduler that does not churn the event queue: moving the deadline
 * later only records it (the pending event re-arms itself when it fires early), moving it earlier
 * cancels and reschedules. One long-lived object per timer, so re-arming allocates nothing.
 */
final class LazyTimer implements Event {
    private final Scheduler sched;
    private final Event action;
    private long deadline = -1;
    private long scheduledAt = -1;
    private long id;

    LazyTimer(Scheduler sched, Event action) {
        this.sched = sched;
        this.action = action;
    }

    /** Fires the action at {@code at} (replacing any earlier setting). */
    void set(long at) {
        deadline = at;
        if (scheduledAt < 0 || scheduledAt > at) {
            if (scheduledAt >= 0) {
                sched.cancel(id);
            }
            id = sched.schedule(at, this);
            scheduledAt = at;
        }
    }

    void stop() {
        deadline = -1;
    }

    boolean armed() {
        return deadline >= 0;
    }

    long deadline() {
        return deadline;
    }

    @Override
    public void fire(long now) {
        scheduledAt = -1;
        if (deadline < 0) {
            return;
        }
        if (deadline > now) {
            id = sched.schedule(deadline, this);
            scheduledAt = deadline;
            return;
        }
        deadline = -1;
        action.fire(now);
    }
}
