package dev.simnet.linux.serve;

import dev.simnet.linux.NetnsExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Docker's userland proxy ({@code docker-proxy}) for one published UDP port, on kernel sockets inside the
 * Docker host namespace: the first datagram of each client address and port opens a socket connected to the
 * container's address and port, whose replies go back to that client from the listening socket; the flow
 * ends when no reply has come for {@link #CONN_TRACK_TIMEOUT_MS} (moby's {@code udp_proxy.go}; a refused
 * send is ignored until then). The simulator's counterpart is {@code DockerUdpProxy}.
 */
public final class UdpProxy implements PortProxy {
    /** moby's {@code DefaultConnTrackTimeout}. */
    public static final long CONN_TRACK_TIMEOUT_MS = 90_000;
    private static final int BUF_SIZE = 65507;

    private final DatagramChannel listener;
    private final InetSocketAddress target;
    private final Map<SocketAddress, DatagramChannel> flows = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private UdpProxy(DatagramChannel listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /** Starts proxying datagrams to {@code listen} (inside {@code ns}) to {@code target}. */
    public static UdpProxy start(NetnsExecutor ns, InetSocketAddress listen, InetSocketAddress target) {
        return ns.call(() -> {
            DatagramChannel s = DatagramChannel.open(StandardProtocolFamily.INET);
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            try {
                s.bind(listen);
            } catch (IOException e) {
                s.close();
                throw new UncheckedIOException("docker-proxy: bind udp " + listen + " in " + ns.namespace() + ": " + e.getMessage(), e);
            }
            UdpProxy p = new UdpProxy(s, target);
            Daemons.start("docker-proxy-udp-" + listen.getPort(), p::clientLoop);
            return p;
        });
    }

    /** Client flows open now (for tests). */
    public int flows() {
        return flows.size();
    }

    private void clientLoop() {
        ByteBuffer buf = ByteBuffer.allocate(BUF_SIZE);
        while (!closed) {
            SocketAddress client;
            try {
                buf.clear();
                client = listener.receive(buf);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            DatagramChannel up = flows.get(client);
            if (up == null) {
                try {
                    // this thread was started inside the Docker host namespace (by start's task): so is the socket
                    up = DatagramChannel.open(StandardProtocolFamily.INET);
                    up.connect(target);
                } catch (IOException e) {
                    if (up != null) {
                        try {
                            up.close();
                        } catch (IOException ignored) {
                            // nothing to release
                        }
                    }
                    continue;
                }
                flows.put(client, up);
                DatagramChannel u = up;
                Daemons.start("docker-proxy-udp-reply", () -> replyLoop(client, u));
            }
            buf.flip();
            try {
                up.write(buf);
            } catch (IOException e) {
                // refused (ICMP port unreachable) or unreachable: this datagram is lost
            }
        }
    }

    /** Replies of one flow back to its client, until no reply came for the timeout. */
    private void replyLoop(SocketAddress client, DatagramChannel up) {
        ByteBuffer buf = ByteBuffer.allocate(BUF_SIZE);
        try (up) {
            var in = up.socket();
            byte[] b = new byte[BUF_SIZE];
            java.net.DatagramPacket pkt = new java.net.DatagramPacket(b, b.length);
            // the read deadline moves with each reply only, as moby's SetReadDeadline before each read
            long deadline = System.nanoTime() + CONN_TRACK_TIMEOUT_MS * 1_000_000L;
            while (!closed) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return;
                }
                in.setSoTimeout((int) left);
                try {
                    in.receive(pkt);
                } catch (PortUnreachableException e) {
                    continue; // the last send was refused: ignored until the deadline, as moby does
                } catch (SocketTimeoutException e) {
                    return;
                }
                deadline = System.nanoTime() + CONN_TRACK_TIMEOUT_MS * 1_000_000L;
                buf.clear();
                buf.put(b, 0, pkt.getLength()).flip();
                listener.send(buf, client);
            }
        } catch (IOException e) {
            // closed
        } finally {
            flows.remove(client, up);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (DatagramChannel c : flows.values()) {
            try {
                c.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        flows.clear();
    }
}
