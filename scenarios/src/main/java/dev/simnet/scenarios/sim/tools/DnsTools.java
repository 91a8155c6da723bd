package dev.simnet.scenarios.sim.tools;

import dev.simnet.dns.Upstream;
import dev.simnet.dns.stub.DigRenderer;
import dev.simnet.dns.stub.Exchange;
import dev.simnet.dns.stub.NslookupRenderer;
import dev.simnet.dns.stub.StubResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Type;

/** {@code nslookup} and {@code dig}, sending real queries from the namespace through the stub resolver. */
public final class DnsTools {
    /** The virtual wall clock at time 0 (2026-01-01T00:00:00Z), for dig's WHEN line. */
    public static final long EPOCH_MILLIS = 1767225600000L;

    private DnsTools() {
    }

    /** {@code nslookup [-type=T] NAME [SERVER]}. */
    public static final Tool NSLOOKUP = (ctx, argv) -> {
        String name = null;
        String server = null;
        int type = -1;
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.startsWith("-type=") || a.startsWith("-query=") || a.startsWith("-q=") || a.startsWith("-t=")) {
                type = Type.value(a.substring(a.indexOf('=') + 1).toUpperCase(Locale.ROOT));
            } else if (a.startsWith("-")) {
                continue;
            } else if (name == null) {
                name = a;
            } else {
                server = a;
            }
        }
        if (name == null) {
            ctx.err().append("nslookup: interactive mode is not supported here\n");
            ctx.exit(1);
            return;
        }
        StubResolver res = ctx.resolver();
        List<Upstream> servers = server == null ? List.of() : List.of(Upstream.parse(server));
        final String fname = name;
        Integer lit = ToolContext.literal(name);
        if (lit != null) {
            res.dig(Ping.reverseName(name), Type.PTR, servers, 2, 2, false, false, 0, ex -> {
                NslookupRenderer.Output o = NslookupRenderer.renderReverse(ex);
                ctx.out().append(o.text());
                ctx.exit(o.exitCode());
            });
            return;
        }
        String abs = name.endsWith(".") ? name : name + ".";
        List<Integer> types = type >= 0 ? List.of(type) : List.of(Type.A, Type.AAAA);
        List<Exchange> exs = new ArrayList<>();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (exs.size() == types.size() || (!exs.isEmpty() && !exs.get(exs.size() - 1).answered())) {
                NslookupRenderer.Output o = NslookupRenderer.render(fname, exs);
                ctx.out().append(o.text());
                ctx.exit(o.exitCode());
                return;
            }
            res.dig(abs, types.get(exs.size()), servers, 2, 2, false, false, 0, ex -> {
                exs.add(ex);
                next[0].run();
            });
        };
        next[0].run();
    };

    /** {@code dig [@server] [-t TYPE] NAME [TYPE] [+short] [+tcp] [-x ADDR]}. */
    public static final Tool DIG = (ctx, argv) -> {
        String name = null;
        String server = null;
        int type = Type.A;
        boolean shortOut = false;
        boolean tcp = false;
        boolean ignoreTc = false;
        int tries = 3;
        int timeout = 5;
        List<String> args = argv.subList(1, argv.size());
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String lower = a.toLowerCase(Locale.ROOT);
            if (a.startsWith("@")) {
                server = a.substring(1);
            } else if (a.equals("-t") && i + 1 < args.size()) {
                type = Type.value(args.get(++i).toUpperCase(Locale.ROOT));
            } else if (a.equals("-x") && i + 1 < args.size()) {
                name = Ping.reverseName(args.get(++i));
                type = Type.PTR;
            } else if (lower.equals("+short")) {
                shortOut = true;
            } else if (lower.equals("+tcp") || lower.equals("+vc")) {
                tcp = true;
            } else if (lower.equals("+ignore")) {
                ignoreTc = true;
            } else if (lower.startsWith("+tries=")) {
                tries = Integer.parseInt(a.substring(7));
            } else if (lower.startsWith("+time=")) {
                timeout = Integer.parseInt(a.substring(6));
            } else if (a.startsWith("+") || a.startsWith("-")) {
                continue;
            } else if (name != null && Type.value(a.toUpperCase(Locale.ROOT)) >= 0 && !a.contains(".")) {
                type = Type.value(a.toUpperCase(Locale.ROOT));
            } else if (name == null) {
                name = a;
            } else if (Type.value(a.toUpperCase(Locale.ROOT)) >= 0) {
                type = Type.value(a.toUpperCase(Locale.ROOT));
            }
        }
        if (name == null) {
            name = ".";
            type = Type.NS;
        }
        if (type < 0) {
            type = Type.A;
        }
        String abs = name.endsWith(".") ? name : name + ".";
        List<Upstream> servers = server == null ? List.of() : List.of(Upstream.parse(server));
        final boolean fShort = shortOut;
        final boolean serverGiven = server != null;
        final String argsText = String.join(" ", args);
        ctx.resolver().dig(abs, type, servers, tries, timeout, tcp, ignoreTc, 1232, ex -> {
            if (fShort) {
                if (ex.answered()) {
                    ctx.out().append(DigRenderer.renderShort(ex));
                } else {
                    ctx.out().append(";; communications error: timed out\n");
                }
            } else {
                ctx.out().append(DigRenderer.render(DigRenderer.DEFAULT_VERSION, argsText, serverGiven, ex,
                        EPOCH_MILLIS + ctx.now() / 1_000_000L, java.time.ZoneId.of("UTC")));
            }
            ctx.exit(ex.answered() ? 0 : 9);
        });
    };
}
