package dev.simnet.sched;

/**
 * The discrete-event kernel: virtual time in nanoseconds, events ordered by (time, insertion
 * sequence) so that ties run first-in first-out, as ns-3's {@code (timestamp, uid)} order does.
 * A cancelled event stays in the queue and is skipped when it reaches the head.
 *
 * <p>The queue is a binary heap over parallel primitive arrays, so scheduling and dispatching
 * allocate nothing once the arrays have grown to the working size. The engine never reads a wall
 * clock: only the scheduler owns time ({@link RealtimeRunner} maps it onto the wall clock).
 */
public final class Scheduler {
    private long now;
    private long nextSeq = 1;
    private long dispatched;

    private long[] times = new long[1024];
    private long[] seqs = new long[1024];
    private Event[] events = new Event[1024];
    private int size;

    /** Sequence numbers of cancelled events still in the heap (open addressing, 0 = empty). */
    private long[] cancelled = new long[64];
    private int cancelledCount;

    /** Current virtual time in nanoseconds. */
    public long now() {
        return now;
    }

    /** Events dispatched so far. */
    public long dispatchedCount() {
        return dispatched;
    }

    /** Events waiting (cancelled ones included until they are skipped). */
    public int pending() {
        return size;
    }

    /**
     * Schedules {@code e} at absolute virtual time {@code at} (not before now).
     *
     * @return an id for {@link #cancel(long)}
     */
    public long schedule(long at, Event e) {
        if (at < now) {
            throw new IllegalArgumentException("cannot schedule in the past: " + at + " < now " + now);
        }
        if (e == null) {
            throw new IllegalArgumentException("event is null");
        }
        if (size == times.length) {
            grow();
        }
        long seq = nextSeq++;
        int i = size++;
        // sift up
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            long pt = times[parent];
            if (pt < at || (pt == at && seqs[parent] < seq)) {
                break;
            }
            times[i] = pt;
            seqs[i] = seqs[parent];
            events[i] = events[parent];
            i = parent;
        }
        times[i] = at;
        seqs[i] = seq;
        events[i] = e;
        return seq;
    }

    /** Schedules {@code e} after {@code delay} nanoseconds from now. */
    public long scheduleIn(long delay, Event e) {
        if (delay < 0) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        return schedule(now + delay, e);
    }

    /**
     * Cancels a scheduled event by the id {@link #schedule} returned. Cancelling an event that
     * already ran, or an unknown id, is harmless but must not be done with an id that might be reused
     * (ids are never reused).
     */
    public void cancel(long id) {
        if (id <= 0) {
            return;
        }
        if ((cancelledCount + 1) * 2 > cancelled.length) {
            rehashCancelled(cancelled.length * 2);
        }
        if (insertCancelled(cancelled, id)) {
            cancelledCount++;
        }
    }

    /** Time of the next live event, or {@link Long#MAX_VALUE} when the queue is empty. */
    public long nextEventTime() {
        while (size > 0 && cancelledCount > 0 && removeCancelled(seqs[0])) {
            pop();
        }
        return size == 0 ? Long.MAX_VALUE : times[0];
    }

    /** Runs one event; returns false when the queue is empty. */
    public boolean step() {
        while (size > 0) {
            long t = times[0];
            long seq = seqs[0];
            Event e = pop();
            if (cancelledCount > 0 && removeCancelled(seq)) {
                continue;
            }
            now = t;
            dispatched++;
            e.fire(t);
            return true;
        }
        return false;
    }

    /** Runs every event with time at or before {@code until}, then sets the clock to {@code until}. */
    public void runUntil(long until) {
        // nextEventTime() first drops cancelled events at the head, so step() cannot run a live event past until
        while (nextEventTime() <= until) {
            step();
        }
        if (until > now) {
            now = until;
        }
    }

    /** Runs for {@code duration} nanoseconds of virtual time. */
    public void runFor(long duration) {
        runUntil(now + duration);
    }

    /** Runs until no event is left. */
    public void runToQuiescence() {
        while (step()) {
            // keep going
        }
    }

    /**
     * Runs until no event is left or {@code limit} is reached; returns true if it stopped because the
     * queue drained (periodic timers never drain, so callers bound the run).
     */
    public boolean runToQuiescence(long limit) {
        while (nextEventTime() <= limit) {
            step();
        }
        return size == 0;
    }

    /** Advances the clock without running events (only forward, and never past a pending event). */
    public void advanceTo(long t) {
        if (t < now) {
            throw new IllegalArgumentException("time goes forward only");
        }
        if (nextEventTime() < t) {
            throw new IllegalStateException("an event is pending before " + t);
        }
        now = t;
    }

    private Event pop() {
        Event top = events[0];
        int last = --size;
        long lt = times[last];
        long ls = seqs[last];
        Event le = events[last];
        events[last] = null;
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && (times[right] < times[child] || (times[right] == times[child] && seqs[right] < seqs[child]))) {
                child = right;
            }
            if (lt < times[child] || (lt == times[child] && ls < seqs[child])) {
                break;
            }
            times[i] = times[child];
            seqs[i] = seqs[child];
            events[i] = events[child];
            i = child;
        }
        if (size > 0) {
            times[i] = lt;
            seqs[i] = ls;
            events[i] = le;
        }
        return top;
    }

    private void grow() {
        int n = times.length * 2;
        times = java.util.Arrays.copyOf(times, n);
        seqs = java.util.Arrays.copyOf(seqs, n);
        events = java.util.Arrays.copyOf(events, n);
    }

    private static int slot(long id, int mask) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }

    private static boolean insertCancelled(long[] table, long id) {
        int mask = table.length - 1;
        int i = slot(id, mask);
        while (table[i] != 0) {
            if (table[i] == id) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = id;
        return true;
    }

    private boolean removeCancelled(long id) {
        int mask = cancelled.length - 1;
        int i = slot(id, mask);
        while (cancelled[i] != 0) {
            if (cancelled[i] == id) {
                cancelled[i] = 0;
                cancelledCount--;
                // re-insert the rest of the cluster (linear probing deletion)
                int j = (i + 1) & mask;
                while (cancelled[j] != 0) {
                    long v = cancelled[j];
                    cancelled[j] = 0;
                    insertCancelled(cancelled, v);
                    j = (j + 1) & mask;
                }
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    private void rehashCancelled(int n) {
        long[] t = new long[n];
        for (long v : cancelled) {
            if (v != 0) {
                insertCancelled(t, v);
            }
        }
        cancelled = t;
    }
}
