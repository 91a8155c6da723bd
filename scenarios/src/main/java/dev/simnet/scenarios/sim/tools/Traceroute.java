package dev.simnet.scenarios.sim.tools;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.host.IcmpEchoSocket;
import java.util.List;
import java.util.Locale;

/**
 * {@code traceroute} (modern Linux traceroute's output format) probing with ICMP echo and a rising
 * TTL: three probes per hop, {@code -n}, {@code -m MAX}, {@code -w WAIT}, {@code -q N}.
 */
public final class Traceroute implements Tool {
    private boolean numeric;

    @Override
    public void run(ToolContext ctx, List<String> argv) {
        int maxHops = 30;
        numeric = false;
        int queries = 3;
        long wait = 5_000_000_000L;
        String target = null;
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            switch (a) {
                case "-m": maxHops = Integer.parseInt(argv.get(++i)); break;
                case "-q": queries = Integer.parseInt(argv.get(++i)); break;
                case "-w": wait = Ping.secs(argv.get(++i)); break;
                case "-n": numeric = true; break;
                case "-I": case "-4": break;
                default: target = a;
            }
        }
        if (target == null) {
            ctx.err().append("Specify \"host\" missing argument.\n");
            ctx.exit(2);
            return;
        }
        final int fMax = maxHops;
        final int fQ = queries;
        final long fWait = wait;
        final String fTarget = target;
        ctx.resolve(target, r -> {
            if (r.addresses().isEmpty()) {
                ctx.err().append(fTarget).append(": Name or service not known\nCannot handle \"host\" cmdline arg `")
                        .append(fTarget).append("' on position 1 (argc 1)\n");
                ctx.exit(2);
                return;
            }
            String ip = r.addresses().get(0);
            ctx.out().append("traceroute to ").append(fTarget).append(" (").append(ip).append("), ").append(fMax)
                    .append(" hops max, 60 byte packets\n");
            IcmpEchoSocket s = ctx.node().stack().ping();
            hop(ctx, s, Ipv4Address.parse(ip).bits(), 1, fMax, fQ, fWait);
        });
    }

    private void hop(ToolContext ctx, IcmpEchoSocket s, int dst, int ttl, int max, int q, long wait) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%2d ", ttl));
        int[] got = {0};
        int[] lastFrom = {0};
        boolean[] reached = {false};
        boolean[] closed = {false};
        Runnable[] done = new Runnable[1];
        done[0] = () -> {
            if (closed[0]) {
                return;
            }
            closed[0] = true;
            ctx.out().append(line).append('\n');
            if (reached[0] || ttl >= max) {
                s.close();
                ctx.exit(0);
            } else {
                hop(ctx, s, dst, ttl + 1, max, q, wait);
            }
        };
        long[] sentAt = new long[q];
        s.setListener(new IcmpEchoSocket.Listener() {
            @Override
            public void onReply(int from, int sequence, int rttl, int payloadLen, long sent, long now) {
                record(from, sequence, now);
                reached[0] = true;
            }

            @Override
            public void onError(int reporter, int icmpType, int icmpCode, int sequence, long now) {
                record(reporter, sequence, now);
            }

            private void record(int from, int seq, long now) {
                int idx = seq - ttl * 100;
                if (closed[0] || idx < 0 || idx >= q) {
                    return;
                }
                String a = Ipv4Address.format(from);
                if (from != lastFrom[0]) {
                    line.append(' ').append(a);
                    if (!numeric) {
                        line.append(" (").append(a).append(')');
                    }
                    lastFrom[0] = from;
                }
                line.append(String.format(Locale.ROOT, "  %.3f ms", (now - sentAt[idx]) / 1e6));
                if (++got[0] == q) {
                    done[0].run();
                }
            }
        });
        for (int i = 0; i < q; i++) {
            sentAt[i] = ctx.now();
            s.send(dst, ttl * 100 + i, 32, ttl);
        }
        ctx.scheduler().scheduleIn(wait, n -> {
            if (!closed[0]) {
                for (int i = got[0]; i < q; i++) {
                    line.append(" *");
                }
                done[0].run();
            }
        });
    }
}
