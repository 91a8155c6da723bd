package dev.simnet.scenarios.sim.tools;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.host.Errno;
import dev.simnet.host.SocketError;
import dev.simnet.host.TcpSocket;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code curl} 7.88.1 for plain HTTP/1.1: {@code -s}, {@code -S}, {@code -v}, {@code -i}, {@code -I},
 * {@code -o FILE} (only {@code /dev/null} is meaningful), {@code -w FORMAT}, {@code -m/--max-time},
 * {@code --connect-timeout}, {@code -f}, {@code -H}, {@code -X}, {@code -A}. Exit codes as curl's:
 * 6 could not resolve, 7 could not connect, 22 HTTP error with {@code -f}, 28 timeout, 52 empty reply,
 * 56 receive failure.
 */
public final class Curl implements Tool {
    /** The User-Agent curl sends. */
    public static final String USER_AGENT = "curl/7.88.1";

    @Override
    public void run(ToolContext ctx, List<String> argv) {
        Opts o = new Opts();
        try {
            for (int i = 1; i < argv.size(); i++) {
                String a = argv.get(i);
                if (a.startsWith("-") && !a.startsWith("--") && a.length() > 2 && "sSvfiIL".indexOf(a.charAt(1)) >= 0
                        && a.substring(1).chars().allMatch(c -> "sSvfiIL".indexOf(c) >= 0)) {
                    for (char c : a.substring(1).toCharArray()) {
                        flag(o, c);
                    }
                    continue;
                }
                switch (a) {
                    case "-s": case "--silent": o.silent = true; break;
                    case "-S": case "--show-error": o.showError = true; break;
                    case "-v": case "--verbose": o.verbose = true; break;
                    case "-f": case "--fail": o.fail = true; break;
                    case "-i": case "--include": o.include = true; break;
                    case "-I": case "--head": o.head = true; break;
                    case "-L": case "--location": break;
                    case "-o": case "--output": o.output = argv.get(++i); break;
                    case "-w": case "--write-out": o.writeOut = argv.get(++i); break;
                    case "-m": case "--max-time": o.maxTime = Ping.secs(argv.get(++i)); break;
                    case "--connect-timeout": o.connectTimeout = Ping.secs(argv.get(++i)); break;
                    case "-H": case "--header": o.headers.add(argv.get(++i)); break;
                    case "-X": case "--request": o.method = argv.get(++i); break;
                    case "-A": case "--user-agent": o.agent = argv.get(++i); break;
                    case "--http1.1": case "-4": case "--ipv4": case "-k": case "--insecure": break;
                    default:
                        if (a.startsWith("-")) {
                            ctx.err().append("curl: option ").append(a).append(": is unknown\n")
                                    .append("curl: try 'curl --help' or 'curl --manual' for more information\n");
                            ctx.exit(2);
                            return;
                        }
                        o.url = a;
                }
            }
        } catch (IndexOutOfBoundsException e) {
            ctx.err().append("curl: option ").append(argv.get(argv.size() - 1)).append(": requires parameter\n");
            ctx.exit(2);
            return;
        }
        if (o.url == null) {
            ctx.err().append("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
            ctx.exit(2);
            return;
        }
        String u = o.url;
        String scheme = "http";
        int se = u.indexOf("://");
        if (se >= 0) {
            scheme = u.substring(0, se).toLowerCase(Locale.ROOT);
            u = u.substring(se + 3);
        }
        if (!scheme.equals("http")) {
            fail(ctx, o, 1, "Protocol \"" + scheme + "\" not supported or disabled in libcurl");
            return;
        }
        int slash = u.indexOf('/');
        String hostPort = slash >= 0 ? u.substring(0, slash) : u;
        o.path = slash >= 0 ? u.substring(slash) : "/";
        int colon = hostPort.lastIndexOf(':');
        o.host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
        o.hostHeader = hostPort;
        try {
            o.port = colon >= 0 ? Integer.parseInt(hostPort.substring(colon + 1)) : 80;
        } catch (NumberFormatException e) {
            fail(ctx, o, 3, "URL using bad/illegal format or missing URL");
            return;
        }
        if (o.maxTime > 0) {
            ctx.after(o.maxTime, () -> {
                long ms = (ctx.now() - ctx.startedAt()) / 1_000_000L;
                if (o.socket != null) {
                    o.socket.abort();
                }
                if (o.connected) {
                    fail(ctx, o, 28, "Operation timed out after " + ms + " milliseconds with " + o.body() + " bytes received");
                } else if (o.resolved) {
                    fail(ctx, o, 28, "Connection timed out after " + ms + " milliseconds");
                } else {
                    fail(ctx, o, 28, "Resolving timed out after " + ms + " milliseconds");
                }
            });
        }
        if (o.connectTimeout > 0) {
            ctx.after(o.connectTimeout, () -> {
                if (!o.connected) {
                    if (o.socket != null) {
                        o.socket.abort();
                    }
                    fail(ctx, o, 28, (o.resolved ? "Connection" : "Resolving") + " timed out after "
                            + (ctx.now() - ctx.startedAt()) / 1_000_000L + " milliseconds");
                }
            });
        }
        ctx.resolve(o.host, r -> {
            if (ctx.done()) {
                return;
            }
            if (r.addresses().isEmpty()) {
                fail(ctx, o, 6, "Could not resolve host: " + o.host);
                return;
            }
            o.resolved = true;
            connect(ctx, o, r.addresses().get(0));
        });
    }

    private static void flag(Opts o, char c) {
        switch (c) {
            case 's': o.silent = true; break;
            case 'S': o.showError = true; break;
            case 'v': o.verbose = true; break;
            case 'f': o.fail = true; break;
            case 'i': o.include = true; break;
            case 'I': o.head = true; break;
            default: break;
        }
    }

    private static void connect(ToolContext ctx, Opts o, String ip) {
        o.ip = ip;
        if (o.verbose) {
            ctx.err().append("*   Trying ").append(ip).append(':').append(o.port).append("...\n");
        }
        TcpSocket s = ctx.node().stack().tcp();
        o.socket = s;
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        try {
            s.connect(Ipv4Address.parse(ip).bits(), o.port, new TcpSocket.Listener() {
                @Override
                public void onConnected(TcpSocket t) {
                    if (ctx.done()) {
                        t.abort();
                        return;
                    }
                    o.connected = true;
                    if (o.verbose) {
                        ctx.err().append("* Connected to ").append(o.host).append(" (").append(ip).append(") port ")
                                .append(o.port).append(" (#0)\n");
                    }
                    String method = o.method != null ? o.method : o.head ? "HEAD" : "GET";
                    StringBuilder req = new StringBuilder();
                    req.append(method).append(' ').append(o.path).append(" HTTP/1.1\r\n");
                    req.append("Host: ").append(o.hostHeader).append("\r\n");
                    req.append("User-Agent: ").append(o.agent != null ? o.agent : USER_AGENT).append("\r\n");
                    req.append("Accept: */*\r\n");
                    for (String h : o.headers) {
                        req.append(h).append("\r\n");
                    }
                    req.append("\r\n");
                    if (o.verbose) {
                        for (String line : req.toString().split("\r\n")) {
                            ctx.err().append("> ").append(line).append('\n');
                        }
                        ctx.err().append("> \n");
                    }
                    t.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
                }

                @Override
                public void onData(TcpSocket t) {
                    byte[] b = t.readAll();
                    in.write(b, 0, b.length);
                    o.raw = in.toByteArray();
                    if (o.complete(o.head || "HEAD".equals(o.method))) {
                        t.close();
                        finish(ctx, o);
                    }
                }

                @Override
                public void onPeerClosed(TcpSocket t) {
                    t.close();
                    if (ctx.done()) {
                        return;
                    }
                    if (o.raw == null || o.raw.length == 0) {
                        fail(ctx, o, 52, "Empty reply from server");
                        return;
                    }
                    finish(ctx, o);
                }

                @Override
                public void onError(TcpSocket t, int errno) {
                    if (ctx.done()) {
                        return;
                    }
                    long ms = (ctx.now() - ctx.startedAt()) / 1_000_000L;
                    if (!o.connected) {
                        if (errno == Errno.ETIMEDOUT) {
                            fail(ctx, o, 28, "Failed to connect to " + o.host + " port " + o.port + " after " + ms
                                    + " ms: Couldn't connect to server");
                        } else {
                            fail(ctx, o, 7, "Failed to connect to " + o.host + " port " + o.port + " after " + ms
                                    + " ms: Couldn't connect to server");
                        }
                    } else {
                        fail(ctx, o, 56, "Recv failure: " + Errno.message(errno));
                    }
                }
            });
        } catch (SocketError e) {
            long ms = (ctx.now() - ctx.startedAt()) / 1_000_000L;
            fail(ctx, o, 7, "Failed to connect to " + o.host + " port " + o.port + " after " + ms + " ms: Couldn't connect to server");
        }
    }

    private static void finish(ToolContext ctx, Opts o) {
        if (ctx.done()) {
            return;
        }
        String text = new String(o.raw, StandardCharsets.ISO_8859_1);
        int he = text.indexOf("\r\n\r\n");
        String head = he >= 0 ? text.substring(0, he) : text;
        byte[] body = he >= 0 ? java.util.Arrays.copyOfRange(o.raw, he + 4, o.raw.length) : new byte[0];
        String status = head.split("\r\n")[0];
        String[] sp = status.split(" ");
        o.code = sp.length > 1 ? Integer.parseInt(sp[1]) : 0;
        if (o.verbose) {
            for (String line : head.split("\r\n")) {
                ctx.err().append("< ").append(line).append('\n');
            }
            ctx.err().append("< \n");
            if (body.length > 0) {
                ctx.err().append("{ [").append(body.length).append(" bytes data]\n");
            }
            ctx.err().append("* Connection #0 to host ").append(o.host).append(" left intact\n");
        }
        if (o.fail && o.code >= 400) {
            fail(ctx, o, 22, "The requested URL returned error: " + o.code);
            return;
        }
        boolean toNull = "/dev/null".equals(o.output);
        if (o.output != null && !toNull) {
            ctx.files().put(o.output.startsWith("/") ? o.output : "/" + o.output, new String(body, StandardCharsets.UTF_8));
        }
        if (!toNull && o.output == null) {
            if (o.include || o.head) {
                ctx.out().append(head.replace("\r\n", "\r\n")).append("\r\n\r\n");
            }
            if (!o.head) {
                ctx.out().append(new String(body, StandardCharsets.UTF_8));
            }
        }
        o.sizeDownload = body.length;
        writeOut(ctx, o);
        ctx.exit(0);
    }

    private static void writeOut(ToolContext ctx, Opts o) {
        if (o.writeOut == null) {
            return;
        }
        String f = o.writeOut;
        double total = (ctx.now() - ctx.startedAt()) / 1e9;
        String localIp = o.socket != null && o.connected ? Ipv4Address.format(o.socket.localAddress()) : "";
        String localPort = o.socket != null && o.connected ? Integer.toString(o.socket.localPort()) : "0";
        f = f.replace("%{http_code}", String.format(Locale.ROOT, "%03d", o.code))
                .replace("%{response_code}", String.format(Locale.ROOT, "%03d", o.code))
                .replace("%{remote_ip}", o.ip == null ? "" : o.ip)
                .replace("%{remote_port}", o.connected ? Integer.toString(o.port) : "0")
                .replace("%{local_ip}", localIp)
                .replace("%{local_port}", localPort)
                .replace("%{size_download}", Long.toString(o.sizeDownload))
                .replace("%{time_total}", String.format(Locale.ROOT, "%.6f", total))
                .replace("%{exitcode}", Integer.toString(o.exitCode))
                .replace("\\n", "\n").replace("\\t", "\t");
        ctx.out().append(f);
    }

    private static void fail(ToolContext ctx, Opts o, int code, String msg) {
        if (ctx.done()) {
            return;
        }
        if (o.socket != null && !o.connected) {
            o.socket.abort();
        }
        o.exitCode = code;
        if (!o.silent || o.showError) {
            ctx.err().append("curl: (").append(code).append(") ").append(msg).append('\n');
        }
        writeOut(ctx, o);
        ctx.exit(code);
    }

    private static final class Opts {
        boolean silent;
        boolean showError;
        boolean verbose;
        boolean fail;
        boolean include;
        boolean head;
        String output;
        String writeOut;
        long maxTime;
        long connectTimeout;
        List<String> headers = new ArrayList<>();
        String method;
        String agent;
        String url;
        String host;
        String hostHeader;
        String path;
        int port;
        String ip;
        boolean resolved;
        boolean connected;
        TcpSocket socket;
        byte[] raw;
        int code;
        long sizeDownload;
        int exitCode;

        long body() {
            if (raw == null) {
                return 0;
            }
            String t = new String(raw, StandardCharsets.ISO_8859_1);
            int he = t.indexOf("\r\n\r\n");
            return he < 0 ? 0 : raw.length - he - 4;
        }

        boolean complete(boolean headOnly) {
            String t = new String(raw, StandardCharsets.ISO_8859_1);
            int he = t.indexOf("\r\n\r\n");
            if (he < 0) {
                return false;
            }
            if (headOnly) {
                return true;
            }
            for (String line : t.substring(0, he).split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    long len = Long.parseLong(line.substring(15).trim());
                    return raw.length - he - 4 >= len;
                }
            }
            return false;
        }
    }
}
