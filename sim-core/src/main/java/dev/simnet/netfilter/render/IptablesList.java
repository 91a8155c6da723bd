package dev.simnet.netfilter.render;

import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.netfilter.Chain;
import dev.simnet.netfilter.Match;
import dev.simnet.netfilter.Rule;
import dev.simnet.netfilter.RuleSet;
import dev.simnet.netfilter.Table;
import dev.simnet.netfilter.Target;
import java.util.Locale;

/**
 * Renders a table as {@code iptables -L} (iptables 1.8.9, nf_tables) prints it: one block per chain
 * (built-ins in hook order, then user chains by name), the column layout of iptables' print_header and
 * print_firewall, and each match's and target's own print text. Exact with {@code -n}; without it
 * addresses and ports stay numeric (no resolver here), with {@code anywhere}, {@code any} and protocol
 * names as iptables prints them.
 */
public final class IptablesList {
    private IptablesList() {
    }

    /** Listing options: {@code -n}, {@code -v}, {@code -x}, {@code --line-numbers}. */
    public record Format(boolean numeric, boolean verbose, boolean exact, boolean lineNumbers) {
    }

    /** The listing of {@code chain} (all chains when null) of {@code table}, or null when there is no such chain. */
    public static String list(RuleSet rs, Table table, String chain, Format f) {
        StringBuilder sb = new StringBuilder();
        boolean found = false;
        for (Chain c : IptablesSave.saveOrder(rs, table)) {
            if (chain != null && !c.name().equals(chain)) {
                continue;
            }
            if (found) {
                sb.append('\n');
            }
            found = true;
            header(sb, rs, table, c, f);
            int n = 1;
            for (Rule r : c.rules()) {
                rule(sb, r, n++, f);
            }
        }
        return found ? sb.toString() : null;
    }

    private static void header(StringBuilder sb, RuleSet rs, Table t, Chain c, Format f) {
        sb.append("Chain ").append(c.name());
        if (c.builtin()) {
            sb.append(" (policy ").append(c.policy() instanceof Target.Drop ? "DROP" : "ACCEPT");
            if (f.verbose()) {
                sb.append(' ');
                num(sb, c.policyPackets(), f, true);
                sb.append("packets, ");
                num(sb, c.policyBytes(), f, true);
                sb.append("bytes");
            }
            sb.append(")\n");
        } else {
            sb.append(" (").append(rs.references(t, c.name())).append(" references)\n");
        }
        if (f.lineNumbers()) {
            sb.append(String.format(Locale.ROOT, "%-4s ", "num"));
        }
        if (f.verbose()) {
            if (f.exact()) {
                sb.append(String.format(Locale.ROOT, "%8s %10s ", "pkts", "bytes"));
            } else {
                sb.append(String.format(Locale.ROOT, "%5s %5s ", "pkts", "bytes"));
            }
        }
        sb.append(String.format(Locale.ROOT, "%-9s ", "target")).append(" prot ").append("opt");
        if (f.verbose()) {
            sb.append(String.format(Locale.ROOT, " %-6s %-6s ", "in", "out"));
        }
        sb.append(String.format(Locale.ROOT, " %-19s  %-19s ", "source", "destination")).append('\n');
    }

    /** xtables_print_num: exact (-x) or 5 columns with K/M/G/T suffixes; {@code notable}: no padding. */
    private static void num(StringBuilder sb, long n, Format f, boolean notable) {
        if (f.exact()) {
            sb.append(notable ? n + " " : String.format(Locale.ROOT, "%8d ", n));
            return;
        }
        if (n <= 99999) {
            sb.append(notable ? n + " " : String.format(Locale.ROOT, "%5d ", n));
            return;
        }
        String[] units = {"K", "M", "G"};
        long v = n;
        for (String u : units) {
            v = (v + 500) / 1000;
            if (v <= 9999) {
                sb.append(notable ? v + u + " " : String.format(Locale.ROOT, "%4d%s ", v, u));
                return;
            }
        }
        v = (v + 500) / 1000;
        sb.append(notable ? v + "T " : String.format(Locale.ROOT, "%4dT ", v));
    }

    private static void rule(StringBuilder sb, Rule r, int n, Format f) {
        if (f.lineNumbers()) {
            sb.append(String.format(Locale.ROOT, "%-4d ", n));
        }
        if (f.verbose()) {
            // with -x both are %8llu, although the header gives bytes 10 columns
            num(sb, r.packets(), f, false);
            num(sb, r.bytes(), f, false);
        }
        sb.append(String.format(Locale.ROOT, "%-9s ", targetName(r.target())));
        Match.Protocol proto = null;
        Match.Source src = null;
        Match.Destination dst = null;
        Match.InInterface in = null;
        Match.OutInterface out = null;
        for (Match m : r.matches()) {
            if (m instanceof Match.Protocol p) {
                proto = p;
            } else if (m instanceof Match.Source s) {
                src = s;
            } else if (m instanceof Match.Destination d) {
                dst = d;
            } else if (m instanceof Match.InInterface i) {
                in = i;
            } else if (m instanceof Match.OutInterface o) {
                out = o;
            }
        }
        sb.append(proto != null && proto.negate() ? '!' : ' ');
        int pn = proto == null ? 0 : proto.protocol();
        sb.append(String.format(Locale.ROOT, "%-4s ", f.numeric() ? Integer.toString(pn) : protoName(pn)));
        sb.append("-- ");
        if (f.verbose()) {
            sb.append(String.format(Locale.ROOT, " %-6s ", iface(in == null ? null : in.name(), in != null && in.negate(), f)));
            sb.append(String.format(Locale.ROOT, "%-6s ", iface(out == null ? null : out.name(), out != null && out.negate(), f)));
        }
        sb.append(src != null && src.negate() ? '!' : ' ');
        sb.append(String.format(Locale.ROOT, "%-19s ", addr(src == null ? null : src.cidr(), f)));
        sb.append(dst != null && dst.negate() ? '!' : ' ');
        sb.append(String.format(Locale.ROOT, "%-19s ", addr(dst == null ? null : dst.cidr(), f)));
        if (r.target() instanceof Target.Goto) {
            sb.append("[goto] ");
        }
        matches(sb, r, proto);
        target(sb, r.target());
        sb.append('\n');
    }

    private static String protoName(int p) {
        return switch (p) {
            case 0 -> "all";
            case 1 -> "icmp";
            case 6 -> "tcp";
            case 17 -> "udp";
            default -> Match.protocolName(p).toString();
        };
    }

    private static String iface(String name, boolean negate, Format f) {
        if (name == null) {
            return f.numeric() ? "*" : "any";
        }
        return (negate ? "!" : "") + name;
    }

    private static String addr(Ipv4Cidr c, Format f) {
        if (c == null || c.prefixLength() == 0) {
            return f.numeric() ? "0.0.0.0/0" : "anywhere";
        }
        String a = c.canonical().address().toString();
        return c.prefixLength() == 32 ? a : a + "/" + c.prefixLength();
    }

    private static String targetName(Target t) {
        if (t instanceof Target.Accept) {
            return "ACCEPT";
        } else if (t instanceof Target.Drop) {
            return "DROP";
        } else if (t instanceof Target.Return) {
            return "RETURN";
        } else if (t instanceof Target.Jump j) {
            return j.chain();
        } else if (t instanceof Target.Goto g) {
            return g.chain();
        } else if (t instanceof Target.Reject) {
            return "REJECT";
        } else if (t instanceof Target.Dnat) {
            return "DNAT";
        } else if (t instanceof Target.Snat) {
            return "SNAT";
        } else if (t instanceof Target.Masquerade) {
            return "MASQUERADE";
        }
        return "LOG";
    }

    /** The matches' print functions, in iptables-save's order (ports, icmp/addrtype/conntrack, comment). */
    private static void matches(StringBuilder sb, Rule r, Match.Protocol proto) {
        String l4 = proto == null ? "tcp" : proto.protocol() == 17 ? "udp" : "tcp";
        Match.SourcePort sp = null;
        Match.DestinationPort dp = null;
        for (Match m : r.matches()) {
            if (m instanceof Match.SourcePort s) {
                sp = s;
            } else if (m instanceof Match.DestinationPort d) {
                dp = d;
            }
        }
        if (sp != null || dp != null) {
            sb.append(' ').append(l4);
            if (sp != null) {
                ports(sb, "spt", sp.low(), sp.high(), sp.negate());
            }
            if (dp != null) {
                ports(sb, "dpt", dp.low(), dp.high(), dp.negate());
            }
        }
        for (Match m : r.matches()) {
            if (m instanceof Match.IcmpType it) {
                if (it.negate()) {
                    sb.append(" icmp !type ").append(it.type());
                } else {
                    sb.append(" icmptype ").append(it.type());
                }
                if (it.code() >= 0) {
                    sb.append(" code ").append(it.code());
                }
            } else if (m instanceof Match.AddrTypeLocal at) {
                sb.append(" ADDRTYPE match ").append(at.source() ? "src-type " : "dst-type ").append(at.negate() ? "!" : "").append("LOCAL");
            } else if (m instanceof Match.CtState cs) {
                sb.append(cs.negate() ? " ! ctstate " : " ctstate ").append(IptablesSave.ctStates(cs.states()));
            }
        }
        if (r.comment() != null) {
            sb.append(" /* ").append(r.comment()).append(" */");
        }
    }

    private static void ports(StringBuilder sb, String name, int lo, int hi, boolean negate) {
        if (lo == hi) {
            sb.append(' ').append(name).append(':').append(negate ? "!" : "").append(lo);
        } else {
            sb.append(' ').append(name).append("s:").append(negate ? "!" : "").append(lo).append(':').append(hi);
        }
    }

    private static void target(StringBuilder sb, Target t) {
        if (t instanceof Target.Reject rj) {
            sb.append(" reject-with ").append(rj.with().iptablesName());
        } else if (t instanceof Target.Dnat d) {
            sb.append(" to:").append(d.address()).append(range(d.portLow(), d.portHigh()));
        } else if (t instanceof Target.Snat s) {
            sb.append(" to:").append(s.address() == null ? "" : s.address().toString()).append(range(s.portLow(), s.portHigh()));
            if (s.random()) {
                sb.append(" random");
            }
            if (s.randomFully()) {
                sb.append(" random-fully");
            }
        } else if (t instanceof Target.Masquerade m) {
            if (m.portLow() != 0) {
                sb.append(" masq ports: ").append(m.portLow());
                if (m.portHigh() != 0 && m.portHigh() != m.portLow()) {
                    sb.append('-').append(m.portHigh());
                }
            }
            if (m.random()) {
                sb.append(" random");
            }
            if (m.randomFully()) {
                sb.append(" random-fully");
            }
        } else if (t instanceof Target.Log l) {
            sb.append(" LOG flags 0 level 4");
            if (l.prefix() != null) {
                sb.append(" prefix \"").append(l.prefix()).append('"');
            }
        }
    }

    private static String range(int lo, int hi) {
        if (lo == 0) {
            return "";
        }
        return ":" + lo + (hi != 0 && hi != lo ? "-" + hi : "");
    }
}
