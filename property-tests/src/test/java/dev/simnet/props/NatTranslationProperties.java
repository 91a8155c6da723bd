package dev.simnet.props;


import dev.simnet.netfilter.conntrack.ConntrackEntry;
import dev.simnet.netfilter.conntrack.ConntrackTable;
import dev.simnet.netfilter.conntrack.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Source NAT (MASQUERADE) over generated flows, as Docker's host namespace applies it. */
class NatTranslationProperties {
    static final long S = ConntrackTable.SEC;

    @Provide
    Arbitrary<List<Flow>> flows() {
        return Flows.inside().list().ofMinSize(1).ofMaxSize(40);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    static byte[] replyTo(byte[] out) {
        Flow o = NatRouter.read(out);
        if (o.proto() == 1) {
            return NatRouter.build(1, o.dst(), o.sport(), o.src(), 0, 0);
        }
        return NatRouter.build(o.proto(), o.dst(), o.dport(), o.src(), o.sport(), o.proto() == 6 ? 0x12 : 0);
    }

    static Flow expectedBack(Flow f) {
        return f.proto() == 1 ? new Flow(1, f.dst(), f.sport(), f.src(), 0) : f.swapped();
    }

    @Property(tries = 200)
    void everyTranslatedPacketsReplyIsTranslatedBackToTheOriginalEndpoints(@ForAll("flows") List<Flow> flows) {
        NatRouter r = new NatRouter(100_000, 7);
        long t = 0;
        for (Flow f : flows) {
            byte[] out = r.forward(NatRouter.packet(f), NatRouter.BR0, NatRouter.ETH0, t += S / 10);
            check(out != null, f + " was dropped");
            check(NatRouter.checksumsValid(out), f + " left with a bad checksum");
            Flow o = NatRouter.read(out);
            check(o.src() == NatRouter.MASQ && o.dst() == f.dst() && o.dport() == f.dport(), f + " left as " + o);
            byte[] back = r.forward(replyTo(out), NatRouter.ETH0, NatRouter.BR0, t += S / 10);
            check(back != null, "reply to " + f + " was dropped");
            check(NatRouter.checksumsValid(back), "reply to " + f + " has a bad checksum");
            Flow b = NatRouter.read(back);
            check(b.equals(expectedBack(f)), "reply to " + f + " (sent out as " + o + ") came back as " + b);
        }
    }

    @Property(tries = 200)
    void noTwoLiveEntriesEverShareAReplyTupleWhateverOrderFlowsArriveIn(@ForAll("flows") List<Flow> flows,
                                                                         @ForAll @Size(max = 40) List<@net.jqwik.api.constraints.IntRange(max = 40) Integer> gapsSeconds) {
        NatRouter r = new NatRouter(100_000, 11);
        long t = 0;
        int i = 0;
        for (Flow f : flows) {
            t += (gapsSeconds.isEmpty() ? 0 : gapsSeconds.get(i++ % gapsSeconds.size())) * S;
            r.forward(NatRouter.packet(f), NatRouter.BR0, NatRouter.ETH0, t);
            Set<Tuple> replies = new HashSet<>();
            Set<Tuple> all = new HashSet<>();
            List<ConntrackEntry> live = r.table.entries(t);
            for (ConntrackEntry e : live) {
                check(replies.add(e.reply()), "two entries share reply tuple " + e.reply() + " after " + f + ":\n" + r.table.list(t));
                check(all.add(e.original()) && all.add(e.reply()) || e.original().equals(e.reply()),
                        "a tuple is held twice after " + f + ":\n" + r.table.list(t));
            }
        }
    }

    static int portClass(int p) {
        return p < 512 ? 0 : p < 1024 ? 1 : 2;
    }

    @Property(tries = 300)
    void aFreeSourcePortIsPreservedAndARemappedOneStaysInItsClass(@ForAll("flows") List<Flow> flows) {
        NatRouter r = new NatRouter(100_000, 13);
        long t = 0;
        for (Flow f : flows) {
            t += S / 100;
            boolean known = r.table.find(f.proto(), f.src(), f.dst(), f.proto() == 1 ? f.sport() : f.sport(),
                    f.proto() == 1 ? 8 << 8 : f.dport(), t) != null;
            Tuple preservedReply = f.proto() == 1
                    ? new Tuple(1, f.dst(), NatRouter.MASQ, f.sport(), 0)
                    : new Tuple(f.proto(), f.dst(), NatRouter.MASQ, f.dport(), f.sport());
            boolean free = !r.table.taken(preservedReply, null, t);
            boolean earlierBinding = r.table.bySource(f.proto(), f.src(), f.sport()).iterator().hasNext();
            byte[] out = r.forward(NatRouter.packet(f), NatRouter.BR0, NatRouter.ETH0, t);
            check(out != null, f + " dropped");
            int port = NatRouter.read(out).sport();
            if (!known && free && !earlierBinding) {
                check(port == f.sport(), f + ": source port " + f.sport() + " was free but became " + port);
            } else if (f.proto() != 1) {
                check(portClass(port) == portClass(f.sport()), f + ": remapped to " + port + ", outside the class of " + f.sport());
                check(port != 0, f + ": remapped to port 0");
            }
        }
    }
}
