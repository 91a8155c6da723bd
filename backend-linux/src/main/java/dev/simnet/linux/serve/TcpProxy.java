package dev.simnet.linux.serve;

import dev.simnet.linux.NetnsExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Docker's userland proxy ({@code docker-proxy}) for one published TCP port: listens on the host
 * address and port inside the Docker host namespace and carries each connection to the container's
 * address and port with a new connection from the host, so the container sees the bridge gateway as
 * the source (the path for connections to a published port from the host itself and hairpin
 * connections from the container's own bridge; outside traffic is DNATed before it reaches here).
 */
public final class TcpProxy implements PortProxy {
    private final ServerSocketChannel server;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private TcpProxy(ServerSocketChannel server) {
        this.server = server;
    }

    /** Starts proxying {@code listen} (inside {@code ns}) to {@code target}. */
    public static TcpProxy start(NetnsExecutor ns, InetSocketAddress listen, InetSocketAddress target) {
        return ns.call(() -> {
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.INET);
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            try {
                s.bind(listen, 128);
            } catch (IOException e) {
                s.close();
                throw new UncheckedIOException("docker-proxy: bind " + listen + " in " + ns.namespace() + ": " + e.getMessage(), e);
            }
            TcpProxy p = new TcpProxy(s);
            Daemons.start("docker-proxy-" + listen.getPort(), () -> p.acceptLoop(target));
            return p;
        });
    }

    private void acceptLoop(InetSocketAddress target) {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            open.add(client);
            Daemons.start("docker-proxy-conn", () -> {
                try (SocketChannel c = client; SocketChannel up = SocketChannel.open(StandardProtocolFamily.INET)) {
                    open.add(up);
                    up.connect(target);
                    Thread back = Daemons.start("docker-proxy-back", () -> pump(up, c));
                    pump(c, up);
                    back.join(30_000);
                } catch (IOException e) {
                    // target refused or reset: the client sees its connection closed, as with docker-proxy
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    open.remove(client);
                }
            });
        }
    }

    private static void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    to.write(buf);
                }
                buf.clear();
            }
            to.shutdownOutput();
        } catch (IOException ignored) {
            // either side closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (SocketChannel c : open) {
            try {
                c.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
