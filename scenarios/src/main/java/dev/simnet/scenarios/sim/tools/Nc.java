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
    private static final Map<Integer, String> SERVICES = Map.of(80, "http", 443, "https", 53, "domain", 6379, "redis",
            5432, "postgresql", 3306, "mysql", 22, "ssh", 8080, "http-alt", 25, "smtp", 11211, "memcache");

    @Override
    public void run(ToolContext ctx, List<String> argv) {
        boolean zero = false;
        boolean verbose = false;
        boolean udp = false;
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
                        case 'n': case '4': break;
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
                udpConnect(ctx, fh, ip, p, fz, fv, fw);
            } else {
                tcpConnect(ctx, fh, ip, p, fz, fv, fw);
            }
        });
    }

    private static String svc(int port, String proto) {
        String s = SERVICES.get(port);
        return "[" + proto + "/" + (s == null ? "*" : s) + "]";
    }

    private static void udpConnect(ToolContext ctx, String host, String ip, int port, boolean zero, boolean verbose, long wait) {
        UdpSocket u = ctx.node().stack().udp();
        try {
            u.connect(Ipv4Address.parse(ip).bits(), port);
        } catch (SocketError e) {
            ctx.err().append("nc: connect to ").append(host).append(" port ").append(port).append(" (udp) failed: ")
                    .append(Errno.message(e.errno())).append('\n');
            ctx.exit(1);
            return;
        }
        if (verbose) {
            ctx.err().append("Connection to ").append(host).append(" (").append(ip).append(") ").append(port).append(" port ")
                    .append(svc(port, "udp")).append(" succeeded!\n");
        }
        if (zero) {
            u.send(new byte[] {'X'});
            u.close();
            ctx.exit(0);
            return;
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

    private static void tcpConnect(ToolContext ctx, String host, String ip, int port, boolean zero, boolean verbose, long wait) {
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
                        ctx.err().append("Connection to ").append(host).append(" (").append(ip).append(") ").append(port)
                                .append(" port ").append(svc(port, "tcp")).append(" succeeded!\n");
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
