package dev.simnet.host;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.packet.PacketPool;
import dev.simnet.sched.Scheduler;
import dev.simnet.wire.Bytes;
import dev.simnet.wire.IcmpPacket;
import dev.simnet.wire.MalformedPacketException;
import dev.simnet.wire.TcpPacket;
import dev.simnet.wire.UdpPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * The transport layer of one network namespace: UDP, TCP and ICMP echo ("ping") sockets above the
 * namespace's IP layer. The IP layer hands local datagrams to {@link #receive} and ICMP errors to
 * {@link #icmpError}; the stack sends through {@link IpOutput}. Behaviour follows Linux
 * ({@code net/ipv4/tcp*.c}, {@code udp.c}, {@code ping.c}) with its default sysctls: ephemeral
 * ports 32768–60999, initial RTO 1 s, minimum RTO 200 ms, {@code tcp_syn_retries=6},
 * {@code tcp_synack_retries=5}, {@code tcp_retries2=15}, TIME_WAIT 60 s, {@code tcp_fin_timeout=60}.
 *
 * <p><b>Threading model.</b> Single-threaded: every method, including the socket API, must be
 * called on the thread running the {@link Scheduler} (from an event, or between runs). Application
 * callbacks never run inside packet processing: a socket that has something to report schedules a
 * notification event at the current virtual time and the callback runs from that event, so a
 * callback may freely call back into the stack (write, read, close). Same seed and same calls give
 * the same packets at the same virtual times.
 */
public final class HostStack implements TransportReceiver {
    /** Lowest ephemeral port ({@code net.ipv4.ip_local_port_range}). */
    public static final int EPHEMERAL_LOW = 32768;
    /** Highest ephemeral port. */
    public static final int EPHEMERAL_HIGH = 60999;
    /** Default TTL ({@code net.ipv4.ip_default_ttl}). */
    public static final int DEFAULT_TTL = 64;

    static final int PROTO_ICMP = 1;
    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;

    final String name;
    final Scheduler sched;
    final IpOutput ip;
    final PacketPool pool;
    final SplittableRandom rng;
    final IntPredicate isLocal;
    final HostCounters counters = new HostCounters();
    /** Views reused for every segment (single-threaded), so receiving and sending allocate none. */
    private final TcpPacket tcpIn = new TcpPacket();
    private final TcpPacket tcpOut = new TcpPacket();
    private final UdpPacket udpIn = new UdpPacket();
    private final IcmpPacket icmpIn = new IcmpPacket();
    private final IcmpPacket icmpOut = new IcmpPacket();

    /** Default buffer sizes for new TCP sockets. */
    int tcpSendBuffer = 262144;
    int tcpRecvBuffer = 131072;
    /** {@code net.ipv4.tcp_timestamps}: offer RFC 7323 timestamps (Linux default on). */
    boolean tcpTimestamps = true;
    /** {@code net.ipv4.tcp_rmem[2]}, for the window scale. */
    int tcpRmemMax = 6 * 1024 * 1024;
    /** Default UDP receive queue limit in bytes ({@code net.core.rmem_default}). */
    int udpRecvBuffer = 212992;

    final List<UdpSocket> udpSockets = new ArrayList<>();
    final List<TcpServerSocket> tcpListeners = new ArrayList<>();
    final List<TcpSocket> tcpSockets = new ArrayList<>();
    final List<IcmpEchoSocket> pingSockets = new ArrayList<>();

    private final LongMap<List<UdpSocket>> udpByPort = new LongMap<>();
    private final LongMap<TcpSocket> tcpConns = new LongMap<>();
    private final LongMap<IcmpEchoSocket> pingById = new LongMap<>();
    private final TreeMap<Integer, java.util.BitSet> fdsByPid = new TreeMap<>();
    private final java.util.Map<Integer, String> argv0ByPid = new java.util.HashMap<>();

    /**
     * A stack for one namespace.
     *
     * @param name     the namespace name (for messages)
     * @param sched    the simulation's scheduler: all timers go through it
     * @param ip       the namespace's IP layer
     * @param pool     where outgoing segments' buffers come from
     * @param rng      this stack's own seeded stream (ISNs, ephemeral ports, ping ids), e.g.
     *                 {@code streams.stream("host/" + name)}
     * @param isLocal  whether an address is assigned to the namespace (bind checks)
     */
    public HostStack(String name, Scheduler sched, IpOutput ip, PacketPool pool, SplittableRandom rng, IntPredicate isLocal) {
        this.name = name;
        this.sched = sched;
        this.ip = ip;
        this.pool = pool;
        this.rng = rng;
        this.isLocal = isLocal;
    }

    /** The namespace name given at construction. */
    public String name() {
        return name;
    }

    /** The counters. */
    public HostCounters counters() {
        return counters;
    }

    /** The scheduler this stack runs on. */
    public Scheduler scheduler() {
        return sched;
    }

    /** Sets the send and receive buffer sizes new TCP sockets get (bytes). */
    public void setTcpBufferSizes(int sendBytes, int recvBytes) {
        if (sendBytes < 1024 || recvBytes < 1024) {
            throw new IllegalArgumentException("TCP buffers must be at least 1024 bytes");
        }
        this.tcpSendBuffer = sendBytes;
        this.tcpRecvBuffer = recvBytes;
    }

    /**
     * {@code net.ipv4.tcp_rmem[2]}: the largest receive buffer, from which the advertised window
     * scale follows as in {@code tcp_select_initial_window} (6 MiB, the long-standing default, gives
     * 7; 32 MiB, as on recent kernels, gives 10). It does not change the simulated buffer size.
     */
    public void setTcpRmemMax(int bytes) {
        if (bytes < 4096) {
            throw new IllegalArgumentException("tcp_rmem max must be at least 4096");
        }
        this.tcpRmemMax = bytes;
    }

    /** The window-scale shift this stack advertises. */
    int tcpWscale() {
        long space = Math.max(tcpRmemMax, 212992); // max(tcp_rmem[2], rmem_max)
        int ws = 0;
        while (space > 65535 && ws < 14) {
            space >>= 1;
            ws++;
        }
        return ws;
    }

    /** {@code net.ipv4.tcp_timestamps}: whether new connections offer/accept timestamps (default true, as Linux). */
    public void setTcpTimestamps(boolean on) {
        this.tcpTimestamps = on;
    }

    /** Sets the receive-queue limit in bytes new UDP sockets get. */
    public void setUdpRecvBuffer(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("UDP buffer must be positive");
        }
        this.udpRecvBuffer = bytes;
    }

    // ---------------------------------------------------------------- socket factories

    /** A new, unbound UDP socket. */
    public UdpSocket udp() {
        UdpSocket s = new UdpSocket(this);
        udpSockets.add(s);
        return s;
    }

    /** A new, unconnected TCP socket (then {@link TcpSocket#connect}). */
    public TcpSocket tcp() {
        return new TcpSocket(this);
    }

    /** A new TCP server socket (then {@link TcpServerSocket#listen}). */
    public TcpServerSocket tcpServer() {
        return new TcpServerSocket(this);
    }

    /** Convenience: a server socket listening on {@code port} of every address. */
    public TcpServerSocket listen(int port, int backlog, TcpServerSocket.AcceptHandler handler) {
        TcpServerSocket s = tcpServer();
        s.bind(0, port);
        s.listen(backlog, handler);
        return s;
    }

    /** A new ICMP echo socket ({@code socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)}), with its identifier assigned. */
    public IcmpEchoSocket ping() {
        int id = -1;
        int start = rng.nextInt(65536);
        for (int i = 0; i < 65536; i++) {
            int cand = (start + i) & 0xffff;
            if (cand != 0 && pingById.get(cand) == null) {
                id = cand;
                break;
            }
        }
        if (id < 0) {
            throw new SocketError(Errno.EAGAIN, "ping socket");
        }
        IcmpEchoSocket s = new IcmpEchoSocket(this, id);
        pingById.put(id, s);
        pingSockets.add(s);
        return s;
    }

    /**
     * An ICMP echo socket with a chosen identifier, as a raw-socket {@code ping} uses its pid
     * ({@code getpid() & 0xffff}); EADDRINUSE when another echo socket here has it.
     */
    public IcmpEchoSocket ping(int id) {
        if (id <= 0 || id > 0xffff) {
            throw new SocketError(Errno.EINVAL, "ping id " + id);
        }
        if (pingById.get(id) != null) {
            throw new SocketError(Errno.EADDRINUSE, "ping id " + id);
        }
        IcmpEchoSocket s = new IcmpEchoSocket(this, id);
        pingById.put(id, s);
        pingSockets.add(s);
        return s;
    }

    /** Assigns the lowest free descriptor number (from 3, after stdin/stdout/stderr) of process {@code pid}, as Linux does. */
    SocketOwner owner(String command, int pid) {
        java.util.BitSet used = fdsByPid.computeIfAbsent(pid, k -> new java.util.BitSet());
        int fd = used.nextClearBit(3);
        used.set(fd);
        return new SocketOwner(command, pid, fd, argv0ByPid.getOrDefault(pid, command));
    }

    /**
     * Records the first string of process {@code pid}'s {@code /proc/PID/cmdline} (its {@code argv[0]}: a
     * path such as {@code /usr/bin/dockerd}, or the title a process wrote over it, such as nginx's
     * {@code nginx: master process nginx -g daemon off;}); sockets it opens afterwards carry it for
     * {@code netstat -p}. Without it, the command name stands in.
     */
    public void setArgv0(int pid, String argv0) {
        argv0ByPid.put(pid, argv0);
    }

    /** Frees the descriptor of a closed socket so the process's next socket reuses it. */
    void releaseOwner(SocketOwner o) {
        if (o != null) {
            java.util.BitSet used = fdsByPid.get(o.pid());
            if (used != null) {
                used.clear(o.fd());
            }
        }
    }

    // ---------------------------------------------------------------- introspection

    /**
     * Every socket, for {@code ss}/{@code netstat}: UDP sockets first, then TCP (listeners and
     * connections in creation order), as {@code ss} lists them. Ping sockets are not included.
     */
    public List<SocketInfo> sockets() {
        List<SocketInfo> out = new ArrayList<>();
        for (UdpSocket u : udpSockets) {
            if (u.localPort() != 0) {
                out.add(u.info());
            }
        }
        // Linux lists sockets by hash chain; simnet lists listeners first, then connections, each in creation order.
        for (TcpServerSocket l : tcpListeners) {
            out.add(l.info());
        }
        for (TcpSocket t : tcpSockets) {
            if (t.state() != TcpState.CLOSED) {
                out.add(t.info());
            }
        }
        return out;
    }

    /** The TCP connections (any state but LISTEN), in creation order. */
    public List<TcpSocket> tcpConnections() {
        return List.copyOf(tcpSockets);
    }

    /**
     * The network namespace is torn down ({@code docker stop} deletes the sandbox): every TCP connection
     * still in the table (orphans finishing their FIN handshake, TIME_WAIT) disappears at once, without
     * another segment, and its port is free again. Listeners are their owners' to close. Returns how
     * many went.
     */
    public int destroyConnections() {
        List<TcpSocket> all = List.copyOf(tcpSockets);
        for (TcpSocket s : all) {
            s.destroy();
        }
        return all.size();
    }

    // ---------------------------------------------------------------- ports and tables

    static long connKey(int raddr, int rport, int lport) {
        return ((long) raddr << 32) | ((long) (rport & 0xffff) << 16) | (lport & 0xffff);
    }

    void checkLocalAddress(int addr, String call) {
        if (addr != 0 && (addr >>> 24) != 127 && !isLocal.test(addr)) {
            throw new SocketError(Errno.EADDRNOTAVAIL, call + " " + Ipv4Address.format(addr));
        }
    }

    /**
     * The local port a {@code bind(2)} of {@code addr:port} (port 0 = ephemeral) gets, after the
     * checks {@code inet_bind} makes: EINVAL for a port out of range, EADDRNOTAVAIL for an address
     * not on this host, EADDRINUSE for a conflicting bind.
     */
    int bindPort(int proto, int addr, int port, boolean reuse, Object self) {
        if (port < 0 || port > 65535) {
            throw new SocketError(Errno.EINVAL, "bind port " + port);
        }
        checkLocalAddress(addr, "bind");
        if (port == 0) {
            return ephemeralPort(proto, false);
        }
        boolean conflict = proto == PROTO_TCP ? tcpPortConflict(addr, port, reuse, self)
                : udpPortConflict(addr, port, reuse, (UdpSocket) self);
        if (conflict) {
            throw new SocketError(Errno.EADDRINUSE, "bind " + Ipv4Address.format(addr) + ":" + port);
        }
        return port;
    }

    private static boolean overlaps(int a, int b) {
        return a == 0 || b == 0 || a == b;
    }

    /** True when a TCP bind of {@code addr:port} would conflict with an existing one (inet_csk_bind_conflict). */
    boolean tcpPortConflict(int addr, int port, boolean reuse, Object self) {
        for (TcpServerSocket l : tcpListeners) {
            if (l != self && l.localPort == port && overlaps(l.localAddr, addr)) {
                return true;
            }
        }
        for (TcpSocket t : tcpSockets) {
            if (t != self && t.localPort == port && t.state() != TcpState.CLOSED && overlaps(t.localAddr, addr)) {
                if (!(reuse && t.reuseAddr)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when any TCP socket or listener uses the port. */
    boolean tcpPortUsed(int port) {
        for (TcpServerSocket l : tcpListeners) {
            if (l.localPort == port) {
                return true;
            }
        }
        for (TcpSocket t : tcpSockets) {
            if (t.localPort == port && t.state() != TcpState.CLOSED) {
                return true;
            }
        }
        return false;
    }

    boolean udpPortConflict(int addr, int port, boolean reuse, UdpSocket self) {
        List<UdpSocket> l = udpByPort.get(port);
        if (l == null) {
            return false;
        }
        for (int i = 0; i < l.size(); i++) {
            UdpSocket u = l.get(i);
            if (u != self && overlaps(u.localAddr, addr) && !(reuse && u.reuseAddr)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Picks an ephemeral port the way Linux does: a random starting offset in 32768–60999, then a
     * linear scan. {@code connect()} favours ports with the range's low parity (even) and
     * {@code bind(0)} the other parity (odd), as {@code __inet_hash_connect} and
     * {@code inet_csk_find_open_port} do, so the two don't pollute each other.
     */
    int ephemeralPort(int proto, boolean forConnect) {
        int remaining = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
        int offset = rng.nextInt(remaining);
        int parity = forConnect ? 0 : 1;
        offset = (offset & ~1) | parity;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < remaining; i += 2) {
                int port = EPHEMERAL_LOW + ((offset + i) % remaining);
                boolean used = proto == PROTO_TCP ? tcpPortUsed(port) : udpByPort.get(port) != null;
                if (!used) {
                    return port;
                }
            }
            offset ^= 1;
        }
        throw new SocketError(Errno.EADDRNOTAVAIL, "no free ephemeral port");
    }

    void udpRegister(UdpSocket s) {
        List<UdpSocket> l = udpByPort.get(s.localPort);
        if (l == null) {
            l = new ArrayList<>(2);
            udpByPort.put(s.localPort, l);
        }
        l.add(s);
    }

    void udpUnregister(UdpSocket s) {
        List<UdpSocket> l = udpByPort.get(s.localPort);
        if (l != null) {
            l.remove(s);
            if (l.isEmpty()) {
                udpByPort.remove(s.localPort);
            }
        }
        udpSockets.remove(s);
    }

    void tcpRegister(TcpSocket s) {
        tcpConns.put(connKey(s.remoteAddr, s.remotePort, s.localPort), s);
        if (!tcpSockets.contains(s)) {
            tcpSockets.add(s);
        }
    }

    TcpSocket tcpLookup(int laddr, int lport, int raddr, int rport) {
        TcpSocket s = tcpConns.get(connKey(raddr, rport, lport));
        return s != null && s.localAddr == laddr ? s : null;
    }

    void tcpUnregister(TcpSocket s) {
        long k = connKey(s.remoteAddr, s.remotePort, s.localPort);
        if (tcpConns.get(k) == s) {
            tcpConns.remove(k);
        }
        tcpSockets.remove(s);
    }

    void pingUnregister(IcmpEchoSocket s) {
        pingById.remove(s.id());
        pingSockets.remove(s);
    }

    private TcpServerSocket findListener(int addr, int port) {
        TcpServerSocket wildcard = null;
        for (int i = 0; i < tcpListeners.size(); i++) {
            TcpServerSocket l = tcpListeners.get(i);
            if (l.localPort == port) {
                if (l.localAddr == addr) {
                    return l;
                }
                if (l.localAddr == 0 && wildcard == null) {
                    wildcard = l;
                }
            }
        }
        return wildcard;
    }

    private UdpSocket findUdp(int dst, int dport, int src, int sport) {
        List<UdpSocket> l = udpByPort.get(dport);
        if (l == null) {
            return null;
        }
        UdpSocket best = null;
        int bestScore = -1;
        for (int i = 0; i < l.size(); i++) {
            UdpSocket u = l.get(i);
            int score = 0;
            if (u.localAddr != 0) {
                if (u.localAddr != dst) {
                    continue;
                }
                score += 4;
            }
            if (u.connected) {
                if (u.peerAddr != src || u.peerPort != sport) {
                    continue;
                }
                score += 8;
            }
            if (score > bestScore) {
                best = u;
                bestScore = score;
            }
        }
        return best;
    }

    // ---------------------------------------------------------------- input

    @Override
    public void receive(PacketBuffer p, int l4Offset, int l4Length, int src, int dst, int protocol, int ttl, long now) {
        try {
            if (l4Offset < 0 || l4Length < 0 || l4Offset + l4Length > p.data().length) {
                counters.malformed++;
                return;
            }
            switch (protocol) {
                case PROTO_TCP -> tcpInput(p, l4Offset, l4Length, src, dst, now);
                case PROTO_UDP -> udpInput(p, l4Offset, l4Length, src, dst, ttl, now);
                case PROTO_ICMP -> icmpInput(p, l4Offset, l4Length, src, dst, ttl, now);
                default -> sendDestUnreachable(p, 2, src, dst, now); // protocol unreachable
            }
        } finally {
            p.release();
        }
    }

    private void udpInput(PacketBuffer p, int off, int len, int src, int dst, int ttl, long now) {
        byte[] b = p.data();
        int bad = UdpPacket.validate(b, off, len, src, dst);
        if (bad != MalformedPacketException.OK) {
            if (bad == MalformedPacketException.BAD_CHECKSUM) {
                counters.inCsumErrors++;
            } else {
                counters.malformed++;
            }
            counters.udpInErrors++;
            return;
        }
        UdpPacket u = udpIn.wrap(b, off, len);
        int sport = u.srcPort();
        int dport = u.dstPort();
        UdpSocket s = findUdp(dst, dport, src, sport);
        if (s == null) {
            counters.udpNoPorts++;
            if (isUnicastLocal(dst)) {
                sendDestUnreachable(p, 3, src, dst, now);
            }
            return;
        }
        s.deliver(b, u.payloadOffset(), u.payloadLen(), src, sport, ttl, now);
    }

    private boolean isUnicastLocal(int dst) {
        return (dst >>> 24) == 127 || isLocal.test(dst);
    }

    private void tcpInput(PacketBuffer p, int off, int len, int src, int dst, long now) {
        byte[] b = p.data();
        counters.tcpInSegs++;
        int bad = TcpPacket.validate(b, off, len, src, dst);
        if (bad != MalformedPacketException.OK) {
            if (bad == MalformedPacketException.BAD_CHECKSUM) {
                counters.inCsumErrors++;
            } else {
                counters.malformed++;
            }
            counters.tcpInErrs++;
            return;
        }
        TcpPacket seg = tcpIn.wrap(b, off, len);
        int sport = seg.srcPort();
        int dport = seg.dstPort();
        TcpSocket c = tcpLookup(dst, dport, src, sport);
        if (c != null) {
            c.segmentArrives(seg, now);
            return;
        }
        TcpServerSocket l = findListener(dst, dport);
        if (l != null) {
            l.segmentArrives(seg, src, dst, now);
            return;
        }
        resetFor(seg, src, dst, now);
    }

    /** Answers a segment that has no socket with a RST (RFC 793 "Reset Generation"). */
    void resetFor(TcpPacket seg, int src, int dst, long now) {
        int flags = seg.flags();
        if ((flags & TcpSocket.RST) != 0) {
            return;
        }
        if ((flags & TcpSocket.ACK) != 0) {
            emitTcp(dst, src, seg.dstPort(), seg.srcPort(), seg.ack(), 0, TcpSocket.RST, 0, -1, -1, null, 0, 0, now);
        } else {
            emitTcp(dst, src, seg.dstPort(), seg.srcPort(), 0, seg.seq() + seg.segmentLen(), TcpSocket.RST | TcpSocket.ACK, 0,
                    -1, -1, null, 0, 0, now);
        }
        counters.tcpOutRsts++;
    }

    private void icmpInput(PacketBuffer p, int off, int len, int src, int dst, int ttl, long now) {
        byte[] b = p.data();
        int bad = IcmpPacket.validate(b, off, len, true);
        if (bad != MalformedPacketException.OK) {
            if (bad == MalformedPacketException.BAD_CHECKSUM) {
                counters.inCsumErrors++;
            } else {
                counters.malformed++;
            }
            return;
        }
        IcmpPacket m = icmpIn.wrap(b, off, len);
        int type = m.type();
        if (type == IcmpPacket.TYPE_ECHO_REPLY) {
            IcmpEchoSocket s = pingById.get(m.echoIdent());
            if (s != null) {
                counters.icmpInEchoReps++;
                s.deliverReply(m.echoSeq(), len - IcmpPacket.HEADER_LEN, src, ttl, now);
            }
        } else if (IcmpPacket.isErrorType(type) && len >= IcmpPacket.HEADER_LEN + 28) {
            icmpError(p, type, m.code(), m.dataOffset(), len - IcmpPacket.HEADER_LEN, now);
        }
    }

    @Override
    public void icmpError(PacketBuffer p, int icmpType, int icmpCode, int quotedOffset, int quotedLength, long now) {
        byte[] b = p.data();
        if (quotedLength < 20 || quotedOffset < 0 || quotedOffset + quotedLength > b.length) {
            counters.malformed++;
            return;
        }
        int ihl = (Bytes.u8(b, quotedOffset) & 0x0f) * 4;
        if ((Bytes.u8(b, quotedOffset) >>> 4) != 4 || ihl < 20 || quotedLength < ihl + 8) {
            counters.malformed++;
            return;
        }
        int proto = Bytes.u8(b, quotedOffset + 9);
        int qsrc = Bytes.i32(b, quotedOffset + 12);
        int qdst = Bytes.i32(b, quotedOffset + 16);
        int t = quotedOffset + ihl;
        int reporter = p.networkOffset >= 0 && p.networkOffset + 20 <= b.length ? Bytes.i32(b, p.networkOffset + 12) : qdst;
        int nextHopMtu = Bytes.u16(b, quotedOffset - 2);
        switch (proto) {
            case PROTO_UDP -> {
                int sport = Bytes.u16(b, t);
                int dport = Bytes.u16(b, t + 2);
                UdpSocket s = findUdp(qsrc, sport, qdst, dport);
                if (s != null) {
                    s.icmpError(icmpType, icmpCode, qdst, dport, now);
                }
            }
            case PROTO_TCP -> {
                int sport = Bytes.u16(b, t);
                int dport = Bytes.u16(b, t + 2);
                int seq = Bytes.i32(b, t + 4);
                TcpSocket s = tcpLookup(qsrc, sport, qdst, dport);
                if (s != null) {
                    s.icmpError(icmpType, icmpCode, seq, nextHopMtu, now);
                }
            }
            case PROTO_ICMP -> {
                if (Bytes.u8(b, t) == 8) {
                    IcmpEchoSocket s = pingById.get(Bytes.u16(b, t + 4));
                    if (s != null) {
                        s.deliverError(icmpType, icmpCode, reporter, qdst, Bytes.u16(b, t + 6), now);
                    }
                }
            }
            default -> {
                // nothing listens for other protocols' errors
            }
        }
    }

    // ---------------------------------------------------------------- output

    /**
     * Sends ICMP destination unreachable with {@code code} quoting the datagram in {@code orig}
     * (as much as fits in 576 bytes, like {@code icmp_send}), from the address it was sent to.
     */
    void sendDestUnreachable(PacketBuffer orig, int code, int origSrc, int origDst, long now) {
        if (orig.networkOffset < 0 || origSrc == 0 || origSrc == -1 || (origSrc >>> 28) == 0xe) {
            return; // icmp_send never answers an unspecified, broadcast or multicast source
        }
        byte[] ob = orig.data();
        int n = orig.networkOffset;
        int ipTotal = Bytes.u16(ob, n + 2);
        int avail = Math.min(ipTotal, orig.end() - n);
        if (avail < 20) {
            return;
        }
        if (!icmpAllowed(origSrc, now)) {
            counters.icmpRateLimited++;
            return;
        }
        int quote = Math.min(avail, 576 - 20 - 8);
        PacketBuffer out = pool.acquire();
        out.setLength(8 + quote);
        IcmpPacket m = icmpOut.wrap(out.data(), out.start(), 8 + quote);
        m.setType(IcmpPacket.TYPE_DEST_UNREACHABLE);
        m.setCode(code);
        m.setChecksum(0);
        m.setRestOfHeader(0);
        System.arraycopy(ob, n, out.data(), m.dataOffset(), quote);
        m.fillChecksum();
        counters.icmpOutDestUnreachs++;
        // icmp_send: TOS keeps the original's TOS bits with precedence "internetwork control" (0xc0).
        int tos = (Bytes.u8(ob, n + 1) & 0x1e) | 0xc0;
        ip.sendIpv4(out, origDst, origSrc, PROTO_ICMP, DEFAULT_TTL, tos, false, now);
    }

    /** {@code net.ipv4.icmp_ratelimit}: one error per second per destination, with a burst of six. */
    static final long ICMP_RATELIMIT = 1_000_000_000L;
    private static final int XRLIM_BURST_FACTOR = 6;
    /** {@code net.ipv4.icmp_msgs_per_sec} and {@code icmp_msgs_burst}. */
    private static final int ICMP_MSGS_PER_SEC = 1000;
    private static final int ICMP_MSGS_BURST = 50;
    private final TreeMap<Integer, long[]> icmpPeers = new TreeMap<>();
    private long icmpGlobalCredit = ICMP_MSGS_BURST;
    private long icmpGlobalStamp = Long.MIN_VALUE;

    /**
     * Linux's ICMP error rate limits ({@code icmp_global_allow} then {@code inet_peer_xrlim_allow}):
     * a global bucket of 1000 per second with a burst of 50, and per destination a token bucket
     * refilled at one per {@code icmp_ratelimit} (1 s) holding at most six. Errors to local
     * addresses (loopback) are never limited.
     */
    private boolean icmpAllowed(int dst, long now) {
        if ((dst >>> 24) == 127 || isLocal.test(dst)) {
            return true;
        }
        if (icmpGlobalStamp == Long.MIN_VALUE) {
            icmpGlobalStamp = now;
        }
        long refill = (now - icmpGlobalStamp) * ICMP_MSGS_PER_SEC / 1_000_000_000L;
        if (refill > 0) {
            icmpGlobalCredit = Math.min(ICMP_MSGS_BURST, icmpGlobalCredit + refill);
            icmpGlobalStamp = now;
        }
        if (icmpGlobalCredit == 0) {
            return false;
        }
        long[] peer = icmpPeers.get(dst);
        if (peer == null) {
            // inet_getpeer starts rate_last 60 s in the past, so a new peer has a full bucket
            peer = new long[] {0, now - 60 * ICMP_RATELIMIT};
            icmpPeers.put(dst, peer);
        }
        long token = Math.min(peer[0] + (now - peer[1]), XRLIM_BURST_FACTOR * ICMP_RATELIMIT);
        peer[1] = now;
        boolean ok = token >= ICMP_RATELIMIT;
        if (ok) {
            token -= ICMP_RATELIMIT;
            icmpGlobalCredit--;
        }
        peer[0] = token;
        return ok;
    }

    /**
     * Builds and sends one TCP segment. {@code mssOpt}/{@code wscaleOpt} &lt; 0 leave the option
     * out. Payload bytes come from {@code data} at {@code dataOff}.
     */
    int emitTcp(int src, int dst, int sport, int dport, int seq, int ack, int flags, int window,
                int mssOpt, int wscaleOpt, ByteRing data, int dataOff, int dataLen, long now) {
        return emitTcp(src, dst, sport, dport, seq, ack, flags, window, mssOpt, wscaleOpt, false, false, 0, 0, null, null, 0,
                data, dataOff, dataLen, now);
    }

    /**
     * Builds and sends one TCP segment with Linux's option layout: on a SYN
     * {@code mss,sackOK,TS val ecr,nop,wscale} (or {@code mss,nop,nop,TS,nop,wscale} /
     * {@code mss,nop,nop,sackOK,nop,wscale} when one is off), otherwise {@code nop,nop,TS} then
     * {@code nop,nop,sack} blocks ({@code sackCount} from the arrays).
     */
    int emitTcp(int src, int dst, int sport, int dport, int seq, int ack, int flags, int window,
                int mssOpt, int wscaleOpt, boolean sackPerm, boolean ts, int tsVal, int tsEcr,
                int[] sackStart, int[] sackEnd, int sackCount, ByteRing data, int dataOff, int dataLen, long now) {
        int optLen = (mssOpt >= 0 ? 4 : 0) + (ts ? 12 : sackPerm ? 4 : 0) + (wscaleOpt >= 0 ? 4 : 0)
                + (sackCount > 0 ? 4 + 8 * sackCount : 0);
        int hl = TcpPacket.MIN_HEADER_LEN + optLen;
        PacketBuffer out = pool.acquire(hl + dataLen + 20 + 14);
        out.setLength(hl + dataLen);
        byte[] d = out.data();
        int o = out.start();
        TcpPacket t = tcpOut.wrap(d, o, hl + dataLen);
        t.setSrcPort(sport);
        t.setDstPort(dport);
        t.setSeq(seq);
        t.setAck(ack);
        t.setHeaderLen(hl);
        t.setFlags(flags);
        t.setWindow(window);
        t.setChecksum(0);
        t.setUrgent(0);
        int q = o + TcpPacket.MIN_HEADER_LEN;
        if (mssOpt >= 0) {
            d[q] = TcpPacket.OPT_MSS;
            d[q + 1] = 4;
            Bytes.put16(d, q + 2, mssOpt);
            q += 4;
        }
        if (ts) {
            if (sackPerm) {
                d[q] = TcpPacket.OPT_SACK_PERMITTED;
                d[q + 1] = 2;
            } else {
                d[q] = TcpPacket.OPT_NOP;
                d[q + 1] = TcpPacket.OPT_NOP;
            }
            d[q + 2] = TcpPacket.OPT_TIMESTAMPS;
            d[q + 3] = 10;
            Bytes.put32(d, q + 4, tsVal);
            Bytes.put32(d, q + 8, tsEcr);
            q += 12;
        } else if (sackPerm) {
            d[q] = TcpPacket.OPT_NOP;
            d[q + 1] = TcpPacket.OPT_NOP;
            d[q + 2] = TcpPacket.OPT_SACK_PERMITTED;
            d[q + 3] = 2;
            q += 4;
        }
        if (wscaleOpt >= 0) {
            d[q] = TcpPacket.OPT_NOP;
            d[q + 1] = TcpPacket.OPT_WSCALE;
            d[q + 2] = 3;
            d[q + 3] = (byte) wscaleOpt;
            q += 4;
        }
        if (sackCount > 0) {
            d[q] = TcpPacket.OPT_NOP;
            d[q + 1] = TcpPacket.OPT_NOP;
            d[q + 2] = TcpPacket.OPT_SACK;
            d[q + 3] = (byte) (2 + 8 * sackCount);
            q += 4;
            for (int i = 0; i < sackCount; i++) {
                Bytes.put32(d, q, sackStart[i]);
                Bytes.put32(d, q + 4, sackEnd[i]);
                q += 8;
            }
        }
        if (dataLen > 0) {
            data.peek(dataOff, d, o + hl, dataLen);
        }
        t.fillChecksum(src, dst);
        counters.tcpOutSegs++;
        return ip.sendIpv4(out, src, dst, PROTO_TCP, DEFAULT_TTL, 0, true, now);
    }

    /** True when a datagram of {@code ipLen} bytes to {@code dst} fits the route MTU (then DF is set, IP_PMTUDISC_WANT). */
    boolean fitsMtu(int dst, int ipLen) {
        int mtu = ip.mtuFor(dst);
        return mtu == 0 || ipLen <= mtu;
    }

    /** The current virtual time. */
    long now() {
        return sched.now();
    }
}
