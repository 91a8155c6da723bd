package dev.simnet.netfilter;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.netfilter.conntrack.ConntrackEntry;
import dev.simnet.netfilter.conntrack.ConntrackTable;
import dev.simnet.netfilter.conntrack.IcmpTypes;
import dev.simnet.netfilter.conntrack.PacketHeaders;
import dev.simnet.netfilter.conntrack.Tuple;
import dev.simnet.wire.Bytes;
import dev.simnet.wire.Checksum;
import dev.simnet.netfilter.nat.NatCore;
import dev.simnet.netfilter.nat.NatRange;
import dev.simnet.netfilter.nat.NatRewriter;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.sched.RandomStreams;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.SplittableRandom;

/**
 * One namespace's netfilter: executes a {@link RuleSet} at the five hooks in the kernel's order
 * (raw, conntrack, mangle, nat, filter; confirmation last at INPUT and POSTROUTING), tracks
 * connections in a {@link ConntrackTable}, consults the nat table only for a connection's first
 * packet and applies the resulting binding to every later packet in both directions.
 *
 * <pre>
 *  PREROUTING: raw → conntrack in → mangle → nat (DNAT)        OUTPUT: same, then filter
 *  INPUT:      mangle → filter → nat (SNAT) → confirm           FORWARD: mangle → filter
 *  POSTROUTING: mangle → nat (SNAT, MASQUERADE) → confirm
 * </pre>
 *
 * Build one per namespace: {@code new Netfilter(host, ruleSet, new ConntrackTable(), streams.stream("nat/" + ns))}.
 */
public final class Netfilter implements PacketFilter {
    /** ctinfo: original direction of a connection that has seen a reply. */
    public static final int CTINFO_ESTABLISHED = 0;
    /** ctinfo: ICMP error related to a connection, original direction. */
    public static final int CTINFO_RELATED = 1;
    /** ctinfo: first packet(s), no reply seen yet. */
    public static final int CTINFO_NEW = 2;
    /** ctinfo: reply direction. */
    public static final int CTINFO_ESTABLISHED_REPLY = 3;
    /** ctinfo: ICMP error related to a connection, reply direction. */
    public static final int CTINFO_RELATED_REPLY = 4;

    private static final int CONTINUE = -1;

    private final NetfilterHost host;
    private final ConntrackTable conntrack;
    private final NatCore nat;
    private final PacketHeaders h = new PacketHeaders();
    private RuleSet rules;
    private Chain[][] builtins;
    private TraceSink trace = TraceSink.NONE;
    private long malformed;
    private final ArrayDeque<PacketBuffer> pendingLocal = new ArrayDeque<>();
    private int depth;
    private PacketBuffer lastParsed;
    private int lastOffset;
    private int lastEnd;

    // per-call state
    private PacketBuffer cur;
    private int curIn;
    private int curOut;
    private String inName;
    private String outName;
    private boolean namesResolved;
    private Hook curHook;
    private long curNow;

    /** A netfilter for a namespace, executing {@code rules}, tracking in {@code conntrack}, NAT offsets drawn from {@code natRandom}. */
    public Netfilter(NetfilterHost host, RuleSet rules, ConntrackTable conntrack, SplittableRandom natRandom) {
        this.host = host;
        this.conntrack = conntrack;
        this.nat = new NatCore(conntrack, natRandom);
        load(rules);
    }

    /** A netfilter with an empty rule set and a default-size table; randomness from stream {@code nat/<nsName>}. */
    public static Netfilter create(NetfilterHost host, RandomStreams streams, String nsName) {
        return new Netfilter(host, new RuleSet(), new ConntrackTable(), streams.stream("nat/" + nsName));
    }

    /** Installs (or re-installs after editing) a rule set: validates it and resolves jumps. */
    public void load(RuleSet rs) {
        rs.validate();
        Chain[][] b = new Chain[Table.values().length][Hook.values().length];
        for (Table t : Table.values()) {
            for (Hook hk : t.hooks()) {
                b[t.ordinal()][hk.ordinal()] = rs.builtin(t, hk);
            }
        }
        this.rules = rs;
        this.builtins = b;
    }

    /** The rule set in force. */
    public RuleSet ruleSet() {
        return rules;
    }

    /** The connection-tracking table (shared by everything in the namespace). */
    public ConntrackTable conntrack() {
        return conntrack;
    }

    /** Where LOG rules report. */
    public void setTraceSink(TraceSink sink) {
        this.trace = sink == null ? TraceSink.NONE : sink;
    }

    /** Sees every rule whose target ends a chain walk (and built-in policies), for {@code simnet trace}. */
    @FunctionalInterface
    public interface RuleObserver {
        /**
         * A verdict.
         *
         * @param now   virtual time
         * @param hook  the hook being traversed
         * @param table the table
         * @param chain the chain holding {@code rule} (the built-in chain for a policy)
         * @param rule  the rule that matched, or null when the chain's policy applied
         */
        void verdict(long now, Hook hook, Table table, Chain chain, Rule rule);
    }

    private RuleObserver observer;
    private Table curTable;

    /** Installs (or with null removes) the rule observer. */
    public void setRuleObserver(RuleObserver o) {
        this.observer = o;
    }

    /** Packets dropped because their IPv4 header could not be parsed. */
    public long malformedCount() {
        return malformed;
    }

    @Override
    public int process(Hook hook, PacketBuffer p, int inIfindex, int outIfindex, long now) {
        depth++;
        int v;
        try {
            v = run(hook, p, inIfindex, outIfindex, now);
        } finally {
            depth--;
            cur = null;
        }
        if (depth == 0 && !pendingLocal.isEmpty()) {
            PacketBuffer q;
            while ((q = pendingLocal.poll()) != null) {
                host.sendLocal(q, now);
            }
        }
        return v;
    }

    private int run(Hook hook, PacketBuffer p, int in, int out, long now) {
        byte[] b = p.data();
        // A traversal starts at PREROUTING or OUTPUT and always re-parses there; the later hooks of
        // the same traversal reuse the fields (kept in step with our own NAT rewrites), since the IP
        // layer only changes the TTL in between.
        boolean reuse = (hook == Hook.FORWARD || hook == Hook.INPUT || hook == Hook.POSTROUTING)
                && lastParsed == p && lastOffset == p.networkOffset && lastEnd == p.end();
        if (!reuse && !h.parse(b, p.networkOffset, p.end())) {
            lastParsed = null;
            malformed++;
            return DROP;
        }
        lastParsed = p;
        lastOffset = p.networkOffset;
        lastEnd = p.end();
        cur = p;
        curIn = in;
        curOut = out;
        curHook = hook;
        curNow = now;
        namesResolved = false;
        int v;
        switch (hook) {
            case PREROUTING:
            case OUTPUT:
                v = runTable(Table.RAW, hook);
                if (v != ACCEPT) {
                    return v;
                }
                v = conntrackIn(p, now);
                if (v != ACCEPT) {
                    return v;
                }
                v = runTable(Table.MANGLE, hook);
                if (v != ACCEPT) {
                    return v;
                }
                v = natHook(p, NatRewriter.DST, hook, now);
                if (v != ACCEPT || hook == Hook.PREROUTING) {
                    return v;
                }
                return runTable(Table.FILTER, hook);
            case INPUT:
                v = runTable(Table.MANGLE, hook);
                if (v != ACCEPT) {
                    return v;
                }
                v = runTable(Table.FILTER, hook);
                if (v != ACCEPT) {
                    return v;
                }
                v = natHook(p, NatRewriter.SRC, hook, now);
                if (v != ACCEPT) {
                    return v;
                }
                return confirm(p, now);
            case FORWARD:
                v = runTable(Table.MANGLE, hook);
                if (v != ACCEPT) {
                    return v;
                }
                return runTable(Table.FILTER, hook);
            case POSTROUTING:
            default:
                v = runTable(Table.MANGLE, hook);
                if (v != ACCEPT) {
                    return v;
                }
                v = natHook(p, NatRewriter.SRC, hook, now);
                if (v != ACCEPT) {
                    return v;
                }
                return confirm(p, now);
        }
    }

    // ------------------------------------------------------------------ conntrack

    private int conntrackIn(PacketBuffer p, long now) {
        if (p.ct instanceof ConntrackEntry e && e.table() == conntrack && e.has(ConntrackEntry.CONFIRMED)
                && !e.has(ConntrackEntry.DYING)) {
            return ACCEPT; // looped back inside this namespace: already tracked (nf_conntrack_in skips it)
        }
        p.ct = null;
        p.ctDir = 0;
        p.ctInfo = 0;
        if (h.laterFragment) {
            return ACCEPT; // not reassembled here: untracked, state INVALID
        }
        int proto = h.proto;
        if (proto == Tuple.ICMP && IcmpTypes.isError(h.icmpType)) {
            if (!h.innerValid) {
                return ACCEPT;
            }
            ConntrackEntry e;
            int ip = h.innerProto;
            if (ip == Tuple.ICMP) {
                int inv = IcmpTypes.invert(h.innerDport >>> 8);
                e = conntrack.find(ip, h.innerDst, h.innerSrc, h.innerSport, (inv << 8) | (h.innerDport & 0xff), now);
            } else {
                e = conntrack.find(ip, h.innerDst, h.innerSrc, h.innerDport, h.innerSport, now);
            }
            if (e != null) {
                p.ct = e;
                p.ctDir = conntrack.foundDir;
                p.ctInfo = p.ctDir == 0 ? CTINFO_RELATED : CTINFO_RELATED_REPLY;
            }
            return ACCEPT;
        }
        int sport = 0;
        int dport = 0;
        if (proto == Tuple.TCP || proto == Tuple.UDP || proto == Tuple.ICMP) {
            sport = h.sport;
            dport = h.dport;
        }
        ConntrackEntry e = conntrack.find(proto, h.src, h.dst, sport, dport, now);
        int dir;
        if (e != null) {
            dir = conntrack.foundDir;
            int r = conntrack.track(e, dir, h, now);
            if (r == ConntrackTable.REPEAT) {
                conntrack.remove(e);
                e = null;
            } else if (r == ConntrackTable.INVALID) {
                return ACCEPT;
            } else {
                p.ct = e;
                p.ctDir = dir;
                p.ctInfo = dir == 1 ? CTINFO_ESTABLISHED_REPLY : e.has(ConntrackEntry.SEEN_REPLY) ? CTINFO_ESTABLISHED : CTINFO_NEW;
                if (dir == 1) {
                    e.setStatus(ConntrackEntry.SEEN_REPLY);
                }
                return ACCEPT;
            }
        }
        e = conntrack.create(proto, h.src, h.dst, sport, dport, now);
        if (e == null) {
            return DROP; // table full: new flow dropped and counted
        }
        if (!conntrack.initNew(e, h, now)) {
            return ACCEPT; // may not start a connection: INVALID, untracked
        }
        if (conntrack.track(e, 0, h, now) == ConntrackTable.INVALID) {
            return ACCEPT;
        }
        p.ct = e;
        p.ctDir = 0;
        p.ctInfo = CTINFO_NEW;
        return ACCEPT;
    }

    private int confirm(PacketBuffer p, long now) {
        if (p.ct instanceof ConntrackEntry e && e.table() == conntrack && !e.has(ConntrackEntry.CONFIRMED)) {
            if (!conntrack.confirm(e, now)) {
                p.ct = null;
                return DROP;
            }
        }
        return ACCEPT;
    }

    // ------------------------------------------------------------------ NAT

    private int natHook(PacketBuffer p, int manip, Hook hook, long now) {
        if (!(p.ct instanceof ConntrackEntry e) || e.table() != conntrack) {
            return ACCEPT;
        }
        int dir = p.ctDir;
        int info = p.ctInfo;
        if (info == CTINFO_RELATED || info == CTINFO_RELATED_REPLY) {
            int bit = manip == NatRewriter.SRC ? ConntrackEntry.SRC_NAT : ConntrackEntry.DST_NAT;
            if (dir == 1) {
                bit ^= ConntrackEntry.SRC_NAT | ConntrackEntry.DST_NAT;
            }
            if (e.has(bit)) {
                int o = 1 - dir;
                NatRewriter.icmpError(p.data(), h.ipOff, h.ipOff + h.totalLen, manip, e.src(o), e.dst(o), e.sport(o), e.dport(o));
                h.parse(p.data(), p.networkOffset, p.end());
            }
            return ACCEPT;
        }
        if (info == CTINFO_NEW) {
            int done = manip == NatRewriter.SRC ? ConntrackEntry.SRC_NAT_DONE : ConntrackEntry.DST_NAT_DONE;
            if (!e.has(done)) {
                int v = runTable(Table.NAT, hook);
                if (v == DROP || v == STOLEN) {
                    return v;
                }
                if (!e.has(done)) {
                    nat.setup(e, null, manip, now);
                }
            }
        }
        applyManip(p, e, dir, manip);
        return ACCEPT;
    }

    private void applyManip(PacketBuffer p, ConntrackEntry e, int dir, int manip) {
        int bit = manip == NatRewriter.SRC ? ConntrackEntry.SRC_NAT : ConntrackEntry.DST_NAT;
        if (dir == 1) {
            bit ^= ConntrackEntry.SRC_NAT | ConntrackEntry.DST_NAT;
        }
        if ((e.status() & bit) == 0) {
            return;
        }
        int o = 1 - dir;
        int addr;
        int port;
        if (manip == NatRewriter.SRC) {
            addr = e.dst(o);
            port = e.proto == Tuple.ICMP ? e.sport(o) : e.dport(o);
        } else {
            addr = e.src(o);
            port = e.sport(o);
        }
        byte[] b = p.data();
        NatRewriter.manip(b, h.ipOff, h.ipOff + h.totalLen, manip, addr, port, (p.offload & PacketBuffer.OFFLOAD_NEEDS_CSUM) != 0);
        if (manip == NatRewriter.SRC) {
            h.src = addr;
            if (h.proto == Tuple.TCP || h.proto == Tuple.UDP || h.proto == Tuple.ICMP) {
                h.sport = port;
            }
        } else {
            h.dst = addr;
            if (h.proto == Tuple.TCP || h.proto == Tuple.UDP) {
                h.dport = port;
            } else if (h.proto == Tuple.ICMP) {
                h.sport = port;
            }
        }
    }

    private int natTarget(Target t) {
        if (!(cur.ct instanceof ConntrackEntry e)) {
            return ACCEPT;
        }
        long now = curNow;
        if (t instanceof Target.Dnat d) {
            if (curHook != Hook.PREROUTING && curHook != Hook.OUTPUT) {
                return ACCEPT;
            }
            boolean ports = d.portLow() != 0;
            nat.setup(e, new NatRange(true, d.address().bits(), d.address().bits(), ports, d.portLow(),
                    d.portHigh() == 0 ? d.portLow() : d.portHigh(), false, false), NatRewriter.DST, now);
            return ACCEPT;
        }
        if (curHook != Hook.POSTROUTING && curHook != Hook.INPUT) {
            return ACCEPT;
        }
        if (t instanceof Target.Snat s) {
            boolean ports = s.portLow() != 0;
            int a = s.address() == null ? 0 : s.address().bits();
            nat.setup(e, new NatRange(s.address() != null, a, a, ports, s.portLow(), s.portHigh() == 0 ? s.portLow() : s.portHigh(),
                    s.random(), s.randomFully()), NatRewriter.SRC, now);
            return ACCEPT;
        }
        Target.Masquerade m = (Target.Masquerade) t;
        int a = host.masqueradeSource(curOut, h.dst);
        if (a == 0) {
            return DROP;
        }
        boolean ports = m.portLow() != 0;
        nat.setup(e, new NatRange(true, a, a, ports, m.portLow(), m.portHigh() == 0 ? m.portLow() : m.portHigh(),
                m.random(), m.randomFully()), NatRewriter.SRC, now);
        return ACCEPT;
    }

    // ------------------------------------------------------------------ rule traversal

    private int runTable(Table t, Hook hook) {
        Chain c = builtins[t.ordinal()][hook.ordinal()];
        if (c == null) {
            return ACCEPT;
        }
        curTable = t;
        int v = runChain(c);
        if (v == CONTINUE) {
            if (observer != null) {
                observer.verdict(curNow, hook, t, c, null);
            }
            c.policyPackets++;
            c.policyBytes += h.totalLen;
            return c.policy() instanceof Target.Drop ? DROP : ACCEPT;
        }
        return v;
    }

    private int runChain(Chain c) {
        ArrayList<Rule> list = c.rules;
        int n = list.size();
        for (int i = 0; i < n; i++) {
            Rule r = list.get(i);
            if (!matches(r)) {
                continue;
            }
            r.packets++;
            r.bytes += h.totalLen;
            Target t = r.target();
            if (observer != null && !(t instanceof Target.Jump) && !(t instanceof Target.Goto) && !(t instanceof Target.Log)) {
                observer.verdict(curNow, curHook, curTable, c, r);
            }
            if (t instanceof Target.Accept) {
                return ACCEPT;
            } else if (t instanceof Target.Drop) {
                return DROP;
            } else if (t instanceof Target.Return) {
                return CONTINUE;
            } else if (t instanceof Target.Jump) {
                int v = runChain(r.jumpTarget);
                if (v != CONTINUE) {
                    return v;
                }
            } else if (t instanceof Target.Goto) {
                return runChain(r.jumpTarget);
            } else if (t instanceof Target.Reject rj) {
                reject(rj.with());
                return DROP;
            } else if (t instanceof Target.Log lg) {
                log(lg.prefix());
            } else {
                return natTarget(t);
            }
        }
        return CONTINUE;
    }

    private void resolveNames() {
        if (!namesResolved) {
            inName = curIn == 0 ? null : host.ifname(curIn);
            outName = curOut == 0 ? null : host.ifname(curOut);
            namesResolved = true;
        }
    }

    private static boolean ifMatch(String pattern, String name) {
        if (name == null) {
            return false;
        }
        int n = pattern.length();
        if (n > 0 && pattern.charAt(n - 1) == '+') {
            return name.startsWith(pattern.substring(0, n - 1));
        }
        return pattern.equals(name);
    }

    private boolean isLocal(int addr) {
        return (addr >>> 24) == 127 || host.isLocalAddress(addr);
    }

    private int ctStateBits() {
        if (!(cur.ct instanceof ConntrackEntry e)) {
            return Match.CT_INVALID;
        }
        int bits;
        switch (cur.ctInfo) {
            case CTINFO_NEW:
                bits = Match.CT_NEW;
                break;
            case CTINFO_RELATED:
            case CTINFO_RELATED_REPLY:
                bits = Match.CT_RELATED;
                break;
            default:
                bits = Match.CT_ESTABLISHED;
                break;
        }
        if (e.has(ConntrackEntry.SRC_NAT)) {
            bits |= Match.CT_SNAT;
        }
        if (e.has(ConntrackEntry.DST_NAT)) {
            bits |= Match.CT_DNAT;
        }
        return bits;
    }

    private boolean matches(Rule r) {
        Match[] ms = r.matchArray();
        for (Match m : ms) {
            boolean ok;
            boolean neg;
            if (m instanceof Match.Source s) {
                ok = s.cidr().contains(h.src);
                neg = s.negate();
            } else if (m instanceof Match.Destination d) {
                ok = d.cidr().contains(h.dst);
                neg = d.negate();
            } else if (m instanceof Match.InInterface i) {
                resolveNames();
                ok = ifMatch(i.name(), inName);
                neg = i.negate();
            } else if (m instanceof Match.OutInterface o) {
                resolveNames();
                ok = ifMatch(o.name(), outName);
                neg = o.negate();
            } else if (m instanceof Match.Protocol pr) {
                ok = pr.protocol() == 0 || pr.protocol() == h.proto;
                neg = pr.negate();
            } else if (m instanceof Match.SourcePort sp) {
                if (!portsReadable()) {
                    return false;
                }
                ok = h.sport >= sp.low() && h.sport <= sp.high();
                neg = sp.negate();
            } else if (m instanceof Match.DestinationPort dp) {
                if (!portsReadable()) {
                    return false;
                }
                ok = h.dport >= dp.low() && h.dport <= dp.high();
                neg = dp.negate();
            } else if (m instanceof Match.AddrTypeLocal at) {
                ok = isLocal(at.source() ? h.src : h.dst);
                neg = at.negate();
            } else if (m instanceof Match.CtState cs) {
                ok = (ctStateBits() & cs.states()) != 0;
                neg = cs.negate();
            } else {
                Match.IcmpType it = (Match.IcmpType) m;
                if (h.proto != Tuple.ICMP || !h.hasL4 || h.laterFragment) {
                    return false;
                }
                ok = h.icmpType == it.type() && (it.code() < 0 || h.icmpCode == it.code());
                neg = it.negate();
            }
            if (ok == neg) {
                return false;
            }
        }
        return true;
    }

    private boolean portsReadable() {
        return (h.proto == Tuple.TCP || h.proto == Tuple.UDP) && h.hasL4 && !h.laterFragment;
    }

    // ------------------------------------------------------------------ LOG and REJECT

    private void log(String prefix) {
        resolveNames();
        StringBuilder sb = new StringBuilder();
        sb.append(prefix == null ? "" : prefix)
                .append("IN=").append(inName == null ? "" : inName)
                .append(" OUT=").append(outName == null ? "" : outName)
                .append(" SRC=").append(Ipv4Address.format(h.src))
                .append(" DST=").append(Ipv4Address.format(h.dst))
                .append(" LEN=").append(h.totalLen)
                .append(" TTL=").append(cur.data()[h.ipOff + 8] & 0xff);
        switch (h.proto) {
            case Tuple.TCP:
                sb.append(" PROTO=TCP SPT=").append(h.sport).append(" DPT=").append(h.dport);
                break;
            case Tuple.UDP:
                sb.append(" PROTO=UDP SPT=").append(h.sport).append(" DPT=").append(h.dport);
                break;
            case Tuple.ICMP:
                sb.append(" PROTO=ICMP TYPE=").append(h.icmpType).append(" CODE=").append(h.icmpCode);
                break;
            default:
                sb.append(" PROTO=").append(h.proto);
        }
        trace.trace(curNow, sb.toString());
    }

    private void reject(Target.RejectWith with) {
        byte[] b = cur.data();
        if (with == Target.RejectWith.TCP_RESET) {
            if (h.proto != Tuple.TCP || !h.hasL4 || (h.tcpFlags & PacketHeaders.RST) != 0) {
                return;
            }
            PacketBuffer q = host.pool().acquire();
            int off = q.start();
            q.setLength(40);
            byte[] o = q.data();
            writeIpHeader(o, off, 40, Tuple.TCP, h.dst, h.src);
            int t = off + 20;
            Bytes.put16(o, t, h.dport);
            Bytes.put16(o, t + 2, h.sport);
            long seq;
            long ack;
            int flags;
            if ((h.tcpFlags & PacketHeaders.ACK) != 0) {
                seq = h.ack;
                ack = 0;
                flags = PacketHeaders.RST;
            } else {
                seq = 0;
                ack = h.seq + h.payloadLen + ((h.tcpFlags & PacketHeaders.SYN) != 0 ? 1 : 0) + ((h.tcpFlags & PacketHeaders.FIN) != 0 ? 1 : 0);
                flags = PacketHeaders.RST | PacketHeaders.ACK;
            }
            Bytes.put32(o, t + 4, (int) seq);
            Bytes.put32(o, t + 8, (int) ack);
            o[t + 12] = 0x50;
            o[t + 13] = (byte) flags;
            for (int i = 14; i < 20; i++) {
                o[t + i] = 0;
            }
            int c = Checksum.finish(Checksum.sum(o, t, 20, Checksum.pseudoHeaderSum(h.dst, h.src, Tuple.TCP, 20)));
            Bytes.put16(o, t + 16, c);
            q.networkOffset = off;
            pendingLocal.add(q);
            return;
        }
        if (h.proto == Tuple.ICMP && (!h.hasL4 || !IcmpTypes.hasId(h.icmpType))) {
            return; // never answer an ICMP error with an error
        }
        int src = isLocal(h.dst) ? h.dst : host.masqueradeSource(curIn, h.src);
        if (src == 0) {
            return;
        }
        int quote = Math.min(h.totalLen, 576 - 28);
        int len = 28 + quote;
        PacketBuffer q = host.pool().acquire();
        int off = q.start();
        q.setLength(len);
        byte[] o = q.data();
        writeIpHeader(o, off, len, Tuple.ICMP, src, h.src);
        int ic = off + 20;
        o[ic] = 3;
        o[ic + 1] = (byte) with.icmpCode();
        o[ic + 2] = 0;
        o[ic + 3] = 0;
        Bytes.put32(o, ic + 4, 0);
        System.arraycopy(b, h.ipOff, o, ic + 8, quote);
        Bytes.put16(o, ic + 2, Checksum.compute(o, ic, 8 + quote));
        q.networkOffset = off;
        pendingLocal.add(q);
    }

    private static void writeIpHeader(byte[] o, int off, int len, int proto, int src, int dst) {
        o[off] = 0x45;
        o[off + 1] = 0;
        Bytes.put16(o, off + 2, len);
        o[off + 4] = 0;
        o[off + 5] = 0;
        o[off + 6] = 0;
        o[off + 7] = 0;
        o[off + 8] = 64;
        o[off + 9] = (byte) proto;
        o[off + 10] = 0;
        o[off + 11] = 0;
        Bytes.put32(o, off + 12, src);
        Bytes.put32(o, off + 16, dst);
        Bytes.put16(o, off + 10, Checksum.compute(o, off, 20));
    }
}
