package dev.simnet.sched;

import java.util.Arrays;

/**
 * The discrete-event kernel: virtual time in nanoseconds, events ordered by (time, insertion
 * sequence) so that ties run first-in first-out, as ns-3's {@code (timestamp, uid)} order does.
 *
 * <p>The queue is a 4-ary heap (half the depth of a binary heap; a node's four children lie side
 * by side in memory) over parallel primitive arrays, so scheduling, cancelling and
 * dispatching allocate nothing once the arrays have grown to the working size. Each pending event
 * occupies a <em>handle slot</em> that records where it sits in the heap; the id returned by
 * {@link #schedule} names the slot and its generation, so {@link #cancel} removes the event from
 * the heap at once (no tombstones), and cancelling an id whose event already ran or was cancelled
 * is a harmless no-op (its slot's generation has moved on).
 *
 * <pre>
 *   heap index i:  times[i]  heapSlot[i] ──► slot s
 *   slot s:        seqOf[s]  eventOf[s]  pos[s] = i  gen[s]      id = gen[s] &lt;&lt; SLOT_BITS | s
 * </pre>
 *
 * <p>Not thread-safe: one thread drives a scheduler (the simulation loop, or {@link RealtimeRunner}
 * whose {@code post} is how other threads inject work). The engine never reads a wall clock: only
 * the scheduler owns time, and only {@link RealtimeRunner} maps it onto the wall clock.
 */
public final class Scheduler {
    /** An id that {@link #schedule} never returns; cancelling it does nothing. */
    public static final long NO_EVENT = 0;

    private static final int SLOT_BITS = 28;
    private static final int SLOT_MASK = (1 << SLOT_BITS) - 1;
    private static final long MAX_GEN = (1L << (63 - SLOT_BITS)) - 1;
    private static final int MAX_CAPACITY = 1 << SLOT_BITS;

    private long now;
    private long nextSeq;
    private long dispatched;
    private boolean dispatching;
    /**
     * True while the event at the heap root is firing: its entry has been dispatched but is left in
     * place (it is the minimum, so nothing sifts past it), and the first event it schedules takes its
     * place with one sift-down instead of a pop and a push.
     */
    private boolean rootVacant;

    // the heap: parallel arrays indexed by heap position; only what sifting needs
    private long[] times;
    private int[] heapSlot;
    private int size;

    // handle slots, indexed by slot number: everything else about a pending event
    private long[] seqOf;
    private Event[] eventOf;
    private int[] pos;
    private long[] gen;
    /** Free slots, a FIFO ring so that a slot is reused as late as possible. */
    private int[] free;
    private int freeHead;
    private int freeCount;

    /** An empty scheduler at virtual time 0. */
    public Scheduler() {
        this(1024);
    }

    /** An empty scheduler at virtual time 0 with room for {@code initialCapacity} pending events. */
    public Scheduler(int initialCapacity) {
        int cap = Integer.highestOneBit(Math.max(16, Math.min(initialCapacity, MAX_CAPACITY) - 1)) << 1;
        cap = Math.min(cap, MAX_CAPACITY);
        times = new long[cap];
        heapSlot = new int[cap];
        seqOf = new long[cap];
        eventOf = new Event[cap];
        pos = new int[cap];
        gen = new long[cap];
        Arrays.fill(gen, 1);
        free = new int[cap];
        for (int i = 0; i < cap; i++) {
            free[i] = i;
            pos[i] = -1;
        }
        freeCount = cap;
    }

    /** Current virtual time in nanoseconds. */
    public long now() {
        return now;
    }

    /** Events dispatched so far (cancelled events are not counted). */
    public long dispatchedCount() {
        return dispatched;
    }

    /** Events waiting to run. */
    public int pending() {
        return rootVacant ? size - 1 : size;
    }

    /** True while an event's {@link Event#fire} is running on this scheduler. */
    public boolean isDispatching() {
        return dispatching;
    }

    /**
     * Schedules {@code e} at absolute virtual time {@code at}, which must not be before {@link #now()}.
     * Events at the same time run in the order they were scheduled.
     *
     * @return an id for {@link #cancel(long)}; never {@link #NO_EVENT}
     * @throws IllegalArgumentException if {@code at} is in the past or {@code e} is null
     */
    public long schedule(long at, Event e) {
        if (at < now) {
            throw new IllegalArgumentException("cannot schedule in the past: " + at + " < now " + now);
        }
        if (e == null) {
            throw new IllegalArgumentException("event is null");
        }
        if (freeCount == 0) {
            grow();
        }
        int slot = free[freeHead];
        freeHead = (freeHead + 1) & (free.length - 1);
        freeCount--;
        seqOf[slot] = nextSeq++;
        eventOf[slot] = e;
        if (rootVacant) {
            rootVacant = false;
            siftDown(0, at, slot);
        } else {
            siftUp(size++, at, slot);
        }
        return (gen[slot] << SLOT_BITS) | slot;
    }

    /**
     * Schedules {@code e} {@code delay} nanoseconds from now.
     *
     * @throws IllegalArgumentException if {@code delay} is negative or the time overflows
     */
    public long scheduleIn(long delay, Event e) {
        if (delay < 0) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        if (delay > Long.MAX_VALUE - now) {
            throw new IllegalArgumentException("delay " + delay + " overflows virtual time at " + now);
        }
        return schedule(now + delay, e);
    }

    /**
     * Cancels the event with the id {@link #schedule} returned and removes it from the queue.
     * Cancelling {@link #NO_EVENT}, an event that already ran, or one already cancelled does nothing.
     *
     * @return true if a pending event was cancelled
     */
    public boolean cancel(long id) {
        int slot = liveSlot(id);
        if (slot < 0) {
            return false;
        }
        int i = pos[slot];
        freeSlot(slot);
        deleteEntry(i);
        return true;
    }

    /** True if the event with this id is still waiting to run. */
    public boolean isPending(long id) {
        return liveSlot(id) >= 0;
    }

    /** Virtual time of the event with this id, or -1 if it is not pending. */
    public long timeOf(long id) {
        int slot = liveSlot(id);
        return slot < 0 ? -1 : times[pos[slot]];
    }

    /** Time of the next event, or {@link Long#MAX_VALUE} when the queue is empty. */
    public long nextEventTime() {
        if (!rootVacant) {
            return size == 0 ? Long.MAX_VALUE : times[0];
        }
        // while the root's event fires, the next one is a child of the root
        long min = Long.MAX_VALUE;
        for (int k = 1, end = Math.min(5, size); k < end; k++) {
            min = Math.min(min, times[k]);
        }
        return min;
    }

    /**
     * Runs the next event, advancing the clock to its time.
     *
     * @return false when the queue was empty
     * @throws IllegalStateException if called from inside an event
     */
    public boolean step() {
        if (size == 0) {
            return false;
        }
        if (dispatching) {
            throw new IllegalStateException("step() called from inside an event");
        }
        long t = times[0];
        int slot = heapSlot[0];
        Event e = eventOf[slot];
        freeSlot(slot);
        rootVacant = true;
        now = t;
        dispatched++;
        dispatching = true;
        try {
            e.fire(t);
        } finally {
            dispatching = false;
            if (rootVacant) {
                rootVacant = false;
                deleteEntry(0);
            }
        }
        return true;
    }

    /**
     * Runs every event with time at or before {@code until} (including events those events schedule
     * within the bound), then sets the clock to {@code until}.
     *
     * @throws IllegalArgumentException if {@code until} is before now
     */
    public void runUntil(long until) {
        if (until < now) {
            throw new IllegalArgumentException("runUntil(" + until + ") is before now " + now);
        }
        while (size > 0 && times[0] <= until) {
            step();
        }
        now = until;
    }

    /** Runs for {@code duration} nanoseconds of virtual time (see {@link #runUntil}). */
    public void runFor(long duration) {
        if (duration < 0 || duration > Long.MAX_VALUE - now) {
            throw new IllegalArgumentException("bad duration " + duration);
        }
        runUntil(now + duration);
    }

    /** Runs until no event is left; the clock stays at the time of the last event run. */
    public void runToQuiescence() {
        while (step()) {
            // keep going
        }
    }

    /**
     * Runs events up to and including time {@code limit}, stopping early when none is left; the
     * clock stays at the last event run. Periodic timers never drain, so callers bound the run.
     *
     * @return true if the queue drained, false if events after {@code limit} remain
     */
    public boolean runToQuiescence(long limit) {
        while (size > 0 && times[0] <= limit) {
            step();
        }
        return size == 0;
    }

    /**
     * Advances the clock without running events: only forward, and never past a pending event.
     *
     * @throws IllegalArgumentException if {@code t} is before now
     * @throws IllegalStateException if an event is pending before {@code t}
     */
    public void advanceTo(long t) {
        if (t < now) {
            throw new IllegalArgumentException("time goes forward only: " + t + " < now " + now);
        }
        if (nextEventTime() < t) {
            throw new IllegalStateException("an event is pending at " + nextEventTime() + " before " + t);
        }
        now = t;
    }

    // ---------------------------------------------------------------- internals

    /** The slot of a pending event with this id, or -1. */
    private int liveSlot(long id) {
        if (id <= 0) {
            return -1;
        }
        int slot = (int) (id & SLOT_MASK);
        if (slot >= pos.length || pos[slot] < 0 || gen[slot] != (id >>> SLOT_BITS)) {
            return -1;
        }
        return slot;
    }

    /** Retires a slot: its id stops being pending and the slot goes to the back of the free ring. */
    private void freeSlot(int slot) {
        pos[slot] = -1;
        eventOf[slot] = null;
        long g = gen[slot] + 1;
        gen[slot] = g > MAX_GEN ? 1 : g;
        free[(freeHead + freeCount) & (free.length - 1)] = slot;
        freeCount++;
    }

    /** Removes the entry at heap index {@code i} (its slot already freed) and restores the heap. */
    private void deleteEntry(int i) {
        int last = --size;
        long lt = times[last];
        int lh = heapSlot[last];
        if (i == last) {
            return;
        }
        // the moved entry goes up or down from i
        if (i > 0) {
            int parent = (i - 1) >>> 2;
            long pt = times[parent];
            if (lt < pt || (lt == pt && seqOf[lh] < seqOf[heapSlot[parent]])) {
                siftUp(i, lt, lh);
                return;
            }
        }
        siftDown(i, lt, lh);
    }

    private void siftUp(int i, long t, int h) {
        long[] times = this.times;
        int[] heapSlot = this.heapSlot;
        int[] pos = this.pos;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            long pt = times[parent];
            int ph = heapSlot[parent];
            if (pt < t || (pt == t && seqOf[ph] < seqOf[h])) {
                break;
            }
            times[i] = pt;
            heapSlot[i] = ph;
            pos[ph] = i;
            i = parent;
        }
        times[i] = t;
        heapSlot[i] = h;
        pos[h] = i;
    }

    private void siftDown(int i, long t, int h) {
        long[] times = this.times;
        int[] heapSlot = this.heapSlot;
        int[] pos = this.pos;
        int n = size;
        while (true) {
            int first = 4 * i + 1;
            if (first >= n) {
                break;
            }
            int child = first;
            long ct = times[first];
            int end = Math.min(first + 4, n);
            for (int k = first + 1; k < end; k++) {
                long kt = times[k];
                if (kt != ct) {
                    // branch-free choice of the smallest child: which one it is cannot be predicted
                    child = kt < ct ? k : child;
                    ct = Math.min(kt, ct);
                } else if (seqOf[heapSlot[k]] < seqOf[heapSlot[child]]) {
                    child = k;
                }
            }
            int ch = heapSlot[child];
            if (t < ct || (t == ct && seqOf[h] < seqOf[ch])) {
                break;
            }
            times[i] = ct;
            heapSlot[i] = ch;
            pos[ch] = i;
            i = child;
        }
        times[i] = t;
        heapSlot[i] = h;
        pos[h] = i;
    }

    private void grow() {
        int old = times.length;
        if (old >= MAX_CAPACITY) {
            throw new IllegalStateException("more than " + MAX_CAPACITY + " pending events");
        }
        int n = old * 2;
        times = Arrays.copyOf(times, n);
        heapSlot = Arrays.copyOf(heapSlot, n);
        seqOf = Arrays.copyOf(seqOf, n);
        eventOf = Arrays.copyOf(eventOf, n);
        pos = Arrays.copyOf(pos, n);
        gen = Arrays.copyOf(gen, n);
        // the ring is empty when we grow: lay the new slots out from index 0
        free = new int[n];
        for (int i = 0; i < old; i++) {
            free[i] = old + i;
            pos[old + i] = -1;
            gen[old + i] = 1;
        }
        freeHead = 0;
        freeCount = old;
    }
}
