package dev.simnet.dns.net;

import dev.simnet.dns.DnsHandler;
import dev.simnet.dns.DnsProto;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A {@link DnsHandler} (the embedded resolver or a zone server) on real UDP and TCP sockets of
 * one address and port, for the Linux and TAP backends and for tests with the real {@code dig}.
 * UDP: one datagram per query, answers sent from the same socket. TCP: RFC 1035 4.2.2 (2-byte
 * length prefix), several queries per connection, 10 s idle timeout, at most
 * {@value #MAX_TCP_CONNECTIONS} connections at once (beyond that new ones are closed and counted).
 * Threads are daemons; {@link #close()} stops everything.
 */
public final class SocketDnsServer implements AutoCloseable {
    /** Concurrent TCP connections served. */
    public static final int MAX_TCP_CONNECTIONS = 64;
    /** Idle timeout of a TCP connection, ms. */
    public static final int TCP_IDLE_MILLIS = 10_000;

    private final DnsHandler handler;
    private final Function<InetSocketAddress, String> askerOf;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong tcpRejected = new AtomicLong();
    private volatile boolean closed;

    /**
     * Binds UDP and TCP on {@code address:port} (port 0 picks a free port, the same one for both)
     * and starts serving at once; every query is asked as {@code askerOf.apply(clientAddress)}.
     */
    public SocketDnsServer(DnsHandler handler, InetAddress address, int port, Function<InetSocketAddress, String> askerOf)
            throws IOException {
        this.handler = handler;
        this.askerOf = askerOf;
        DatagramSocket u = null;
        ServerSocket t = null;
        IOException last = null;
        for (int tries = 0; tries < 20 && t == null; tries++) {
            try {
                u = udpSocket(new InetSocketAddress(address, port));
                ServerSocket s = tcpSocket(address);
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(address, u.getLocalPort()), 128);
                t = s;
            } catch (BindException e) {
                last = e;
                if (u != null) {
                    u.close();
                }
                if (port != 0) {
                    break;
                }
            }
        }
        if (t == null) {
            throw last != null ? last : new IOException("cannot bind " + address + ":" + port);
        }
        this.udp = u;
        this.tcp = t;
        start("dns-udp-" + udp.getLocalPort(), this::udpLoop);
        start("dns-tcp-" + udp.getLocalPort(), this::acceptLoop);
    }

    /**
     * Binds UDP on {@code udpPort} and TCP on {@code tcpPort} independently (0: any free port), as
     * Docker's resolver does on 127.0.0.11 before its DNAT rules map port 53 to them. Sockets belong
     * to the network namespace of the calling thread: construct it on a thread that entered the
     * container's namespace.
     */
    public SocketDnsServer(DnsHandler handler, InetAddress address, int udpPort, int tcpPort,
                           Function<InetSocketAddress, String> askerOf) throws IOException {
        this.handler = handler;
        this.askerOf = askerOf;
        this.udp = udpSocket(new InetSocketAddress(address, udpPort));
        ServerSocket t = tcpSocket(address);
        try {
            t.setReuseAddress(true);
            t.bind(new InetSocketAddress(address, tcpPort), 128);
        } catch (IOException e) {
            udp.close();
            t.close();
            throw e;
        }
        this.tcp = t;
        start("dns-udp-" + udp.getLocalPort(), this::udpLoop);
        start("dns-tcp-" + tcp.getLocalPort(), this::acceptLoop);
    }

    /**
     * A UDP socket bound to {@code at}; for an IPv4 address an IPv4-only socket, so {@code ss} lists
     * it as {@code 127.0.0.11:N} (as Docker's resolver shows), not as a dual-stack {@code [::ffff:…]}.
     */
    private static DatagramSocket udpSocket(InetSocketAddress at) throws IOException {
        if (at.getAddress() instanceof java.net.Inet4Address) {
            java.nio.channels.DatagramChannel ch = java.nio.channels.DatagramChannel.open(java.net.StandardProtocolFamily.INET);
            try {
                ch.bind(at);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return ch.socket();
        }
        return new DatagramSocket(at);
    }

    /** An unbound TCP listening socket, IPv4-only for an IPv4 address (see {@link #udpSocket}). */
    private static ServerSocket tcpSocket(InetAddress address) throws IOException {
        if (address instanceof java.net.Inet4Address) {
            return java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.INET).socket();
        }
        return new ServerSocket();
    }

    /** Serves {@code handler} answering every query as {@code asker} (one server per container namespace). */
    public SocketDnsServer(DnsHandler handler, InetAddress address, int port, String asker) throws IOException {
        this(handler, address, port, a -> asker);
    }

    /** The bound UDP port (equal to the TCP port unless bound separately). */
    public int port() {
        return udp.getLocalPort();
    }

    /** The bound TCP port. */
    public int tcpPort() {
        return tcp.getLocalPort();
    }

    /** The bound address. */
    public InetAddress address() {
        return udp.getLocalAddress();
    }

    private final AtomicLong handlerFailures = new AtomicLong();

    /** UDP queries dropped because the handler threw (counted, never fatal to the server). */
    public long handlerFailures() {
        return handlerFailures.get();
    }

    /** TCP connections closed at once because {@value #MAX_TCP_CONNECTIONS} were open. */
    public long tcpRejected() {
        return tcpRejected.get();
    }

    private static void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private void udpLoop() {
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                p.setData(buf);
                udp.receive(p);
                byte[] q = new byte[p.getLength()];
                System.arraycopy(buf, p.getOffset(), q, 0, q.length);
                InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
                handler.handle(q, 0, q.length, askerOf.apply(from), DnsProto.UDP, 0, reply -> {
                    try {
                        udp.send(new DatagramPacket(reply, reply.length, from));
                    } catch (IOException e) {
                        // the client went away; nothing to do
                    }
                });
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            } catch (RuntimeException e) {
                // a handler bug must not stop the server: the query is dropped and counted
                handlerFailures.incrementAndGet();
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = tcp.accept();
                if (connections.size() >= MAX_TCP_CONNECTIONS) {
                    tcpRejected.incrementAndGet();
                    s.close();
                    continue;
                }
                connections.add(s);
                start("dns-tcp-conn", () -> serve(s));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(TCP_IDLE_MILLIS);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            InetSocketAddress from = (InetSocketAddress) s.getRemoteSocketAddress();
            while (!closed) {
                int len;
                try {
                    len = in.readUnsignedShort();
                } catch (EOFException | SocketTimeoutException e) {
                    return;
                }
                byte[] q = new byte[len];
                in.readFully(q);
                handler.handle(q, 0, len, askerOf.apply(from), DnsProto.TCP, 0, reply -> {
                    synchronized (out) {
                        try {
                            byte[] framed = new byte[reply.length + 2];
                            framed[0] = (byte) (reply.length >>> 8);
                            framed[1] = (byte) reply.length;
                            System.arraycopy(reply, 0, framed, 2, reply.length);
                            out.write(framed);
                            out.flush();
                        } catch (IOException e) {
                            // connection gone
                        }
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            // malformed framing or reset: close the connection
        } finally {
            connections.remove(s);
        }
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

}
