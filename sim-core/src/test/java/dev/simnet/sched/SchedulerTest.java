package dev.simnet.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SchedulerTest {

    /** Records (label, time) of each firing. */
    private static final class Log {
        final List<String> entries = new ArrayList<>();

        Event ev(String label) {
            return now -> entries.add(label + "@" + now);
        }
    }

    @Test
    void eventsRunInTimeOrder() {
        Scheduler s = new Scheduler();
        Log log = new Log();
        s.schedule(30, log.ev("c"));
        s.schedule(10, log.ev("a"));
        s.schedule(20, log.ev("b"));
        s.runToQuiescence();
        assertEquals(List.of("a@10", "b@20", "c@30"), log.entries);
        assertEquals(30, s.now());
        assertEquals(3, s.dispatchedCount());
    }

    @Test
    void tiesRunFirstInFirstOut() {
        Scheduler s = new Scheduler(4);
        Log log = new Log();
        for (int i = 0; i < 100; i++) {
            s.schedule(i % 3 == 0 ? 5 : 7, log.ev("e" + i));
        }
        s.runToQuiescence();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i += 3) {
            expected.add("e" + i + "@5");
        }
        for (int i = 0; i < 100; i++) {
            if (i % 3 != 0) {
                expected.add("e" + i + "@7");
            }
        }
        assertEquals(expected, log.entries);
    }

    @Test
    void eventScheduledAtNowFromAnEventRunsAfterEarlierTies() {
        Scheduler s = new Scheduler();
        Log log = new Log();
        s.schedule(10, now -> {
            log.entries.add("first@" + now);
            s.schedule(now, log.ev("spawned"));
        });
        s.schedule(10, log.ev("second"));
        s.runToQuiescence();
        assertEquals(List.of("first@10", "second@10", "spawned@10"), log.entries);
    }

    @Test
    void cancelledEventsAreSkippedAndRemoved() {
        Scheduler s = new Scheduler();
        Log log = new Log();
        long a = s.schedule(10, log.ev("a"));
        long b = s.schedule(20, log.ev("b"));
        s.schedule(30, log.ev("c"));
        assertTrue(s.isPending(b));
        assertEquals(20, s.timeOf(b));
        assertTrue(s.cancel(b));
        assertFalse(s.isPending(b));
        assertEquals(-1, s.timeOf(b));
        assertEquals(2, s.pending());
        assertFalse(s.cancel(b), "second cancel is a no-op");
        s.runToQuiescence();
        assertEquals(List.of("a@10", "c@30"), log.entries);
        assertFalse(s.cancel(a), "cancel after run is harmless");
        assertEquals(2, s.dispatchedCount());
    }

    @Test
    void cancelAfterRunDoesNotHitTheEventThatReusesTheSlot() {
        Scheduler s = new Scheduler(16);
        Log log = new Log();
        long first = s.schedule(1, log.ev("first"));
        s.runToQuiescence();
        // reuse every slot several times so the first id's slot is certainly taken again
        List<Long> live = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            live.add(s.schedule(100 + i, log.ev("x" + i)));
        }
        for (long id : live) {
            assertNotEquals(first, id);
        }
        assertFalse(s.cancel(first));
        assertEquals(200, s.pending());
        assertFalse(s.cancel(Scheduler.NO_EVENT));
        assertFalse(s.cancel(-5));
        assertFalse(s.cancel(Long.MAX_VALUE));
        assertEquals(200, s.pending());
    }

    @Test
    void anEventCancellingItselfOrALaterOne() {
        Scheduler s = new Scheduler();
        Log log = new Log();
        long[] ids = new long[2];
        ids[0] = s.schedule(10, now -> {
            log.entries.add("a@" + now);
            assertFalse(s.cancel(ids[0]), "own id is no longer pending while firing");
            assertTrue(s.cancel(ids[1]));
        });
        ids[1] = s.schedule(10, log.ev("b"));
        s.runToQuiescence();
        assertEquals(List.of("a@10"), log.entries);
    }

    @Test
    void schedulingInThePastIsRejected() {
        Scheduler s = new Scheduler();
        s.schedule(100, now -> { });
        s.runToQuiescence();
        assertEquals(100, s.now());
        assertThrows(IllegalArgumentException.class, () -> s.schedule(99, now -> { }));
        assertThrows(IllegalArgumentException.class, () -> s.scheduleIn(-1, now -> { }));
        assertThrows(IllegalArgumentException.class, () -> s.scheduleIn(Long.MAX_VALUE, now -> { }));
        assertThrows(IllegalArgumentException.class, () -> s.schedule(200, null));
        assertThrows(IllegalArgumentException.class, () -> s.runUntil(50));
        assertThrows(IllegalArgumentException.class, () -> s.advanceTo(50));
        s.schedule(100, now -> { }); // at now is allowed
        assertEquals(1, s.pending());
    }

    @Test
    void runUntilRunsInclusiveAndSetsTheClock() {
        Scheduler s = new Scheduler();
        Log log = new Log();
        s.schedule(10, log.ev("a"));
        s.schedule(20, log.ev("b"));
        s.schedule(21, log.ev("c"));
        s.runUntil(20);
        assertEquals(List.of("a@10", "b@20"), log.entries);
        assertEquals(20, s.now());
        s.runUntil(20); // idempotent
        assertEquals(2, log.entries.size());
        s.runFor(5);
        assertEquals(List.of("a@10", "b@20", "c@21"), log.entries);
        assertEquals(25, s.now(), "clock moves to the bound even without events there");
        s.runUntil(1_000);
        assertEquals(1_000, s.now());
    }

    @Test
    void runUntilIncludesEventsSpawnedWithinTheBound() {
        Scheduler s = new Scheduler();
        Log log = new Log();
        s.schedule(10, now -> {
            log.entries.add("a@" + now);
            s.scheduleIn(5, log.ev("in-bound"));
            s.scheduleIn(50, log.ev("beyond"));
        });
        s.runUntil(20);
        assertEquals(List.of("a@10", "in-bound@15"), log.entries);
        assertEquals(1, s.pending());
        assertEquals(60, s.nextEventTime());
    }

    @Test
    void runToQuiescenceWithLimitReportsWhetherItDrained() {
        Scheduler s = new Scheduler();
        int[] count = new int[1];
        Event periodic = new Event() {
            @Override
            public void fire(long now) {
                count[0]++;
                s.scheduleIn(10, this);
            }
        };
        s.schedule(0, periodic);
        assertFalse(s.runToQuiescence(95));
        assertEquals(10, count[0]); // 0,10,...,90
        assertEquals(90, s.now(), "clock stays at the last event");
        Scheduler t = new Scheduler();
        t.schedule(5, now -> { });
        assertTrue(t.runToQuiescence(100));
        assertEquals(5, t.now());
    }

    @Test
    void stepRunsOneEventAndReportsAnEmptyQueue() {
        Scheduler s = new Scheduler();
        Log log = new Log();
        assertFalse(s.step());
        assertEquals(Long.MAX_VALUE, s.nextEventTime());
        s.schedule(7, log.ev("a"));
        s.schedule(3, log.ev("b"));
        assertEquals(3, s.nextEventTime());
        assertTrue(s.step());
        assertEquals(List.of("b@3"), log.entries);
        assertEquals(3, s.now());
        assertTrue(s.step());
        assertFalse(s.step());
        assertEquals(7, s.now());
    }

    @Test
    void advanceToMovesTheClockButNotPastAnEvent() {
        Scheduler s = new Scheduler();
        s.advanceTo(40);
        assertEquals(40, s.now());
        s.schedule(50, now -> { });
        assertThrows(IllegalStateException.class, () -> s.advanceTo(51));
        s.advanceTo(50);
        assertEquals(50, s.now());
    }

    @Test
    void nestedStepFromAnEventIsRejected() {
        Scheduler s = new Scheduler();
        s.schedule(1, now -> s.step());
        s.schedule(2, now -> { });
        assertThrows(IllegalStateException.class, s::step);
        assertFalse(s.isDispatching(), "flag reset after the event threw");
        assertTrue(s.step(), "the scheduler is still usable");
    }

    /** A reference model: java.util.PriorityQueue over (time, seq) with lazy cancellation. */
    private record Ref(long time, long seq, int label) { }

    @Test
    void largeRandomWorkloadMatchesAReferenceQueue() {
        SplittableRandom rnd = new SplittableRandom(0x5eed_2026L);
        Scheduler s = new Scheduler(8);
        PriorityQueue<Ref> ref = new PriorityQueue<>((x, y) -> x.time != y.time
                ? Long.compare(x.time, y.time) : Long.compare(x.seq, y.seq));
        Map<Integer, Long> idOf = new HashMap<>();
        Map<Integer, Ref> refOf = new HashMap<>();
        List<Integer> liveLabels = new ArrayList<>();
        List<Long> deadIds = new ArrayList<>();
        List<Integer> fired = new ArrayList<>();
        long refSeq = 0;
        int next = 0;
        long dispatchedRef = 0;
        for (int round = 0; round < 200_000; round++) {
            int op = rnd.nextInt(100);
            if (op < 50 || liveLabels.isEmpty()) {
                // schedule, with many ties
                long at = s.now() + (rnd.nextBoolean() ? rnd.nextInt(4) : rnd.nextLong(1_000_000));
                int label = next++;
                idOf.put(label, s.schedule(at, now -> fired.add(label)));
                Ref r = new Ref(at, refSeq++, label);
                ref.add(r);
                refOf.put(label, r);
                liveLabels.add(label);
            } else if (op < 65) {
                // cancel a live event
                int k = rnd.nextInt(liveLabels.size());
                int label = liveLabels.get(k);
                liveLabels.set(k, liveLabels.get(liveLabels.size() - 1));
                liveLabels.remove(liveLabels.size() - 1);
                long id = idOf.remove(label);
                assertTrue(s.cancel(id));
                assertTrue(ref.remove(refOf.remove(label)));
                deadIds.add(id);
            } else if (op < 70 && !deadIds.isEmpty()) {
                // cancelling a dead id changes nothing
                assertFalse(s.cancel(deadIds.get(rnd.nextInt(deadIds.size()))));
            } else {
                // dispatch one
                fired.clear();
                assertTrue(s.step());
                Ref r = ref.poll();
                dispatchedRef++;
                assertEquals(List.of(r.label), fired, "round " + round);
                assertEquals(r.time, s.now());
                deadIds.add(idOf.remove(r.label));
                refOf.remove(r.label);
                liveLabels.remove(Integer.valueOf(r.label));
            }
            assertEquals(ref.size(), s.pending());
        }
        // drain and compare the tail
        List<Integer> expected = new ArrayList<>();
        while (!ref.isEmpty()) {
            expected.add(ref.poll().label);
        }
        fired.clear();
        s.runToQuiescence();
        assertEquals(expected, fired);
        assertEquals(dispatchedRef + expected.size(), s.dispatchedCount());
    }

    @Test
    void eventsThatScheduleAndCancelWhileFiringMatchAReferenceQueue() {
        SplittableRandom rnd = new SplittableRandom(0xC0FFEE);
        Scheduler s = new Scheduler(4);
        PriorityQueue<Ref> ref = new PriorityQueue<>((x, y) -> x.time != y.time
                ? Long.compare(x.time, y.time) : Long.compare(x.seq, y.seq));
        Map<Integer, Long> idOf = new HashMap<>();
        Map<Integer, Ref> refOf = new HashMap<>();
        List<Integer> live = new ArrayList<>();
        long[] refSeq = {0};
        int[] nextLabel = {0};
        final class Ev implements Event {
            final int label;
            final long ownId;

            Ev(int label, long at) {
                this.label = label;
                this.ownId = s.schedule(at, this);
                idOf.put(label, ownId);
                Ref r = new Ref(at, refSeq[0]++, label);
                ref.add(r);
                refOf.put(label, r);
                live.add(label);
            }

            @Override
            public void fire(long now) {
                Ref r = ref.poll();
                assertEquals(r.label, label);
                assertEquals(r.time, now);
                live.remove(Integer.valueOf(label));
                idOf.remove(label);
                refOf.remove(label);
                assertEquals(ref.size(), s.pending());
                assertEquals(ref.isEmpty() ? Long.MAX_VALUE : ref.peek().time, s.nextEventTime());
                assertFalse(s.isPending(ownId));
                int spawn = rnd.nextInt(ref.size() > 2000 ? 2 : 4);
                for (int k = 0; k < spawn; k++) {
                    new Ev(nextLabel[0]++, now + (rnd.nextBoolean() ? rnd.nextInt(3) : rnd.nextLong(10_000)));
                }
                if (rnd.nextInt(3) == 0 && !live.isEmpty()) {
                    int victim = live.remove(rnd.nextInt(live.size()));
                    assertTrue(s.cancel(idOf.remove(victim)));
                    assertTrue(ref.remove(refOf.remove(victim)));
                }
                if (rnd.nextInt(10) == 0) {
                    assertFalse(s.cancel(ownId));
                }
                assertEquals(ref.size(), s.pending());
                assertEquals(ref.isEmpty() ? Long.MAX_VALUE : ref.peek().time, s.nextEventTime());
            }
        }
        for (int i = 0; i < 300; i++) {
            new Ev(nextLabel[0]++, rnd.nextLong(1_000));
        }
        long steps = 0;
        while (steps < 300_000 && s.step()) {
            steps++;
        }
        assertTrue(steps > 100_000, "the workload kept going: " + steps);
        assertEquals(steps, s.dispatchedCount());
        assertEquals(ref.size(), s.pending());
    }
}
