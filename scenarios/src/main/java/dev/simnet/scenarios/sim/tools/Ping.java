package dev.simnet.scenarios.sim.tools;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.dns.stub.StubResolver;
import dev.simnet.host.IcmpEchoSocket;
import dev.simnet.host.SocketError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ping} as iputils 20221126 prints it: {@code -c COUNT}, {@code -i INTERVAL}, {@code -W TIMEOUT},
 * {@code -w DEADLINE}, {@code -s SIZE}, {@code -t TTL}, {@code -n}, {@code -q}. Exit 0 when a reply
 * came, 1 when none did, 2 on errors (unknown host).
 */
public final class Ping implements Tool {
    @Override
    public void run(ToolContext ctx, List<String> argv) {
        int count = -1;
        long interval = 1_000_000_000L;
        long waitNs = -1;
        long deadline = -1;
        int size = 56;
        int ttl = 64;
        boolean numeric = false;
        boolean quiet = false;
        String target = null;
        try {
            for (int i = 1; i < argv.size(); i++) {
                String a = argv.get(i);
                switch (a) {
                    case "-c": count = Integer.parseInt(argv.get(++i)); break;
                    case "-i": interval = secs(argv.get(++i)); break;
                    case "-W": waitNs = secs(argv.get(++i)); break;
                    case "-w": deadline = secs(argv.get(++i)); break;
                    case "-s": size = Integer.parseInt(argv.get(++i)); break;
                    case "-t": ttl = Integer.parseInt(argv.get(++i)); break;
                    case "-n": numeric = true; break;
                    case "-q": quiet = true; break;
                    case "-4": break;
                    default:
                        if (a.startsWith("-c") && a.length() > 2) {
                            count = Integer.parseInt(a.substring(2));
                        } else if (a.startsWith("-")) {
                            ctx.err().append("ping: invalid option -- '").append(a.substring(1)).append("'\n");
                            ctx.exit(2);
                            return;
                        } else {
                            target = a;
                        }
                }
            }
        } catch (RuntimeException e) {
            ctx.err().append("ping: option requires an argument\n");
            ctx.exit(2);
            return;
        }
        if (target == null) {
            ctx.err().append("ping: usage error: Destination address required\n");
            ctx.exit(1);
            return;
        }
        if (count < 0 && deadline < 0) {
            count = 4; // an unbounded ping would never end in a scripted exec; behave like -c 4
        }
        final int fCount = count;
        final long fInterval = interval;
        final long fWait = waitNs < 0 ? 10_000_000_000L : waitNs;
        final long fDeadline = deadline;
        final int fSize = size;
        final int fTtl = ttl;
        final boolean fNumeric = numeric;
        final boolean fQuiet = quiet;
        final String fTarget = target;
        ctx.resolve(target, r -> {
            if (r.addresses().isEmpty()) {
                ctx.err().append("ping: ").append(fTarget).append(": ")
                        .append(r.status() == StubResolver.Status.NXDOMAIN || r.status() == StubResolver.Status.NODATA
                                ? "Name or service not known" : "Temporary failure in name resolution").append('\n');
                ctx.exit(2);
                return;
            }
            String ip = r.addresses().get(0);
            boolean literal = ToolContext.literal(fTarget) != null;
            if (literal || fNumeric) {
                start(ctx, fTarget, ip, null, fCount, fInterval, fWait, fDeadline, fSize, fTtl, fQuiet);
            } else {
                ctx.resolver().query(reverseName(ip), org.xbill.DNS.Type.PTR, pr -> {
                    String name = fTarget;
                    if (pr.exchange() != null && pr.exchange().answered()) {
                        for (org.xbill.DNS.Record rec : pr.exchange().response().getSection(org.xbill.DNS.Section.ANSWER)) {
                            if (rec instanceof org.xbill.DNS.PTRRecord p) {
                                String t = p.getTarget().toString();
                                name = t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
                                break;
                            }
                        }
                    }
                    start(ctx, fTarget, ip, name, fCount, fInterval, fWait, fDeadline, fSize, fTtl, fQuiet);
                });
            }
        });
    }

    static String reverseName(String ip) {
        String[] p = ip.split("\\.");
        return p[3] + "." + p[2] + "." + p[1] + "." + p[0] + ".in-addr.arpa.";
    }

    static long secs(String s) {
        return Math.round(Double.parseDouble(s) * 1e9);
    }

    private static void start(ToolContext ctx, String target, String ip, String name, int count, long interval, long wait,
                              long deadline, int size, int ttl, boolean quiet) {
        IcmpEchoSocket sock;
        try {
            sock = ctx.node().stack().ping();
        } catch (SocketError e) {
            ctx.err().append("ping: socket: ").append(e.getMessage()).append('\n');
            ctx.exit(2);
            return;
        }
        int dst = Ipv4Address.parse(ip).bits();
        String who = name == null ? ip : name + " (" + ip + ")";
        ctx.out().append("PING ").append(target).append(" (").append(ip).append(") ").append(size).append('(')
                .append(size + 28).append(") bytes of data.\n");
        long start = ctx.now();
        int[] sent = {0};
        int[] received = {0};
        int[] errors = {0};
        List<Long> rtts = new ArrayList<>();
        long[] lastActivity = {start};
        boolean[] finished = {false};
        Runnable finish = () -> {
            if (finished[0]) {
                return;
            }
            finished[0] = true;
            sock.close();
            long elapsedMs = (lastActivity[0] - start) / 1_000_000L;
            StringBuilder o = ctx.out();
            o.append("\n--- ").append(target).append(" ping statistics ---\n");
            int loss = sent[0] == 0 ? 0 : (int) ((100L * (sent[0] - received[0])) / sent[0]);
            o.append(sent[0]).append(" packets transmitted, ").append(received[0]).append(" received");
            if (errors[0] > 0) {
                o.append(", +").append(errors[0]).append(" errors");
            }
            o.append(", ").append(loss).append("% packet loss, time ").append(elapsedMs).append("ms\n");
            if (!rtts.isEmpty()) {
                double min = Double.MAX_VALUE;
                double max = 0;
                double sum = 0;
                double sum2 = 0;
                for (long r : rtts) {
                    double ms = r / 1e6;
                    min = Math.min(min, ms);
                    max = Math.max(max, ms);
                    sum += ms;
                    sum2 += ms * ms;
                }
                double avg = sum / rtts.size();
                double mdev = Math.sqrt(Math.max(0, sum2 / rtts.size() - avg * avg));
                o.append(String.format(Locale.ROOT, "rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms%n", min, avg, max, mdev));
            }
            ctx.exit(received[0] > 0 ? 0 : 1);
        };
        sock.setListener(new IcmpEchoSocket.Listener() {
            @Override
            public void onReply(int from, int sequence, int rttl, int payloadLen, long sentAt, long now) {
                if (finished[0]) {
                    return;
                }
                received[0]++;
                long rtt = sentAt >= 0 ? now - sentAt : 0;
                rtts.add(rtt);
                lastActivity[0] = Math.max(lastActivity[0], now);
                if (!quiet) {
                    ctx.out().append(payloadLen + 8).append(" bytes from ").append(name == null ? Ipv4Address.format(from) : who)
                            .append(": icmp_seq=").append(sequence).append(" ttl=").append(rttl).append(" time=")
                            .append(formatRtt(rtt)).append(" ms\n");
                }
                if (count > 0 && received[0] + errors[0] >= count && sent[0] >= count) {
                    finish.run();
                }
            }

            @Override
            public void onError(int reporter, int icmpType, int icmpCode, int sequence, long now) {
                if (finished[0]) {
                    return;
                }
                errors[0]++;
                lastActivity[0] = Math.max(lastActivity[0], now);
                if (!quiet) {
                    ctx.out().append("From ").append(Ipv4Address.format(reporter)).append(" icmp_seq=").append(sequence)
                            .append(' ').append(describe(icmpType, icmpCode)).append('\n');
                }
                if (count > 0 && received[0] + errors[0] >= count && sent[0] >= count) {
                    finish.run();
                }
            }
        });
        Runnable[] sendNext = new Runnable[1];
        sendNext[0] = () -> {
            if (finished[0]) {
                return;
            }
            sent[0]++;
            lastActivity[0] = Math.max(lastActivity[0], ctx.now());
            int seq = sent[0];
            try {
                int rc = sock.send(dst, seq, size, ttl);
                if (rc != 0) {
                    throw new SocketError(Math.abs(rc), "sendmsg");
                }
            } catch (SocketError e) {
                if (seq == 1 && e.errno() == dev.simnet.host.Errno.ENETUNREACH) {
                    // iputils connects its socket first: no route means no statistics at all
                    finished[0] = true;
                    sock.close();
                    ctx.out().setLength(0);
                    ctx.err().append("ping: connect: Network is unreachable\n");
                    ctx.exit(2);
                    return;
                }
                ctx.out().append("ping: sendmsg: ").append(dev.simnet.host.Errno.message(e.errno())).append('\n');
            }
            if (count < 0 || sent[0] < count) {
                ctx.scheduler().scheduleIn(interval, n -> sendNext[0].run());
            } else {
                ctx.scheduler().scheduleIn(wait, n -> finish.run());
            }
        };
        sendNext[0].run();
        if (deadline > 0) {
            ctx.scheduler().scheduleIn(deadline, n -> {
                lastActivity[0] = Math.max(lastActivity[0], n);
                finish.run();
            });
        }
    }

    static String formatRtt(long nanos) {
        double ms = nanos / 1e6;
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%.0f", ms);
        }
        if (ms >= 10) {
            return String.format(Locale.ROOT, "%.1f", ms);
        }
        return String.format(Locale.ROOT, "%.3f", ms);
    }

    static String describe(int type, int code) {
        if (type == 3) {
            switch (code) {
                case 0: return "Destination Net Unreachable";
                case 1: return "Destination Host Unreachable";
                case 2: return "Destination Protocol Unreachable";
                case 3: return "Destination Port Unreachable";
                case 4: return "Frag needed and DF set";
                case 13: return "Packet filtered";
                default: return "Dest Unreachable, Bad Code: " + code;
            }
        }
        if (type == 11) {
            return code == 0 ? "Time to live exceeded" : "Frag reassembly time exceeded";
        }
        return "Bad ICMP type: " + type;
    }
}
