package dev.simnet.host;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.sched.Event;
import dev.simnet.wire.UdpPacket;
import java.nio.ByteBuffer;

/**
 * A UDP socket ({@code SOCK_DGRAM}, Linux {@code net/ipv4/udp.c} semantics): bind to an address
 * and port (0 picks an ephemeral port, and sending from an unbound socket binds one
 * automatically), optional connect to fix the peer, a bounded receive queue whose overflow drops
 * datagrams and counts them, and ICMP errors reported as a pending error on connected sockets
 * only ({@code ECONNREFUSED} for port unreachable), as Linux does without {@code IP_RECVERR}.
 *
 * <p>Received datagrams are kept in a byte ring plus a ring of per-datagram metadata, so receiving
 * allocates nothing. Callbacks run from a scheduler event, never inside packet processing.
 */
public final class UdpSocket {
    /** Receives notifications for a UDP socket. */
    public interface Listener {
        /** Datagrams are waiting: call {@link UdpSocket#receive} until it returns -1. */
        void onReadable(UdpSocket s);

        /** An asynchronous error arrived for a connected socket (e.g. {@link Errno#ECONNREFUSED}). */
        default void onError(UdpSocket s, int errno) {
        }
    }

    /** One received datagram (the allocating convenience form of {@link #receive(byte[], int, int)}). */
    public record Datagram(int sourceAddress, int sourcePort, byte[] payload, int ttl) {
        /** The source as an address value. */
        public Ipv4Address source() {
            return Ipv4Address.of(sourceAddress);
        }
    }

    private final HostStack stack;
    int localAddr;
    int localPort;
    boolean reuseAddr;
    boolean connected;
    int peerAddr;
    int peerPort;
    private boolean closed;
    private SocketOwner owner;
    private Listener listener;
    private int pendingError;

    private final ByteRing data;
    private final UdpPacket udpOut = new UdpPacket();
    private int[] metaAddr = new int[64];
    private int[] metaPort = new int[64];
    private int[] metaLen = new int[64];
    private int[] metaTtl = new int[64];
    private int metaHead;
    private int metaCount;
    private long drops;

    private int lastSourceAddress;
    private int lastSourcePort;
    private int lastTtl;

    private boolean notifyPending;
    private final Event notifier = this::notifyNow;

    UdpSocket(HostStack stack) {
        this.stack = stack;
        this.data = new ByteRing(stack.udpRecvBuffer);
    }

    /** Sets {@code SO_REUSEADDR} (before bind): sockets that all set it may share a port. */
    public UdpSocket setReuseAddress(boolean on) {
        this.reuseAddr = on;
        return this;
    }

    /** Records the owning process for {@code ss -p} (a descriptor number is assigned). */
    public UdpSocket setOwner(String command, int pid) {
        this.owner = stack.owner(command, pid);
        return this;
    }

    /** The owning process, or null. */
    public SocketOwner owner() {
        return owner;
    }

    /** Sets the callback; pending data is reported at once (from an event). */
    public UdpSocket setListener(Listener l) {
        this.listener = l;
        if (l != null && (metaCount > 0 || pendingError != 0)) {
            scheduleNotify();
        }
        return this;
    }

    /** Binds to {@code addr} (0 = any) and {@code port} (0 = ephemeral). */
    public UdpSocket bind(int addr, int port) {
        checkOpen();
        if (localPort != 0) {
            throw new SocketError(Errno.EINVAL, "bind (already bound)");
        }
        if (port < 0 || port > 65535) {
            throw new SocketError(Errno.EINVAL, "bind port " + port);
        }
        stack.checkLocalAddress(addr, "bind");
        if (port == 0) {
            port = stack.ephemeralPort(HostStack.PROTO_UDP, false);
        } else if (stack.udpPortConflict(addr, port, reuseAddr, this)) {
            throw new SocketError(Errno.EADDRINUSE, "bind " + Ipv4Address.format(addr) + ":" + port);
        }
        localAddr = addr;
        localPort = port;
        stack.udpRegister(this);
        return this;
    }

    /** Binds to {@code addr:port}. */
    public UdpSocket bind(Ipv4Address addr, int port) {
        return bind(addr.bits(), port);
    }

    /** Fixes the peer: {@link #send} goes there and only its datagrams are received. Binds if unbound. */
    public UdpSocket connect(int addr, int port) {
        checkOpen();
        if (port <= 0 || port > 65535) {
            throw new SocketError(Errno.EINVAL, "connect port " + port);
        }
        int src = stack.ip.sourceAddressFor(addr);
        if (src == 0) {
            throw new SocketError(Errno.ENETUNREACH, "connect " + Ipv4Address.format(addr));
        }
        if (localPort == 0) {
            bind(0, 0);
        }
        // ip4_datagram_connect: an unbound address takes the route's source address.
        if (localAddr == 0) {
            localAddr = src;
        }
        connected = true;
        peerAddr = addr;
        peerPort = port;
        return this;
    }

    /** Connects to {@code addr:port}. */
    public UdpSocket connect(Ipv4Address addr, int port) {
        return connect(addr.bits(), port);
    }

    /** Sends {@code len} bytes to the connected peer. */
    public void send(byte[] buf, int off, int len) {
        if (!connected) {
            throw new SocketError(Errno.ENOTCONN, "send");
        }
        sendTo(peerAddr, peerPort, buf, off, len);
    }

    /** Sends the whole array to the connected peer. */
    public void send(byte[] buf) {
        send(buf, 0, buf.length);
    }

    /** Sends a datagram to {@code addr:port}; binds an ephemeral port first when unbound. */
    public void sendTo(int addr, int port, byte[] buf, int off, int len) {
        checkOpen();
        if (port <= 0 || port > 65535) {
            throw new SocketError(Errno.EINVAL, "sendto port " + port);
        }
        if (len > 65507) {
            throw new SocketError(Errno.EMSGSIZE, "sendto");
        }
        if (pendingError != 0) {
            int e = pendingError;
            pendingError = 0;
            throw new SocketError(e, "sendto");
        }
        int src = localAddr != 0 ? localAddr : stack.ip.sourceAddressFor(addr);
        if (src == 0) {
            throw new SocketError(Errno.ENETUNREACH, "sendto " + Ipv4Address.format(addr));
        }
        if (localPort == 0) {
            bind(0, 0);
        }
        PacketBuffer p = stack.pool.acquire();
        int ulen = 8 + len;
        p.setLength(ulen);
        byte[] d = p.data();
        int o = p.start();
        UdpPacket u = udpOut.wrap(d, o, ulen);
        u.setSrcPort(localPort);
        u.setDstPort(port);
        u.setLength16(ulen);
        u.setChecksum(0);
        System.arraycopy(buf, off, d, o + UdpPacket.HEADER_LEN, len);
        u.fillChecksum(src, addr);
        stack.counters.udpOutDatagrams++;
        long now = stack.now();
        int err = stack.ip.sendIpv4(p, src, addr, HostStack.PROTO_UDP, HostStack.DEFAULT_TTL, 0, stack.fitsMtu(addr, 20 + ulen), now);
        if (err != 0) {
            throw new SocketError(err, "sendto " + Ipv4Address.format(addr) + ":" + port);
        }
    }

    /** Sends the whole array to {@code addr:port}. */
    public void sendTo(Ipv4Address addr, int port, byte[] buf) {
        sendTo(addr.bits(), port, buf, 0, buf.length);
    }

    /**
     * Takes the oldest datagram into {@code buf} (truncating like {@code recvfrom}); returns its
     * full length, or -1 when the queue is empty. The source is then in {@link #lastSourceAddress()}
     * and {@link #lastSourcePort()}. Throws a pending asynchronous error first, as {@code recvfrom} does.
     */
    public int receive(byte[] buf, int off, int len) {
        if (pendingError != 0) {
            int e = pendingError;
            pendingError = 0;
            throw new SocketError(e, "recvfrom");
        }
        if (metaCount == 0) {
            return -1;
        }
        int i = metaHead;
        int dlen = metaLen[i];
        int n = Math.min(dlen, len);
        data.peek(0, buf, off, n);
        data.skip(dlen);
        lastSourceAddress = metaAddr[i];
        lastSourcePort = metaPort[i];
        lastTtl = metaTtl[i];
        metaHead = (metaHead + 1) % metaLen.length;
        metaCount--;
        return dlen;
    }

    /** Takes the oldest datagram as a value, or null when none is queued. */
    public Datagram receive() {
        if (metaCount == 0 && pendingError == 0) {
            return null;
        }
        int len = metaCount == 0 ? 0 : metaLen[metaHead];
        byte[] b = new byte[len];
        int n = receive(b, 0, len);
        if (n < 0) {
            return null;
        }
        return new Datagram(lastSourceAddress, lastSourcePort, b, lastTtl);
    }

    /** Source address of the datagram last returned by {@link #receive}. */
    public int lastSourceAddress() {
        return lastSourceAddress;
    }

    /** Source port of the datagram last returned by {@link #receive}. */
    public int lastSourcePort() {
        return lastSourcePort;
    }

    /** TTL of the datagram last returned by {@link #receive}. */
    public int lastTtl() {
        return lastTtl;
    }

    /** Datagrams waiting. */
    public int queuedDatagrams() {
        return metaCount;
    }

    /** Bytes waiting (ss's Recv-Q for UDP; Linux counts buffer truesize, simnet payload bytes). */
    public int queuedBytes() {
        return data.size();
    }

    /** Datagrams dropped because the receive queue was full ({@code SO_RXQ_OVFL}'s count). */
    public long drops() {
        return drops;
    }

    /** The pending asynchronous error (0 if none), cleared by reading it ({@code SO_ERROR}). */
    public int takeError() {
        int e = pendingError;
        pendingError = 0;
        return e;
    }

    /** The bound local address (0 = any). */
    public int localAddress() {
        return localAddr;
    }

    /** The bound local port (0 = unbound). */
    public int localPort() {
        return localPort;
    }

    /** True after {@link #connect}. */
    public boolean isConnected() {
        return connected;
    }

    /** Releases the port; queued datagrams are discarded. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stack.udpUnregister(this);
        stack.releaseOwner(owner);
        data.clear();
        metaCount = 0;
        listener = null;
    }

    SocketInfo info() {
        return new SocketInfo("udp", connected ? TcpState.ESTABLISHED : TcpState.CLOSED, data.size(), 0,
                localAddr, localPort, connected ? peerAddr : 0, connected ? peerPort : 0, owner);
    }

    void deliver(byte[] b, int off, int len, int src, int sport, int ttl, long now) {
        if (len > data.free()) {
            drops++;
            stack.counters.udpRcvbufErrors++;
            stack.counters.udpInErrors++;
            return;
        }
        if (metaCount == metaLen.length) {
            growMeta();
        }
        stack.counters.udpInDatagrams++;
        data.write(b, off, len);
        int i = (metaHead + metaCount) % metaLen.length;
        metaAddr[i] = src;
        metaPort[i] = sport;
        metaLen[i] = len;
        metaTtl[i] = ttl;
        metaCount++;
        scheduleNotify();
    }

    void icmpError(int type, int code, int dst, int dport, long now) {
        if (!connected || dst != peerAddr || dport != peerPort) {
            return; // Linux reports ICMP errors only to connected UDP sockets (without IP_RECVERR)
        }
        int e = IcmpErrors.errnoFor(type, code);
        if (e == 0 || !IcmpErrors.fatal(type, code)) {
            return; // __udp4_lib_err: soft errors are not reported without IP_RECVERR
        }
        pendingError = e;
        scheduleNotify();
    }

    private void growMeta() {
        int n = metaLen.length * 2;
        int[] a = new int[n];
        int[] p = new int[n];
        int[] l = new int[n];
        int[] t = new int[n];
        for (int k = 0; k < metaCount; k++) {
            int j = (metaHead + k) % metaLen.length;
            a[k] = metaAddr[j];
            p[k] = metaPort[j];
            l[k] = metaLen[j];
            t[k] = metaTtl[j];
        }
        metaAddr = a;
        metaPort = p;
        metaLen = l;
        metaTtl = t;
        metaHead = 0;
    }

    private void scheduleNotify() {
        if (!notifyPending && listener != null) {
            notifyPending = true;
            stack.sched.schedule(stack.now(), notifier);
        }
    }

    private void notifyNow(long now) {
        notifyPending = false;
        Listener l = listener;
        if (l == null || closed) {
            return;
        }
        if (pendingError != 0) {
            int e = pendingError;
            pendingError = 0;
            l.onError(this, e);
        }
        if (metaCount > 0 && listener != null && !closed) {
            l.onReadable(this);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new SocketError(9, "socket closed (EBADF)");
        }
    }
}
