package dev.simnet.host;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.sched.Event;
import dev.simnet.wire.Bytes;
import dev.simnet.wire.TcpPacket;
import java.nio.ByteBuffer;

/**
 * One TCP connection endpoint (RFC 793 state machine with Linux's choices): three-way handshake
 * with MSS (route MTU − 40) and window-scale options, sequence and acknowledgement numbers,
 * receive window with flow control over a ring-buffer receive queue (out-of-order segments are
 * placed in the ring and committed when the hole fills), retransmission timeout per RFC 6298
 * (initial 1 s, minimum 200 ms as Linux, Karn's rule, exponential backoff to 120 s), fast
 * retransmit on three duplicate ACKs with NewReno recovery (RFC 6582), slow start and congestion
 * avoidance (cwnd in segments, initial window 10), zero-window probes, optional delayed ACK (every
 * second segment or 40 ms) and Nagle, FIN/RST teardown through every RFC 793 state with TIME_WAIT
 * lasting 60 s ({@code TCP_TIMEWAIT_LEN}) and FIN_WAIT_2 60 s for closed sockets
 * ({@code tcp_fin_timeout}). SACK (RFC 2018: blocks from the out-of-order queue; the sender retransmits
 * SACKed holes in recovery and skips SACKed data after a timeout), limited transmit (RFC 3042),
 * early retransmit (RFC 5827) and timestamps (RFC 7323, TSval on a millisecond clock with a
 * per-connection offset; RTT samples from TSecr) are on, as on Linux. Not modelled: PAWS, RACK-TLP,
 * D-SACK and undo, ECN, autotuning of the buffers, keepalive, urgent data.
 *
 * <p>Application side: {@link #connect} with a {@link Listener}; {@link #write} queues bytes in
 * the send buffer (returns how many fit); {@link #read} takes received bytes (-1 at end of
 * stream); {@link #shutdownOutput()} half-closes; {@link #close()} closes like {@code close(2)}
 * (a RST instead of a FIN when unread data remains); {@link #abort()} resets. Callbacks run from
 * a scheduler event at the current virtual time, never inside packet processing.
 */
public final class TcpSocket {
    /** Receives the events of one connection. All methods default to doing nothing. */
    public interface Listener {
        /** The handshake completed (active open) or the connection was accepted. */
        default void onConnected(TcpSocket s) {
        }

        /** Bytes are waiting in the receive buffer ({@link TcpSocket#available()}). */
        default void onData(TcpSocket s) {
        }

        /** Send-buffer space freed up after a {@link TcpSocket#write} accepted fewer bytes than offered. */
        default void onWritable(TcpSocket s) {
        }

        /** The peer sent FIN: once the buffered bytes are read, {@link TcpSocket#read} returns -1. */
        default void onPeerClosed(TcpSocket s) {
        }

        /** Both directions finished normally (TIME_WAIT or CLOSED reached) without {@link TcpSocket#close()}. */
        default void onClosed(TcpSocket s) {
        }

        /** The connection failed: ECONNREFUSED, ECONNRESET, ETIMEDOUT, EHOSTUNREACH… */
        default void onError(TcpSocket s, int errno) {
        }
    }

    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;

    /** Initial RTO (RFC 6298 2.1, Linux TCP_TIMEOUT_INIT). */
    public static final long RTO_INITIAL = 1_000_000_000L;
    /** Minimum RTO (Linux TCP_RTO_MIN). */
    public static final long RTO_MIN = 200_000_000L;
    /** Maximum RTO (Linux TCP_RTO_MAX). */
    public static final long RTO_MAX = 120_000_000_000L;
    /** TIME_WAIT duration (Linux TCP_TIMEWAIT_LEN). */
    public static final long TIME_WAIT_LEN = 60_000_000_000L;
    /** FIN_WAIT_2 timeout of a closed socket ({@code net.ipv4.tcp_fin_timeout}). */
    public static final long FIN_TIMEOUT = 60_000_000_000L;
    /** Delayed-ACK timeout (Linux TCP_DELACK_MIN). */
    public static final long DELACK = 40_000_000L;
    /** SYN retransmissions before connect fails ({@code net.ipv4.tcp_syn_retries}). */
    public static final int SYN_RETRIES = 6;
    /** SYN-ACK retransmissions ({@code net.ipv4.tcp_synack_retries}). */
    public static final int SYNACK_RETRIES = 5;
    /** Data retransmissions before the connection is dropped ({@code net.ipv4.tcp_retries2}). */
    public static final int RETRIES2 = 15;
    /** Initial congestion window in segments (RFC 6928, Linux TCP_INIT_CWND). */
    static final int INIT_CWND = 10;

    final HostStack stack;
    private TcpState state = TcpState.CLOSED;
    int localAddr;
    int localPort;
    int remoteAddr;
    int remotePort;
    boolean reuseAddr;
    TcpServerSocket parent;
    private SocketOwner owner;
    private Listener listener;

    // send side
    private ByteRing sndBuf;
    private int iss;
    private int sndUna;
    private int sndNxt;
    private int sndMax;
    private int sndBufSeq;
    private long sndWnd;
    private int sndWl1;
    private int sndWl2;
    private int sndWscale;
    private int rcvWscale;
    private int mss = 536;
    private int advMss = 536;
    private boolean finQueued;
    private boolean appClosed;
    private boolean wantWritable;

    // receive side
    private ByteRing rcvBuf;
    private int irs;
    private int rcvNxt;
    private int lastAdvWnd;
    /** Linux's {@code rcv_ssthresh}: starts at the SYN's window, grows by two segments per in-order segment. */
    private int rcvSsthresh = 65535;
    private boolean peerFin;
    private boolean peerFinKnown;
    private int peerFinSeq;
    private int[] oooStart = new int[8];
    private int[] oooEnd = new int[8];
    private int oooCount;

    // timers, RTT, congestion control
    private long rto = RTO_INITIAL;
    private long srtt = -1;
    private long rttvar;
    private int retries;
    private boolean probing;
    private boolean rttTiming;
    private int rttSeq;
    private long rttStart;
    private int cwnd = INIT_CWND;
    private int ssthresh = Integer.MAX_VALUE;
    private int cwndCnt;
    private int dupAcks;
    private boolean inRecovery;
    private int recover;
    private int softError;
    private boolean delayedAck = true;
    private boolean nagle = true;
    // SACK (RFC 2018): receiver blocks from the out-of-order ranges, sender scoreboard for hole retransmission (RFC 6675-style)
    private boolean sackOk;
    // timestamps (RFC 7323): TSval is the virtual millisecond clock plus a per-connection offset (tsoffset)
    private boolean tsOk;
    private int tsRecent;
    private int tsOffset;
    private int segTsVal;
    private int segTsEcr;
    private int lastOooSeq;
    private final int[] sackS = new int[4];
    private final int[] sackE = new int[4];
    private int[] sbStart = new int[8];
    private int[] sbEnd = new int[8];
    private int sbCount;
    private int rtxNext;
    private int segsSinceAck;
    private long retransmits;

    private final LazyTimer rtxTimer;
    private final LazyTimer delackTimer;
    private final LazyTimer waitTimer;

    // notifications
    private static final int N_CONNECTED = 1;
    private static final int N_DATA = 2;
    private static final int N_WRITABLE = 4;
    private static final int N_PEER_CLOSED = 8;
    private static final int N_CLOSED = 16;
    private static final int N_ERROR = 32;
    private int pendingNotify;
    private int errorToReport;
    private boolean notifyScheduled;
    private final Event notifier = this::notifyNow;

    TcpSocket(HostStack stack) {
        this.stack = stack;
        this.rtxTimer = new LazyTimer(stack.sched, this::rtxFired);
        this.delackTimer = new LazyTimer(stack.sched, now -> {
            if (segsSinceAck > 0) {
                sendAck(now);
            }
        });
        // TIME_WAIT expiry, or the FIN_WAIT_2 timeout of a closed socket
        this.waitTimer = new LazyTimer(stack.sched, now -> becomeClosed());
    }

    // ================================================================ configuration

    /** Sets {@code SO_REUSEADDR} (before bind/connect). */
    public TcpSocket setReuseAddress(boolean on) {
        this.reuseAddr = on;
        return this;
    }

    /** {@code TCP_NODELAY}: true disables Nagle's algorithm (Linux default: Nagle on). */
    public TcpSocket setNoDelay(boolean on) {
        this.nagle = !on;
        return this;
    }

    /** Delayed ACKs on (default, as Linux) or off ({@code TCP_QUICKACK} permanently). */
    public TcpSocket setDelayedAck(boolean on) {
        this.delayedAck = on;
        return this;
    }

    /** Records the owning process for {@code ss -p}. */
    public TcpSocket setOwner(String command, int pid) {
        this.owner = stack.owner(command, pid);
        return this;
    }

    void setOwner(SocketOwner o) {
        this.owner = o;
    }

    /** The owning process, or null. */
    public SocketOwner owner() {
        return owner;
    }

    /** Installs the callback; events that happened before are delivered now (from an event). */
    public TcpSocket setListener(Listener l) {
        this.listener = l;
        if (l != null && pendingNotify != 0) {
            scheduleNotify();
        }
        return this;
    }

    /** Binds the local end before {@link #connect} (port 0 = ephemeral at connect). */
    public TcpSocket bind(int addr, int port) {
        if (state != TcpState.CLOSED || localPort != 0) {
            throw new SocketError(Errno.EINVAL, "bind (already bound)");
        }
        localPort = stack.bindPort(HostStack.PROTO_TCP, addr, port, reuseAddr, this);
        localAddr = addr;
        return this;
    }

    // ================================================================ active open

    /** Starts connecting to {@code addr:port}; the listener hears {@code onConnected} or {@code onError}. */
    public TcpSocket connect(int addr, int port, Listener l) {
        if (state != TcpState.CLOSED || appClosed) {
            throw new SocketError(state == TcpState.SYN_SENT ? Errno.EALREADY : Errno.EISCONN, "connect");
        }
        if (port <= 0 || port > 65535) {
            throw new SocketError(Errno.EINVAL, "connect port " + port);
        }
        int src = stack.ip.sourceAddressFor(addr);
        if (src == 0) {
            throw new SocketError(Errno.ENETUNREACH, "connect " + Ipv4Address.format(addr));
        }
        this.listener = l;
        if (localAddr == 0) {
            localAddr = src;
        }
        if (localPort == 0) {
            localPort = stack.ephemeralPort(HostStack.PROTO_TCP, true);
        }
        if (stack.tcpLookup(localAddr, localPort, addr, port) != null) {
            throw new SocketError(Errno.EADDRNOTAVAIL, "connect (4-tuple in use)");
        }
        remoteAddr = addr;
        remotePort = port;
        initBuffers();
        advMss = mssForRoute();
        iss = stack.rng.nextInt();
        tsOffset = stack.rng.nextInt();
        tsOk = stack.tcpTimestamps; // offered; confirmed by the SYN-ACK
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        sndBufSeq = iss + 1;
        recover = iss;
        state = TcpState.SYN_SENT;
        stack.tcpRegister(this);
        stack.counters.tcpActiveOpens++;
        long now = stack.now();
        sendSyn(false, now);
        startRttTiming(iss + 1, now);
        rtxTimer.set(now + rto);
        return this;
    }

    /** Connects to {@code addr:port}. */
    public TcpSocket connect(Ipv4Address addr, int port, Listener l) {
        return connect(addr.bits(), port, l);
    }

    // ================================================================ passive open (called by TcpServerSocket)

    void acceptSyn(TcpServerSocket parent, int laddr, int lport, int raddr, int rport, int seq, int window,
                   int peerMss, int peerWscale, boolean peerSackOk, boolean peerTs, int peerTsVal, long now) {
        this.parent = parent;
        this.sackOk = peerSackOk;
        this.tsOk = peerTs && stack.tcpTimestamps;
        this.tsRecent = peerTsVal;
        this.reuseAddr = parent.reuseAddr;
        localAddr = laddr;
        localPort = lport;
        remoteAddr = raddr;
        remotePort = rport;
        initBuffers();
        advMss = mssForRoute();
        mss = Math.min(peerMss > 0 ? peerMss : 536, advMss) - (tsOk ? 12 : 0);
        if (peerWscale >= 0) {
            sndWscale = Math.min(peerWscale, 14);
            rcvWscale = stack.tcpWscale();
        }
        irs = seq;
        rcvNxt = seq + 1;
        iss = stack.rng.nextInt();
        tsOffset = stack.rng.nextInt();
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        sndBufSeq = iss + 1;
        recover = iss;
        sndWnd = window & 0xffff; // never scaled in a SYN
        sndWl1 = seq;
        sndWl2 = iss;
        state = TcpState.SYN_RECV;
        stack.tcpRegister(this);
        sendSyn(true, now);
        rtxTimer.set(now + rto);
    }

    private void initBuffers() {
        if (sndBuf == null) {
            sndBuf = new ByteRing(stack.tcpSendBuffer);
            rcvBuf = new ByteRing(stack.tcpRecvBuffer);
        }
    }

    private int mssForRoute() {
        int mtu = stack.ip.mtuFor(remoteAddr);
        // ipv4_default_advmss: route MTU - 40, at most IPV4_MAX_PMTU - 40 = 65495 (what lo's 65536 MTU gives)
        return mtu > 40 ? Math.min(mtu - 40, 65495) : 536;
    }

    private void sendSyn(boolean synAck, long now) {
        // tcp_select_initial_window: the SYN's window is the space rounded down to a multiple of the MSS;
        // a SYN-ACK uses the MSS less the timestamp option when timestamps were agreed (tcp_openreq_init_rwin)
        int space = Math.min(rcvBuf.free(), 65535);
        int roundMss = synAck && tsOk ? advMss - 12 : advMss;
        if (space > roundMss) {
            space = space / roundMss * roundMss;
        }
        lastAdvWnd = space;
        rcvSsthresh = space;
        int ws = synAck ? (rcvWscale > 0 || sndWscale > 0 ? stack.tcpWscale() : -1) : stack.tcpWscale();
        if (synAck && ws < 0) {
            rcvWscale = 0;
        }
        stack.emitTcp(localAddr, remoteAddr, localPort, remotePort, iss, synAck ? rcvNxt : 0,
                synAck ? SYN | ACK : SYN, space, advMss, ws, !synAck || sackOk, tsOk, tsVal(now), synAck ? tsRecent : 0,
                null, null, 0, null, 0, 0, now);
    }

    // ================================================================ application API

    /** The connection state. */
    public TcpState state() {
        return state;
    }

    /** Bytes ready to read. */
    public int available() {
        return rcvBuf == null ? 0 : rcvBuf.size();
    }

    /** Free space in the send buffer. */
    public int writable() {
        return sndBuf == null ? 0 : sndBuf.free();
    }

    /**
     * Queues up to {@code len} bytes for sending; returns how many fit in the send buffer (0 when
     * full: {@code onWritable} follows when space frees). Throws EPIPE after shutdown/close and
     * the connection's error after a failure.
     */
    public int write(byte[] src, int off, int len) {
        checkWritable();
        int n = sndBuf.write(src, off, len);
        if (n < len) {
            wantWritable = true;
        }
        if (n > 0 && state.synchronizedState()) {
            output(stack.now());
        }
        return n;
    }

    /** Queues as many bytes of {@code src} as fit; returns how many. */
    public int write(ByteBuffer src) {
        checkWritable();
        int want = src.remaining();
        int n = sndBuf.write(src);
        if (n < want) {
            wantWritable = true;
        }
        if (n > 0 && state.synchronizedState()) {
            output(stack.now());
        }
        return n;
    }

    /** Queues the whole array if it fits (else as much as fits); returns how many bytes. */
    public int write(byte[] src) {
        return write(src, 0, src.length);
    }

    private void checkWritable() {
        if (errorToReport != 0 && (state == TcpState.CLOSED)) {
            throw new SocketError(errorToReport, "write");
        }
        if (sndBuf == null) {
            throw new SocketError(Errno.ENOTCONN, "write");
        }
        if (finQueued || appClosed || state == TcpState.CLOSED || state == TcpState.TIME_WAIT) {
            throw new SocketError(Errno.EPIPE, "write");
        }
    }

    /** Reads up to {@code len} bytes; returns the count, 0 if none is waiting, -1 at end of stream. */
    public int read(byte[] dst, int off, int len) {
        if (rcvBuf == null) {
            return 0;
        }
        int n = rcvBuf.read(dst, off, len);
        if (n == 0) {
            return peerFin ? -1 : 0;
        }
        afterRead(n);
        return n;
    }

    /** Reads into {@code dst}; returns the count, 0 if none is waiting, -1 at end of stream. */
    public int read(ByteBuffer dst) {
        if (rcvBuf == null) {
            return 0;
        }
        int n = rcvBuf.read(dst);
        if (n == 0) {
            return peerFin ? -1 : 0;
        }
        afterRead(n);
        return n;
    }

    /** Reads and returns every byte waiting (convenience; allocates). */
    public byte[] readAll() {
        byte[] b = new byte[available()];
        read(b, 0, b.length);
        return b;
    }

    /** True once the peer's FIN arrived and every byte before it was read. */
    public boolean isEof() {
        return peerFin && available() == 0;
    }

    private void afterRead(int n) {
        // Window update when the window has opened by at least two segments or from below one (tcp_cleanup_rbuf).
        if (state == TcpState.ESTABLISHED || state == TcpState.FIN_WAIT_1 || state == TcpState.FIN_WAIT_2) {
            int wnd = currentWindowBytes();
            if (wnd - lastAdvWnd >= 2 * mss || (lastAdvWnd < mss && wnd >= mss)) {
                sendAck(stack.now());
            }
        }
    }

    /** Half-close: a FIN follows the queued data; receiving continues ({@code shutdown(SHUT_WR)}). */
    public void shutdownOutput() {
        if (finQueued) {
            return;
        }
        switch (state) {
            case ESTABLISHED -> {
                finQueued = true;
                state = TcpState.FIN_WAIT_1;
                output(stack.now());
            }
            case CLOSE_WAIT -> {
                finQueued = true;
                state = TcpState.LAST_ACK;
                output(stack.now());
            }
            case SYN_SENT, SYN_RECV -> finQueued = true; // FIN goes out once established
            default -> {
            }
        }
    }

    /**
     * {@code close(2)}: the application is done with the socket. With unread received data the
     * connection is reset (as Linux does); otherwise a FIN follows the queued data and the
     * connection finishes in the background (FIN_WAIT_2 times out after 60 s, TIME_WAIT lasts 60 s).
     * No callbacks are delivered afterwards.
     */
    public void close() {
        if (appClosed) {
            return;
        }
        appClosed = true;
        listener = null;
        stack.releaseOwner(owner);
        long now = stack.now();
        switch (state) {
            case CLOSED -> becomeClosed();
            case SYN_SENT -> becomeClosed();
            case SYN_RECV, ESTABLISHED, CLOSE_WAIT -> {
                if (available() > 0) {
                    sendRst(now);
                    becomeClosed();
                } else {
                    shutdownOutput();
                    if (state == TcpState.SYN_RECV) {
                        state = TcpState.FIN_WAIT_1;
                        output(now);
                    }
                }
            }
            case FIN_WAIT_1, FIN_WAIT_2, CLOSING, LAST_ACK, TIME_WAIT -> {
                if (available() > 0) {
                    sendRst(now);
                    becomeClosed();
                } else if (state == TcpState.FIN_WAIT_2) {
                    waitTimer.set(now + FIN_TIMEOUT);
                }
            }
            default -> {
            }
        }
    }

    /** Resets the connection at once (SO_LINGER with zero timeout then close). */
    public void abort() {
        if (!appClosed) {
            stack.releaseOwner(owner);
        }
        appClosed = true;
        listener = null;
        if (state.synchronizedState() && state != TcpState.TIME_WAIT || state == TcpState.SYN_RECV) {
            sendRst(stack.now());
        }
        becomeClosed();
    }

    /** The namespace is gone: the connection disappears without another segment and without a callback. */
    void destroy() {
        if (!appClosed) {
            stack.releaseOwner(owner);
        }
        appClosed = true;
        listener = null;
        becomeClosed();
    }

    // ================================================================ introspection

    /** Local address. */
    public int localAddress() {
        return localAddr;
    }

    /** Local port. */
    public int localPort() {
        return localPort;
    }

    /** Peer address. */
    public int remoteAddress() {
        return remoteAddr;
    }

    /** Peer port. */
    public int remotePort() {
        return remotePort;
    }

    /** Our initial sequence number. */
    public int iss() {
        return iss;
    }

    /** The peer's initial sequence number. */
    public int irs() {
        return irs;
    }

    /** SND.UNA: oldest unacknowledged sequence number. */
    public int sndUna() {
        return sndUna;
    }

    /** SND.NXT: next sequence number to send. */
    public int sndNxt() {
        return sndNxt;
    }

    /** RCV.NXT: next sequence number expected. */
    public int rcvNxt() {
        return rcvNxt;
    }

    /** The send MSS in use. */
    public int mss() {
        return mss;
    }

    /** The MSS this end advertised (route MTU − 40). */
    public int advertisedMss() {
        return advMss;
    }

    /** The peer's window-scale shift in use (0 when not negotiated). */
    public int sendWindowScale() {
        return sndWscale;
    }

    /** Our window-scale shift in use (0 when not negotiated). */
    public int receiveWindowScale() {
        return rcvWscale;
    }

    /** The peer's current receive window in bytes (scaled). */
    public long sendWindow() {
        return sndWnd;
    }

    /** Congestion window in segments. */
    public int cwnd() {
        return cwnd;
    }

    /** Slow-start threshold in segments. */
    public int ssthresh() {
        return ssthresh;
    }

    /** Current retransmission timeout in nanoseconds (backed off after timeouts). */
    public long rto() {
        return rto;
    }

    /** Smoothed RTT in nanoseconds, or -1 before the first sample. */
    public long srtt() {
        return srtt;
    }

    /** Segments retransmitted on this connection. */
    public long retransmits() {
        return retransmits;
    }

    /** Bytes not yet acknowledged by the peer (sent or not), ss's Send-Q. */
    public int unacknowledged() {
        return sndBuf == null ? 0 : sndBuf.size();
    }

    SocketInfo info() {
        return new SocketInfo("tcp", state, available(), unacknowledged(), localAddr, localPort, remoteAddr, remotePort,
                state == TcpState.TIME_WAIT || appClosed ? null : owner);
    }

    // ================================================================ input

    private static boolean before(int a, int b) {
        return a - b < 0;
    }

    private static boolean after(int a, int b) {
        return a - b > 0;
    }

    /** One segment for this connection; {@code off} is the TCP header in {@code b}. */
    void segmentArrives(TcpPacket seg, long now) {
        byte[] b = seg.buffer();
        int seq = seg.seq();
        int ack = seg.ack();
        int flags = seg.flags() & (FIN | SYN | RST | PSH | ACK);
        int window = seg.window();
        int payOff = seg.payloadOffset();
        int payLen = seg.payloadLen();

        if (state == TcpState.SYN_SENT) {
            synSentInput(seg, seq, ack, flags, window, now);
            return;
        }
        if (state == TcpState.CLOSED) {
            return;
        }

        // 1. acceptability (RFC 793 p. 69)
        int segLen = payLen + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
        int rcvWnd = rcvBuf.free();
        boolean acceptable;
        if (segLen == 0) {
            acceptable = rcvWnd == 0 ? seq == rcvNxt : !before(seq, rcvNxt) && before(seq, rcvNxt + rcvWnd);
        } else {
            acceptable = rcvWnd != 0 && (inWindow(seq, rcvWnd) || inWindow(seq + segLen - 1, rcvWnd));
        }
        if (!acceptable) {
            if (state == TcpState.SYN_RECV && (flags & (SYN | ACK | RST)) == SYN && seq == irs) {
                sendSyn(true, now); // the peer retransmitted its SYN: repeat the SYN-ACK
                return;
            }
            if ((flags & RST) == 0) {
                if (state == TcpState.TIME_WAIT && (flags & FIN) != 0) {
                    waitTimer.set(now + TIME_WAIT_LEN);
                }
                sendAck(now);
            }
            return;
        }

        // 2. RST (RFC 5961 3.2: exact match resets, in-window gets a challenge ACK)
        if ((flags & RST) != 0) {
            if (seq == rcvNxt) {
                if (state == TcpState.SYN_RECV && parent != null) {
                    becomeClosed();
                } else if (state == TcpState.TIME_WAIT || state == TcpState.CLOSING || state == TcpState.LAST_ACK) {
                    becomeClosed();
                } else {
                    fail(Errno.ECONNRESET);
                }
            } else {
                sendAck(now);
            }
            return;
        }

        // trim the part before RCV.NXT
        if (before(seq, rcvNxt)) {
            int dup = rcvNxt - seq;
            if ((flags & SYN) != 0) {
                flags &= ~SYN;
                seq++;
                dup--;
            }
            if (dup > payLen) {
                dup = payLen; // only a FIN may remain
            }
            payOff += dup;
            payLen -= dup;
            seq += dup;
            if (before(seq, rcvNxt)) {
                flags &= ~FIN;
                seq = rcvNxt;
            }
        }
        // trim the part beyond the window
        if (payLen > 0 && after(seq + payLen, rcvNxt + rcvWnd)) {
            payLen = rcvNxt + rcvWnd - seq;
            flags &= ~FIN;
            if (payLen < 0) {
                payLen = 0;
            }
        }

        // 4. SYN in window: challenge ACK (RFC 5961 4.2)
        if ((flags & SYN) != 0) {
            sendAck(now);
            return;
        }

        // timestamps: remember the peer's TSval for echoing (RFC 7323 4.3: when SEG.SEQ <= RCV.NXT), keep TSecr for RTT
        segTsEcr = 0;
        if (tsOk) {
            int t = timestampOption(seg);
            if (t >= 0) {
                if (!after(seg.seq(), rcvNxt)) {
                    tsRecent = Bytes.i32(b, t + 2);
                }
                segTsEcr = Bytes.i32(b, t + 6);
            }
        }

        // 5. ACK
        if ((flags & ACK) == 0) {
            return;
        }
        if (state == TcpState.SYN_RECV) {
            if (!after(ack, sndUna) || after(ack, sndMax)) {
                stack.emitTcp(localAddr, remoteAddr, localPort, remotePort, ack, 0, RST, 0, -1, -1, null, 0, 0, now);
                stack.counters.tcpOutRsts++;
                return;
            }
            if (parent != null && !parent.childEstablished(this, now)) {
                stack.counters.tcpListenOverflows++;
                return; // accept queue full: drop the ACK, keep SYN_RECV (tcp_abort_on_overflow=0)
            }
            sndUna = iss + 1;
            sndWnd = (long) window << sndWscale;
            sndWl1 = seq;
            sndWl2 = ack;
            retries = 0;
            rtxTimer.stop();
            if (rttTiming) {
                rttSample(now - rttStart);
                rttTiming = false;
            } else if (srtt < 0) {
                rto = RTO_INITIAL;
            }
            state = finQueued ? TcpState.FIN_WAIT_1 : TcpState.ESTABLISHED;
            if (parent == null) {
                notifyApp(N_CONNECTED);
            }
        }
        if (after(ack, sndMax)) {
            sendAck(now); // acknowledges something not yet sent
            return;
        }
        boolean finAcked = processAck(seg, seq, ack, window, payLen, flags, now);
        switch (state) {
            case FIN_WAIT_1 -> {
                if (finAcked) {
                    state = TcpState.FIN_WAIT_2;
                    if (appClosed) {
                        waitTimer.set(now + FIN_TIMEOUT);
                    }
                }
            }
            case CLOSING -> {
                if (finAcked) {
                    enterTimeWait(now);
                    return;
                }
            }
            case LAST_ACK -> {
                if (finAcked) {
                    becomeClosed();
                    if (!appClosed) {
                        notifyApp(N_CLOSED);
                    }
                    return;
                }
            }
            case TIME_WAIT -> {
                if ((flags & FIN) != 0) {
                    sendAck(now);
                    waitTimer.set(now + TIME_WAIT_LEN);
                }
                return;
            }
            default -> {
            }
        }

        // 7. segment text
        boolean immediateAck = false;
        if (payLen > 0) {
            if (state == TcpState.ESTABLISHED || state == TcpState.FIN_WAIT_1 || state == TcpState.FIN_WAIT_2) {
                if (appClosed) {
                    // data for a closed socket: Linux answers with RST (tcp_rcv_state_process)
                    sendRst(now);
                    becomeClosed();
                    return;
                }
                immediateAck = receiveData(b, payOff, payLen, seq, now);
            } else {
                immediateAck = true;
            }
        } else if (segLen == 0 && (flags & FIN) == 0 && oooCount > 0) {
            immediateAck = false;
        }

        // 8. FIN
        if ((flags & FIN) != 0) {
            int finSeq = seq + payLen;
            if (!peerFinKnown && !peerFin) {
                peerFinKnown = true;
                peerFinSeq = finSeq;
            }
            immediateAck = true;
        }
        if (peerFinKnown && !peerFin && rcvNxt == peerFinSeq) {
            peerFinReached(now);
            immediateAck = true;
        }

        if (state == TcpState.CLOSED) {
            return;
        }
        output(now);
        if (immediateAck) {
            sendAck(now);
        } else if (segsSinceAck > 0) {
            if (!delayedAck || segsSinceAck >= 2) {
                sendAck(now);
            } else if (!delackTimer.armed()) {
                delackTimer.set(now + DELACK);
            }
        }
    }

    private boolean inWindow(int s, int wnd) {
        return !before(s, rcvNxt) && before(s, rcvNxt + wnd);
    }

    private void synSentInput(TcpPacket seg, int seq, int ack, int flags, int window, long now) {
        if ((flags & ACK) != 0 && (!after(ack, iss) || after(ack, sndMax))) {
            if ((flags & RST) == 0) {
                stack.emitTcp(localAddr, remoteAddr, localPort, remotePort, ack, 0, RST, 0, -1, -1, null, 0, 0, now);
                stack.counters.tcpOutRsts++;
            }
            return;
        }
        if ((flags & RST) != 0) {
            if ((flags & ACK) != 0) {
                stack.counters.tcpAttemptFails++;
                fail(Errno.ECONNREFUSED);
            }
            return;
        }
        if ((flags & SYN) == 0) {
            return;
        }
        int peerMss = seg.mssOption();
        int peerWscale = windowScaleOption(seg);
        sackOk = seg.findOption(TcpPacket.OPT_SACK_PERMITTED) >= 0;
        int tsAt = timestampOption(seg);
        tsOk = tsOk && tsAt >= 0;
        if (tsOk) {
            tsRecent = Bytes.i32(seg.buffer(), tsAt + 2);
        }
        irs = seq;
        rcvNxt = seq + 1;
        mss = Math.min(peerMss > 0 ? peerMss : 536, advMss) - (tsOk ? 12 : 0);
        if (peerWscale >= 0) {
            sndWscale = Math.min(peerWscale, 14);
            rcvWscale = stack.tcpWscale();
        } else {
            sndWscale = 0;
            rcvWscale = 0;
        }
        if ((flags & ACK) != 0) {
            sndUna = ack;
            sndWnd = window & 0xffff;
            sndWl1 = seq;
            sndWl2 = ack;
            retries = 0;
            rtxTimer.stop();
            if (rttTiming) {
                rttSample(now - rttStart);
                rttTiming = false;
            } else if (srtt < 0) {
                // Linux: after a SYN retransmission without an RTT sample the RTO restarts from 1 s... (RFC 6298 5.7 says 3 s)
                rto = RTO_INITIAL;
            }
            state = finQueued ? TcpState.FIN_WAIT_1 : TcpState.ESTABLISHED;
            notifyApp(N_CONNECTED);
            sendAck(now);
            output(now);
        } else {
            // simultaneous open
            state = TcpState.SYN_RECV;
            sendSyn(true, now);
        }
    }

    /** Index of a well-formed timestamp option, or -1. */
    static int timestampOption(TcpPacket seg) {
        int i = seg.findOption(TcpPacket.OPT_TIMESTAMPS);
        return i < 0 || (seg.buffer()[i + 1] & 0xff) != 10 ? -1 : i;
    }

    private int tsVal(long now) {
        return (int) (now / 1_000_000L) + tsOffset;
    }

    /** The window-scale option's shift, or -1 when absent or malformed. */
    static int windowScaleOption(TcpPacket seg) {
        int i = seg.findOption(TcpPacket.OPT_WSCALE);
        return i < 0 || (seg.buffer()[i + 1] & 0xff) != 3 ? -1 : seg.buffer()[i + 2] & 0xff;
    }

    /** Processes the acknowledgement field; returns true when it acknowledges our FIN. */
    private boolean processAck(TcpPacket seg, int seq, int ack, int window, int payLen, int flags, long now) {
        if (sackOk) {
            readSackBlocks(seg, ack);
        }
        long newWnd = (long) window << sndWscale;
        boolean windowUpdate = false;
        if (before(sndWl1, seq) || (sndWl1 == seq && !before(ack, sndWl2))) {
            windowUpdate = newWnd != sndWnd;
            sndWnd = newWnd;
            sndWl1 = seq;
            sndWl2 = ack;
        }
        int dataEnd = sndBufSeq + sndBuf.size();
        boolean finAcked = false;
        if (after(ack, sndUna)) {
            int ackedBytes = ack - sndUna;
            int dataAcked = (after(ack, dataEnd) ? dataEnd : ack) - sndBufSeq;
            if (dataAcked > 0) {
                sndBuf.skip(dataAcked);
                sndBufSeq += dataAcked;
                if (wantWritable) {
                    wantWritable = false;
                    notifyApp(N_WRITABLE);
                }
            }
            if (finQueued && after(ack, dataEnd)) {
                finAcked = true;
            }
            sndUna = ack;
            if (before(sndNxt, ack)) {
                sndNxt = ack;
            }
            retries = 0;
            probing = false;
            if (tsOk && segTsEcr != 0) {
                // RFC 7323 RTTM: every ACK of new data echoes the TSval of the segment it answers (no Karn ambiguity)
                long ms = (now / 1_000_000L) + tsOffset - segTsEcr;
                if (ms >= 0 && ms < 3_600_000L) {
                    rttSample(Math.max(1, ms) * 1_000_000L);
                }
                rttTiming = false;
            } else if (rttTiming && !before(ack, rttSeq)) {
                rttSample(now - rttStart);
                rttTiming = false;
            }
            int ackedSegs = Math.max(1, (ackedBytes + mss - 1) / mss);
            if (inRecovery) {
                if (!before(ack, recover)) {
                    // full acknowledgement: leave fast recovery (RFC 6582 3.2 step 3)
                    inRecovery = false;
                    int flight = (sndMax - sndUna + mss - 1) / mss;
                    cwnd = Math.max(1, Math.min(ssthresh, flight + 1));
                    cwndCnt = 0;
                } else {
                    // partial acknowledgement: retransmit the next hole, deflate (RFC 6582 3.2 step 4)
                    pruneScoreboard();
                    if (!sackOk || sbCount == 0) {
                        retransmitFirst(now);
                    } else {
                        retransmitNextHole(now);
                    }
                    cwnd = Math.max(1, cwnd - ackedSegs + 1);
                }
            } else {
                growCwnd(ackedSegs);
            }
            dupAcks = 0;
            pruneScoreboard();
            if (sndUna == sndMax) {
                rtxTimer.stop();
            } else {
                rtxTimer.set(now + rto);
            }
        } else if (ack == sndUna && payLen == 0 && (flags & (SYN | FIN)) == 0 && !windowUpdate && sndMax != sndUna) {
            dupAcks++;
            if (dupAcks == dupThreshold() && !inRecovery && after(ack, recover)) {
                // fast retransmit (RFC 5681 3.2, RFC 6582)
                int flight = (sndMax - sndUna + mss - 1) / mss;
                ssthresh = Math.max(flight / 2, 2);
                recover = sndMax;
                inRecovery = true;
                stack.counters.tcpFastRetrans++;
                retransmitFirst(now);
                rtxNext = sndUna + Math.max(1, Math.min(mss, dataEnd() - sndUna));
                cwnd = ssthresh + 3;
                rtxTimer.set(now + rto);
            } else if (dupAcks > 3 && inRecovery) {
                // each duplicate ACK means a segment left the network: fill a SACKed hole with it, else inflate
                if (!(sackOk && retransmitNextHole(now))) {
                    cwnd++;
                }
            }
        }
        return finAcked;
    }

    /**
     * Three duplicate ACKs, or fewer when less than four segments are outstanding and no new
     * segment can be sent (early retransmit, RFC 5827), so a small window can still recover
     * without waiting for the timer.
     */
    private int dupThreshold() {
        int outstanding = (sndMax - sndUna + mss - 1) / mss;
        if (outstanding >= 4) {
            return 3;
        }
        long wnd = Math.min((long) cwnd * mss, sndWnd);
        boolean canSendNew = dataEnd() - sndNxt > 0 && wnd - (sndNxt - sndUna) >= Math.min(mss, dataEnd() - sndNxt);
        return canSendNew ? 3 : Math.max(1, outstanding - 1);
    }

    private void growCwnd(int ackedSegs) {
        int cap = Math.max(INIT_CWND, sndBuf.capacity() / Math.max(mss, 1) + 1);
        if (cwnd < ssthresh) {
            cwnd = Math.min(cwnd + ackedSegs, Math.max(ssthresh, cwnd));
        } else {
            cwndCnt += ackedSegs;
            if (cwndCnt >= cwnd) {
                cwndCnt -= cwnd;
                cwnd++;
            }
        }
        if (cwnd > cap) {
            cwnd = cap;
        }
    }

    private void rttSample(long r) {
        if (r <= 0) {
            r = 1;
        }
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2;
        } else {
            long delta = Math.abs(srtt - r);
            rttvar = (3 * rttvar + delta) / 4;
            srtt = (7 * srtt + r) / 8;
        }
        // RFC 6298 (2.3) with Linux's floor: RTO >= SRTT + 200 ms (tcp_rto_min bounds the variance term)
        rto = Math.min(RTO_MAX, srtt + Math.max(4 * rttvar, RTO_MIN));
    }

    private void startRttTiming(int seqEnd, long now) {
        rttTiming = true;
        rttSeq = seqEnd;
        rttStart = now;
    }

    /** Places payload in the receive ring; returns true when an immediate ACK is due (out of order or a hole filled). */
    private boolean receiveData(byte[] b, int payOff, int payLen, int seq, long now) {
        int offset = seq - rcvNxt;
        if (offset == 0) {
            rcvBuf.writeAt(0, b, payOff, payLen);
            rcvBuf.commit(payLen);
            rcvNxt += payLen;
            boolean hadHoles = oooCount > 0;
            while (oooCount > 0 && !after(oooStart[0], rcvNxt)) {
                if (after(oooEnd[0], rcvNxt)) {
                    int more = oooEnd[0] - rcvNxt;
                    rcvBuf.commit(more);
                    rcvNxt += more;
                }
                removeRange(0);
            }
            segsSinceAck++;
            if (rcvSsthresh < rcvBuf.capacity()) {
                rcvSsthresh = Math.min(rcvSsthresh + 2 * advMss, rcvBuf.capacity()); // tcp_grow_window
            }
            notifyApp(N_DATA);
            return hadHoles;
        }
        // out of order: store in place, remember the range, send a duplicate ACK at once
        rcvBuf.writeAt(offset, b, payOff, payLen);
        addRange(seq, seq + payLen);
        lastOooSeq = seq;
        return true;
    }

    private void addRange(int s, int e) {
        if (oooCount == oooStart.length) {
            oooStart = java.util.Arrays.copyOf(oooStart, oooCount * 2);
            oooEnd = java.util.Arrays.copyOf(oooEnd, oooCount * 2);
        }
        oooCount = insertRange(oooStart, oooEnd, oooCount, s, e);
    }

    /**
     * Inserts {@code [s, e)} into the {@code count} sequence ranges sorted by start (the arrays
     * have room for one more), merges overlapping or adjacent neighbours, and returns the new count.
     */
    private static int insertRange(int[] start, int[] end, int count, int s, int e) {
        int i = 0;
        while (i < count && before(start[i], s)) {
            i++;
        }
        System.arraycopy(start, i, start, i + 1, count - i);
        System.arraycopy(end, i, end, i + 1, count - i);
        start[i] = s;
        end[i] = e;
        count++;
        int w = 0;
        for (int r = 1; r < count; r++) {
            if (!after(start[r], end[w])) {
                if (after(end[r], end[w])) {
                    end[w] = end[r];
                }
            } else {
                w++;
                start[w] = start[r];
                end[w] = end[r];
            }
        }
        return w + 1;
    }

    /** Fills {@link #sackS}/{@link #sackE} from the out-of-order ranges; the block holding the latest segment first (RFC 2018 4). */
    private int sackBlocks() {
        if (!sackOk || oooCount == 0) {
            return 0;
        }
        int n = 0;
        int first = -1;
        for (int i = 0; i < oooCount; i++) {
            if (!before(lastOooSeq, oooStart[i]) && before(lastOooSeq, oooEnd[i])) {
                first = i;
                sackS[n] = oooStart[i];
                sackE[n] = oooEnd[i];
                n++;
                break;
            }
        }
        int max = tsOk ? 3 : sackS.length;
        for (int i = 0; i < oooCount && n < max; i++) {
            if (i != first) {
                sackS[n] = oooStart[i];
                sackE[n] = oooEnd[i];
                n++;
            }
        }
        return n;
    }

    /** Adds the SACK blocks of an incoming ACK to the scoreboard (blocks at or below the ACK, D-SACKs, are ignored). */
    private void readSackBlocks(TcpPacket seg, int ack) {
        int i = seg.findOption(TcpPacket.OPT_SACK);
        if (i < 0) {
            return;
        }
        byte[] b = seg.buffer();
        int blocks = ((b[i + 1] & 0xff) - 2) / 8;
        for (int k = 0; k < blocks; k++) {
            int s0 = Bytes.i32(b, i + 2 + 8 * k);
            int e0 = Bytes.i32(b, i + 6 + 8 * k);
            if (!after(e0, s0) || !after(e0, ack) || after(e0, sndMax)) {
                continue;
            }
            if (before(s0, ack)) {
                s0 = ack;
            }
            scoreboardAdd(s0, e0);
        }
    }

    private void scoreboardAdd(int s0, int e0) {
        if (sbCount == sbStart.length) {
            sbStart = java.util.Arrays.copyOf(sbStart, sbCount * 2);
            sbEnd = java.util.Arrays.copyOf(sbEnd, sbCount * 2);
        }
        sbCount = insertRange(sbStart, sbEnd, sbCount, s0, e0);
    }

    /** Drops scoreboard blocks the cumulative ACK has passed. */
    private void pruneScoreboard() {
        int drop = 0;
        while (drop < sbCount && !after(sbEnd[drop], sndUna)) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(sbStart, drop, sbStart, 0, sbCount - drop);
            System.arraycopy(sbEnd, drop, sbEnd, 0, sbCount - drop);
            sbCount -= drop;
        }
        if (sbCount > 0 && before(sbStart[0], sndUna)) {
            sbStart[0] = sndUna;
        }
    }

    /**
     * Retransmits the first hole below the highest SACKed sequence that has not been retransmitted
     * in this recovery (RFC 6675 NextSeg, rule 1); false when there is none.
     */
    private boolean retransmitNextHole(long now) {
        if (sbCount == 0) {
            return false;
        }
        int seq = after(rtxNext, sndUna) ? rtxNext : sndUna;
        int holeEnd = sbEnd[sbCount - 1];
        for (int i = 0; i < sbCount; i++) {
            if (!before(seq, sbStart[i]) && before(seq, sbEnd[i])) {
                seq = sbEnd[i];
            } else if (after(sbStart[i], seq)) {
                holeEnd = sbStart[i];
                break;
            }
        }
        if (!before(seq, holeEnd)) {
            return false;
        }
        int len = Math.min(Math.min(mss, holeEnd - seq), dataEnd() - seq);
        if (len <= 0) {
            return false;
        }
        rttTiming = false; // Karn
        retransmits++;
        stack.counters.tcpRetransSegs++;
        transmit(seq, len, false, now);
        rtxNext = seq + len;
        return true;
    }

    private void removeRange(int i) {
        System.arraycopy(oooStart, i + 1, oooStart, i, oooCount - i - 1);
        System.arraycopy(oooEnd, i + 1, oooEnd, i, oooCount - i - 1);
        oooCount--;
    }

    private void peerFinReached(long now) {
        peerFin = true;
        rcvNxt++;
        switch (state) {
            case SYN_RECV, ESTABLISHED -> {
                state = TcpState.CLOSE_WAIT;
                notifyApp(N_PEER_CLOSED);
            }
            case FIN_WAIT_1 -> {
                // our FIN not yet acknowledged (processAck ran before): simultaneous close
                state = TcpState.CLOSING;
                notifyApp(N_PEER_CLOSED);
            }
            case FIN_WAIT_2 -> {
                notifyApp(N_PEER_CLOSED);
                enterTimeWait(now);
            }
            default -> {
            }
        }
    }

    private void enterTimeWait(long now) {
        state = TcpState.TIME_WAIT;
        rtxTimer.stop();
        delackTimer.stop();
        waitTimer.set(now + TIME_WAIT_LEN);
        if (!appClosed) {
            notifyApp(N_CLOSED);
        }
    }

    // ================================================================ output

    private int dataEnd() {
        return sndBufSeq + sndBuf.size();
    }

    /**
     * The window to advertise, as {@code __tcp_select_window}: free space capped by the slowly growing
     * {@code rcv_ssthresh}, rounded up to the scale unit so it is not scaled away (down when that
     * would promise more than the free space).
     */
    private int currentWindowBytes() {
        int free = rcvBuf.free();
        int w = Math.min(free, rcvSsthresh);
        int unit = 1 << rcvWscale;
        int up = (w + unit - 1) & -unit;
        return up <= free ? up : w & -unit;
    }

    private int windowField() {
        return Math.min(currentWindowBytes() >> rcvWscale, 65535);
    }

    /** Sends what the windows allow. */
    void output(long now) {
        if (!state.synchronizedState() || state == TcpState.TIME_WAIT || state == TcpState.FIN_WAIT_2) {
            return;
        }
        boolean sentAny = false;
        while (true) {
            int sackLimit = Integer.MAX_VALUE;
            if (sbCount > 0 && before(sndNxt, sndMax)) {
                // resending after a timeout: skip what the peer SACKed, stop before the next SACKed block
                for (int i = 0; i < sbCount; i++) {
                    if (!before(sndNxt, sbStart[i]) && before(sndNxt, sbEnd[i])) {
                        sndNxt = sbEnd[i];
                    } else if (after(sbStart[i], sndNxt)) {
                        sackLimit = sbStart[i] - sndNxt;
                        break;
                    }
                }
            }
            int dataEnd = dataEnd();
            int avail = dataEnd - sndNxt; // -1 once our FIN is out
            int inflight = sndNxt - sndUna;
            // limited transmit (RFC 3042): the first two duplicate ACKs may each release one new segment
            int extra = !inRecovery && dupAcks > 0 ? Math.min(dupAcks, 2) : 0;
            long wnd = Math.min((long) (cwnd + extra) * mss, sndWnd);
            int usable = (int) Math.max(0, Math.min(Integer.MAX_VALUE, wnd - inflight));
            int len = avail <= 0 ? 0 : Math.min(Math.min(Math.min(avail, mss), usable), sackLimit);
            boolean fin = finQueued && avail >= 0 && len == avail;
            if (len <= 0 && !fin) {
                break;
            }
            if (len < mss && len < avail && inflight > 0) {
                break; // window-limited small segment: wait for the window to open (sender SWS avoidance)
            }
            if (nagle && len > 0 && len < mss && inflight > 0 && !fin) {
                break; // Nagle: a small segment waits while data is unacknowledged
            }
            boolean rtx = before(sndNxt, sndMax);
            transmit(sndNxt, len, fin, now);
            if (rtx) {
                retransmits++;
                stack.counters.tcpRetransSegs++;
            }
            sndNxt += len + (fin ? 1 : 0);
            if (after(sndNxt, sndMax)) {
                if (!rttTiming && !rtx) {
                    startRttTiming(sndNxt, now);
                }
                sndMax = sndNxt;
            }
            sentAny = true;
            if (!rtxTimer.armed() || probing) {
                probing = false;
                rtxTimer.set(now + rto);
            }
            if (fin) {
                break;
            }
        }
        if (!sentAny && sndWnd == 0 && dataEnd() - sndNxt > 0 && sndNxt == sndUna && !rtxTimer.armed()) {
            probing = true; // persist timer
            rtxTimer.set(now + rto);
        }
    }

    private void transmit(int seq, int len, boolean fin, long now) {
        int flags = ACK;
        if (len > 0 && seq + len == dataEnd()) {
            flags |= PSH;
        }
        if (fin) {
            flags |= FIN;
        }
        int w = windowField();
        lastAdvWnd = w << rcvWscale;
        segsSinceAck = 0;
        delackTimer.stop();
        int n = sackBlocks();
        while (n > 0 && len + (tsOk ? 12 : 0) + 4 + 8 * n > advMss) {
            n--; // the options must fit beside the payload within the MTU
        }
        stack.emitTcp(localAddr, remoteAddr, localPort, remotePort, seq, rcvNxt, flags, w, -1, -1, false, tsOk, tsVal(now),
                tsRecent, sackS, sackE, n, sndBuf, seq - sndBufSeq, len, now);
    }

    /** Retransmits the segment at SND.UNA (fast retransmit, partial ACK). */
    private void retransmitFirst(long now) {
        int dataEnd = dataEnd();
        int len = Math.min(mss, dataEnd - sndUna);
        if (len < 0) {
            len = 0;
        }
        boolean fin = finQueued && sndUna + len == dataEnd && after(sndMax, dataEnd);
        if (len == 0 && !fin) {
            return;
        }
        rttTiming = false; // Karn
        retransmits++;
        stack.counters.tcpRetransSegs++;
        transmit(sndUna, len, fin, now);
    }

    void sendAck(long now) {
        if (state == TcpState.CLOSED || state == TcpState.SYN_SENT) {
            return;
        }
        int w = windowField();
        lastAdvWnd = w << rcvWscale;
        segsSinceAck = 0;
        delackTimer.stop();
        stack.emitTcp(localAddr, remoteAddr, localPort, remotePort, sndNxt, rcvNxt, ACK, w, -1, -1, false, tsOk, tsVal(now),
                tsRecent, sackS, sackE, sackBlocks(), null, 0, 0, now);
    }

    private void sendRst(long now) {
        stack.emitTcp(localAddr, remoteAddr, localPort, remotePort, sndNxt, rcvNxt, RST | ACK, 0, -1, -1, null, 0, 0, now);
        stack.counters.tcpOutRsts++;
    }

    private void rtxFired(long now) {
        switch (state) {
            case SYN_SENT -> {
                if (++retries > SYN_RETRIES) {
                    stack.counters.tcpAttemptFails++;
                    fail(softError != 0 ? softError : Errno.ETIMEDOUT);
                    return;
                }
                stack.counters.tcpTimeouts++;
                rto = Math.min(rto * 2, RTO_MAX);
                rttTiming = false;
                retransmits++;
                stack.counters.tcpRetransSegs++;
                sendSyn(false, now);
                rtxTimer.set(now + rto);
            }
            case SYN_RECV -> {
                if (++retries > SYNACK_RETRIES) {
                    if (parent != null) {
                        parent.childGone(this);
                    }
                    becomeClosed();
                    return;
                }
                stack.counters.tcpTimeouts++;
                rto = Math.min(rto * 2, RTO_MAX);
                rttTiming = false;
                retransmits++;
                stack.counters.tcpRetransSegs++;
                sendSyn(true, now);
                rtxTimer.set(now + rto);
            }
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> {
                if (probing) {
                    probing = false;
                    if (sndWnd == 0 && dataEnd() - sndNxt > 0) {
                        // zero-window probe: an old sequence number elicits an ACK with the window (tcp_xmit_probe_skb)
                        stack.emitTcp(localAddr, remoteAddr, localPort, remotePort, sndUna - 1, rcvNxt, ACK, windowField(),
                                -1, -1, false, tsOk, tsVal(now), tsRecent, null, null, 0, null, 0, 0, now);
                        rto = Math.min(rto * 2, RTO_MAX);
                        probing = true;
                        rtxTimer.set(now + rto);
                    } else {
                        output(now);
                    }
                    return;
                }
                if (sndUna == sndMax) {
                    return;
                }
                if (++retries > RETRIES2) {
                    fail(softError != 0 ? softError : Errno.ETIMEDOUT);
                    return;
                }
                stack.counters.tcpTimeouts++;
                int flight = (sndMax - sndUna + mss - 1) / mss;
                ssthresh = Math.max(flight / 2, 2);
                cwnd = 1;
                cwndCnt = 0;
                inRecovery = false;
                dupAcks = 0;
                recover = sndMax;
                rttTiming = false;
                rto = Math.min(rto * 2, RTO_MAX);
                sndNxt = sndUna; // go back N
                rtxNext = sndUna;
                if (retries > 1) {
                    sbCount = 0; // RFC 2018: the receiver may have reneged; forget SACK information
                }
                if (sndWnd == 0) {
                    // the peer's window is closed: retransmit only the first segment regardless
                    retransmitFirst(now);
                    sndNxt = sndUna + Math.min(mss, Math.max(0, dataEnd() - sndUna));
                } else {
                    output(now);
                }
                rtxTimer.set(now + rto);
            }
            default -> {
            }
        }
    }

    void icmpError(int type, int code, int seq, int nextHopMtu, long now) {
        if (before(seq, sndUna) || after(seq, sndMax)) {
            return;
        }
        if (type == 3 && code == 4) {
            // fragmentation needed: lower the MSS to the path MTU and resend (tcp_v4_mtu_reduced)
            if (nextHopMtu >= 68 && nextHopMtu - 40 < mss) {
                mss = Math.max(nextHopMtu - 40, 48);
                if (state.synchronizedState()) {
                    sndNxt = sndUna;
                    output(now);
                }
            }
            return;
        }
        int e = IcmpErrors.errnoFor(type, code);
        if (e == 0) {
            return;
        }
        if (state == TcpState.SYN_SENT || (state == TcpState.SYN_RECV && parent == null)) {
            stack.counters.tcpAttemptFails++;
            fail(e);
        } else {
            softError = e; // reported only if the connection later times out
        }
    }

    // ================================================================ teardown and notification

    private void fail(int errno) {
        if (state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT) {
            stack.counters.tcpEstabResets++;
        }
        errorToReport = errno;
        boolean wasChild = parent != null && state == TcpState.SYN_RECV;
        becomeClosed();
        if (!appClosed && !wasChild) {
            notifyApp(N_ERROR);
        }
    }

    private void becomeClosed() {
        if (parent != null) {
            parent.childGone(this);
        }
        state = TcpState.CLOSED;
        rtxTimer.stop();
        delackTimer.stop();
        waitTimer.stop();
        stack.tcpUnregister(this);
    }

    void notifyApp(int what) {
        pendingNotify |= what;
        scheduleNotify();
    }

    private void scheduleNotify() {
        if (!notifyScheduled && listener != null && parent == null) {
            notifyScheduled = true;
            stack.sched.schedule(stack.now(), notifier);
        }
    }

    /** Called by the server socket once the connection is handed to the application. */
    void accepted(Listener l) {
        parent = null;
        listener = l;
        pendingNotify |= N_CONNECTED;
        scheduleNotify();
    }

    void detachFromParent() {
        parent = null;
    }

    private void notifyNow(long now) {
        notifyScheduled = false;
        int p = pendingNotify;
        pendingNotify = 0;
        Listener l = listener;
        if (l == null) {
            pendingNotify = p;
            return;
        }
        if ((p & N_CONNECTED) != 0) {
            l.onConnected(this);
        }
        if ((p & N_DATA) != 0 && listener != null && available() > 0) {
            l.onData(this);
        }
        if ((p & N_WRITABLE) != 0 && listener != null && !finQueued) {
            l.onWritable(this);
        }
        if ((p & N_PEER_CLOSED) != 0 && listener != null) {
            l.onPeerClosed(this);
        }
        if ((p & N_CLOSED) != 0 && listener != null) {
            l.onClosed(this);
        }
        if ((p & N_ERROR) != 0 && listener != null) {
            l.onError(this, errorToReport);
        }
    }

    @Override
    public String toString() {
        return "tcp " + Ipv4Address.format(localAddr) + ":" + localPort + " -> " + Ipv4Address.format(remoteAddr) + ":"
                + remotePort + " " + state;
    }
}
