package dev.simnet.tap;

import dev.simnet.sched.IoPoller;
import dev.simnet.tap.ffi.Tun;
import dev.simnet.tap.ffi.TunLib;
import jnr.ffi.Pointer;

/**
 * The engine loop's own TAP I/O: one {@code ppoll(2)} over every port's TAP fd and an {@code eventfd}
 * that other threads write to wake the loop ({@link dev.simnet.sched.RealtimeRunner#post}). A frame
 * the container's kernel sends is read, switched or routed, and written to the peer TAP by the loop
 * thread alone — no reader thread, no hand-off, no wake-up of another thread.
 *
 * <pre>
 *  loop: run due events ─► run posted tasks ─► poll(): ppoll(fds, 0) → read ready TAPs (≤ BATCH each) ─┐
 *        ▲                                                                                             │
 *        └──── frames came in? run what they scheduled ◄───────────────────────────────────────────────┘
 *        nothing to do: await(): ppoll(fds + eventfd, until the next event) instead of parking
 * </pre>
 *
 * Ports join and leave on the loop thread only ({@link #add}, {@link #remove}); the {@code pollfd}
 * array grows on a join (never per frame). Nothing is allocated per frame or per poll. A port whose fd
 * fails ({@code POLLERR}/{@code POLLNVAL}, a read error) leaves the set.
 */
final class TapPoller implements IoPoller, AutoCloseable {
    /** Frames (segments of a software-segmented super-frame included) read from one TAP per poll. */
    static final int BATCH = 256;
    private static final long MAX_WAIT_NANOS = 3_600_000_000_000L;

    private final TunLib lib = Tun.lib();
    private final int eventFd;
    /** {@code struct pollfd} × capacity: index 0 is the eventfd, then one per port. */
    private Pointer fds;
    private long fdsAddr;
    private TapPort[] ports;
    /** Entries in use, the eventfd included. */
    private int count = 1;
    /** True when the last {@link #await} left revents to handle (no need to ppoll again). */
    private boolean fresh;
    private final Pointer zero = Tun.allocate(16);
    private final Pointer timeout = Tun.allocate(16);
    private final Pointer one = Tun.allocate(8);
    private final Pointer drainBuf = Tun.allocate(8);
    private volatile boolean closed;
    private long polls;
    private long waits;

    TapPoller() {
        int fd = lib.eventfd(0, Tun.EFD_NONBLOCK | Tun.EFD_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("eventfd failed: " + Tun.describe(Tun.errno()));
        }
        eventFd = fd;
        one.putLong(0, 1);
        grow(8);
        fds.putInt(0, eventFd);
        fds.putShort(4, Tun.POLLIN);
    }

    private void grow(int capacity) {
        Pointer n = Tun.allocate(capacity * 8);
        TapPort[] p = new TapPort[capacity];
        if (fds != null) {
            for (int i = 0; i < count; i++) {
                n.putLong(i * 8L, fds.getLong(i * 8L));
            }
            System.arraycopy(ports, 0, p, 0, count);
        }
        fds = n;
        fdsAddr = n.address();
        ports = p;
    }

    /** {@code port} is read by the loop from now on (loop thread, or before the loop starts). */
    void add(TapPort port) {
        port.attachToLoop();
        if (count == ports.length) {
            grow(ports.length * 2);
        }
        ports[count] = port;
        long off = count * 8L;
        fds.putInt(off, port.tap().fd());
        fds.putShort(off + 4, Tun.POLLIN);
        fds.putShort(off + 6, (short) 0);
        count++;
        fresh = false;
    }

    /** {@code port} is no longer read (loop thread); call before its TAP is closed. */
    void remove(TapPort port) {
        for (int i = 1; i < count; i++) {
            if (ports[i] == port) {
                removeAt(i);
                return;
            }
        }
    }

    private void removeAt(int i) {
        int last = count - 1;
        ports[i] = ports[last];
        fds.putLong(i * 8L, fds.getLong(last * 8L));
        ports[last] = null;
        count--;
        fresh = false;
    }

    @Override
    public boolean poll(long now) {
        if (!fresh) {
            polls++;
            if (lib.ppoll(fdsAddr, count, zero.address(), 0) <= 0) {
                return false;
            }
        }
        fresh = false;
        boolean work = false;
        if ((fds.getShort(6) & Tun.POLLIN) != 0) {
            lib.read(eventFd, drainBuf.address(), 8);
            work = true;
        }
        for (int i = 1; i < count; i++) {
            long off = i * 8L;
            int rev = fds.getShort(off + 6);
            if (rev == 0) {
                continue;
            }
            fds.putShort(off + 6, (short) 0);
            TapPort p = ports[i];
            int n = (rev & Tun.POLLIN) != 0 ? p.readFrames(now, BATCH) : 0;
            if (n > 0) {
                work = true;
            } else if (n < 0 || (rev & (Tun.POLLERR | Tun.POLLHUP | Tun.POLLNVAL)) != 0) {
                removeAt(i);
                i--;
            }
        }
        return work;
    }

    @Override
    public void await(long nanos) {
        waits++;
        // at most an hour at a time: the loop looks at the clock again then (no event is ever missed)
        long n = Math.min(nanos, MAX_WAIT_NANOS);
        timeout.putLong(0, n / 1_000_000_000L);
        timeout.putLong(8, n % 1_000_000_000L);
        fresh = lib.ppoll(fdsAddr, count, timeout.address(), 0) > 0;
    }

    @Override
    public void wakeup() {
        if (!closed) {
            lib.write(eventFd, one.address(), 8);
        }
    }

    /** {non-blocking ppoll calls, blocking waits}: how often the loop looked and how often it slept. */
    long[] counters() {
        return new long[] {polls, waits};
    }

    /** Closes the eventfd (after the loop has ended). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            lib.close(eventFd);
        }
    }
}
