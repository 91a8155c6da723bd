package dev.simnet.device;

import dev.simnet.packet.PacketBuffer;
import dev.simnet.sched.Event;
import dev.simnet.sched.Scheduler;

/**
 * The per-CPU receive backlog ({@code netif_rx} / {@code process_backlog}): a veth or loopback
 * transmit queues the frame here, and one pre-allocated event drains the queue in FIFO order at the
 * same virtual time, so a frame's receive processing runs after the sender's transmit returns — as in
 * Linux — without recursion and without allocating per frame. Bounded like
 * {@code netdev_max_backlog} (1000); overflow is counted as {@code rx_dropped} on the device.
 */
public final class Backlog implements Event {
    /** Linux's default {@code net.core.netdev_max_backlog}. */
    public static final int DEFAULT_MAX = 1000;

    private final Scheduler scheduler;
    private final int max;
    private PacketBuffer[] frames = new PacketBuffer[64];
    private AbstractDevice[] devs = new AbstractDevice[64];
    private int head;
    private int size;
    private boolean scheduled;

    /** A backlog drained by events on {@code scheduler}. */
    public Backlog(Scheduler scheduler) {
        this(scheduler, DEFAULT_MAX);
    }

    /** A backlog with a custom bound. */
    public Backlog(Scheduler scheduler, int max) {
        this.scheduler = scheduler;
        this.max = max;
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
        frames[i] = frame;
        devs[i] = dev;
        size++;
        if (!scheduled && scheduler != null) {
            scheduled = true;
            scheduler.schedule(now, this);
        }
        return true;
    }

    /** Frames waiting. */
    public int size() {
        return size;
    }

    /** Processes every queued frame, including those queued while draining. */
    public void drain(long now) {
        while (size > 0) {
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
        drain(now);
    }

    private void grow() {
        int n = frames.length * 2;
        PacketBuffer[] nf = new PacketBuffer[n];
        AbstractDevice[] nd = new AbstractDevice[n];
        for (int k = 0; k < size; k++) {
            int i = (head + k) & (frames.length - 1);
            nf[k] = frames[i];
            nd[k] = devs[i];
        }
        frames = nf;
        devs = nd;
        head = 0;
    }
}
