package dev.simnet.linux.serve;

import dev.simnet.linux.NetnsExecutor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small HTTP/1.1 server on real sockets, created on a {@link NetnsExecutor} thread so its listening
 * socket lives in that namespace. Two personalities stand in for images without a real binary:
 * {@link Kind#NGINX} answers every path with nginx's welcome page (and {@code Server: nginx}),
 * {@link Kind#HTTPD} with Apache's "It works!" page,
 * {@link Kind#WHOAMI} echoes the request like {@code traefik/whoami} (Hostname, IP, RemoteAddr,
 * request line and headers).
 */
public final class MiniHttpServer implements AutoCloseable {
    /** The server personality. */
    public enum Kind { NGINX, HTTPD, WHOAMI }

    /** nginx 1.2x's default {@code index.html}. */
    public static final String NGINX_WELCOME = """
            <!DOCTYPE html>
            <html>
            <head>
            <title>Welcome to nginx!</title>
            <style>
            html { color-scheme: light dark; }
            body { width: 35em; margin: 0 auto;
            font-family: Tahoma, Verdana, Arial, sans-serif; }
            </style>
            </head>
            <body>
            <h1>Welcome to nginx!</h1>
            <p>If you see this page, the nginx web server is successfully installed and
            working. Further configuration is required.</p>

            <p>For online documentation and support please refer to
            <a href="http://nginx.org/">nginx.org</a>.<br/>
            Commercial support is available at
            <a href="http://nginx.com/">nginx.com</a>.</p>

            <p><em>Thank you for using nginx.</em></p>
            </body>
            </html>
            """;

    private final ServerSocketChannel server;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private MiniHttpServer(ServerSocketChannel server) {
        this.server = server;
    }

    /**
     * Binds {@code bind} (an IPv4 socket, as nginx's {@code listen 80} shows in {@code ss}) inside
     * {@code ns} and starts serving.
     *
     * @param hostname reported by WHOAMI
     * @param ips      addresses reported by WHOAMI
     */
    public static MiniHttpServer start(NetnsExecutor ns, InetSocketAddress bind, Kind kind, String hostname, List<String> ips) {
        return ns.call(() -> {
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.INET);
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            InetSocketAddress addr = bind.getAddress() == null || bind.getAddress().isAnyLocalAddress()
                    ? new InetSocketAddress(InetAddress.getByAddress(new byte[4]), bind.getPort()) : bind;
            try {
                s.bind(addr, 511);
            } catch (IOException e) {
                s.close();
                throw new UncheckedIOException("bind " + addr + " in " + ns.namespace() + ": " + e.getMessage(), e);
            }
            MiniHttpServer m = new MiniHttpServer(s);
            Thread t = new Thread(() -> m.acceptLoop(kind, hostname, ips), "http-" + ns.namespace());
            t.setDaemon(true);
            t.start();
            return m;
        });
    }

    private void acceptLoop(Kind kind, String hostname, List<String> ips) {
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                return;
            }
            open.add(c);
            Thread t = new Thread(() -> {
                try (c) {
                    serve(c, kind, hostname, ips);
                } catch (IOException | RuntimeException ignored) {
                    // client went away or sent garbage
                } finally {
                    open.remove(c);
                }
            }, "http-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private static void serve(SocketChannel c, Kind kind, String hostname, List<String> ips) throws IOException {
        c.socket().setSoTimeout(10_000);
        InputStream in = c.socket().getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0 || head.size() > 64 * 1024) {
                return;
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
                    : b == '\r' ? 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] req = lines[0].split(" ");
        if (req.length != 3) {
            respond(c, 400, "text/plain", "bad request\n", null, false);
            return;
        }
        Map<String, List<String>> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(canonical(lines[i].substring(0, colon).trim()), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
        }
        boolean headOnly = req[0].equalsIgnoreCase("HEAD");
        switch (kind) {
            case NGINX -> respond(c, 200, "text/html", NGINX_WELCOME, "nginx/1.27.3", headOnly);
            case HTTPD -> respond(c, 200, "text/html", "<html><body><h1>It works!</h1></body></html>\n", "Apache/2.4.62 (Unix)", headOnly);
            default -> {
                InetSocketAddress remote = (InetSocketAddress) c.getRemoteAddress();
                StringBuilder sb = new StringBuilder();
                sb.append("Hostname: ").append(hostname).append('\n');
                for (String ip : ips) {
                    sb.append("IP: ").append(ip).append('\n');
                }
                sb.append("RemoteAddr: ").append(remote.getAddress().getHostAddress()).append(':').append(remote.getPort()).append('\n');
                sb.append(req[0]).append(' ').append(req[1]).append(' ').append(req[2]).append('\n');
                headers.forEach((k, vs) -> vs.forEach(v -> sb.append(k).append(": ").append(v).append('\n')));
                respond(c, 200, "text/plain; charset=utf-8", sb.toString(), null, headOnly);
            }
        }
    }

    /** Go's canonical header form ({@code user-agent} becomes {@code User-Agent}), as whoami prints it. */
    static String canonical(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        boolean up = true;
        for (char ch : name.toCharArray()) {
            sb.append(up ? Character.toUpperCase(ch) : Character.toLowerCase(ch));
            up = ch == '-';
        }
        return sb.toString();
    }

    private static void respond(SocketChannel c, int status, String type, String body, String server, boolean headOnly)
            throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder();
        h.append("HTTP/1.1 ").append(status).append(status == 200 ? " OK" : " Bad Request").append("\r\n");
        if (server != null) {
            h.append("Server: ").append(server).append("\r\n");
        }
        h.append("Content-Type: ").append(type).append("\r\n");
        h.append("Content-Length: ").append(b.length).append("\r\n");
        h.append("Connection: close\r\n\r\n");
        OutputStream out = c.socket().getOutputStream();
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!headOnly) {
            out.write(b);
        }
        out.flush();
    }

    /** The bound address (useful with port 0). */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
