package dev.simnet.netfilter.nat;

import dev.simnet.netfilter.conntrack.ConntrackEntry;
import dev.simnet.netfilter.conntrack.ConntrackTable;
import dev.simnet.netfilter.conntrack.Tuple;
import java.util.SplittableRandom;

/**
 * NAT binding as net/netfilter/nf_nat_core.c does it: {@code nf_nat_setup_info} picks a unique
 * tuple ({@code get_unique_tuple}) — keep the original source if its reply tuple is free, else an
 * existing mapping for the same source ({@code find_appropriate_src}), else the range's address,
 * and only then search the port class from a random offset (128 tries, then halving) — and
 * stores the result as the entry's reply tuple.
 */
public final class NatCore {
    /** Most tries per search round (NF_NAT_MAX_ATTEMPTS). */
    public static final int MAX_ATTEMPTS = 128;

    private final ConntrackTable table;
    private final SplittableRandom random;

    /** NAT over {@code table}, drawing port offsets from {@code random}. */
    public NatCore(ConntrackTable table, SplittableRandom random) {
        this.table = table;
        this.random = random;
    }

    /**
     * Binds {@code e} for manip type {@code manip} ({@link NatRewriter#SRC} or DST) within
     * {@code range} (null for a null binding). Sets SRC_NAT/DST_NAT when the tuple changed and
     * marks the manip type done.
     */
    public void setup(ConntrackEntry e, NatRange range, int manip, long now) {
        Tuple curr = e.reply().reply(); // the original tuple as altered by earlier manips
        Tuple chosen;
        if (range == null) {
            int a = manip == NatRewriter.SRC ? curr.src() : curr.dst();
            chosen = unique(curr, NatRange.address(a), manip, e, now);
        } else {
            chosen = unique(curr, range, manip, e, now);
        }
        if (!chosen.equals(curr)) {
            e.setReplyTuple(chosen.reply());
            e.setStatus(manip == NatRewriter.SRC ? ConntrackEntry.SRC_NAT : ConntrackEntry.DST_NAT);
        }
        e.setStatus(manip == NatRewriter.SRC ? ConntrackEntry.SRC_NAT_DONE : ConntrackEntry.DST_NAT_DONE);
    }

    private boolean used(Tuple t, ConntrackEntry e, long now) {
        return table.taken(t.reply(), e, now);
    }

    private static boolean inRange(Tuple t, NatRange r, int manip) {
        int a = manip == NatRewriter.SRC ? t.src() : t.dst();
        if (r.mapIps() && (Integer.compareUnsigned(a, r.minAddr()) < 0 || Integer.compareUnsigned(a, r.maxAddr()) > 0)) {
            return false;
        }
        return !r.protoSpecified() || l4InRange(t, r, manip);
    }

    private static boolean l4InRange(Tuple t, NatRange r, int manip) {
        int p = key(t, manip);
        return p >= r.minPort() && p <= r.maxPort();
    }

    private static int key(Tuple t, int manip) {
        if (t.proto() == Tuple.ICMP || manip == NatRewriter.SRC) {
            return t.sport();
        }
        return t.dport();
    }

    private static Tuple withKey(Tuple t, int manip, int v) {
        if (t.proto() == Tuple.ICMP || manip == NatRewriter.SRC) {
            return new Tuple(t.proto(), t.src(), t.dst(), v, t.dport());
        }
        return new Tuple(t.proto(), t.src(), t.dst(), t.sport(), v);
    }

    private static Tuple withAddr(Tuple t, int manip, int a) {
        return manip == NatRewriter.SRC ? new Tuple(t.proto(), a, t.dst(), t.sport(), t.dport())
                : new Tuple(t.proto(), t.src(), a, t.sport(), t.dport());
    }

    Tuple unique(Tuple orig, NatRange range, int manip, ConntrackEntry e, long now) {
        if (manip == NatRewriter.SRC && !range.randomAll()) {
            if (inRange(orig, range, manip)) {
                if (!used(orig, e, now)) {
                    return orig;
                }
            } else {
                Tuple found = appropriateSource(orig, range, now);
                if (found != null && !used(found, e, now)) {
                    return found;
                }
            }
        }
        Tuple t = orig;
        if (range.mapIps()) {
            t = withAddr(t, manip, bestAddress(orig, range, manip));
        }
        if (!range.randomAll()) {
            if (range.protoSpecified()) {
                if (l4InRange(t, range, manip) && (range.minPort() == range.maxPort() || !used(t, e, now))) {
                    return t;
                }
            } else if (!used(t, e, now)) {
                return t;
            }
        }
        return uniqueL4(t, range, manip, e, now);
    }

    private Tuple appropriateSource(Tuple orig, NatRange range, long now) {
        for (ConntrackEntry c : table.bySource(orig.proto(), orig.src(), orig.sport())) {
            if (c.expires() - now <= 0) {
                continue;
            }
            Tuple mapped = c.reply().reply();
            Tuple result = new Tuple(orig.proto(), mapped.src(), orig.dst(), mapped.sport(), orig.dport());
            if (inRange(result, range, NatRewriter.SRC)) {
                return result;
            }
        }
        return null;
    }

    private static int bestAddress(Tuple orig, NatRange r, int manip) {
        if (r.minAddr() == r.maxAddr()) {
            return r.minAddr();
        }
        long span = (r.maxAddr() & 0xffffffffL) - (r.minAddr() & 0xffffffffL) + 1;
        long h = dev.simnet.sched.RandomStreams.mix64(((long) orig.src() << 32) ^ (orig.dst() & 0xffffffffL));
        return (int) ((r.minAddr() & 0xffffffffL) + Long.remainderUnsigned(h, span));
    }

    private Tuple uniqueL4(Tuple t, NatRange range, int manip, ConntrackEntry e, long now) {
        int min;
        int rangeSize;
        int proto = t.proto();
        if (proto == Tuple.ICMP) {
            if (!range.protoSpecified()) {
                min = 0;
                rangeSize = 65536;
            } else {
                min = range.minPort();
                rangeSize = range.maxPort() - range.minPort() + 1;
            }
        } else if (proto == Tuple.TCP || proto == Tuple.UDP) {
            if (!range.protoSpecified()) {
                if (manip == NatRewriter.DST) {
                    return t;
                }
                int p = key(t, manip);
                if (p < 1024) {
                    if (p < 512) {
                        min = 1;
                        rangeSize = 511;
                    } else {
                        min = 600;
                        rangeSize = 1023 - 600 + 1;
                    }
                } else {
                    min = 1024;
                    rangeSize = 65535 - 1024 + 1;
                }
            } else {
                min = Math.min(range.minPort(), range.maxPort());
                rangeSize = Math.abs(range.maxPort() - range.minPort()) + 1;
            }
        } else {
            return t;
        }
        int off;
        if (range.randomAll() || manip != NatRewriter.DST) {
            off = random.nextInt(65536);
        } else {
            off = 0;
        }
        int attempts = Math.min(rangeSize, MAX_ATTEMPTS);
        Tuple cand = t;
        while (true) {
            for (int i = 0; i < attempts; i++, off = (off + 1) & 0xffff) {
                cand = withKey(t, manip, min + (off % rangeSize));
                if (!used(cand, e, now)) {
                    return cand;
                }
            }
            if (attempts >= rangeSize || attempts < 16) {
                return cand; // give up: confirmation will fail on the clash
            }
            attempts /= 2;
            off = random.nextInt(65536);
        }
    }
}
