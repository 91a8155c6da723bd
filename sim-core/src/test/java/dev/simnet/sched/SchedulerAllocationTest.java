package dev.simnet.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class SchedulerAllocationTest {

    /** A long-lived event that reschedules itself and cancels a decoy, as a protocol timer would. */
    private static final class Churn implements Event {
        final Scheduler s;
        long x = 12345;
        long decoy;
        int fired;

        Churn(Scheduler s) {
            this.s = s;
        }

        @Override
        public void fire(long now) {
            fired++;
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            if (decoy != Scheduler.NO_EVENT && !s.cancel(decoy)) {
                throw new AssertionError("decoy should still be pending");
            }
            decoy = s.schedule(now + 1_000_000_000_000L + (x & 0xffff), this);
            s.schedule(now + 1 + ((x >>> 20) & 0xffff), this);
        }
    }

    @Test
    void steadyStateScheduleCancelDispatchAllocatesNothing() {
        com.sun.management.ThreadMXBean mx;
        try {
            mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        } catch (ClassCastException e) {
            mx = null;
        }
        assumeTrue(mx != null && mx.isThreadAllocatedMemorySupported(),
                "this JVM cannot report per-thread allocation");
        mx.setThreadAllocatedMemoryEnabled(true);
        Scheduler s = new Scheduler();
        Churn c = new Churn(s);
        for (int i = 0; i < 1000; i++) {
            s.schedule(i, c);
        }
        // warm up: grow the arrays to the working size
        for (int i = 0; i < 200_000; i++) {
            s.step();
        }
        int pendingBefore = s.pending();
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 200_000; i++) {
            s.step();
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertEquals(pendingBefore, s.pending(), "steady state: one schedule per dispatch");
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes over 200000 dispatches");
    }
}
