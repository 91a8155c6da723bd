package dev.simnet.linux.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.simnet.linux.NetnsExecutor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP/1.1 server on real sockets, created on a {@link NetnsExecutor} thread so its listening
 * socket lives in that namespace. Two personalities stand in for images without a real binary:
 * {@link Kind#NGINX} answers every path with nginx's welcome page (and {@code Server: nginx}),
 * {@link Kind#WHOAMI} echoes the request like {@code traefik/whoami} (Hostname, IP, RemoteAddr,
 * request line and headers).
 */
public final class MiniHttpServer implements AutoCloseable {
    /** The server personality. */
    public enum Kind { NGINX, WHOAMI }

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

    private final HttpServer server;
    private final ExecutorService handlers;

    private MiniHttpServer(HttpServer server, ExecutorService handlers) {
        this.server = server;
        this.handlers = handlers;
    }

    /**
     * Binds {@code bind} inside {@code ns} and starts serving.
     *
     * @param hostname reported by WHOAMI
     * @param ips      addresses reported by WHOAMI
     */
    public static MiniHttpServer start(NetnsExecutor ns, InetSocketAddress bind, Kind kind, String hostname, List<String> ips) {
        return ns.call(() -> {
            HttpServer s;
            try {
                s = HttpServer.create(bind, 64);
            } catch (IOException e) {
                throw new UncheckedIOException("bind " + bind + " in " + ns.namespace() + ": " + e.getMessage(), e);
            }
            ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "http-" + ns.namespace());
                t.setDaemon(true);
                return t;
            });
            s.setExecutor(pool);
            s.createContext("/", ex -> {
                try (ex) {
                    if (kind == Kind.NGINX) {
                        send(ex, "text/html", NGINX_WELCOME, "nginx/1.27.3");
                    } else {
                        send(ex, "text/plain; charset=utf-8", whoami(ex, hostname, ips), null);
                    }
                }
            });
            s.start();
            return new MiniHttpServer(s, pool);
        });
    }

    private static String whoami(HttpExchange ex, String hostname, List<String> ips) {
        StringBuilder sb = new StringBuilder();
        sb.append("Hostname: ").append(hostname).append('\n');
        for (String ip : ips) {
            sb.append("IP: ").append(ip).append('\n');
        }
        sb.append("RemoteAddr: ").append(ex.getRemoteAddress().getAddress().getHostAddress())
                .append(':').append(ex.getRemoteAddress().getPort()).append('\n');
        sb.append(ex.getRequestMethod()).append(' ').append(ex.getRequestURI()).append(' ').append(ex.getProtocol()).append('\n');
        Map<String, List<String>> sorted = new TreeMap<>(ex.getRequestHeaders());
        sorted.forEach((k, vs) -> vs.forEach(v -> sb.append(k).append(": ").append(v).append('\n')));
        return sb.toString();
    }

    private static void send(HttpExchange ex, String type, String body, String serverHeader) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        if (serverHeader != null) {
            ex.getResponseHeaders().set("Server", serverHeader);
        }
        boolean head = ex.getRequestMethod().equalsIgnoreCase("HEAD");
        ex.sendResponseHeaders(200, head ? -1 : b.length);
        if (!head) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        }
    }

    /** The bound address (useful with port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
