package dev.simnet.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real-time runs of a few tens of milliseconds. No assertion depends on how fast the machine is:
 * only ordering, completeness and lower bounds that real time guarantees.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RealtimeRunnerTest {
    private static final long MS = 1_000_000L;

    @Test
    void runsEventsInOrderNoEarlierThanTheirWallTime() {
        Scheduler s = new Scheduler();
        RealtimeRunner r = new RealtimeRunner(s);
        List<String> log = new ArrayList<>();
        long wallStart = System.nanoTime();
        long[] wallAt = new long[4];
        s.schedule(20 * MS, now -> { log.add("c@" + now); wallAt[2] = System.nanoTime(); });
        s.schedule(0, now -> { log.add("a@" + now); wallAt[0] = System.nanoTime(); });
        s.schedule(5 * MS, now -> { log.add("b@" + now); wallAt[1] = System.nanoTime(); });
        s.schedule(30 * MS, now -> { log.add("stop@" + now); wallAt[3] = System.nanoTime(); r.stop(); });
        s.schedule(40 * MS, now -> log.add("never"));
        r.runUntilStopped();
        assertEquals(List.of("a@0", "b@" + 5 * MS, "c@" + 20 * MS, "stop@" + 30 * MS), log);
        assertTrue(wallAt[1] - wallStart >= 5 * MS, "b ran before its wall time");
        assertTrue(wallAt[2] - wallStart >= 20 * MS, "c ran before its wall time");
        assertTrue(wallAt[3] - wallStart >= 30 * MS, "stop ran before its wall time");
        assertEquals(1, s.pending());
        assertFalse(r.isRunning());
        assertTrue(r.maxLatenessNanos() >= 0);
    }

    @Test
    void runUntilDeadlineRunsEventsAtTheDeadlineAndSetsTheClock() {
        Scheduler s = new Scheduler();
        RealtimeRunner r = new RealtimeRunner(s);
        List<Long> fired = new ArrayList<>();
        s.schedule(10 * MS, fired::add);
        s.schedule(15 * MS, fired::add);
        s.schedule(16 * MS, fired::add);
        assertTrue(r.runUntil(15 * MS));
        assertEquals(List.of(10 * MS, 15 * MS), fired);
        assertEquals(15 * MS, s.now());
        // a second run continues from the scheduler's clock
        assertTrue(r.runUntil(17 * MS));
        assertEquals(List.of(10 * MS, 15 * MS, 16 * MS), fired);
        assertEquals(17 * MS, s.now());
    }

    @Test
    void postedTasksFromOtherThreadsRunInOrderOnTheLoopThread() throws Exception {
        Scheduler s = new Scheduler();
        RealtimeRunner r = new RealtimeRunner(s);
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        List<Long> times = new ArrayList<>();
        List<String> events = new ArrayList<>();
        Thread[] loop = new Thread[1];
        CountDownLatch started = new CountDownLatch(1);
        s.schedule(0, now -> {
            loop[0] = Thread.currentThread();
            started.countDown();
        });
        Thread producer = new Thread(() -> {
            try {
                started.await();
                for (int i = 0; i < 200; i++) {
                    int n = i;
                    r.post(() -> {
                        if (Thread.currentThread() != loop[0]) {
                            throw new AssertionError("task ran off the loop thread");
                        }
                        ran.add(n);
                        times.add(s.now());
                        // a task may schedule at the current virtual time
                        s.schedule(s.now(), now -> events.add("e" + n));
                    });
                    if (i % 50 == 0) {
                        Thread.sleep(2);
                    }
                }
                r.execute(r::stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        r.runUntilStopped();
        producer.join();
        List<Integer> expected = new ArrayList<>();
        List<String> expectedEvents = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add(i);
            expectedEvents.add("e" + i);
        }
        assertEquals(expected, ran);
        assertEquals(expectedEvents, events, "events spawned by tasks ran before the stop task");
        for (int i = 1; i < times.size(); i++) {
            assertTrue(times.get(i) >= times.get(i - 1), "virtual time went backwards");
        }
        assertTrue(times.get(times.size() - 1) > 0, "tasks ran at wall-mapped times, not at 0");
    }

    @Test
    void stopFromAnotherThreadWakesAnIdleLoop() throws Exception {
        Scheduler s = new Scheduler();
        RealtimeRunner r = new RealtimeRunner(s);
        AtomicLong ranAt = new AtomicLong(-1);
        CountDownLatch inLoop = new CountDownLatch(1);
        r.post(() -> {
            ranAt.set(s.now());
            inLoop.countDown();
        });
        Thread stopper = new Thread(() -> {
            try {
                inLoop.await();
                Thread.sleep(20);
                assertTrue(r.isRunning());
                r.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.start();
        r.runUntilStopped(); // nothing scheduled: parks until woken
        stopper.join();
        assertTrue(ranAt.get() >= 0, "task posted before the run ran");
        assertTrue(s.now() >= 20 * MS, "clock follows the wall while idle: " + s.now());
    }

    @Test
    void stopBeforeTheRunMakesItReturnAtOnce() {
        Scheduler s = new Scheduler();
        RealtimeRunner r = new RealtimeRunner(s);
        s.schedule(3_600_000 * MS, now -> { });
        r.stop();
        r.runUntilStopped();
        assertEquals(1, s.pending());
        // the request is consumed: a new run runs
        s.schedule(s.now(), now -> r.stop());
        r.runUntilStopped();
        assertEquals(1, s.pending());
    }

    @Test
    void anExceptionEndsTheRunAndTheRunnerCanBeReused() {
        Scheduler s = new Scheduler();
        RealtimeRunner r = new RealtimeRunner(s);
        s.schedule(1 * MS, now -> {
            throw new IllegalStateException("boom");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, r::runUntilStopped);
        assertEquals("boom", e.getMessage());
        assertFalse(r.isRunning());
        List<Long> fired = new ArrayList<>();
        s.scheduleIn(1 * MS, fired::add);
        assertTrue(r.runUntil(s.now() + 2 * MS));
        assertEquals(1, fired.size());
    }

    @Test
    void nestedRunIsRejected() {
        Scheduler s = new Scheduler();
        RealtimeRunner r = new RealtimeRunner(s);
        List<Throwable> caught = new ArrayList<>();
        s.schedule(0, now -> {
            assertTrue(r.inLoopThread());
            try {
                r.runUntilStopped();
            } catch (IllegalStateException e) {
                caught.add(e);
            }
            r.stop();
        });
        r.runUntilStopped();
        assertEquals(1, caught.size());
    }

    @Test
    void lateEventsRunInOrderWithTheirOwnVirtualTimes() {
        // a fake clock that jumps 1 s per read: every event is late when examined
        long[] fake = {0};
        Scheduler s = new Scheduler();
        RealtimeRunner r = new RealtimeRunner(s, () -> fake[0] += 1_000 * MS);
        List<Long> fired = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            s.schedule(i * MS, fired::add);
        }
        s.schedule(5 * MS, now -> r.stop());
        r.runUntilStopped();
        assertEquals(List.of(0L, 1 * MS, 2 * MS, 3 * MS, 4 * MS), fired);
        assertTrue(r.maxLatenessNanos() > 0);
    }

    /**
     * A stand-in for a poll(2)-based poller: "frames" arrive in a queue from another thread (as the kernel
     * makes an fd readable) and release the semaphore the loop waits on; wakeup() releases it too (the eventfd).
     */
    static final class FakePoller implements IoPoller {
        final java.util.concurrent.ConcurrentLinkedQueue<Integer> arrivals = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final java.util.concurrent.Semaphore ready = new java.util.concurrent.Semaphore(0);
        final Scheduler s;
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        final java.util.Set<Thread> pollThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final AtomicLong awaits = new AtomicLong();
        final AtomicLong wakeups = new AtomicLong();

        FakePoller(Scheduler s) {
            this.s = s;
        }

        void arrive(int frame) {
            arrivals.add(frame);
            ready.release();
        }

        @Override
        public boolean poll(long now) {
            pollThreads.add(Thread.currentThread());
            boolean work = false;
            Integer f;
            while ((f = arrivals.poll()) != null) {
                int frame = f;
                // a frame entering the engine schedules its processing now, as netifRx does
                s.schedule(now, t -> log.add("frame" + frame));
                work = true;
            }
            return work;
        }

        @Override
        public void await(long nanos) {
            pollThreads.add(Thread.currentThread());
            awaits.incrementAndGet();
            try {
                if (nanos == Long.MAX_VALUE) {
                    ready.acquire();
                } else {
                    ready.tryAcquire(nanos, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void wakeup() {
            wakeups.incrementAndGet();
            ready.release();
        }
    }

    @Test
    void anIoPollerFeedsTheLoopAndPostedTasksAndStopStillWakeIt() throws Exception {
        Scheduler s = new Scheduler();
        RealtimeRunner r = new RealtimeRunner(s);
        FakePoller io = new FakePoller(s);
        r.setIoPoller(io);
        Thread[] loop = new Thread[1];
        CountDownLatch started = new CountDownLatch(1);
        s.schedule(0, now -> {
            loop[0] = Thread.currentThread();
            started.countDown();
        });
        s.schedule(2 * MS, now -> io.log.add("timer"));
        Thread producer = new Thread(() -> {
            try {
                started.await();
                for (int i = 0; i < 50; i++) {
                    io.arrive(i);
                    if (i % 10 == 0) {
                        Thread.sleep(1);
                    }
                }
                r.post(() -> io.log.add("task50"));
                Thread.sleep(5);
                r.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        Thread runThread = new Thread(r::runUntilStopped, "loop");
        runThread.start();
        runThread.join(30_000);
        producer.join(30_000);
        assertFalse(runThread.isAlive(), "stop did not wake the loop out of the poller");
        List<String> frames = new ArrayList<>();
        synchronized (io.log) {
            for (String l : io.log) {
                if (l.startsWith("frame")) {
                    frames.add(l);
                }
            }
            assertTrue(io.log.contains("timer"), "an event due while the loop waited in the poller did not run: " + io.log);
            assertTrue(io.log.contains("task50"), "a posted task did not run: " + io.log);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("frame" + i);
        }
        assertEquals(expected, frames);
        assertEquals(java.util.Set.of(runThread), io.pollThreads, "the poller was used off the loop thread");
        assertTrue(io.awaits.get() > 0, "the loop never waited in the poller");
        // the poller cannot change under a running loop
        Throwable[] refused = new Throwable[1];
        s.schedule(s.now(), now -> {
            try {
                r.setIoPoller(null);
            } catch (IllegalStateException e) {
                refused[0] = e;
            }
            r.stop();
        });
        r.runUntilStopped();
        assertTrue(refused[0] instanceof IllegalStateException, "setIoPoller during a run was accepted");
    }
}
