package dev.simnet.linux.serve;

import dev.simnet.linux.NetnsExecutor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP listener inside a namespace for images without a real binary: {@code redis} answers
 * {@code PING} with {@code +PONG} (inline or RESP array form), {@code postgres}/{@code mysql} and
 * everything else just accept the connection (and MySQL sends a greeting-like banner), so
 * {@code nc -z}, {@code curl telnet://} and port scans see an open port.
 */
public final class TcpAcceptServer implements AutoCloseable {
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private TcpAcceptServer(ServerSocket server) {
        this.server = server;
    }

    /** Listens on {@code port} (all addresses) inside {@code ns}; {@code image} picks the behaviour. */
    public static TcpAcceptServer start(NetnsExecutor ns, int port, String image) {
        String img = image == null ? "" : image.toLowerCase(Locale.ROOT);
        return ns.call(() -> {
            java.nio.channels.ServerSocketChannel ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.INET);
            ServerSocket s = ch.socket();
            s.setReuseAddress(true);
            try {
                s.bind(new InetSocketAddress(java.net.InetAddress.getByAddress(new byte[4]), port), 64);
            } catch (IOException e) {
                s.close();
                throw new UncheckedIOException("bind :" + port + " in " + ns.namespace() + ": " + e.getMessage(), e);
            }
            TcpAcceptServer t = new TcpAcceptServer(s);
            Thread acceptor = new Thread(() -> t.acceptLoop(img), "tcp-" + port + "-" + ns.namespace());
            acceptor.setDaemon(true);
            acceptor.start();
            return t;
        });
    }

    private void acceptLoop(String img) {
        while (!closed) {
            Socket c;
            try {
                c = server.accept();
            } catch (IOException e) {
                return;
            }
            open.add(c);
            Thread h = new Thread(() -> serve(c, img), "tcp-conn");
            h.setDaemon(true);
            h.start();
        }
    }

    private void serve(Socket c, String img) {
        try (c) {
            c.setSoTimeout(30_000);
            OutputStream out = c.getOutputStream();
            if (img.contains("mysql") || img.contains("mariadb")) {
                byte[] version = "8.4.0-simnet".getBytes(StandardCharsets.US_ASCII);
                byte[] greeting = new byte[4 + 1 + version.length + 1];
                greeting[0] = (byte) (greeting.length - 4);
                greeting[4] = 10; // protocol version 10
                System.arraycopy(version, 0, greeting, 5, version.length);
                out.write(greeting);
                out.flush();
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
            String line;
            while ((line = in.readLine()) != null) {
                if (img.contains("redis") && line.trim().equalsIgnoreCase("PING")) {
                    out.write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
        } catch (IOException ignored) {
            // peer went away
        } finally {
            open.remove(c);
        }
    }

    /** The bound port. */
    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
