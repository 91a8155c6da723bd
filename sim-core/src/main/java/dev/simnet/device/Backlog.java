package dev.simnet.device;

import dev.simnet.packet.PacketBuffer;
import dev.simnet.sched.Event;
import dev.simnet.sched.Scheduler;

/**
 * The per-CPU receive backlog ({@code netif_rx} / {@code process_backlog}): a veth or loopback
 * transmit queues the frame here, and one pre-allocated event drains the queue in FIFO order, so a
 * frame's receive processing runs after the sender's transmit returns — as in Linux — without
 * recursion and without allocating per frame. Bounded like {@code netdev_max_backlog} (1000);
 * overflow is counted as {@code rx_dropped} on the device.
 *
 * <p>Each frame is received {@link #delayNs()} after it was queued: zero by default (the receive
 * runs at the same virtual time), or a small fixed per-crossing delay that stands in for the CPU
 * time a real veth or loopback crossing and the receive path cost (a real container-to-container
 * ping through veth and a bridge takes some tens of microseconds). It is an approximation: fixed,
 * the same for every frame size and every device, so ordering stays FIFO and runs stay deterministic.
 */
public final class Backlog implements Event {
    /** Linux's default {@code net.core.netdev_max_backlog}. */
    public static final int DEFAULT_MAX = 1000;

    private final Scheduler scheduler;
    private final int max;
    private PacketBuffer[] frames = new PacketBuffer[64];
    private AbstractDevice[] devs = new AbstractDevice[64];
    private long[] due = new long[64];
    private int head;
    private int size;
    private boolean scheduled;
    private long scheduledAt;
    private long eventId = Scheduler.NO_EVENT;
    private long delayNs;

    /** A backlog drained by events on {@code scheduler}. */
    public Backlog(Scheduler scheduler) {
        this(scheduler, DEFAULT_MAX);
    }

    /** A backlog with a custom bound. */
    public Backlog(Scheduler scheduler, int max) {
        this.scheduler = scheduler;
        this.max = max;
    }

    /** The fixed delay between queueing a frame and its receive processing (0 by default). */
    public long delayNs() {
        return delayNs;
    }

    /** Sets the per-crossing delay for frames queued from now on; must be zero or positive. */
    public void setDelayNs(long delayNs) {
        if (delayNs < 0) {
            throw new IllegalArgumentException("negative backlog delay " + delayNs);
        }
        this.delayNs = delayNs;
    }

    /** Queues a received frame for {@code dev}; returns false (and the caller drops) when full. */
    public boolean enqueue(AbstractDevice dev, PacketBuffer frame, long now) {
        if (size >= max) {
            return false;
        }
        if (size == frames.length) {
            grow();
        }
        int i = (head + size) & (frames.length - 1);
        long at = now + delayNs;
        if (size > 0) {
            at = Math.max(at, due[(head + size - 1) & (frames.length - 1)]); // FIFO even after a delay change
        }
        frames[i] = frame;
        devs[i] = dev;
        due[i] = at;
        size++;
        ensureScheduled(due[head]);
        return true;
    }

    private void ensureScheduled(long at) {
        if (scheduler == null || (scheduled && scheduledAt <= at)) {
            return;
        }
        if (scheduled) {
            scheduler.cancel(eventId);
        }
        scheduled = true;
        scheduledAt = at;
        eventId = scheduler.schedule(at, this);
    }

    /** Frames waiting. */
    public int size() {
        return size;
    }

    /** Processes every queued frame that is due by {@code now}, including those queued while draining. */
    public void drain(long now) {
        while (size > 0 && due[head] <= now) {
            PacketBuffer f = frames[head];
            AbstractDevice d = devs[head];
            frames[head] = null;
            devs[head] = null;
            head = (head + 1) & (frames.length - 1);
            size--;
            d.receiveNow(f, now);
        }
    }

    @Override
    public void fire(long now) {
        scheduled = false;
        eventId = Scheduler.NO_EVENT;
        drain(now);
        if (size > 0) {
            ensureScheduled(due[head]);
        }
    }

    private void grow() {
        int n = frames.length * 2;
        PacketBuffer[] nf = new PacketBuffer[n];
        AbstractDevice[] nd = new AbstractDevice[n];
        long[] nt = new long[n];
        for (int k = 0; k < size; k++) {
            int i = (head + k) & (frames.length - 1);
            nf[k] = frames[i];
            nd[k] = devs[i];
            nt[k] = due[i];
        }
        frames = nf;
        devs = nd;
        due = nt;
        head = 0;
    }
}
