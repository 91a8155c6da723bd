package dev.simnet.tap;

import dev.simnet.device.AbstractDevice;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.packet.PacketPool;
import dev.simnet.sched.RealtimeRunner;
import dev.simnet.tap.ffi.Tun;
import dev.simnet.tap.ffi.TunLib;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import jnr.ffi.Pointer;

/**
 * The engine's end of a {@link TapDevice}: a simulated device that stands where the host-side veth
 * end would be (enslaved to a bridge, or the Docker host's uplink). A frame the engine transmits
 * here is written to the TAP, so the real namespace's {@code eth0} receives it; a frame the real
 * kernel sends on {@code eth0} is read by this port's reader thread and enters the engine through
 * {@link #netifRx} as if it had crossed the veth.
 *
 * <pre>
 *  real ns: eth0 (TAP) ══ fd ══ reader thread ─► SPSC ring (native slots) ─► loop: pool buffer, netifRx ─► bridge
 *                          ◄═══════════════════ write(2) on the loop thread ◄── xmit ◄── bridge / routing
 * </pre>
 *
 * The reader drains the fd until {@code EAGAIN}, then {@code poll}s; frames land in pre-allocated
 * native slots; one drain task per batch is posted to the {@link RealtimeRunner}. Nothing is
 * allocated per frame: buffers come from the engine's {@link PacketPool}, the write buffer is reused.
 * When the ring is full the reader stops reading, so the kernel's TAP queue applies back-pressure
 * (and drops, as a full qdisc would).
 */
public final class TapPort extends AbstractDevice {
    /** Ring slots (power of two). */
    public static final int SLOTS = 512;
    /** Bytes per slot: an Ethernet frame of MTU 1500 with room to spare. */
    public static final int SLOT_SIZE = 2048;
    private static final int POLL_MS = 100;
    /** Frames handed to the engine per drain task (the backlog holds 1000). */
    private static final int BATCH = 64;

    private final TapDevice tap;
    private final PacketPool pool;
    private final TunLib lib = Tun.lib();
    private final Pointer ring = Tun.allocate(SLOTS * SLOT_SIZE);
    private final long ringAddr = ring.address();
    private final int[] lengths = new int[SLOTS];
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicBoolean drainPosted = new AtomicBoolean();
    private final Pointer wbuf = Tun.allocate(65536 + 64);
    private final long wAddr = wbuf.address();
    private final Pointer pollfd = Tun.allocate(8);
    private RealtimeRunner runner;
    private Thread reader;
    private volatile boolean stopping;
    private final Runnable drainTask = this::drain;
    private volatile long writeErrors;
    private volatile long oversized;

    /** A port named {@code name} (the plan's host-side veth name) over {@code tap}. */
    public TapPort(String name, long mac, int mtu, TapDevice tap, PacketPool pool) {
        super(name, Kind.VETH, mac, mtu);
        this.tap = tap;
        this.pool = pool;
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

    /** Starts the reader thread, handing frames to {@code runner}'s loop. */
    public synchronized void start(RealtimeRunner r) {
        if (reader != null) {
            throw new IllegalStateException(name() + " already started");
        }
        this.runner = r;
        reader = new Thread(this::readLoop, "tap-" + namespaceName() + "-" + name());
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public boolean hasCarrier() {
        return isUp() && !tap.isClosed();
    }

    @Override
    protected void xmit(PacketBuffer frame, long now) {
        int len = frame.length();
        if (len > 65536 || tap.isClosed()) {
            counters().txDropped++;
            frame.release();
            return;
        }
        wbuf.put(0, frame.data(), frame.start(), len);
        frame.release();
        long n = lib.write(tap.fd(), wAddr, len);
        if (n != len) {
            writeErrors++;
            counters().txDropped++;
        }
    }

    private void readLoop() {
        long p = produced.get();
        while (!stopping) {
            if (p - consumed.get() >= SLOTS) {
                signal();
                java.util.concurrent.locks.LockSupport.parkNanos(50_000);
                continue;
            }
            int slot = (int) (p & (SLOTS - 1));
            long n = lib.read(tap.fd(), ringAddr + (long) slot * SLOT_SIZE, SLOT_SIZE);
            if (n > 0) {
                if (n > SLOT_SIZE - 4) {
                    oversized++;
                    continue;
                }
                lengths[slot] = (int) n;
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
        while (c < p && budget-- > 0) {
            int slot = (int) (c & (SLOTS - 1));
            int len = lengths[slot];
            PacketBuffer b = pool.acquire();
            b.setLength(len);
            ring.get((long) slot * SLOT_SIZE, b.data(), b.start(), len);
            consumed.set(++c);
            netifRx(b, now);
        }
        signal();
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
