package dev.simnet.props;

import dev.simnet.netfilter.conntrack.ConntrackEntry;
import dev.simnet.netfilter.conntrack.ConntrackTable;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;

/** Connection-tracking timeouts and table limits over generated flows and packet timings. */
class ConntrackProperties {
    static final long S = ConntrackTable.SEC;
    static final long MS = S / 1000;

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    /** One step of a generated exchange: who sends, after how many milliseconds. */
    record Step(boolean reply, int gapMs) {
        @Override
        public String toString() {
            return (reply ? "reply" : "orig") + "+" + gapMs + "ms";
        }
    }

    @Provide
    Arbitrary<List<Step>> exchanges() {
        return net.jqwik.api.Combinators.combine(Arbitraries.of(false, true), Arbitraries.integers().between(0, 29_999))
                .as(Step::new).list().ofMinSize(1).ofMaxSize(12);
    }

    /** Linux's UDP rule: 30 s, or 120 s (and ASSURED) once a reply was seen and the flow is over 2 s old. */
    static long udpTimeout(long created, long now, boolean seenReplyBefore) {
        if (!seenReplyBefore) {
            return 30 * S;
        }
        return now > created + 2 * S ? 120 * S : 30 * S;
    }

    @Property(tries = 300)
    void udpEntriesExpireExactlyWhenLinuxTimeoutSaysAndNotBefore(@ForAll("exchanges") List<Step> steps) {
        NatRouter r = new NatRouter(1000, 3, false);
        Flow f = new Flow(17, Flows.CONTAINERS | 2, 40000, dev.simnet.addr.Ipv4Address.parseBits("203.0.113.10"), 53);
        long t = 1000;
        long created = t;
        boolean seenReply = false;
        long expires = 0;
        List<Step> all = new ArrayList<>();
        all.add(new Step(false, 0));
        all.addAll(steps);
        for (Step s : all) {
            t += s.gapMs() * MS;
            byte[] pkt = s.reply() ? NatRouter.build(17, f.dst(), f.dport(), f.src(), f.sport(), 0) : NatRouter.packet(f);
            r.forward(pkt, s.reply() ? NatRouter.ETH0 : NatRouter.BR0, s.reply() ? NatRouter.BR0 : NatRouter.ETH0, t);
            expires = t + udpTimeout(created, t, seenReply);
            seenReply |= s.reply();
            ConntrackEntry e = r.table.find(17, f.src(), f.dst(), f.sport(), f.dport(), t);
            check(e != null, "entry gone at " + t + " after " + all);
            check(e.expires() == expires, "expiry " + e.expires() + ", Linux says " + expires + " after " + all);
        }
        check(r.table.find(17, f.src(), f.dst(), f.sport(), f.dport(), expires - 1) != null, "gone before its timeout: " + all);
        check(r.table.find(17, f.src(), f.dst(), f.sport(), f.dport(), expires) == null, "alive at its timeout: " + all);
    }

    static final int[][] TCP_SCRIPT = {
        // dir (0 client, 1 server), flags, seq, ack, expected timeout seconds (kernel state after the packet)
        {0, 0x02, 1000, 0, 120},       // SYN -> SYN_SENT
        {1, 0x12, 5000, 1001, 60},     // SYN/ACK -> SYN_RECV
        {0, 0x10, 1001, 5001, 432000}, // ACK -> ESTABLISHED
        {0, 0x11, 1001, 5001, 120},    // FIN -> FIN_WAIT
        {1, 0x10, 5001, 1002, 60},     // ACK -> CLOSE_WAIT
        {1, 0x11, 5001, 1002, 30},     // FIN -> LAST_ACK
        {0, 0x10, 1002, 5002, 120},    // ACK -> TIME_WAIT
    };

    @Property(tries = 300)
    void tcpEntriesExpireExactlyWhenLinuxTimeoutForTheirStateSaysAndNotBefore(
            @ForAll @IntRange(min = 1, max = 7) int packets,
            @ForAll @Size(value = 7) List<@IntRange(max = 29_999) Integer> gapsMs) {
        NatRouter r = new NatRouter(1000, 3, false);
        int c = Flows.CONTAINERS | 2;
        int srv = dev.simnet.addr.Ipv4Address.parseBits("203.0.113.10");
        long t = 5;
        long expires = 0;
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < packets; i++) {
            int[] s = TCP_SCRIPT[i];
            t += gapsMs.get(i) * MS;
            byte[] pkt = s[0] == 0 ? NatRouter.tcp(c, 40000, srv, 80, s[1], s[2], s[3]) : NatRouter.tcp(srv, 80, c, 40000, s[1], s[2], s[3]);
            r.forward(pkt, s[0] == 0 ? NatRouter.BR0 : NatRouter.ETH0, s[0] == 0 ? NatRouter.ETH0 : NatRouter.BR0, t);
            sent.add((s[0] == 0 ? "c>" : "s>") + Integer.toHexString(s[1]) + "@" + t);
            expires = t + s[4] * S;
            ConntrackEntry e = r.table.find(6, c, srv, 40000, 80, t);
            check(e != null && e.expires() == expires, "after " + sent + ": " + (e == null ? "gone" : e.format(t)) + ", expected "
                    + s[4] + " s");
        }
        check(r.table.find(6, c, srv, 40000, 80, expires - 1) != null, "gone before its timeout after " + sent);
        check(r.table.find(6, c, srv, 40000, 80, expires) == null, "alive at its timeout after " + sent);
    }

    @Property(tries = 200)
    void aFullTableDropsNewFlowsCountsThemAndNeverDisturbsExistingOnes(
            @ForAll @IntRange(min = 1, max = 8) int max,
            @ForAll @UniqueElements @Size(min = 1, max = 20) List<@net.jqwik.api.From("inside") Flow> flows) {
        NatRouter r = new NatRouter(max, 5);
        List<Flow> admitted = new ArrayList<>();
        List<byte[]> outs = new ArrayList<>();
        String listingWhenFull = null;
        for (Flow f : flows) {
            byte[] out = r.forward(NatRouter.packet(f), NatRouter.BR0, NatRouter.ETH0, S);
            if (admitted.size() < max) {
                check(out != null, f + " dropped with " + admitted.size() + " of " + max + " entries used");
                admitted.add(f);
                outs.add(out);
                if (admitted.size() == max) {
                    listingWhenFull = r.table.list(S);
                }
            } else {
                check(out == null, f + " admitted into a full table of " + max);
            }
        }
        int dropped = flows.size() - admitted.size();
        check(r.table.dropCount() == dropped, "drop counter " + r.table.dropCount() + ", expected " + dropped);
        if (listingWhenFull != null) {
            check(r.table.list(S).equals(listingWhenFull), "entries changed while new flows were refused");
        }
        for (int i = 0; i < admitted.size(); i++) {
            byte[] back = r.forward(NatTranslationProperties.replyTo(outs.get(i)), NatRouter.ETH0, NatRouter.BR0, 2 * S);
            check(back != null && NatRouter.read(back).equals(NatTranslationProperties.expectedBack(admitted.get(i))),
                    "existing flow " + admitted.get(i) + " disturbed");
        }
    }

    @Provide
    Arbitrary<Flow> inside() {
        return Flows.inside();
    }
}
