package dev.simnet.sched;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Wall-clock mode (ns-3's {@code RealtimeSimulatorImpl}): runs the events of a {@link Scheduler} in
 * real time, for the TAP backend and {@code simnet up}. When a run starts, the scheduler's virtual
 * time {@code v0} is tied to the wall clock {@code w0}; afterwards an event at virtual time
 * {@code t} runs once the wall clock reaches {@code w0 + (t - v0)}. Late events run as soon as
 * possible, in order, with their own virtual time. This is the only class in the engine that reads
 * a clock.
 *
 * <p>Threading: the thread that calls {@link #runUntilStopped()} (the <em>loop thread</em>) owns the
 * scheduler while the run lasts; nothing else may touch the scheduler then. Other threads (an I/O
 * reader of a TAP device, a control socket) inject work with {@link #post} / {@link #execute}: the
 * task runs on the loop thread, with the scheduler's clock set to the current wall-mapped time, so
 * it may call {@code scheduler.schedule(scheduler.now(), ...)}. {@link #wakeup()} and
 * {@link #stop()} may be called from any thread.
 *
 * <pre>
 *   loop:  run events due by wall time ─► run posted tasks at now ─► park until next event / wakeup
 *   with an {@link IoPoller}:         … ─► run posted tasks ─► poll I/O (frames in? loop again)
 *                                         ─► await I/O, next event or wakeup (instead of parking)
 * </pre>
 */
public final class RealtimeRunner implements Executor {
    private final Scheduler scheduler;
    private final LongSupplier clock;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean stopRequested;
    private volatile IoPoller io;
    /** True while the loop thread is in (or about to enter) {@link IoPoller#await}. */
    private volatile boolean awaiting;
    private volatile Thread loopThread;
    private volatile long wallOrigin;
    private volatile long virtualOrigin;
    private long maxLateness;

    /** A runner of {@code scheduler}'s events on the JVM's monotonic clock ({@link System#nanoTime}). */
    public RealtimeRunner(Scheduler scheduler) {
        this(scheduler, System::nanoTime);
    }

    /** A runner with a given monotonic nanosecond clock (tests use a fake one). */
    RealtimeRunner(Scheduler scheduler, LongSupplier clock) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Lets the loop thread itself do {@code io}'s I/O: it polls {@code io} between events and waits in
     * {@link IoPoller#await} instead of parking ({@link #wakeup()} then wakes it through
     * {@link IoPoller#wakeup}). Null restores parking. Only while no run is active.
     *
     * @throws IllegalStateException if a run is active
     */
    public synchronized void setIoPoller(IoPoller poller) {
        if (loopThread != null) {
            throw new IllegalStateException("cannot change the I/O poller of a running loop");
        }
        this.io = poller;
    }

    /** The scheduler this runner drives. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * Queues {@code task} to run on the loop thread at the current wall-mapped virtual time and
     * wakes the loop. Thread-safe; tasks run in the order they were posted. Tasks posted while no
     * run is active run when the next run starts.
     */
    public void post(Runnable task) {
        tasks.add(Objects.requireNonNull(task, "task"));
        wakeup();
    }

    /** Same as {@link #post}, so the runner can serve as an {@link Executor}. */
    @Override
    public void execute(Runnable task) {
        post(task);
    }

    /**
     * Wakes the loop if it is waiting, so it re-examines the clock and the posted tasks at once.
     * An I/O thread that has made data ready by other means (a lock-free ring) calls this.
     */
    public void wakeup() {
        IoPoller p = io;
        if (p != null) {
            if (awaiting) {
                p.wakeup();
            }
            return;
        }
        Thread t = loopThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Asks the loop to return after the event or task now running. Thread-safe. A stop requested
     * while no run is active makes the next run return at once (so a stop racing a start is not lost).
     */
    public void stop() {
        stopRequested = true;
        wakeup();
    }

    /** True while a thread is inside {@link #runUntilStopped()} or {@link #runUntil(long)}. */
    public boolean isRunning() {
        return loopThread != null;
    }

    /** True if the current thread is the loop thread of an active run. */
    public boolean inLoopThread() {
        return loopThread == Thread.currentThread();
    }

    /**
     * The virtual time that corresponds to the wall clock now, or the scheduler's time when no run
     * is active. Thread-safe (an estimate when called from another thread).
     */
    public long virtualNow() {
        if (loopThread == null) {
            return scheduler.now();
        }
        return virtualOrigin + (clock.getAsLong() - wallOrigin);
    }

    /** The largest delay (ns) seen between an event's due wall time and the moment it ran. */
    public long maxLatenessNanos() {
        return maxLateness;
    }

    /**
     * Runs events and posted tasks in real time until {@link #stop()} is called (from an event, a
     * task or another thread). The scheduler's clock then stands at the wall-mapped time of the stop,
     * but never past a pending event.
     * An exception thrown by an event or task ends the run and propagates.
     *
     * @throws IllegalStateException if a run is already active
     */
    public void runUntilStopped() {
        runUntil(Long.MAX_VALUE);
    }

    /**
     * Runs in real time until the virtual time reaches {@code virtualDeadline} or {@link #stop()}
     * is called, whichever comes first. Events at the deadline itself run.
     *
     * @return true if the deadline was reached, false if stopped
     * @throws IllegalStateException if a run is already active
     */
    public boolean runUntil(long virtualDeadline) {
        synchronized (this) {
            if (loopThread != null) {
                throw new IllegalStateException("already running on " + loopThread.getName());
            }
            virtualOrigin = scheduler.now();
            wallOrigin = clock.getAsLong();
            loopThread = Thread.currentThread();
        }
        try {
            boolean reached = loop(virtualDeadline);
            if (!reached) {
                // leave the clock at the wall-mapped time of the stop, never past a pending event
                long t = Math.min(Math.min(virtualNow(), virtualDeadline), scheduler.nextEventTime());
                if (t > scheduler.now()) {
                    scheduler.advanceTo(t);
                }
            }
            return reached;
        } finally {
            synchronized (this) {
                loopThread = null;
                stopRequested = false;
            }
        }
    }

    private boolean loop(long deadline) {
        Scheduler s = scheduler;
        IoPoller p = io;
        while (true) {
            if (stopRequested) {
                return false;
            }
            long target = Math.min(virtualNow(), deadline);
            if (target < s.now()) {
                target = s.now();
            }
            // due events, one by one so that stop() takes effect between them
            while (s.nextEventTime() <= target) {
                long late = target - s.nextEventTime();
                if (late > maxLateness) {
                    maxLateness = late;
                }
                s.step();
                if (stopRequested) {
                    return false;
                }
            }
            s.advanceTo(target);
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
                if (stopRequested) {
                    return false;
                }
                if (s.nextEventTime() <= s.now()) {
                    break; // a task scheduled work for now: run it before further tasks
                }
            }
            if (p != null && p.poll(s.now())) {
                continue; // frames came in: run what they scheduled, then look again
            }
            if (!tasks.isEmpty() || s.nextEventTime() <= s.now()) {
                continue;
            }
            if (target >= deadline) {
                return true;
            }
            long wakeAt = Math.min(s.nextEventTime(), deadline);
            long waitNanos = wakeAt == Long.MAX_VALUE ? Long.MAX_VALUE : wakeAt - virtualNow();
            if (p != null) {
                // Dekker with wakeup(): the flag is raised before the last look at the queue, so a task
                // posted after that look finds it raised and wakes the poller
                awaiting = true;
                if (waitNanos > 0 && tasks.isEmpty() && !stopRequested) {
                    p.await(waitNanos);
                }
                awaiting = false;
            } else if (waitNanos > 0 && tasks.isEmpty() && !stopRequested) {
                LockSupport.parkNanos(this, waitNanos);
            }
        }
    }
}
