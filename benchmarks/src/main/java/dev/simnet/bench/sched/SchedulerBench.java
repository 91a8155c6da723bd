package dev.simnet.bench.sched;

import dev.simnet.bench.BenchBase;
import dev.simnet.sched.Event;
import dev.simnet.sched.Scheduler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The event kernel in steady state: a heap of {@code pending} events where every dispatched event
 * schedules one more at a pseudo-random future time (up to ~1 ms ahead, with ties), so one
 * operation is one schedule + one dispatch. Target ([foundation]): at least 10 million pairs per
 * second on one core, i.e. at most 100 ns/op, with zero bytes allocated per operation.
 * {@link #scheduleCancel} measures a protocol timer that is armed and cancelled before it fires
 * (a TCP retransmission timer on an acknowledged segment).
 */
public class SchedulerBench extends BenchBase {
    @Param({"1000", "100000"})
    int pending;

    private Scheduler scheduler;
    private Rescheduler event;

    /** An event that schedules itself again at a pseudo-random delay (xorshift, no allocation). */
    static final class Rescheduler implements Event {
        final Scheduler s;
        long x = 0x9E3779B97F4A7C15L;

        Rescheduler(Scheduler s) {
            this.s = s;
        }

        long nextDelay() {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            return (x & 0xfffff) + 1;
        }

        @Override
        public void fire(long now) {
            s.schedule(now + nextDelay(), this);
        }
    }

    /** Fills the heap to {@code pending} events and lets it reach steady state. */
    @Setup(Level.Trial)
    public void setUp() {
        scheduler = new Scheduler(pending);
        event = new Rescheduler(scheduler);
        for (int i = 0; i < pending; i++) {
            scheduler.schedule(event.nextDelay(), event);
        }
        for (int i = 0; i < 4 * pending; i++) {
            scheduler.step();
        }
    }

    /** One dispatch whose event schedules one more: the schedule+dispatch pair. */
    @Benchmark
    public long scheduleDispatch() {
        scheduler.step();
        return scheduler.now();
    }

    /** Arm a timer 1 ms ahead and cancel it, in a heap of {@code pending} events. */
    @Benchmark
    public boolean scheduleCancel() {
        long id = scheduler.schedule(scheduler.now() + 1_000_000 + event.nextDelay(), event);
        return scheduler.cancel(id);
    }
}
