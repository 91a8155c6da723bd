package dev.simnet.tap;

import dev.simnet.device.AbstractDevice;
import dev.simnet.link.Netem;
import dev.simnet.link.NetemQdisc;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.packet.PacketPool;
import dev.simnet.sched.RealtimeRunner;
import dev.simnet.sched.Scheduler;
import dev.simnet.tap.ffi.Tun;
import dev.simnet.tap.ffi.TunLib;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import jnr.ffi.Pointer;

/**
 * The engine's end of a {@link TapDevice}: a simulated device that stands where the host-side veth
 * end would be (enslaved to a bridge, or the Docker host's uplink). A frame the engine transmits
 * here is written to the TAP, so the real namespace's {@code eth0} receives it; a frame the real
 * kernel sends on {@code eth0} is read (by the engine loop, or by this port's reader thread) and enters
 * the engine through {@link #netifRx} as if it had crossed the veth.
 *
 * <p>Two ways to read the TAP ({@link TapNetwork.Options#loopIo}):
 * <pre>
 *  loop-polled (default):  real ns: eth0 (TAP) ══ fd ══ engine loop: ppoll ─► read(2) ─► pool buffer, netifRx ─► bridge ─► write(2)
 *  reader thread:          real ns: eth0 (TAP) ══ fd ══ reader thread ─► SPSC ring (native slots) ─► post ─► loop: netifRx ─► …
 * </pre>
 *
 * <p>Loop-polled, the engine loop's {@link TapPoller} reads up to a batch of frames when the fd is
 * readable, into one native buffer, and hands each to the engine at once: read, switched or routed, and
 * written to the peer TAP on one thread. With a reader thread, the reader drains the fd until
 * {@code EAGAIN}, then {@code poll}s; frames land in pre-allocated native slots; one drain task per batch
 * is posted to the {@link RealtimeRunner} (two thread hand-offs per frame: kernel → reader → loop); when
 * the ring is full the reader stops reading, so the kernel's TAP queue applies back-pressure (and
 * drops, as a full qdisc would). Either way nothing is allocated per frame: buffers come from the
 * engine's {@link PacketPool}, the read and write buffers are reused. Frames are written to the TAP on
 * the loop thread.
 *
 * <p>The whole link between the container and the bridge is this datapath, so both of its
 * directions can be impaired here: frames the engine sends to the container through the device's
 * egress qdisc ({@code Simulation.setImpairment} on this port), frames the container sends through
 * {@link #setIngressImpairment} — the simulator's {@link NetemQdisc} standing for the container
 * interface's own {@code tc qdisc … netem}, between the TAP and the bridge. Without one, frames go
 * straight to {@link #netifRx}.
 */
public final class TapPort extends AbstractDevice {
    /** Ring slots without offloads (power of two). */
    public static final int SLOTS = 512;
    /** Bytes per slot without offloads: an Ethernet frame of MTU 1500 with room to spare. */
    public static final int SLOT_SIZE = 2048;
    /** Ring slots with offloads: each holds a 64 KiB super-frame. */
    public static final int VNET_SLOTS = 128;
    /** Bytes per slot with offloads: virtio_net_hdr + a 64 KiB frame. */
    public static final int VNET_SLOT_SIZE = 65536 + 32;
    private static final int POLL_MS = 100;
    /**
     * Non-blocking reads retried after the last frame before sleeping in {@code poll}
     * ({@code -Dsimnet.tap.spinReads=N}). Off by default: on this shared 2-core machine 64 spins made no
     * difference to TCP_RR beyond the noise (5.8k–14k trans/s either way) and cost CPU.
     */
    private static final int SPIN_READS = Integer.getInteger("simnet.tap.spinReads", 0);
    /** Frames handed to the engine per drain task (the backlog holds 1000; a super-frame may add 45 segments). */
    private static final int BATCH = 256;

    private final TapDevice tap;
    private final PacketPool pool;
    private final TunLib lib = Tun.lib();
    private final boolean vnet;
    private final int slots;
    private final int slotSize;
    /** Ring mode: the native slots, allocated by {@link #start}. */
    private Pointer ring;
    private long ringAddr;
    private int[] lengths;
    private final PacketBuffer[] segments = new PacketBuffer[128];
    private long offloadPassed;
    private long offloadCompleted;
    private long offloadDropped;
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicBoolean drainPosted = new AtomicBoolean();
    private final Pointer wbuf = Tun.allocate(65536 + 64);
    /** Loop-polled mode: the frame being read (lazily allocated; ring mode does not use it). */
    private Pointer rbuf;
    private long rAddr;
    private final long wAddr = wbuf.address();
    private final Pointer pollfd = Tun.allocate(8);
    private RealtimeRunner runner;
    private boolean passThrough = true;
    private Thread reader;
    private volatile boolean stopping;
    private final Runnable drainTask = this::drain;
    private volatile long writeErrors;
    private volatile long oversized;
    /** The container's end of the link as the ingress netem sees it (created on first impairment). */
    private Wire wire;
    /** Routed offload: the Docker host's own addresses; null: routed super-frames are segmented first. */
    private IntPredicate hostLocal;
    /** Netem on frames from the container (loop thread only); null: none. */
    private NetemQdisc ingress;

    /** A port named {@code name} (the plan's host-side veth name) over {@code tap}. */
    public TapPort(String name, long mac, int mtu, TapDevice tap, PacketPool pool) {
        super(name, Kind.VETH, mac, mtu);
        this.tap = tap;
        this.pool = pool;
        this.vnet = tap.vnetHdr();
        this.slots = vnet ? VNET_SLOTS : SLOTS;
        this.slotSize = vnet ? VNET_SLOT_SIZE : SLOT_SIZE;
        pollfd.putInt(0, tap.fd());
        pollfd.putShort(4, Tun.POLLIN);
    }

    /** The TAP behind this port. */
    public TapDevice tap() {
        return tap;
    }

    /** Frames the kernel refused on write. */
    public long writeErrors() {
        return writeErrors;
    }

    /**
     * Whether offloaded frames that the bridge only switches may keep their offload (default). Off
     * when the bridge runs bridged frames through netfilter ({@code br_netfilter}), which must see
     * finished packets.
     */
    public void setOffloadPassThrough(boolean on) {
        this.passThrough = on;
    }

    /** Super-frames (or partial checksums) passed on to another TAP untouched, completed in software, dropped. */
    public long[] offloadCounters() {
        return new long[] {offloadPassed, offloadCompleted, offloadDropped};
    }

    /**
     * {@code tc qdisc replace dev eth0 root netem …} on the container's side of the link, applied to the
     * frames read from the TAP before they enter the engine, drawing its randomness from {@code rnd}
     * (used only when no ingress netem is installed yet; a change keeps the stream). Null removes it;
     * frames it holds still leave at their times, as in {@code Simulation.setImpairment}. Loop thread only.
     */
    public NetemQdisc setIngressImpairment(Netem netem, Scheduler scheduler, SplittableRandom rnd) {
        if (netem == null) {
            ingress = null;
            return null;
        }
        if (ingress != null) {
            ingress.change(netem);
            return ingress;
        }
        if (wire == null) {
            wire = new Wire(name() + "@peer", mtu());
        }
        ingress = new NetemQdisc(wire, scheduler, pool, rnd, netem);
        return ingress;
    }

    /** The netem on frames from the container, or null (loop thread only). */
    public NetemQdisc ingressImpairment() {
        return ingress;
    }

    /**
     * The far end of the link in netem's eyes: what leaves its queue is received by this port, as if it
     * had crossed the veth after the container's qdisc. Not part of any namespace.
     */
    private final class Wire extends AbstractDevice {
        Wire(String name, int mtu) {
            super(name, Kind.OTHER, 0, mtu);
            setUp(true);
        }

        @Override
        protected void xmit(PacketBuffer frame, long now) {
            TapPort.this.netifRx(frame, now);
        }
    }

    private void rx(PacketBuffer b, long now) {
        NetemQdisc q = ingress;
        if (q == null) {
            netifRx(b, now);
        } else {
            q.enqueue(b, now);
        }
    }

    /** Starts the reader thread, handing frames to {@code runner}'s loop. */
    public synchronized void start(RealtimeRunner r) {
        if (reader != null) {
            throw new IllegalStateException(name() + " already started");
        }
        if (rbuf != null) {
            throw new IllegalStateException(name() + " is polled by the engine loop");
        }
        this.runner = r;
        this.ring = Tun.allocate(slots * slotSize);
        this.ringAddr = ring.address();
        this.lengths = new int[slots];
        reader = new Thread(this::readLoop, "tap-" + namespaceName() + "-" + name());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Loop-polled mode: no reader thread; the engine loop's {@link TapPoller} calls {@link #readFrames}
     * when the fd is readable. Called once, instead of {@link #start}.
     */
    synchronized void attachToLoop() {
        if (reader != null || rbuf != null) {
            throw new IllegalStateException(name() + " already started");
        }
        rbuf = Tun.allocate(slotSize);
        rAddr = rbuf.address();
    }

    @Override
    public boolean hasCarrier() {
        return isUp() && !tap.isClosed();
    }

    @Override
    protected void xmit(PacketBuffer frame, long now) {
        if (tap.isClosed()) {
            counters().txDropped++;
            frame.release();
            return;
        }
        if (!vnet && (frame.gsoSize != 0 || frame.offload != 0)) {
            int n = Offload.complete(frame, pool, segments);
            for (int i = 0; i < n; i++) {
                PacketBuffer g = segments[i];
                segments[i] = null;
                writeOne(g);
            }
            return;
        }
        writeOne(frame);
    }

    private void writeOne(PacketBuffer frame) {
        int len = frame.length();
        int hdr = vnet ? Offload.VNET_HDR_LEN : 0;
        if (len + hdr > 65536 + 32) {
            counters().txDropped++;
            frame.release();
            return;
        }
        if (vnet) {
            long o = frame.offload;
            wbuf.putByte(0, (byte) Offload.flags(o));
            wbuf.putByte(1, (byte) (frame.gsoSize == 0 ? Offload.GSO_NONE : Offload.gsoType(o)));
            wbuf.putShort(2, (short) Offload.hdrLen(o));
            wbuf.putShort(4, (short) frame.gsoSize);
            wbuf.putShort(6, (short) Offload.csumStart(o));
            wbuf.putShort(8, (short) Offload.csumOffset(o));
        }
        wbuf.put(hdr, frame.data(), frame.start(), len);
        frame.release();
        long n = lib.write(tap.fd(), wAddr, len + hdr);
        if (n != len + hdr) {
            writeErrors++;
            counters().txDropped++;
        }
    }

    private void readLoop() {
        long p = produced.get();
        int spin = 0;
        while (!stopping) {
            if (p - consumed.get() >= slots) {
                signal();
                java.util.concurrent.locks.LockSupport.parkNanos(50_000);
                continue;
            }
            int slot = (int) (p & (slots - 1));
            long n = lib.read(tap.fd(), ringAddr + (long) slot * slotSize, slotSize);
            if (n > 0) {
                if (n > slotSize - 4 || (vnet && n <= Offload.VNET_HDR_LEN)) {
                    oversized++;
                    continue;
                }
                lengths[slot] = (int) n;
                spin = SPIN_READS;
                produced.set(++p);
                if (!drainPosted.get()) {
                    signal();
                }
                continue;
            }
            signal();
            int err = n < 0 ? Tun.errno() : 0;
            if (n < 0 && err != Tun.EAGAIN && err != Tun.EINTR) {
                if (!stopping && !tap.isClosed()) {
                    System.err.println("simnet tap: read on " + name() + " failed: " + Tun.describe(err));
                }
                return;
            }
            if (spin > 0) {
                spin--;
                Thread.onSpinWait();
                continue;
            }
            lib.poll(pollfd.address(), 1, POLL_MS);
        }
    }

    private void signal() {
        if (produced.get() != consumed.get() && drainPosted.compareAndSet(false, true)) {
            runner.post(drainTask);
        }
    }

    /** On the loop thread: every frame in the ring enters the engine. */
    private void drain() {
        drainPosted.set(false);
        long now = runner.scheduler().now();
        long c = consumed.get();
        long p = produced.get();
        int budget = BATCH;
        while (c < p && budget > 0) {
            int slot = (int) (c & (slots - 1));
            // copied out of the slot before the reader may reuse it
            budget -= ingest(ring, (long) slot * slotSize, lengths[slot], now, true, c + 1);
            c = consumed.get();
        }
        signal();
    }

    /**
     * Loop-polled mode ({@link TapPoller}): on the loop thread, reads up to {@code budget} frames (a
     * super-frame counts its segments) straight from the TAP into the engine at {@code now}, until the
     * fd would block. Returns the frames read, or -1 when the fd failed (the port then leaves the poll set).
     */
    int readFrames(long now, int budget) {
        int frames = 0;
        while (budget > 0) {
            long n = lib.read(tap.fd(), rAddr, slotSize);
            if (n > 0) {
                if (n > slotSize - 4 || (vnet && n <= Offload.VNET_HDR_LEN)) {
                    oversized++;
                    budget--; // a flood of malformed frames must not keep the loop here
                    continue;
                }
                frames++;
                budget -= ingest(rbuf, 0, (int) n, now, false, 0);
                continue;
            }
            int err = n < 0 ? Tun.errno() : 0;
            if (n < 0 && err != Tun.EAGAIN && err != Tun.EINTR) {
                if (!stopping && !tap.isClosed()) {
                    System.err.println("simnet tap: read on " + name() + " failed: " + Tun.describe(err));
                }
                return -1;
            }
            break;
        }
        return frames;
    }

    /**
     * One frame of {@code total} bytes (with its virtio header when offloads are on) at {@code base} in
     * {@code mem} enters the engine; with {@code ring}, {@code consumed} advances to {@code next} once the
     * bytes are copied out. Returns the frames it became (a super-frame segmented in software counts each).
     */
    private int ingest(Pointer mem, long base, int total, long now, boolean fromRing, long next) {
        int hdr = vnet ? Offload.VNET_HDR_LEN : 0;
        int len = total - hdr;
        PacketBuffer b = pool.acquire();
        b.setLength(len);
        mem.get(base + hdr, b.data(), b.start(), len);
        long offload = 0;
        int gso = 0;
        if (vnet) {
            int flags = mem.getByte(base) & 0xff;
            int type = mem.getByte(base + 1) & 0xff;
            if (flags != 0 || type != Offload.GSO_NONE) {
                gso = type == Offload.GSO_NONE ? 0 : mem.getShort(base + 4) & 0xffff;
                offload = Offload.pack(flags, type, mem.getShort(base + 2) & 0xffff, mem.getShort(base + 6) & 0xffff,
                        mem.getShort(base + 8) & 0xffff);
            }
        }
        if (fromRing) {
            consumed.set(next);
        }
        if (offload == 0) {
            rx(b, now);
            return 1;
        }
        b.offload = offload;
        b.gsoSize = gso;
        if (switchedToAnotherPort(b) || routedWhole(b)) {
            offloadPassed++;
            rx(b, now);
            return 1;
        }
        int n = Offload.complete(b, pool, segments);
        if (n == 0) {
            offloadDropped++;
            counters().rxDropped++;
        } else {
            offloadCompleted++;
        }
        for (int i = 0; i < n; i++) {
            PacketBuffer g = segments[i];
            segments[i] = null;
            rx(g, now);
        }
        return Math.max(n, 1);
    }

    /**
     * True when the bridge will only switch this frame to another port (unicast to a MAC that is not
     * the bridge's own), so its offload can travel with it; anything routed, NATed or delivered to the
     * Docker host is completed in software first.
     */
    private boolean switchedToAnotherPort(PacketBuffer b) {
        AbstractDevice br = master();
        if (br == null || !passThrough) {
            return false;
        }
        byte[] d = b.data();
        int s = b.start();
        if ((d[s] & 1) != 0) {
            return false;
        }
        long dst = ((long) (d[s] & 0xff) << 40) | ((long) (d[s + 1] & 0xff) << 32) | ((long) (d[s + 2] & 0xff) << 24)
                | ((long) (d[s + 3] & 0xff) << 16) | ((long) (d[s + 4] & 0xff) << 8) | (d[s + 5] & 0xff);
        return dst != br.mac();
    }

    /**
     * Lets TCP super-frames that the Docker host will route (addressed to its bridge's or its own MAC,
     * to an IPv4 address that is not local to it) enter the engine whole: routing forwards them as
     * {@code ip_forward} does a GSO skb, NAT adjusts their partial checksum, and the egress TAP takes them
     * whole (or segments them, without offloads). {@code hostLocal} tells the host's own addresses, whose
     * traffic is always completed first (the simulated host stack takes finished packets). Null: off.
     * Loop thread, or before the port starts.
     */
    void setRoutedOffload(IntPredicate hostLocal) {
        this.hostLocal = hostLocal;
    }

    private boolean routedWhole(PacketBuffer b) {
        IntPredicate local = hostLocal;
        if (local == null || !passThrough || b.gsoSize == 0
                || (Offload.gsoType(b.offload) & ~Offload.GSO_ECN) != Offload.GSO_TCPV4 || b.length() < 14 + 20 + 20) {
            return false;
        }
        AbstractDevice br = master();
        byte[] d = b.data();
        int s = b.start();
        long dst = ((long) (d[s] & 0xff) << 40) | ((long) (d[s + 1] & 0xff) << 32) | ((long) (d[s + 2] & 0xff) << 24)
                | ((long) (d[s + 3] & 0xff) << 16) | ((long) (d[s + 4] & 0xff) << 8) | (d[s + 5] & 0xff);
        if (dst != (br != null ? br.mac() : mac()) || d[s + 12] != 0x08 || d[s + 13] != 0x00) {
            return false;
        }
        int ip = s + 14;
        if ((d[ip] & 0xf0) != 0x40 || d[ip + 9] != 6) {
            return false;
        }
        int dstIp = ((d[ip + 16] & 0xff) << 24) | ((d[ip + 17] & 0xff) << 16) | ((d[ip + 18] & 0xff) << 8) | (d[ip + 19] & 0xff);
        int top = dstIp >>> 24;
        return top != 127 && top < 224 && !local.test(dstIp);
    }

    /** Stops the reader (waits for it) and closes the TAP, which removes the interface. */
    public void stop() {
        stopping = true;
        Thread t;
        synchronized (this) {
            t = reader;
        }
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        tap.close();
    }
}
