package dev.simnet.host;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.sched.Event;
import dev.simnet.wire.TcpPacket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A listening TCP socket: answers SYNs with SYN-ACKs (the embryonic connections wait in SYN_RECV,
 * the SYN queue), moves completed handshakes to the accept queue, and hands them to the
 * application. As in Linux ({@code tcp_conn_request}, {@code tcp_check_req}) the accept queue holds
 * up to backlog + 1 connections; while it is full new SYNs are dropped and final ACKs are dropped
 * (the peer's connection stays half-open until a SYN-ACK retransmission finds room), both counted
 * as ListenOverflows. Backlog is capped at {@code net.core.somaxconn} (4096).
 *
 * <p>With an {@link AcceptHandler} every completed connection is accepted at once (from a
 * scheduler event); without one, connections wait until {@link #accept()} is called.
 */
public final class TcpServerSocket {
    /** {@code net.core.somaxconn}. */
    public static final int SOMAXCONN = 4096;

    /** Takes each accepted connection and returns the listener for its events. */
    @FunctionalInterface
    public interface AcceptHandler {
        /** A new connection; return its listener (its {@code onConnected} follows). */
        TcpSocket.Listener onAccept(TcpSocket s);
    }

    private final HostStack stack;
    int localAddr;
    int localPort;
    boolean reuseAddr;
    private boolean bound;
    private boolean listening;
    private boolean closed;
    private int backlog;
    private AcceptHandler handler;
    private SocketOwner owner;
    private String ownerCommand;
    private int ownerPid;
    private final List<TcpSocket> synQueue = new ArrayList<>();
    private final ArrayDeque<TcpSocket> acceptQueue = new ArrayDeque<>();
    private boolean notifyScheduled;
    private final Event notifier = this::acceptNow;
    private long overflows;

    TcpServerSocket(HostStack stack) {
        this.stack = stack;
    }

    /** Sets {@code SO_REUSEADDR} (before bind): allows binding while TIME_WAIT connections hold the port. */
    public TcpServerSocket setReuseAddress(boolean on) {
        this.reuseAddr = on;
        return this;
    }

    /** Records the owning process for {@code ss -p}; accepted connections get the next descriptors of the same process. */
    public TcpServerSocket setOwner(String command, int pid) {
        this.owner = stack.owner(command, pid);
        this.ownerCommand = command;
        this.ownerPid = pid;
        return this;
    }

    /** The owning process, or null. */
    public SocketOwner owner() {
        return owner;
    }

    /** Binds to {@code addr} (0 = any) and {@code port} (0 = ephemeral). */
    public TcpServerSocket bind(int addr, int port) {
        if (bound || closed) {
            throw new SocketError(Errno.EINVAL, "bind (already bound)");
        }
        if (port < 0 || port > 65535) {
            throw new SocketError(Errno.EINVAL, "bind port " + port);
        }
        stack.checkLocalAddress(addr, "bind");
        if (port == 0) {
            port = stack.ephemeralPort(HostStack.PROTO_TCP, false);
        } else if (stack.tcpPortConflict(addr, port, reuseAddr, this)) {
            throw new SocketError(Errno.EADDRINUSE, "bind " + Ipv4Address.format(addr) + ":" + port);
        }
        localAddr = addr;
        localPort = port;
        bound = true;
        stack.tcpListeners.add(this);
        return this;
    }

    /** Starts listening; {@code handler} null means connections wait for {@link #accept()}. */
    public TcpServerSocket listen(int backlog, AcceptHandler handler) {
        if (closed) {
            throw new SocketError(9, "listen on closed socket (EBADF)");
        }
        if (!bound) {
            bind(0, 0);
        }
        this.backlog = Math.max(0, Math.min(backlog, SOMAXCONN));
        this.handler = handler;
        this.listening = true;
        if (handler != null && !acceptQueue.isEmpty()) {
            scheduleNotify();
        }
        return this;
    }

    /** Takes the oldest completed connection, or null when none is waiting (EAGAIN). */
    public TcpSocket accept() {
        TcpSocket s = acceptQueue.poll();
        if (s == null) {
            return null;
        }
        handOver(s, null);
        return s;
    }

    /** Connections waiting in the accept queue (ss's Recv-Q for a listener). */
    public int acceptQueueLength() {
        return acceptQueue.size();
    }

    /** Embryonic connections in SYN_RECV. */
    public int synQueueLength() {
        return synQueue.size();
    }

    /** The backlog in effect (ss's Send-Q for a listener). */
    public int backlog() {
        return backlog;
    }

    /** SYNs and final ACKs dropped because the accept queue was full. */
    public long overflows() {
        return overflows;
    }

    /** Bound address (0 = any). */
    public int localAddress() {
        return localAddr;
    }

    /** Bound port. */
    public int localPort() {
        return localPort;
    }

    /** Stops listening; connections not yet accepted are reset, as {@code inet_csk_listen_stop} does. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        listening = false;
        stack.releaseOwner(owner);
        stack.tcpListeners.remove(this);
        List<TcpSocket> all = new ArrayList<>(synQueue);
        all.addAll(acceptQueue);
        synQueue.clear();
        acceptQueue.clear();
        for (TcpSocket c : all) {
            c.detachFromParent();
            c.abort();
        }
    }

    SocketInfo info() {
        return new SocketInfo("tcp", TcpState.LISTEN, acceptQueue.size(), backlog, localAddr, localPort, 0, 0, owner);
    }

    void segmentArrives(TcpPacket seg, int src, int dst, long now) {
        int flags = seg.flags();
        if (!listening || (flags & TcpSocket.RST) != 0) {
            if (!listening && (flags & TcpSocket.RST) == 0) {
                stack.resetFor(seg, src, dst, now);
            }
            return;
        }
        if ((flags & TcpSocket.ACK) != 0) {
            stack.resetFor(seg, src, dst, now); // an ACK for no embryonic connection
            return;
        }
        if ((flags & TcpSocket.SYN) == 0) {
            return;
        }
        if (acceptQueue.size() > backlog) {
            overflows++;
            stack.counters.tcpListenOverflows++;
            return; // sk_acceptq_is_full: drop the SYN, the client retransmits
        }
        TcpSocket child = new TcpSocket(stack);
        synQueue.add(child);
        int ts = TcpSocket.timestampOption(seg);
        child.acceptSyn(this, dst, localPort, src, seg.srcPort(), seg.seq(), seg.window(), seg.mssOption(),
                TcpSocket.windowScaleOption(seg), seg.findOption(TcpPacket.OPT_SACK_PERMITTED) >= 0, ts >= 0,
                ts >= 0 ? Inet.i32(seg.buffer(), ts + 2) : 0, now);
    }

    /** The child's handshake completed; false when the accept queue is full (the ACK is dropped). */
    boolean childEstablished(TcpSocket child, long now) {
        if (acceptQueue.size() > backlog || !listening) {
            overflows++;
            return false;
        }
        synQueue.remove(child);
        acceptQueue.add(child);
        stack.counters.tcpPassiveOpens++;
        scheduleNotify();
        return true;
    }

    void childGone(TcpSocket child) {
        synQueue.remove(child);
        acceptQueue.remove(child);
    }

    private void handOver(TcpSocket s, TcpSocket.Listener l) {
        if (ownerCommand != null) {
            s.setOwner(stack.owner(ownerCommand, ownerPid));
        }
        s.accepted(l);
    }

    private void scheduleNotify() {
        if (!notifyScheduled && handler != null) {
            notifyScheduled = true;
            stack.sched.schedule(stack.now(), notifier);
        }
    }

    private void acceptNow(long now) {
        notifyScheduled = false;
        while (handler != null && !closed) {
            TcpSocket s = acceptQueue.poll();
            if (s == null) {
                return;
            }
            // the child may have events already (data, FIN); its listener gets them after onConnected
            if (ownerCommand != null) {
                s.setOwner(stack.owner(ownerCommand, ownerPid));
            }
            s.detachFromParent();
            TcpSocket.Listener l = handler.onAccept(s);
            s.accepted(l);
        }
    }
}
