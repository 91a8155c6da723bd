package dev.simnet.linux;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.MacAddress;
import dev.simnet.linux.ffi.Errno;
import dev.simnet.linux.ffi.Native;
import dev.simnet.linux.ffi.NativeException;
import dev.simnet.linux.netlink.Rtnl;
import dev.simnet.linux.netlink.RtnlSocket;
import dev.simnet.wire.ArpRepr;
import dev.simnet.wire.EtherType;
import dev.simnet.wire.EthernetRepr;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Docker 28+'s unsolicited ARPs on the kernel backends: when a container interface comes up, {@link #COUNT}
 * gratuitous ARP requests (sender = target = the endpoint's address, sender MAC = the interface's MAC,
 * broadcast — the frame the simulator's {@code NeighTable.announce} sends) {@link #INTERVAL_MS} ms apart,
 * sent from inside the container's namespace through an {@code AF_PACKET} socket on that interface. Neighbours
 * holding an entry for the address update it (Linux does so even with {@code arp_accept=0}), and bridges
 * learn the MAC, so a container restarted with a new MAC is reachable again at once.
 *
 * <p>Everything runs on one daemon timer thread that enters the namespace ({@code setns}) to open the socket:
 * {@link #announce} never blocks. The first frame goes out as soon as the interface is running and, when the
 * caller names the bridge port at the other end of the veth, that port forwards. The port follows the carrier
 * only once the kernel's linkwatch work has run, while a new veth reads as running at once (its operstate is
 * still UNKNOWN); a frame sent in between is dropped by the bridge. Failures (interface or namespace gone) end
 * that announcement silently and are only counted. {@link #cancel} and {@link #close} stop pending sends; after {@code close} nothing is
 * sent and no fd of the timer is left open.
 */
public final class ArpAnnouncer implements AutoCloseable {
    /** Unsolicited ARPs per interface (Docker's default {@code advertise_addr_nmsgs}). */
    public static final int COUNT = 3;
    /** Interval between them (Docker's default {@code advertise_addr_ms}). */
    public static final long INTERVAL_MS = 1000;

    static final int AF_PACKET = 17;
    static final long SIOCGIFFLAGS = 0x8913L;
    static final long SIOCGIFHWADDR = 0x8927L;
    static final long SIOCGIFINDEX = 0x8933L;
    static final int IFF_UP = 0x1;
    static final int IFF_RUNNING = 0x40;
    private static final int IFREQ_LEN = 40;
    /** How often, and how many times, to look for the carrier (and the forwarding port) before sending anyway. */
    private static final long CARRIER_POLL_MS = 5;
    private static final int CARRIER_POLLS = 400;

    private final ScheduledThreadPoolExecutor timer;
    /** Threads that close packet sockets, each close waiting out a grace period (see {@link #closeLater}). */
    private final java.util.concurrent.ThreadPoolExecutor closer;
    private static final int CLOSER_THREADS = 64;
    private final Map<String, Announcement> pending = new LinkedHashMap<>();
    /** rtnetlink sockets in the namespaces of the bridge ports polled, by namespace path (the timer thread's). */
    private final Map<String, RtnlSocket> portSockets = new java.util.HashMap<>();
    /** Announcements holding an open socket (the timer thread's; closed by {@link #close} once it is gone). */
    private final java.util.Set<Announcement> withSocket = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private boolean closed;

    /** An announcer whose timer thread is named after {@code runId}. */
    public ArpAnnouncer(String runId) {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "simnet-garp-" + runId);
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        closer = new java.util.concurrent.ThreadPoolExecutor(CLOSER_THREADS, CLOSER_THREADS, 1, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "simnet-garp-close-" + runId);
                    t.setDaemon(true);
                    return t;
                });
        closer.allowCoreThreadTimeOut(true);
    }

    /**
     * The gratuitous ARP request announcing {@code addr} from {@code mac}: Ethernet broadcast, ARP request with
     * sender = target = {@code addr} and target MAC zero; 42 bytes, as Linux and the simulator send it.
     */
    public static byte[] frame(MacAddress mac, Ipv4Address addr) {
        EthernetRepr eth = new EthernetRepr(MacAddress.BROADCAST, mac, EtherType.ARP);
        ArpRepr arp = ArpRepr.request(mac, addr, addr);
        byte[] b = new byte[eth.bufferLen() + arp.bufferLen()];
        eth.emit(b, 0);
        arp.emit(b, eth.bufferLen());
        return b;
    }

    /**
     * Starts the announcements of {@code addr} on interface {@code ifname} of the namespace mounted at
     * {@code nsPath} ({@code /run/netns/NAME}): the first as soon as the interface runs, then every
     * {@link #INTERVAL_MS} ms. Replaces a pending announcement of the same interface (a restart).
     */
    public void announce(String nsPath, String ifname, Ipv4Address addr) {
        announce(nsPath, ifname, addr, null, 0);
    }

    /**
     * As {@link #announce(String, String, Ipv4Address)}, and the first frame also waits until the bridge port
     * with index {@code portIfindex} in the namespace mounted at {@code portNsPath} (the host end of the
     * interface's veth) forwards, at most {@code CARRIER_POLLS × CARRIER_POLL_MS}.
     */
    public synchronized void announce(String nsPath, String ifname, Ipv4Address addr, String portNsPath, int portIfindex) {
        if (closed) {
            return;
        }
        String key = nsPath + " " + ifname;
        Announcement old = pending.remove(key);
        if (old != null) {
            old.cancel();
        }
        Announcement a = new Announcement(key, nsPath, ifname, addr, portNsPath, portIfindex);
        pending.put(key, a);
        a.schedule(0);
    }

    /** Stops every pending announcement in the namespace mounted at {@code nsPath} (its interfaces go away). */
    public synchronized void cancel(String nsPath) {
        List<String> keys = new ArrayList<>();
        for (Announcement a : pending.values()) {
            if (a.nsPath.equals(nsPath)) {
                keys.add(a.key);
            }
        }
        for (String k : keys) {
            pending.remove(k).cancel();
        }
    }

    /** Stops the pending announcement on {@code ifname} of the namespace mounted at {@code nsPath}, if any. */
    public synchronized void cancel(String nsPath, String ifname) {
        Announcement a = pending.remove(nsPath + " " + ifname);
        if (a != null) {
            a.cancel();
        }
    }

    /** Frames sent so far. */
    public long sent() {
        return sent.get();
    }

    /** Announcements ended early because the namespace or interface was gone or refused (never thrown). */
    public long failed() {
        return failed.get();
    }

    /** Announcements still running. */
    public synchronized int pending() {
        return pending.size();
    }

    /** Cancels everything and waits for the timer thread to finish; idempotent. */
    @Override
    public void close() {
        List<Announcement> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(pending.values());
            pending.clear();
        }
        for (Announcement a : all) {
            a.cancelled = true;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the timer thread is gone: its sockets can be closed from here
        List<Announcement> open;
        synchronized (withSocket) {
            open = new ArrayList<>(withSocket);
        }
        for (Announcement a : open) {
            a.closeSocket();
        }
        portSockets.values().forEach(RtnlSocket::close);
        portSockets.clear();
        closer.shutdown();
        try {
            closer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closing a packet socket waits for an RCU grace period ({@code packet_release} calls
     * {@code synchronize_net}, ~10 ms here): one after another, 100 containers' sockets took a second.
     * They are closed on a pool of threads instead, so the waits overlap and never hold up the timer.
     */
    private void closeLater(int socketFd) {
        try {
            closer.execute(() -> Native.close(socketFd));
        } catch (RejectedExecutionException e) {
            Native.close(socketFd); // the closer is done (close() ran): close here
        }
    }

    private synchronized void finished(Announcement a) {
        pending.remove(a.key, a);
    }

    /** One interface's announcements; all its I/O runs on the timer thread. */
    private final class Announcement implements Runnable {
        final String key;
        final String nsPath;
        final String ifname;
        final Ipv4Address addr;
        volatile boolean cancelled;
        volatile ScheduledFuture<?> next;
        int fd = -1;
        int ifindex;
        byte[] frame;
        byte[] sll;
        int polls;
        int count;

        final String portNsPath;
        final int portIfindex;

        Announcement(String key, String nsPath, String ifname, Ipv4Address addr, String portNsPath, int portIfindex) {
            this.key = key;
            this.nsPath = nsPath;
            this.ifname = ifname;
            this.addr = addr;
            this.portNsPath = portNsPath;
            this.portIfindex = portIfindex;
        }

        void schedule(long delayMs) {
            try {
                next = timer.schedule(this, delayMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                cancelled = true; // closing
            }
        }

        /** Called with the announcer's lock held. */
        void cancel() {
            cancelled = true;
            if (next != null) {
                next.cancel(false);
            }
            // the socket belongs to the timer thread: it closes it
            try {
                timer.execute(this::closeSocket);
            } catch (RejectedExecutionException e) {
                // shutting down: close() closes it after the thread is gone
            }
        }

        void closeSocket() {
            if (fd >= 0) {
                closeLater(fd);
                fd = -1;
                withSocket.remove(this);
            }
        }

        @Override
        public void run() {
            if (cancelled) {
                closeSocket();
                return;
            }
            try {
                if (fd < 0 && !open()) {
                    return;
                }
                if (count == 0 && polls < CARRIER_POLLS && !ready()) {
                    polls++;
                    schedule(CARRIER_POLL_MS);
                    return;
                }
                if (count == 0) {
                    frame = frame(hwaddr(), addr);
                }
                send();
                count++;
                if (count < COUNT) {
                    schedule(INTERVAL_MS);
                    return;
                }
                end(false);
            } catch (RuntimeException e) {
                end(true);
            }
        }

        private void end(boolean failure) {
            // a step already under way when the announcement was cancelled (its interface then deleted) may
            // fail: that is the cancel's doing, not a failure
            if (failure && !cancelled) {
                failed.incrementAndGet();
            }
            closeSocket();
            finished(this);
        }

        /** Enters the namespace and opens the packet socket there; false (counted) when it is gone. */
        private boolean open() {
            try {
                Native.enterNetns(nsPath);
            } catch (NativeException e) {
                end(true);
                return false;
            }
            fd = Native.socket(AF_PACKET, Native.SOCK_RAW | Native.SOCK_CLOEXEC, 0);
            withSocket.add(this);
            byte[] ifr = ifreq();
            if (Native.libc().ioctl(fd, SIOCGIFINDEX, ifr) < 0) {
                end(true);
                return false;
            }
            ifindex = intAt(ifr, 16);
            // struct sockaddr_ll: family, protocol (network order), ifindex, hatype, pkttype, halen, addr[8]
            sll = new byte[20];
            sll[0] = (byte) AF_PACKET;
            sll[2] = (byte) (EtherType.ARP >>> 8);
            sll[3] = (byte) EtherType.ARP;
            sll[4] = (byte) ifindex;
            sll[5] = (byte) (ifindex >>> 8);
            sll[6] = (byte) (ifindex >>> 16);
            sll[7] = (byte) (ifindex >>> 24);
            sll[11] = 6;
            for (int i = 0; i < 6; i++) {
                sll[12 + i] = (byte) 0xff;
            }
            return true;
        }

        /** The interface runs and the bridge port at the other end, if one was named, forwards. */
        private boolean ready() {
            if ((flags() & IFF_RUNNING) == 0) {
                return false;
            }
            return portNsPath == null || portSocket().bridgePortState(portIfindex) == Rtnl.BR_STATE_FORWARDING;
        }

        /** The timer thread's rtnetlink socket in the port's namespace, opened on first use. */
        private RtnlSocket portSocket() {
            RtnlSocket s = portSockets.get(portNsPath);
            if (s == null) {
                Native.enterNetns(portNsPath);
                s = RtnlSocket.open();
                portSockets.put(portNsPath, s);
            }
            return s;
        }

        private int flags() {
            byte[] ifr = ifreq();
            if (Native.libc().ioctl(fd, SIOCGIFFLAGS, ifr) < 0) {
                throw new IllegalStateException("SIOCGIFFLAGS " + ifname);
            }
            return (ifr[16] & 0xff) | (ifr[17] & 0xff) << 8;
        }

        private MacAddress hwaddr() {
            byte[] ifr = ifreq();
            if (Native.libc().ioctl(fd, SIOCGIFHWADDR, ifr) < 0) {
                throw new IllegalStateException("SIOCGIFHWADDR " + ifname);
            }
            long bits = 0;
            for (int i = 0; i < 6; i++) {
                bits = bits << 8 | (ifr[18 + i] & 0xff); // struct sockaddr: family (2 bytes), then sa_data
            }
            return MacAddress.of(bits);
        }

        private void send() {
            try {
                Native.sendto(fd, frame, frame.length, sll);
                sent.incrementAndGet();
            } catch (NativeException e) {
                if (e.errno() == Errno.ENODEV || e.errno() == ENXIO) {
                    throw e; // the interface is gone: this announcement ends
                }
                // down for now (ENETDOWN) or no buffer: this one is lost, as the kernel would lose it
            }
        }

        private byte[] ifreq() {
            byte[] ifr = new byte[IFREQ_LEN];
            byte[] n = ifname.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(n, 0, ifr, 0, Math.min(n.length, 15));
            return ifr;
        }
    }

    private static final int ENXIO = 6;

    private static int intAt(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }
}
