package dev.simnet.netfilter.render;

import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.netfilter.Chain;
import dev.simnet.netfilter.Hook;
import dev.simnet.netfilter.Match;
import dev.simnet.netfilter.Rule;
import dev.simnet.netfilter.RuleSet;
import dev.simnet.netfilter.Table;
import dev.simnet.netfilter.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link RuleSet} as {@code nft list ruleset} shows it on a Docker host whose firewall is
 * iptables-nft (Docker 29's default): tables in creation order ({@link IptablesSave#CREATION_ORDER}),
 * chains in the order iptables-restore creates them from {@link IptablesSave#restore} (built-in chains
 * with a DROP policy and user chains as declared, other built-in chains when their first rule lands,
 * empty ones never), and each rule as nft prints iptables-nft's translation (interfaces, addresses,
 * ports, then the xt matches' own translations, counter, verdict, comment).
 */
public final class NftRenderer {
    private NftRenderer() {
    }

    /** {@code nft list ruleset} text, with each rule's counters. */
    public static String listRuleset(RuleSet rs) {
        StringBuilder sb = new StringBuilder();
        for (Table t : IptablesSave.CREATION_ORDER) {
            if (rs.isEmpty(t)) {
                continue;
            }
            sb.append("table ip ").append(t.tableName()).append(" {\n");
            List<Chain> order = new ArrayList<>();
            for (Chain c : rs.chains(t)) {
                if (!c.builtin() || !(c.policy() instanceof Target.Accept)) {
                    order.add(c);
                }
            }
            for (Chain c : rs.chains(t)) {
                if (c.builtin() && c.policy() instanceof Target.Accept && !c.rules().isEmpty()) {
                    order.add(c);
                }
            }
            boolean first = true;
            for (Chain c : order) {
                if (!first) {
                    sb.append('\n');
                }
                first = false;
                sb.append("\tchain ").append(c.name()).append(" {\n");
                if (c.builtin()) {
                    sb.append("\t\ttype ").append(chainType(t, c.hook())).append(" hook ").append(c.hook().name().toLowerCase(Locale.ROOT))
                            .append(" priority ").append(priority(t, c.hook())).append("; policy ")
                            .append(c.policy() instanceof Target.Drop ? "drop" : "accept").append(";\n");
                }
                for (Rule r : c.rules()) {
                    sb.append("\t\t").append(rule(r, true)).append('\n');
                }
                sb.append("\t}\n");
            }
            sb.append("}\n");
        }
        return sb.toString();
    }

    /**
     * What nft prints on stderr with the listing: one warning per table holding a rule that iptables-nft
     * expressed with an xtables compat statement (the xt matches addrtype, conntrack and icmp, and every
     * target but a verdict), in listing order.
     */
    public static String compatWarnings(RuleSet rs) {
        StringBuilder sb = new StringBuilder();
        for (Table t : IptablesSave.CREATION_ORDER) {
            if (rs.isEmpty(t)) {
                continue;
            }
            boolean xt = false;
            for (Chain c : rs.chains(t)) {
                for (Rule r : c.rules()) {
                    xt |= usesCompat(r);
                }
            }
            if (xt) {
                sb.append("# Warning: table ip ").append(t.tableName()).append(" is managed by iptables-nft, do not touch!\n");
            }
        }
        return sb.toString();
    }

    private static boolean usesCompat(Rule r) {
        for (Match m : r.matches()) {
            if (m instanceof Match.AddrTypeLocal || m instanceof Match.CtState || m instanceof Match.IcmpType) {
                return true;
            }
        }
        Target t = r.target();
        return !(t instanceof Target.Accept || t instanceof Target.Drop || t instanceof Target.Return
                || t instanceof Target.Jump || t instanceof Target.Goto);
    }

    private static String chainType(Table t, Hook h) {
        if (t == Table.NAT) {
            return "nat";
        }
        if (t == Table.MANGLE && h == Hook.OUTPUT) {
            return "route";
        }
        return "filter";
    }

    private static String priority(Table t, Hook h) {
        switch (t) {
            case RAW:
                return "raw";
            case MANGLE:
                return "mangle";
            case NAT:
                // the symbolic names are only accepted at their own hooks
                if (h == Hook.POSTROUTING) {
                    return "srcnat";
                }
                if (h == Hook.PREROUTING) {
                    return "dstnat";
                }
                return Integer.toString(t.priority(h));
            default:
                return "filter";
        }
    }

    /**
     * One rule's statements as nft lists iptables-nft's translation: in the order iptables-nft emits
     * them (input and output interface, protocol, source, destination, then the matches in the order
     * iptables-save prints them), the protocol left out where a port match implies it.
     */
    public static String rule(Rule r, boolean withCounts) {
        List<String> parts = new ArrayList<>();
        int proto = -1;
        boolean protoNeg = false;
        boolean ports = false;
        for (Match m : r.matches()) {
            if (m instanceof Match.Protocol p) {
                proto = p.protocol();
                protoNeg = p.negate();
            } else if (m instanceof Match.SourcePort || m instanceof Match.DestinationPort) {
                ports = true;
            }
        }
        for (Match m : r.matches()) {
            if (m instanceof Match.InInterface i) {
                parts.add("iifname " + op(i.negate()) + ifname(i.name()));
            }
        }
        for (Match m : r.matches()) {
            if (m instanceof Match.OutInterface o) {
                parts.add("oifname " + op(o.negate()) + ifname(o.name()));
            }
        }
        if (proto >= 0 && (!ports || protoNeg)) {
            parts.add("meta l4proto " + op(protoNeg) + protoName(proto));
        }
        for (Match m : r.matches()) {
            if (m instanceof Match.Source s) {
                parts.add("ip saddr " + op(s.negate()) + cidr(s.cidr()));
            }
        }
        for (Match m : r.matches()) {
            if (m instanceof Match.Destination d) {
                parts.add("ip daddr " + op(d.negate()) + cidr(d.cidr()));
            }
        }
        for (Match m : r.matches()) {
            if (m instanceof Match.SourcePort sp) {
                parts.add(l4(proto, protoNeg) + " sport " + op(sp.negate()) + range(sp.low(), sp.high()));
            }
        }
        for (Match m : r.matches()) {
            if (m instanceof Match.DestinationPort dp) {
                parts.add(l4(proto, protoNeg) + " dport " + op(dp.negate()) + range(dp.low(), dp.high()));
            }
        }
        for (Match m : r.matches()) {
            if (m instanceof Match.AddrTypeLocal at) {
                parts.add("fib " + (at.source() ? "saddr" : "daddr") + " type " + op(at.negate()) + "local");
            } else if (m instanceof Match.CtState cs) {
                parts.add(ctState(cs));
            } else if (m instanceof Match.IcmpType it) {
                // libxt_icmp translates a type only; with a code nft shows the compat match itself
                parts.add(it.code() >= 0 ? "xt match icmp" : "icmp type " + op(it.negate()) + icmpTypeName(it.type()));
            }
        }
        parts.add(withCounts ? "counter packets " + r.packets() + " bytes " + r.bytes() : "counter");
        parts.add(target(r.target()));
        if (r.comment() != null) {
            parts.add("comment \"" + r.comment().replace("\"", "'") + "\"");
        }
        return String.join(" ", parts);
    }

    private static String op(boolean neg) {
        return neg ? "!= " : "";
    }

    private static String cidr(Ipv4Cidr c) {
        return c.prefixLength() == 32 ? c.address().toString() : c.canonical().toString();
    }

    private static String ifname(String n) {
        return "\"" + (n.endsWith("+") ? n.substring(0, n.length() - 1) + "*" : n) + "\"";
    }

    private static String protoName(int p) {
        switch (p) {
            case 6:
                return "tcp";
            case 17:
                return "udp";
            case 1:
                return "icmp";
            default:
                return Integer.toString(p);
        }
    }

    private static String l4(int proto, boolean neg) {
        if (neg || proto < 0) {
            return "th";
        }
        return proto == 17 ? "udp" : proto == 6 ? "tcp" : "th";
    }

    private static String range(int lo, int hi) {
        return lo == hi ? Integer.toString(lo) : lo + "-" + hi;
    }

    private static String icmpTypeName(int t) {
        switch (t) {
            case 0: return "echo-reply";
            case 3: return "destination-unreachable";
            case 8: return "echo-request";
            case 4: return "source-quench";
            case 5: return "redirect";
            case 9: return "router-advertisement";
            case 10: return "router-solicitation";
            case 11: return "time-exceeded";
            case 12: return "parameter-problem";
            case 13: return "timestamp-request";
            case 14: return "timestamp-reply";
            case 15: return "info-request";
            case 16: return "info-reply";
            case 17: return "address-mask-request";
            case 18: return "address-mask-reply";
            default: return Integer.toString(t);
        }
    }

    /**
     * libxt_conntrack's translation of {@code --ctstate}: with the SNAT or DNAT pseudo-state only
     * {@code ct status snat} (else {@code dnat}) is printed, negation and other states dropped (as nft
     * 1.0.6 lists it); otherwise {@code ct state [! ]a,b} in invalid, new, related, established order.
     */
    private static String ctState(Match.CtState cs) {
        int b = cs.states();
        if ((b & Match.CT_SNAT) != 0) {
            return "ct status snat";
        }
        if ((b & Match.CT_DNAT) != 0) {
            return "ct status dnat";
        }
        List<String> states = new ArrayList<>();
        if ((b & Match.CT_INVALID) != 0) {
            states.add("invalid");
        }
        if ((b & Match.CT_NEW) != 0) {
            states.add("new");
        }
        if ((b & Match.CT_RELATED) != 0) {
            states.add("related");
        }
        if ((b & Match.CT_ESTABLISHED) != 0) {
            states.add("established");
        }
        return "ct state " + (cs.negate() ? "! " : "") + String.join(",", states);
    }

    private static String ports(int lo, int hi) {
        if (lo == 0) {
            return "";
        }
        return ":" + lo + (hi != 0 && hi != lo ? "-" + hi : "");
    }

    private static String flags(boolean random, boolean fully) {
        if (random && fully) {
            return " random,fully-random";
        }
        return random ? " random" : fully ? " fully-random" : "";
    }

    private static String target(Target t) {
        if (t instanceof Target.Accept) {
            return "accept";
        } else if (t instanceof Target.Drop) {
            return "drop";
        } else if (t instanceof Target.Return) {
            return "return";
        } else if (t instanceof Target.Jump j) {
            return "jump " + j.chain();
        } else if (t instanceof Target.Goto g) {
            return "goto " + g.chain();
        } else if (t instanceof Target.Reject rj) {
            switch (rj.with()) {
                case TCP_RESET:
                    return "reject with tcp reset";
                case ICMP_PORT_UNREACHABLE:
                    return "reject";
                case ICMP_HOST_UNREACHABLE:
                    return "reject with icmp type host-unreachable";
                case ICMP_NET_UNREACHABLE:
                    return "reject with icmp type net-unreachable";
                default:
                    return "reject with icmp type admin-prohibited";
            }
        } else if (t instanceof Target.Dnat d) {
            return "dnat to " + d.address() + ports(d.portLow(), d.portHigh());
        } else if (t instanceof Target.Snat s) {
            return "snat to " + (s.address() == null ? "" : s.address().toString()) + ports(s.portLow(), s.portHigh())
                    + flags(s.random(), s.randomFully());
        } else if (t instanceof Target.Masquerade m) {
            return "masquerade" + (m.portLow() == 0 ? "" : " to " + ports(m.portLow(), m.portHigh())) + flags(m.random(), m.randomFully());
        } else {
            Target.Log l = (Target.Log) t;
            return "log" + (l.prefix() == null ? "" : " prefix \"" + l.prefix().replace("\"", "'") + "\"");
        }
    }
}
