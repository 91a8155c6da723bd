package dev.simnet.scenarios.sim.apps;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.host.HostStack;
import dev.simnet.host.SocketError;
import dev.simnet.host.TcpServerSocket;
import dev.simnet.host.TcpSocket;
import dev.simnet.host.UdpSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The programs simnet runs for well-known images, on simulated sockets: nginx (welcome page, or 404),
 * httpd ("It works!"), traefik/whoami (request echo), redis (PING → +PONG), postgres and mysql
 * (accept; mysql sends its greeting), and a plain TCP/UDP acceptor for any other image.
 */
public final class ImageApps {
    /** nginx's version as its Server header shows it. */
    public static final String NGINX_VERSION = "1.27.5";
    /** The body of nginx's {@code /usr/share/nginx/html/index.html} (615 bytes). */
    public static final String NGINX_INDEX = """
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
    /** httpd's default index.html. */
    public static final String HTTPD_INDEX = "<html><body><h1>It works!</h1></body></html>\n";

    private ImageApps() {
    }

    /** A listening port of a model: {@code addr} (0 any), port and protocol. */
    public record Listen(int addr, int port, String proto) {
        /** Parses {@code 80/tcp}, {@code 127.0.0.1:8080/tcp}; IPv6 entries give null (no IPv6 in the simulator). */
        public static Listen parse(String s) {
            String proto = "tcp";
            String t = s;
            int slash = t.lastIndexOf('/');
            if (slash > 0) {
                proto = t.substring(slash + 1);
                t = t.substring(0, slash);
            }
            if (t.startsWith("[")) {
                return null;
            }
            int colon = t.lastIndexOf(':');
            int addr = 0;
            if (colon > 0) {
                addr = Ipv4Address.parse(t.substring(0, colon)).bits();
                t = t.substring(colon + 1);
            }
            try {
                return new Listen(addr, Integer.parseInt(t.trim()), proto);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /**
     * Starts {@code model} in a namespace; returns a closer.
     *
     * @param stack     the namespace's stack
     * @param model     model name from the plan's extensions
     * @param listens   the ports it listens on
     * @param pid       process id shown by ss
     * @param hostname  the container's hostname (whoami prints it)
     * @param addresses the namespace's IPv4 addresses (whoami prints them)
     * @param epoch     the virtual wall clock in Unix seconds (Date headers)
     */
    public static Runnable start(HostStack stack, String model, List<Listen> listens, int pid, String hostname,
                                 Supplier<List<String>> addresses, LongSupplier epoch) {
        List<Runnable> closers = new ArrayList<>();
        List<Listen> tcp = new ArrayList<>();
        for (Listen l : listens) {
            if (l.proto().equals("udp")) {
                closers.add(udpSink(stack, l, command(model), pid));
            } else {
                tcp.add(l);
            }
        }
        for (Listen l : tcp) {
            closers.add(startTcp(stack, model, l, pid, hostname, addresses, epoch));
        }
        return () -> closers.forEach(Runnable::run);
    }

    private static String command(String model) {
        switch (model) {
            case "nginx": return "nginx";
            case "httpd": return "httpd";
            case "whoami": return "whoami";
            case "redis": return "redis-server";
            case "postgres": return "postgres";
            case "mysql": return "mysqld";
            default: return "app";
        }
    }

    private static Runnable startTcp(HostStack stack, String model, Listen l, int pid, String hostname,
                                     Supplier<List<String>> addresses, LongSupplier epoch) {
        String cmd = command(model);
        try {
            switch (model) {
                case "nginx": {
                    HttpServerApp a = new HttpServerApp(stack, l.addr(), List.of(l.port()), cmd, pid, (req, s) -> nginx(req, epoch));
                    return a::close;
                }
                case "httpd": {
                    HttpServerApp a = new HttpServerApp(stack, l.addr(), List.of(l.port()), cmd, pid, (req, s) -> httpd(req, epoch));
                    return a::close;
                }
                case "whoami": {
                    HttpServerApp a = new HttpServerApp(stack, l.addr(), List.of(l.port()), cmd, pid,
                            (req, s) -> whoami(req, s, hostname, addresses.get(), epoch));
                    return a::close;
                }
                case "redis":
                    return lineServer(stack, l, cmd, pid, null, line -> {
                        String u = line.trim().toUpperCase(java.util.Locale.ROOT);
                        if (u.equals("PING") || u.startsWith("*1") || u.equals("$4")) {
                            return u.equals("PING") ? "+PONG\r\n" : "";
                        }
                        if (u.isEmpty()) {
                            return "";
                        }
                        return "-ERR unknown command '" + line.trim() + "'\r\n";
                    });
                case "mysql":
                    return lineServer(stack, l, cmd, pid, mysqlGreeting(), line -> "");
                default:
                    return lineServer(stack, l, cmd, pid, null, line -> "");
            }
        } catch (SocketError e) {
            return () -> { };
        }
    }

    private static byte[] mysqlGreeting() {
        byte[] version = "8.4.6\0".getBytes(StandardCharsets.ISO_8859_1);
        byte[] rest = new byte[] {10};
        byte[] payload = new byte[1 + version.length + 4 + 9 + 2];
        int i = 0;
        payload[i++] = rest[0];
        System.arraycopy(version, 0, payload, i, version.length);
        i += version.length;
        payload[i++] = 8; // connection id
        i += 3;
        for (int k = 0; k < 8; k++) {
            payload[i++] = (byte) ('a' + k);
        }
        payload[i++] = 0;
        payload[i++] = (byte) 0xff;
        payload[i] = (byte) 0xf7;
        byte[] out = new byte[payload.length + 4];
        out[0] = (byte) payload.length;
        out[1] = (byte) (payload.length >>> 8);
        out[2] = 0;
        out[3] = 0;
        System.arraycopy(payload, 0, out, 4, payload.length);
        return out;
    }

    private static Runnable lineServer(HostStack stack, Listen l, String cmd, int pid, byte[] greeting,
                                       java.util.function.Function<String, String> onLine) {
        TcpServerSocket srv = stack.tcpServer();
        if (pid > 0) {
            srv.setOwner(cmd, pid);
        }
        srv.bind(l.addr(), l.port());
        srv.listen(511, s -> new TcpSocket.Listener() {
            private final StringBuilder buf = new StringBuilder();

            @Override
            public void onConnected(TcpSocket t) {
                if (greeting != null) {
                    t.write(greeting);
                }
            }

            @Override
            public void onData(TcpSocket t) {
                buf.append(new String(t.readAll(), StandardCharsets.ISO_8859_1));
                int nl;
                while ((nl = buf.indexOf("\n")) >= 0) {
                    String line = buf.substring(0, nl);
                    buf.delete(0, nl + 1);
                    String out = onLine.apply(line.replace("\r", ""));
                    if (!out.isEmpty()) {
                        t.write(out.getBytes(StandardCharsets.ISO_8859_1));
                    }
                }
            }

            @Override
            public void onPeerClosed(TcpSocket t) {
                t.close();
            }
        });
        return srv::close;
    }

    private static Runnable udpSink(HostStack stack, Listen l, String cmd, int pid) {
        try {
            UdpSocket u = stack.udp();
            if (pid > 0) {
                u.setOwner(cmd, pid);
            }
            u.bind(l.addr(), l.port());
            u.setListener(s -> {
                while (s.receive() != null) {
                    // consumed
                }
            });
            return u::close;
        } catch (SocketError e) {
            return () -> { };
        }
    }

    /** nginx's answer: the welcome page for {@code /} and {@code /index.html}, 404 otherwise. */
    public static byte[] nginx(HttpRequest req, LongSupplier epoch) {
        String date = Http.date(epoch.getAsLong());
        boolean head = req.method().equals("HEAD");
        String path = req.target();
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        if (path.equals("/") || path.equals("/index.html")) {
            byte[] body = NGINX_INDEX.getBytes(StandardCharsets.UTF_8);
            return Http.response("HTTP/1.1 200 OK", new String[] {"Server: nginx/" + NGINX_VERSION, "Date: " + date,
                "Content-Type: text/html", "Content-Length: " + body.length, "Last-Modified: Wed, 16 Apr 2025 12:01:11 GMT",
                nginxConnection(req), "ETag: \"67ff9c07-267\"", "Accept-Ranges: bytes"}, body, head);
        }
        byte[] body = ("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n"
                + "<hr><center>nginx/" + NGINX_VERSION + "</center>\r\n</body>\r\n</html>\r\n").getBytes(StandardCharsets.UTF_8);
        return Http.response("HTTP/1.1 404 Not Found", new String[] {"Server: nginx/" + NGINX_VERSION, "Date: " + date,
            "Content-Type: text/html", "Content-Length: " + body.length, nginxConnection(req)}, body, head);
    }

    /** nginx's {@code Connection} header: {@code keep-alive} while the connection persists, else {@code close}. */
    static String nginxConnection(HttpRequest req) {
        return req.keepAlive() ? "Connection: keep-alive" : "Connection: close";
    }

    /**
     * httpd's connection headers ({@code ap_set_keepalive}): {@code Connection: close} when it will close;
     * {@code Keep-Alive} and {@code Connection: Keep-Alive} only when the client asked for keep-alive;
     * nothing for a default persistent HTTP/1.1 connection.
     */
    static String[] httpdConnection(HttpRequest req) {
        if (!req.keepAlive()) {
            return new String[] {"Connection: close"};
        }
        String c = req.header("Connection");
        if (c != null && c.toLowerCase(java.util.Locale.ROOT).contains("keep-alive")) {
            return new String[] {"Keep-Alive: timeout=5, max=100", "Connection: Keep-Alive"};
        }
        return new String[0];
    }

    /** httpd's answer. */
    public static byte[] httpd(HttpRequest req, LongSupplier epoch) {
        byte[] body = HTTPD_INDEX.getBytes(StandardCharsets.UTF_8);
        List<String> h = new java.util.ArrayList<>(List.of("Date: " + Http.date(epoch.getAsLong()),
            "Server: Apache/2.4.65 (Unix)", "Last-Modified: Mon, 11 Jun 2007 18:53:14 GMT", "ETag: \"2d-432a5e4a73a80\"",
            "Accept-Ranges: bytes", "Content-Length: " + body.length));
        h.addAll(List.of(httpdConnection(req)));
        h.add("Content-Type: text/html");
        return Http.response("HTTP/1.1 200 OK", h.toArray(new String[0]), body, req.method().equals("HEAD"));
    }

    /** traefik/whoami's echo: hostname, addresses, remote address, then the request head. */
    public static byte[] whoami(HttpRequest req, TcpSocket s, String hostname, List<String> addresses, LongSupplier epoch) {
        StringBuilder sb = new StringBuilder();
        sb.append("Hostname: ").append(hostname).append('\n');
        for (String a : addresses) {
            sb.append("IP: ").append(a).append('\n');
        }
        sb.append("RemoteAddr: ").append(Ipv4Address.format(s.remoteAddress())).append(':').append(s.remotePort()).append('\n');
        String[] lines = req.head().split("\r\n");
        sb.append(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            sb.append(lines[i]).append('\n');
        }
        sb.append('\n');
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        return Http.response("HTTP/1.1 200 OK", new String[] {"Date: " + Http.date(epoch.getAsLong()),
            "Content-Length: " + body.length, "Content-Type: text/plain; charset=utf-8"}, body, req.method().equals("HEAD"));
    }

    /** The simulated internet's web server: a small page naming the client address it saw. */
    public static byte[] internetWeb(HttpRequest req, TcpSocket s, LongSupplier epoch) {
        String client = Ipv4Address.format(s.remoteAddress());
        String body;
        if (req.target().startsWith("/ip")) {
            body = client + "\n";
        } else {
            body = "<!doctype html>\n<html>\n<head><title>Example Domain</title></head>\n<body>\n<h1>Example Domain</h1>\n"
                    + "<p>This domain is for use in documentation examples without needing permission.</p>\n"
                    + "<p>Your address: " + client + ":" + s.remotePort() + "</p>\n</body>\n</html>\n";
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return Http.response("HTTP/1.1 200 OK", new String[] {"Server: simnet-internet", "Date: " + Http.date(epoch.getAsLong()),
            "Content-Type: " + (req.target().startsWith("/ip") ? "text/plain" : "text/html"), "Content-Length: " + b.length,
            nginxConnection(req)}, b, req.method().equals("HEAD"));
    }
}
