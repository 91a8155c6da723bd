package dev.simnet.linux.serve;

import dev.simnet.addr.Ipv4Address;
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
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 server on real sockets, created on a {@link NetnsExecutor} thread so its listening
 * socket lives in that namespace ({@link #start}), or on a Unix domain socket behind a
 * {@link TcpRelayProcess} that owns the TCP listeners in the namespace under the image's process
 * name ({@link #startUnix}; each connection then starts with a PROXY protocol v1 line carrying the
 * real client and local addresses). Two personalities stand in for images without a real binary:
 * {@link Kind#NGINX} answers every path with nginx's welcome page (and {@code Server: nginx}),
 * {@link Kind#HTTPD} with Apache's "It works!" page,
 * {@link Kind#WHOAMI} echoes the request like {@code traefik/whoami} (Hostname, IP, RemoteAddr,
 * request line and headers).
 */
public final class MiniHttpServer implements AutoCloseable {
    /** The server personality, with the name and command line of the image's main process. */
    public enum Kind {
        /** nginx: {@code docker run nginx}'s pid 1. */
        NGINX("nginx", "nginx: master process nginx -g daemon off;"),
        /** Apache httpd: {@code httpd-foreground} execs {@code httpd -DFOREGROUND}. */
        HTTPD("httpd", "httpd -DFOREGROUND"),
        /** traefik/whoami: its entrypoint {@code /whoami}. */
        WHOAMI("whoami", "/whoami");

        private final String processName;
        private final String commandLine;

        Kind(String processName, String commandLine) {
            this.processName = processName;
            this.commandLine = commandLine;
        }

        /** The process name ({@code /proc/PID/comm}) as {@code ps} and {@code ss -p} show it. */
        public String processName() {
            return processName;
        }

        /** The process's command line ({@code /proc/PID/cmdline}) as {@code lsns} and {@code netstat -p} show it. */
        public String commandLine() {
            return commandLine;
        }
    }

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

    /** Longest a client may take to send its request head. */
    private static final long HEAD_TIMEOUT_MILLIS = 10_000;
    /** Closes Unix connections whose head does not arrive in time (their channels have no SO_TIMEOUT). */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "http-deadlines");
        t.setDaemon(true);
        return t;
    });

    private final ServerSocketChannel server;
    private final Path unixPath;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private MiniHttpServer(ServerSocketChannel server, Path unixPath) {
        this.server = server;
        this.unixPath = unixPath;
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
            MiniHttpServer m = new MiniHttpServer(s, null);
            Thread t = new Thread(() -> m.acceptLoop(kind, hostname, ips), "http-" + ns.namespace());
            t.setDaemon(true);
            t.start();
            return m;
        });
    }

    /**
     * Listens on the Unix domain socket {@code path} (replacing a stale file there); every connection
     * must start with a PROXY protocol v1 line ({@code PROXY TCP4 SRC DST SPORT DPORT}, as
     * {@link TcpRelayProcess} sends), whose source address is the client the server answers
     * (WHOAMI's {@code RemoteAddr}). Connections without a valid line are closed.
     */
    public static MiniHttpServer startUnix(Path path, Kind kind, String hostname, List<String> ips) {
        ServerSocketChannel s = null;
        try {
            Files.deleteIfExists(path);
            s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            s.bind(UnixDomainSocketAddress.of(path), 511);
        } catch (IOException e) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // reporting the bind failure
                }
            }
            throw new UncheckedIOException("bind unix socket " + path + ": " + e.getMessage(), e);
        }
        MiniHttpServer m = new MiniHttpServer(s, path);
        Thread t = new Thread(() -> m.acceptLoop(kind, hostname, ips), "http-unix-" + path.getFileName());
        t.setDaemon(true);
        t.start();
        return m;
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
                    if (unixPath == null) {
                        c.socket().setSoTimeout((int) HEAD_TIMEOUT_MILLIS);
                        serve(c.socket().getInputStream(), c.socket().getOutputStream(),
                                (InetSocketAddress) c.getRemoteAddress(), kind, hostname, ips, null);
                    } else {
                        serveProxied(c, kind, hostname, ips);
                    }
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

    /** A connection from the relay: the PROXY line, then HTTP, with a deadline for the head. */
    private static void serveProxied(SocketChannel c, Kind kind, String hostname, List<String> ips) throws IOException {
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            try {
                c.close();
            } catch (IOException ignored) {
                // closed anyway
            }
        }, HEAD_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        try {
            InputStream in = Channels.newInputStream(c);
            InetSocketAddress[] addrs = readProxyLine(in);
            if (addrs == null) {
                return;
            }
            serve(in, Channels.newOutputStream(c), addrs[0], kind, hostname, ips, deadline);
        } finally {
            deadline.cancel(false);
        }
    }

    /**
     * Reads a PROXY protocol v1 line ({@code PROXY TCP4 SRC DST SPORT DPORT\r\n}, at most 107 bytes)
     * and returns {source, destination}, or null when the line is malformed.
     */
    static InetSocketAddress[] readProxyLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0 || sb.length() > 107) {
                return null;
            }
            if (b == '\n') {
                break;
            }
            sb.append((char) b);
        }
        String line = sb.toString();
        if (!line.endsWith("\r")) {
            return null;
        }
        String[] f = line.substring(0, line.length() - 1).split(" ");
        if (f.length != 6 || !f[0].equals("PROXY") || !f[1].equals("TCP4")) {
            return null;
        }
        try {
            return new InetSocketAddress[] {
                new InetSocketAddress(InetAddress.getByAddress(Ipv4Address.parse(f[2]).toBytes()), port(f[4])),
                new InetSocketAddress(InetAddress.getByAddress(Ipv4Address.parse(f[3]).toBytes()), port(f[5]))};
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static int port(String s) {
        int p = Integer.parseInt(s);
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("port " + s);
        }
        return p;
    }

    private static void serve(InputStream in, OutputStream out, InetSocketAddress remote, Kind kind, String hostname,
            List<String> ips, ScheduledFuture<?> deadline) throws IOException {
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
        if (deadline != null && !deadline.cancel(false)) {
            return; // timed out: the channel is closed
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] req = lines[0].split(" ");
        if (req.length != 3) {
            respond(out, 400, "text/plain", "bad request\n", null, false);
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
            case NGINX -> respond(out, 200, "text/html", NGINX_WELCOME, "nginx/1.27.3", headOnly);
            case HTTPD -> respond(out, 200, "text/html", "<html><body><h1>It works!</h1></body></html>\n", "Apache/2.4.62 (Unix)", headOnly);
            default -> {
                StringBuilder sb = new StringBuilder();
                sb.append("Hostname: ").append(hostname).append('\n');
                for (String ip : ips) {
                    sb.append("IP: ").append(ip).append('\n');
                }
                sb.append("RemoteAddr: ").append(remote.getAddress().getHostAddress()).append(':').append(remote.getPort()).append('\n');
                sb.append(req[0]).append(' ').append(req[1]).append(' ').append(req[2]).append('\n');
                headers.forEach((k, vs) -> vs.forEach(v -> sb.append(k).append(": ").append(v).append('\n')));
                respond(out, 200, "text/plain; charset=utf-8", sb.toString(), null, headOnly);
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

    private static void respond(OutputStream out, int status, String type, String body, String server, boolean headOnly)
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
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!headOnly) {
            out.write(b);
        }
        out.flush();
    }

    /** The Unix socket path of a {@link #startUnix} server, else null. */
    public Path unixPath() {
        return unixPath;
    }

    /** The bound address (useful with port 0); only for {@link #start} servers. */
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
        if (unixPath != null) {
            try {
                Files.deleteIfExists(unixPath);
            } catch (IOException ignored) {
                // the run's directory goes away with the run
            }
        }
    }
}
