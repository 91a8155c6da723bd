package dev.simnet.scenarios.sim.tools;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.host.Errno;
import dev.simnet.host.SocketError;
import dev.simnet.host.TcpSocket;
import dev.simnet.host.UdpSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** OpenBSD {@code nc}: {@code -z} (scan), {@code -v}, {@code -u}, {@code -w SECS}, {@code -n}; HOST PORT. */
public final class Nc implements Tool {
    /** Debian's {@code /etc/services} for the ports scenarios use, by "PORT/PROTO" (getservbyport). */
    private static final Map<String, String> SERVICES = Map.ofEntries(Map.entry("80/tcp", "http"),
            Map.entry("443/tcp", "https"), Map.entry("443/udp", "https"), Map.entry("53/tcp", "domain"),
            Map.entry("53/udp", "domain"), Map.entry("6379/tcp", "redis"), Map.entry("5432/tcp", "postgresql"),
            Map.entry("3306/tcp", "mysql"), Map.entry("22/tcp", "ssh"), Map.entry("8080/tcp", "http-alt"),
            Map.entry("25/tcp", "smtp"), Map.entry("5353/udp", "mdns"));

    @Override
    public void run(ToolContext ctx, List<String> argv) {
        boolean zero = false;
        boolean verbose = false;
        boolean udp = false;
        boolean numeric = false;
        long wait = -1;
        String host = null;
        String port = null;
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-w") && i + 1 < argv.size()) {
                wait = Ping.secs(argv.get(++i));
            } else if (a.startsWith("-") && a.length() > 1) {
                for (char c : a.substring(1).toCharArray()) {
                    switch (c) {
                        case 'z': zero = true; break;
                        case 'v': verbose = true; break;
                        case 'u': udp = true; break;
                        case 'n': numeric = true; break;
                        case '4': break;
                        case 'w': break;
                        default:
                            ctx.err().append("nc: invalid option -- '").append(c).append("'\n");
                            ctx.exit(1);
                            return;
                    }
                }
                if (a.endsWith("w") && i + 1 < argv.size()) {
                    wait = Ping.secs(argv.get(++i));
                }
            } else if (host == null) {
                host = a;
            } else {
                port = a;
            }
        }
        if (host == null || port == null) {
            ctx.err().append("usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n");
            ctx.exit(1);
            return;
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            ctx.err().append("nc: port number invalid: ").append(port).append('\n');
            ctx.exit(1);
            return;
        }
        final boolean fz = zero;
        final boolean fv = verbose;
        final boolean fu = udp;
        final boolean fn = numeric;
        final long fw = wait;
        final String fh = host;
        ctx.resolve(host, r -> {
            if (r.addresses().isEmpty()) {
                ctx.err().append("nc: getaddrinfo for host \"").append(fh).append("\" port ").append(p)
                        .append(": Name or service not known\n");
                ctx.exit(1);
                return;
            }
            String ip = r.addresses().get(0);
            if (fu) {
                udpConnect(ctx, fh, ip, p, fz, fv, fn, fw);
            } else {
                tcpConnect(ctx, fh, ip, p, fz, fv, fn, fw);
            }
        });
    }

    private static String svc(int port, String proto) {
        String s = SERVICES.get(port + "/" + proto);
        return "[" + proto + "/" + (s == null ? "*" : s) + "]";
    }

    /**
     * netcat-openbsd's {@code connection_info}: "Connection to HOST (IP) PORT port [PROTO/SERVICE] succeeded!",
     * the address in parentheses only when the host was given as a name; with {@code -n} neither it nor the
     * service name (then "*").
     */
    private static void connectionInfo(ToolContext ctx, String host, String ip, int port, String proto, boolean numeric) {
        ctx.err().append("Connection to ").append(host);
        if (!numeric && !host.equals(ip)) {
            ctx.err().append(" (").append(ip).append(')');
        }
        ctx.err().append(' ').append(port).append(" port ").append(numeric ? "[" + proto + "/*]" : svc(port, proto))
                .append(" succeeded!\n");
    }

    /** Writes in {@link #udptest} (netcat-openbsd writes "X" four times and judges the port by the last). */
    private static final int UDPTEST_WRITES = 4;
    /** Virtual time between them: on Linux an ICMP error of a local peer is queued before the next write. */
    private static final long UDPTEST_GAP_NANOS = 1_000_000L;

    /**
     * {@code nc -zu}'s {@code udptest}: "X" written {@link #UDPTEST_WRITES} times; a port that refused (ICMP
     * port unreachable, reported on a later write) ends nc with status 1 and no message; else {@code open}.
     */
    private static void udptest(ToolContext ctx, UdpSocket u, int written, Runnable open) {
        boolean ok;
        try {
            u.send(new byte[] {'X'});
            ok = true;
        } catch (SocketError e) {
            ok = false;
        }
        if (written + 1 < UDPTEST_WRITES) {
            ctx.after(UDPTEST_GAP_NANOS, () -> udptest(ctx, u, written + 1, open));
            return;
        }
        u.close();
        if (ok) {
            open.run();
        } else {
            ctx.exit(1);
        }
    }

    private static void udpConnect(ToolContext ctx, String host, String ip, int port, boolean zero, boolean verbose,
                                   boolean numeric, long wait) {
        UdpSocket u = ctx.node().stack().udp();
        try {
            u.connect(Ipv4Address.parse(ip).bits(), port);
        } catch (SocketError e) {
            ctx.err().append("nc: connect to ").append(host).append(" port ").append(port).append(" (udp) failed: ")
                    .append(Errno.message(e.errno())).append('\n');
            ctx.exit(1);
            return;
        }
        if (zero) {
            udptest(ctx, u, 0, () -> {
                if (verbose) {
                    connectionInfo(ctx, host, ip, port, "udp", numeric);
                }
                ctx.exit(0);
            });
            return;
        }
        if (verbose) {
            connectionInfo(ctx, host, ip, port, "udp", numeric);
        }
        u.setListener(s -> {
            UdpSocket.Datagram d;
            while ((d = s.receive()) != null) {
                ctx.out().append(new String(d.payload(), StandardCharsets.UTF_8));
            }
        });
        ctx.after(wait > 0 ? wait : 1_000_000_000L, () -> {
            u.close();
            ctx.exit(0);
        });
    }

    private static void tcpConnect(ToolContext ctx, String host, String ip, int port, boolean zero, boolean verbose,
                                   boolean numeric, long wait) {
        TcpSocket t = ctx.node().stack().tcp();
        boolean[] connected = {false};
        String where = host + " (" + ip + ") port " + port + " (tcp)";
        if (wait > 0) {
            ctx.after(wait, () -> {
                t.abort();
                if (!connected[0]) {
                    ctx.err().append("nc: connect to ").append(where).append(" timed out: Operation now in progress\n");
                    ctx.exit(1);
                } else {
                    ctx.exit(0);
                }
            });
        }
        try {
            t.connect(Ipv4Address.parse(ip).bits(), port, new TcpSocket.Listener() {
                @Override
                public void onConnected(TcpSocket s) {
                    connected[0] = true;
                    if (verbose) {
                        connectionInfo(ctx, host, ip, port, "tcp", numeric);
                    }
                    if (zero) {
                        s.close();
                        ctx.exit(0);
                    }
                }

                @Override
                public void onData(TcpSocket s) {
                    ctx.out().append(new String(s.readAll(), StandardCharsets.UTF_8));
                }

                @Override
                public void onPeerClosed(TcpSocket s) {
                    s.close();
                    ctx.exit(0);
                }

                @Override
                public void onError(TcpSocket s, int errno) {
                    if (!connected[0]) {
                        ctx.err().append("nc: connect to ").append(where).append(" failed: ").append(Errno.message(errno)).append('\n');
                        ctx.exit(1);
                    } else {
                        ctx.exit(0);
                    }
                }
            });
        } catch (SocketError e) {
            ctx.err().append("nc: connect to ").append(where).append(" failed: ").append(Errno.message(e.errno())).append('\n');
            ctx.exit(1);
        }
        if (!zero && wait <= 0) {
            ctx.after(10_000_000_000L, () -> {
                t.close();
                ctx.exit(0);
            });
        }
    }
}
