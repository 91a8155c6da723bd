package dev.simnet.dns.topology;

import dev.simnet.dns.DnsTimer;
import dev.simnet.sched.Scheduler;

/** {@link DnsTimer} in the simulator's virtual time. */
public final class SchedulerDnsTimer implements DnsTimer {
    private final Scheduler scheduler;

    /** Timers on {@code scheduler}. */
    public SchedulerDnsTimer(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public long now() {
        return scheduler.now();
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        long id = scheduler.scheduleIn(delayNanos, now -> task.run());
        return () -> scheduler.cancel(id);
    }
}
