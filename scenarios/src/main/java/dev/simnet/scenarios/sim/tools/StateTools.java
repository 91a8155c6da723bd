package dev.simnet.scenarios.sim.tools;

import dev.simnet.host.NetstatRenderer;
import dev.simnet.host.SsRenderer;
import dev.simnet.netfilter.RuleSet;
import dev.simnet.netfilter.render.IptablesSave;
import dev.simnet.netfilter.render.NftRenderer;
import dev.simnet.ns.Namespace;
import dev.simnet.ns.render.IpRender;
import dev.simnet.scenarios.sim.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tools that read a namespace's state and print it as the real ones do: {@code ip},
 * {@code bridge fdb}, {@code ss}, {@code netstat}, {@code cat}, {@code hostname}, {@code conntrack -L},
 * {@code nft list ruleset}, {@code iptables-save}, {@code iptables -S|-L}, plus {@code echo},
 * {@code true}, {@code false}, {@code sleep}.
 */
public final class StateTools {
    private StateTools() {
    }

    /** Registers the tools into {@code m}. */
    public static void register(Map<String, Tool> m) {
        m.put("ip", StateTools::ip);
        m.put("bridge", StateTools::bridge);
        m.put("ss", StateTools::ss);
        m.put("netstat", StateTools::netstat);
        m.put("cat", StateTools::cat);
        m.put("hostname", StateTools::hostname);
        m.put("conntrack", StateTools::conntrack);
        m.put("nft", StateTools::nft);
        m.put("iptables-save", (ctx, argv) -> iptablesSave(ctx, argv));
        m.put("iptables", StateTools::iptables);
        m.put("echo", (ctx, argv) -> {
            ctx.out().append(String.join(" ", argv.subList(1, argv.size()))).append('\n');
            ctx.exit(0);
        });
        m.put("true", (ctx, argv) -> ctx.exit(0));
        m.put("false", (ctx, argv) -> ctx.exit(1));
        m.put("sleep", (ctx, argv) -> {
            long ns = argv.size() > 1 ? Ping.secs(argv.get(1).replace("s", "")) : 0;
            ctx.after(ns, () -> ctx.exit(0));
        });
    }

    // ------------------------------------------------------------------------------------------ ip

    private static void ip(ToolContext ctx, List<String> argv) {
        boolean stats = false;
        boolean json = false;
        boolean v4 = false;
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-s") || a.equals("-stats") || a.equals("-statistics")) {
                stats = true;
            } else if (a.equals("-j") || a.equals("-json")) {
                json = true;
            } else if (a.equals("-4")) {
                v4 = true;
            } else if (a.equals("-p") || a.equals("-pretty") || a.equals("-d") || a.equals("-details") || a.equals("-br")) {
                continue;
            } else if (a.startsWith("-") && rest.isEmpty() && a.length() > 2 && a.substring(1).chars().allMatch(c -> "sj4".indexOf(c) >= 0)) {
                stats |= a.contains("s");
                json |= a.contains("j");
                v4 |= a.contains("4");
            } else {
                rest.add(a);
            }
        }
        if (rest.isEmpty()) {
            ctx.err().append("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n");
            ctx.exit(255);
            return;
        }
        String obj = rest.get(0);
        String dev = null;
        for (int i = 1; i < rest.size(); i++) {
            String a = rest.get(i);
            if (a.equals("dev") && i + 1 < rest.size()) {
                dev = rest.get(++i);
            } else if (!a.equals("show") && !a.equals("list") && !a.equals("ls") && !a.equals("lst")) {
                dev = a;
            }
        }
        Namespace ns = ctx.node().ns();
        if (dev != null && !obj.startsWith("r") && !obj.startsWith("n") && !hasDevice(ns, dev)) {
            ctx.err().append("Device \"").append(dev).append("\" does not exist.\n");
            ctx.exit(1);
            return;
        }
        String out;
        if ("link".startsWith(obj) && obj.startsWith("l")) {
            out = json ? linkJson(IpRender.ipJAddr(ns)) : stats ? IpRender.ipSLink(ns) : stripStats(IpRender.ipSLink(ns));
            if (dev != null) {
                out = json ? jsonDev(out, dev) : blocks(out, dev);
            }
        } else if (obj.startsWith("a")) {
            out = json ? IpRender.ipJAddr(ns) : IpRender.ipAddr(ns);
            if (dev != null) {
                out = json ? jsonDev(out, dev) : blocks(out, dev);
            }
            if (v4 && !json) {
                out = onlyInet(out);
            }
        } else if (obj.startsWith("r")) {
            out = IpRender.ipRoute(ns);
            if (dev != null) {
                out = lines(out, " dev " + dev + " ");
            }
            if (json) {
                out = routeJson(out);
            }
        } else if (obj.startsWith("n")) {
            if (dev != null && !hasDevice(ns, dev)) {
                ctx.err().append("Cannot find device \"").append(dev).append("\"\n");
                ctx.exit(1);
                return;
            }
            out = IpRender.ipNeigh(ns, dev, json);
        } else {
            ctx.err().append("Object \"").append(obj).append("\" is unknown, try \"ip help\".\n");
            ctx.exit(1);
            return;
        }
        ctx.out().append(out);
        ctx.exit(0);
    }

    private static boolean hasDevice(Namespace ns, String name) {
        for (var d : ns.devices()) {
            if (d.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** {@code ip -j link} from {@code ip -j addr}: no address lists, and the link mode iproute2 prints. */
    static String linkJson(String addrJson) {
        return addrJson.replaceAll(",\"addr_info\":\\[[^\\]]*\\]", "")
                .replaceAll("(\"operstate\":\"[A-Z]+\")", "$1,\"linkmode\":\"DEFAULT\"");
    }

    /** The entries of a JSON interface list whose {@code ifname} is {@code dev}. */
    static String jsonDev(String json, String ifname) {
        Object root = dev.simnet.scenarios.docker.Json.parse(json);
        List<Object> keep = new ArrayList<>();
        if (root instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m && ifname.equals(m.get("ifname"))) {
                    keep.add(o);
                }
            }
        }
        return dev.simnet.scenarios.docker.Json.compact(keep) + "\n";
    }

    static String stripStats(String s) {
        StringBuilder sb = new StringBuilder();
        String[] lines = s.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("    RX:") || lines[i].startsWith("    TX:")) {
                i++;
                continue;
            }
            sb.append(lines[i]).append('\n');
        }
        return sb.toString();
    }

    static String blocks(String s, String dev) {
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (String line : s.split("\n")) {
            if (!line.startsWith(" ")) {
                int c = line.indexOf(": ");
                String rest = c >= 0 ? line.substring(c + 2) : "";
                String name = rest.split("[:@]")[0];
                in = name.equals(dev);
            }
            if (in) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    private static String onlyInet(String s) {
        StringBuilder sb = new StringBuilder();
        String[] lines = s.split("\n");
        String head = null;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (!l.startsWith(" ")) {
                head = l;
            } else if (l.startsWith("    inet ")) {
                if (head != null) {
                    sb.append(head).append('\n');
                    head = null;
                }
                sb.append(l).append('\n');
                if (i + 1 < lines.length && lines[i + 1].startsWith("       valid_lft")) {
                    sb.append(lines[++i]).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static String lines(String s, String needle) {
        StringBuilder sb = new StringBuilder();
        for (String line : s.split("\n")) {
            if ((line + " ").contains(needle)) {
                sb.append(line.replace(needle.trim() + " ", "").replace("  ", " ")).append('\n');
            }
        }
        return sb.toString();
    }

    /** {@code ip -j route} from {@code ip route}'s text (iproute2's keys: dst, gateway, dev, protocol, scope, prefsrc, flags). */
    public static String routeJson(String text) {
        StringBuilder sb = new StringBuilder("[");
        boolean first = true;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] w = line.trim().split("\\s+");
            Map<String, String> m = new LinkedHashMap<>();
            m.put("dst", w[0]);
            for (int i = 1; i + 1 < w.length; i += 2) {
                String k = w[i].equals("via") ? "gateway" : w[i].equals("src") ? "prefsrc" : w[i].equals("proto") ? "protocol" : w[i];
                m.put(k, w[i + 1]);
            }
            sb.append(first ? "" : ",").append('{');
            boolean f2 = true;
            for (Map.Entry<String, String> e : m.entrySet()) {
                sb.append(f2 ? "" : ",").append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
                f2 = false;
            }
            sb.append(",\"flags\":[]}");
            first = false;
        }
        return sb.append("]\n").toString();
    }

    // ------------------------------------------------------------------------------------------ bridge, ss, netstat

    private static void bridge(ToolContext ctx, List<String> argv) {
        boolean json = false;
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-j") || a.equals("-json") || a.equals("--json")) {
                json = true;
            } else if (a.equals("-p") || a.equals("-pretty") || a.equals("-d") || a.equals("-details") || a.equals("-s")) {
                continue;
            } else {
                rest.add(a);
            }
        }
        if (rest.isEmpty() || !rest.get(0).equals("fdb")) {
            ctx.err().append("Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\nwhere  OBJECT := { link | fdb | mdb | vlan | monitor }\n");
            ctx.exit(255);
            return;
        }
        String br = null;
        String dev = null;
        for (int i = 1; i < rest.size(); i++) {
            String a = rest.get(i);
            if (a.equals("br") && i + 1 < rest.size()) {
                br = rest.get(++i);
            } else if (a.equals("dev") && i + 1 < rest.size()) {
                dev = rest.get(++i);
            }
        }
        Namespace ns = ctx.node().ns();
        if (br != null && !hasDevice(ns, br)) {
            ctx.err().append("Cannot find bridge device \"").append(br).append("\"\n");
            ctx.exit(255);
            return;
        }
        if (dev != null && !hasDevice(ns, dev)) {
            ctx.err().append("Cannot find device \"").append(dev).append("\"\n");
            ctx.exit(255);
            return;
        }
        ctx.out().append(IpRender.bridgeFdb(ns, ctx.now(), br, dev, json));
        ctx.exit(0);
    }

    private static String flags(List<String> argv) {
        StringBuilder f = new StringBuilder("-");
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.startsWith("-") && !a.startsWith("--")) {
                f.append(a.substring(1));
            } else if (a.equals("--tcp")) {
                f.append('t');
            } else if (a.equals("--udp")) {
                f.append('u');
            } else if (a.equals("--listening")) {
                f.append('l');
            }
        }
        return f.length() == 1 ? "-a" : f.toString();
    }

    /**
     * The namespace's sockets as the tool's PID namespace sees them: inside a container its main
     * process is PID 1 and the resolver's sockets have no visible owner; from the host
     * ({@code nsenter --net}) the same sockets show host PIDs and belong to dockerd.
     */
    static List<dev.simnet.host.SocketInfo> sockets(ToolContext ctx) {
        List<dev.simnet.host.SocketInfo> in = ctx.node().stack().sockets();
        boolean container = ctx.node().kind() == dev.simnet.scenarios.sim.Node.Kind.CONTAINER && !ctx.hostView();
        int self = container ? ctx.engine().hostPid(ctx.where()) : 0;
        List<dev.simnet.host.SocketInfo> out = new ArrayList<>();
        int fd = 20;
        for (var s : in) {
            dev.simnet.host.SocketOwner o = s.owner();
            if (container) {
                // docker exec runs in the container's PID namespace: its main process is PID 1, every
                // other process (another container sharing the network, dockerd) is invisible
                o = o != null && o.pid() == self ? o.withPid(1) : null;
            } else if (o == null && s.localAddress() == 0x7f00000b && ctx.node().kind() == dev.simnet.scenarios.sim.Node.Kind.CONTAINER) {
                o = new dev.simnet.host.SocketOwner("dockerd", dev.simnet.scenarios.sim.SimEngine.DOCKERD_PID, fd++, "/usr/bin/dockerd");
            }
            out.add(new dev.simnet.host.SocketInfo(s.netid(), s.state(), s.recvQ(), s.sendQ(), s.localAddress(), s.localPort(),
                    s.peerAddress(), s.peerPort(), o));
        }
        return out;
    }

    private static void ss(ToolContext ctx, List<String> argv) {
        try {
            String f = flags(argv).replace("4", "");
            if (!f.contains("l") && !f.contains("a")) {
                f += "";
            }
            ctx.out().append(SsRenderer.render(sockets(ctx), f.equals("-") ? "-a" : f));
            ctx.exit(0);
        } catch (IllegalArgumentException e) {
            ctx.err().append(e.getMessage()).append('\n');
            ctx.exit(1);
        }
    }

    private static void netstat(ToolContext ctx, List<String> argv) {
        try {
            ctx.out().append(NetstatRenderer.render(sockets(ctx), flags(argv).replace("4", "")));
            ctx.exit(0);
        } catch (IllegalArgumentException e) {
            ctx.err().append(e.getMessage()).append('\n');
            ctx.exit(1);
        }
    }

    // ------------------------------------------------------------------------------------------ files

    private static void cat(ToolContext ctx, List<String> argv) {
        int code = 0;
        for (int i = 1; i < argv.size(); i++) {
            String f = argv.get(i);
            String text = ctx.files().get(f);
            if (text == null) {
                ctx.err().append("cat: ").append(f).append(": No such file or directory\n");
                code = 1;
            } else {
                ctx.out().append(text);
            }
        }
        ctx.exit(code);
    }

    private static void hostname(ToolContext ctx, List<String> argv) {
        if (argv.contains("-i") || argv.contains("-I")) {
            StringBuilder sb = new StringBuilder();
            for (var a : ctx.node().ns().addresses()) {
                if ((a.address() >>> 24) != 127) {
                    sb.append(dev.simnet.addr.Ipv4Address.format(a.address())).append(' ');
                }
            }
            ctx.out().append(sb).append('\n');
        } else {
            String h = ctx.files().getOrDefault("/etc/hostname", ctx.node().hostname() + "\n");
            ctx.out().append(h.endsWith("\n") ? h : h + "\n");
        }
        ctx.exit(0);
    }

    // ------------------------------------------------------------------------------------------ netfilter

    private static void conntrack(ToolContext ctx, List<String> argv) {
        if (argv.size() < 2 || !(argv.contains("-L") || argv.contains("--dump"))) {
            if (argv.contains("-C") || argv.contains("--count")) {
                ctx.out().append(ctx.node().netfilter() == null ? 0
                        : ctx.node().netfilter().conntrack().entries(ctx.now()).size()).append('\n');
                ctx.exit(0);
                return;
            }
            ctx.err().append("conntrack v1.4.7 (conntrack-tools): no command specified. Please, use -L to list entries\n");
            ctx.exit(2);
            return;
        }
        if (ctx.node().netfilter() == null) {
            ctx.err().append("conntrack v1.4.7 (conntrack-tools): 0 flow entries have been shown.\n");
            ctx.exit(0);
            return;
        }
        var ct = ctx.node().netfilter().conntrack();
        String list = ct.list(ctx.now());
        int p = argv.indexOf("-p");
        if (p > 0 && p + 1 < argv.size()) {
            String proto = argv.get(p + 1).toLowerCase(Locale.ROOT);
            StringBuilder sb = new StringBuilder();
            int n = 0;
            for (String line : list.split("\n")) {
                if (line.startsWith(proto + " ")) {
                    sb.append(line).append('\n');
                    n++;
                }
            }
            ctx.out().append(sb);
            ctx.err().append("conntrack v1.4.7 (conntrack-tools): ").append(n).append(" flow entries have been shown.\n");
        } else {
            ctx.out().append(list);
            ctx.err().append(ct.listSummary(ctx.now())).append('\n');
        }
        ctx.exit(0);
    }

    private static RuleSet rules(ToolContext ctx) {
        Node n = ctx.node();
        return n.netfilter() == null ? new RuleSet() : n.netfilter().ruleSet();
    }

    private static void nft(ToolContext ctx, List<String> argv) {
        if (argv.size() >= 3 && argv.get(1).equals("list") && argv.get(2).equals("ruleset")) {
            ctx.out().append(NftRenderer.listRuleset(rules(ctx)));
            ctx.err().append(NftRenderer.compatWarnings(rules(ctx)));
            ctx.exit(0);
            return;
        }
        ctx.err().append("Error: syntax error, only 'nft list ruleset' is supported in the simulator\n");
        ctx.exit(1);
    }

    private static void iptablesSave(ToolContext ctx, List<String> argv) {
        boolean counters = argv.contains("-c") || argv.contains("--counters");
        String text = IptablesSave.render(rules(ctx), counters);
        int t = argv.indexOf("-t");
        if (t > 0 && t + 1 < argv.size()) {
            text = table(text, argv.get(t + 1));
        }
        ctx.out().append(text);
        ctx.exit(0);
    }

    /** The {@code *TABLE … COMMIT} section of an iptables-save text. */
    static String table(String save, String table) {
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (String line : save.split("\n")) {
            if (line.equals("*" + table)) {
                in = true;
            }
            if (in) {
                sb.append(line).append('\n');
            }
            if (in && line.equals("COMMIT")) {
                in = false;
            }
        }
        return sb.toString();
    }

    private static void iptables(ToolContext ctx, List<String> argv) {
        String table = "filter";
        String chain = null;
        boolean list = false;
        boolean tabular = false;
        boolean numeric = false;
        boolean verbose = false;
        boolean exact = false;
        boolean lineNumbers = false;
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if ((a.equals("-t") || a.equals("--table")) && i + 1 < argv.size()) {
                table = argv.get(++i);
                continue;
            }
            if (a.equals("--line-numbers")) {
                lineNumbers = true;
                continue;
            }
            boolean lists = false;
            if (a.equals("-S") || a.equals("--list-rules")) {
                list = true;
                lists = true;
            } else if (a.equals("-L") || a.equals("--list")) {
                list = true;
                tabular = true;
                lists = true;
            } else if (a.equals("--numeric")) {
                numeric = true;
            } else if (a.equals("--verbose")) {
                verbose = true;
            } else if (a.equals("--exact")) {
                exact = true;
            } else if (a.startsWith("-") && !a.startsWith("--") && a.length() > 1 && a.substring(1).matches("[nvxwLS]+")) {
                // combined short options: -nvL, -vn, -w
                for (char ch : a.substring(1).toCharArray()) {
                    switch (ch) {
                        case 'n' -> numeric = true;
                        case 'v' -> verbose = true;
                        case 'x' -> exact = true;
                        case 'L' -> {
                            list = true;
                            tabular = true;
                            lists = true;
                        }
                        case 'S' -> {
                            list = true;
                            lists = true;
                        }
                        default -> { }
                    }
                }
            } else if (!a.startsWith("-") && chain == null) {
                chain = a;
            }
            if (lists && i + 1 < argv.size() && !argv.get(i + 1).startsWith("-")) {
                chain = argv.get(++i);
            }
        }
        if (!list) {
            ctx.err().append("iptables v1.8.9 (nf_tables): only listing (-S, -L) is supported in the simulator\n");
            ctx.exit(2);
            return;
        }
        dev.simnet.netfilter.Table tb = null;
        for (dev.simnet.netfilter.Table t : dev.simnet.netfilter.Table.values()) {
            if (t.tableName().equals(table)) {
                tb = t;
            }
        }
        if (tb == null) {
            ctx.err().append("iptables v1.8.9 (nf_tables): table '").append(table).append("' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n");
            ctx.exit(3);
            return;
        }
        if (tabular) {
            String text = dev.simnet.netfilter.render.IptablesList.list(rules(ctx), tb, chain,
                    new dev.simnet.netfilter.render.IptablesList.Format(numeric, verbose, exact, lineNumbers));
            if (text == null) {
                ctx.err().append("iptables v1.8.9 (nf_tables): chain `").append(chain).append("' in table `").append(table)
                        .append("' is incompatible, use 'nft' tool.\n");
                ctx.exit(1);
                return;
            }
            ctx.out().append(text);
            ctx.exit(0);
            return;
        }
        String sec = table(IptablesSave.render(rules(ctx), false), table);
        if (sec.isEmpty()) {
            // a table nothing was loaded into: iptables-nft still lists its built-in chains' policies
            for (dev.simnet.netfilter.Table t : dev.simnet.netfilter.Table.values()) {
                if (t.tableName().equals(table)) {
                    StringBuilder b = new StringBuilder("*" + table + "\n");
                    for (dev.simnet.netfilter.Hook h : t.hooks()) {
                        b.append(':').append(h.name()).append(" ACCEPT [0:0]\n");
                    }
                    sec = b.append("COMMIT\n").toString();
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        List<String> appends = new ArrayList<>();
        boolean found = chain == null;
        for (String line : sec.split("\n")) {
            if (line.startsWith(":")) {
                String[] w = line.substring(1).split(" ");
                if (chain != null && !w[0].equals(chain)) {
                    continue;
                }
                found = true;
                sb.append(w[1].equals("-") ? "-N " + w[0] : "-P " + w[0] + " " + w[1]).append('\n');
            } else if (line.startsWith("-A ")) {
                String c = line.split(" ")[1];
                if (chain == null || c.equals(chain)) {
                    appends.add(line);
                }
            }
        }
        if (!found) {
            ctx.err().append("iptables v1.8.9 (nf_tables): chain `").append(chain).append("' in table `").append(table)
                    .append("' is incompatible, use 'nft' tool.\n");
            ctx.exit(1);
            return;
        }
        for (String a : appends) {
            sb.append(a).append('\n');
        }
        ctx.out().append(sb);
        ctx.exit(0);
    }
}
