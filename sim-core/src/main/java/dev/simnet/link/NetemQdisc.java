package dev.simnet.link;

import dev.simnet.device.AbstractDevice;
import dev.simnet.device.Qdisc;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.packet.PacketPool;
import dev.simnet.sched.Event;
import dev.simnet.sched.Scheduler;
import java.util.SplittableRandom;

/**
 * netem as an egress qdisc ({@code net/sched/sch_netem.c}), step for step: duplicate, loss (random or
 * Gilbert-Elliott), corrupt, tail drop at {@code limit}, then either reorder (send now, at the head)
 * or delay by {@code tabledist(latency, jitter)} plus, with a rate, the serialization time counted
 * from the last queued packet's departure. The time-ordered queue ({@code tfifo}) is a sorted ring of
 * primitive times and buffers with one timer event, so a delayed frame costs no allocation.
 * All randomness comes from one seeded stream per interface.
 */
public final class NetemQdisc implements Qdisc, Event {
    private final AbstractDevice dev;
    private final Scheduler scheduler;
    private final PacketPool pool;
    private final SplittableRandom rnd;
    private Netem cfg;
    private dev.simnet.trace.TraceSink trace;

    private long[] times = new long[64];
    private PacketBuffer[] bufs = new PacketBuffer[64];
    private int head;
    private int size;
    private long timerId;
    private long timerAt = Long.MAX_VALUE;

    private boolean geBad;
    private int counter;
    private boolean duplicating;

    /** Losses, tail drops and other statistics as {@code tc -s qdisc} reports them. */
    public long sent;
    /** Frames dropped by the loss model. */
    public long lossDrops;
    /** Frames dropped because the queue was at its limit. */
    public long overlimitDrops;
    /** Frames duplicated. */
    public long duplicated;
    /** Frames corrupted. */
    public long corrupted;
    /** Frames sent out of order. */
    public long reordered;

    /** netem on {@code dev}'s egress, drawing randomness from {@code rnd}. */
    public NetemQdisc(AbstractDevice dev, Scheduler scheduler, PacketPool pool, SplittableRandom rnd, Netem cfg) {
        this.dev = dev;
        this.scheduler = scheduler;
        this.pool = pool;
        this.rnd = rnd;
        this.cfg = cfg;
    }

    /** Installs a trace sink for drops (null for none). */
    public void setTrace(dev.simnet.trace.TraceSink trace) {
        this.trace = trace;
    }

    /** The configuration. */
    public Netem config() {
        return cfg;
    }

    /** Changes parameters ({@code tc qdisc change}); queued frames keep their departure times. */
    public void change(Netem cfg) {
        this.cfg = cfg;
    }

    @Override
    public int backlog() {
        return size;
    }

    private boolean chance(double percent) {
        return percent > 0 && rnd.nextDouble() * 100.0 < percent;
    }

    private boolean lossEvent() {
        Netem c = cfg;
        if (c.gilbertElliott()) {
            // loss_gilb_ell(): transition first, then the loss draw of the state we were in.
            if (!geBad) {
                if (rnd.nextDouble() * 100.0 < c.geP()) {
                    geBad = true;
                }
                return rnd.nextDouble() * 100.0 < c.geOneMinusK();
            }
            if (rnd.nextDouble() * 100.0 < c.geR()) {
                geBad = false;
            }
            return rnd.nextDouble() * 100.0 < c.geOneMinusH();
        }
        return chance(c.lossPercent());
    }

    @Override
    public void enqueue(PacketBuffer frame, long now) {
        Netem c = cfg;
        int count = 1;
        if (!duplicating && chance(c.duplicatePercent())) {
            count++;
        }
        if (lossEvent()) {
            count--;
        }
        if (count == 0) {
            lossDrops++;
            dev.counters().qdiscDrops++;
            if (trace != null) {
                trace.trace(now, dev.namespaceName(), "drop", "netem on " + dev.name() + ": lost");
            }
            frame.release();
            return;
        }
        if (count > 1) {
            PacketBuffer dup = pool.acquire(frame.length());
            dup.copyFrom(frame);
            duplicated++;
            duplicating = true;
            enqueue(dup, now);
            duplicating = false;
        }
        if (chance(c.corruptPercent()) && frame.length() > 0) {
            int i = frame.start() + rnd.nextInt(frame.length());
            frame.data()[i] ^= (byte) (1 << rnd.nextInt(8));
            corrupted++;
        }
        if (size >= c.limit()) {
            overlimitDrops++;
            dev.counters().qdiscDrops++;
            dev.counters().qdiscOverlimits++;
            if (trace != null) {
                trace.trace(now, dev.namespaceName(), "drop", "netem on " + dev.name() + ": queue full (limit " + c.limit() + ")");
            }
            frame.release();
            return;
        }
        if (c.reorderGap() == 0 || counter < c.reorderGap() - 1 || !chance(c.reorderPercent())) {
            long delay = tabledist(c.delayNs(), c.jitterNs(), c.distribution());
            long base = now;
            if (c.rateBitsPerSec() > 0) {
                if (size > 0) {
                    long last = times[(head + size - 1) & (times.length - 1)];
                    delay -= last - now;
                    if (delay < 0) {
                        delay = 0;
                    }
                    base = last;
                }
                delay += packetTimeNs(frame.length() + c.packetOverhead(), c.rateBitsPerSec());
            }
            if (delay < 0) {
                delay = 0;
            }
            counter++;
            long t = base + delay;
            if (t <= now && size == 0) {
                sent++;
                dev.hardXmit(frame, now);
                return;
            }
            insertSorted(t, frame);
        } else {
            counter = 0;
            reordered++;
            insertHead(now, frame);
        }
        armTimer(now);
    }

    /** Serialization time of {@code bytes} at {@code rate} bits per second, in nanoseconds. */
    public static long packetTimeNs(long bytes, long rate) {
        return bytes * 8L * 1_000_000_000L / rate;
    }

    private long tabledist(long mu, long sigma, Netem.Distribution dist) {
        if (sigma == 0) {
            return mu;
        }
        if (dist == Netem.Distribution.UNIFORM) {
            return mu - sigma + (long) (rnd.nextDouble() * 2 * sigma);
        }
        double t;
        switch (dist) {
            case NORMAL -> t = normal();
            case PARETO -> t = pareto();
            default -> t = 0.25 * normal() + 0.75 * pareto();
        }
        // netem's tables hold values in units of sigma/8192 in 16-bit entries: about ±4 sigma.
        t = Math.max(-4.0, Math.min(4.0, t));
        return mu + Math.round(t * sigma);
    }

    private double normal() {
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private double pareto() {
        // iproute2's pareto table: alpha 3, shifted to mean zero (x^(-1/3) - 1.5).
        double u = 1.0 - rnd.nextDouble();
        return Math.pow(u, -1.0 / 3.0) - 1.5;
    }

    private void ensureRoom() {
        if (size == times.length) {
            int n = times.length * 2;
            long[] nt = new long[n];
            PacketBuffer[] nb = new PacketBuffer[n];
            for (int k = 0; k < size; k++) {
                int i = (head + k) & (times.length - 1);
                nt[k] = times[i];
                nb[k] = bufs[i];
            }
            times = nt;
            bufs = nb;
            head = 0;
        }
    }

    private void insertSorted(long t, PacketBuffer frame) {
        ensureRoom();
        int mask = times.length - 1;
        int k = size;
        while (k > 0) {
            int prev = (head + k - 1) & mask;
            if (times[prev] <= t) {
                break;
            }
            int cur = (head + k) & mask;
            times[cur] = times[prev];
            bufs[cur] = bufs[prev];
            k--;
        }
        int at = (head + k) & mask;
        times[at] = t;
        bufs[at] = frame;
        size++;
    }

    private void insertHead(long t, PacketBuffer frame) {
        ensureRoom();
        head = (head - 1) & (times.length - 1);
        times[head] = t;
        bufs[head] = frame;
        size++;
    }

    private void armTimer(long now) {
        if (size == 0) {
            return;
        }
        long t = Math.max(times[head], now);
        if (t < timerAt) {
            if (timerAt != Long.MAX_VALUE) {
                scheduler.cancel(timerId);
            }
            timerAt = t;
            timerId = scheduler.schedule(t, this);
        }
    }

    @Override
    public void fire(long now) {
        timerAt = Long.MAX_VALUE;
        int mask = times.length - 1;
        while (size > 0 && times[head] <= now) {
            PacketBuffer f = bufs[head];
            bufs[head] = null;
            head = (head + 1) & mask;
            size--;
            sent++;
            dev.hardXmit(f, now);
            mask = times.length - 1;
        }
        armTimer(now);
    }
}
