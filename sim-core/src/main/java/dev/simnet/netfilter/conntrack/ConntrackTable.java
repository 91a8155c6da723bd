package dev.simnet.netfilter.conntrack;

import dev.simnet.sched.RandomStreams;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * A namespace's connection-tracking table (net/netfilter/nf_conntrack_core.c): confirmed entries
 * hashed by both their tuples in an open-addressing table over primitive keys (lookup allocates
 * nothing), the protocol trackers (TCP state machine, UDP unreplied/stream, ICMP, generic), Linux's
 * default timeouts, lazy expiry on lookup plus {@link #gc}, a maximum size with a drop counter, and
 * a {@code conntrack -L} listing.
 *
 * <p>Expiry is exact: an entry whose timeout ends at {@code t} is alive for every {@code now < t}
 * and gone at {@code now >= t} (the kernel's {@code nf_ct_is_expired}).
 */
public final class ConntrackTable {
    /** Nanoseconds per second. */
    public static final long SEC = 1_000_000_000L;
    /** UDP timeout before a reply, or for a flow younger than 2 s (nf_conntrack_udp_timeout). */
    public static final long UDP_TIMEOUT = 30 * SEC;
    /** UDP stream timeout (nf_conntrack_udp_timeout_stream, 120 s since kernel 5.0). */
    public static final long UDP_STREAM_TIMEOUT = 120 * SEC;
    /** ICMP timeout. */
    public static final long ICMP_TIMEOUT = 30 * SEC;
    /** Generic protocol timeout. */
    public static final long GENERIC_TIMEOUT = 600 * SEC;
    /** Default maximum entries (nf_conntrack_max on a typical host). */
    public static final int DEFAULT_MAX = 262144;

    /** Tracker verdict: the packet is valid for the entry. */
    public static final int OK = 0;
    /** Tracker verdict: invalid for the entry (state INVALID, entry untouched). */
    public static final int INVALID = 1;
    /** Tracker verdict: the entry must be dropped and the packet looked up again (TCP reopen). */
    public static final int REPEAT = 2;

    private final int maxEntries;
    private int count;
    private long nextId = 1;
    private long dropped;
    private long insertFailed;
    private long invalid;
    private long searched;

    // open addressing, linear probing, backward-shift deletion
    private int[] kSrc;
    private int[] kDst;
    private int[] kPorts;
    private byte[] kProto;
    private byte[] kDir;
    private ConntrackEntry[] kEntry;
    private int mask;
    private int used;

    private ConntrackEntry head;
    private ConntrackEntry tail;
    private final HashMap<Long, ArrayDeque<ConntrackEntry>> bySource = new HashMap<>();

    /** Direction of the entry returned by the last successful {@link #find}: 0 original, 1 reply. */
    public int foundDir;

    /** A table holding at most {@code maxEntries} connections. */
    public ConntrackTable(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        allocate(64);
    }

    /** A table with Linux's usual default maximum. */
    public ConntrackTable() {
        this(DEFAULT_MAX);
    }

    private void allocate(int cap) {
        kSrc = new int[cap];
        kDst = new int[cap];
        kPorts = new int[cap];
        kProto = new byte[cap];
        kDir = new byte[cap];
        kEntry = new ConntrackEntry[cap];
        mask = cap - 1;
        used = 0;
    }

    private static int hash(int proto, int src, int dst, int sport, int dport) {
        long k = ((long) src << 32) ^ (dst & 0xffffffffL);
        k ^= (((long) proto << 32) | ((long) sport << 16) | dport) * 0x9E3779B97F4A7C15L;
        return (int) RandomStreams.mix64(k);
    }

    private void put(int proto, int src, int dst, int sport, int dport, ConntrackEntry e, int dir) {
        if ((used + 1) * 2 > kEntry.length) {
            grow();
        }
        int i = hash(proto, src, dst, sport, dport) & mask;
        while (kEntry[i] != null) {
            i = (i + 1) & mask;
        }
        kSrc[i] = src;
        kDst[i] = dst;
        kPorts[i] = (sport << 16) | dport;
        kProto[i] = (byte) proto;
        kDir[i] = (byte) dir;
        kEntry[i] = e;
        used++;
    }

    private void grow() {
        int[] os = kSrc;
        int[] od = kDst;
        int[] op = kPorts;
        byte[] opr = kProto;
        byte[] odir = kDir;
        ConntrackEntry[] oe = kEntry;
        allocate(oe.length * 2);
        for (int i = 0; i < oe.length; i++) {
            if (oe[i] != null) {
                put(opr[i] & 0xff, os[i], od[i], op[i] >>> 16, op[i] & 0xffff, oe[i], odir[i]);
            }
        }
    }

    private int slotOf(int proto, int src, int dst, int sport, int dport) {
        int ports = (sport << 16) | dport;
        int i = hash(proto, src, dst, sport, dport) & mask;
        ConntrackEntry e;
        while ((e = kEntry[i]) != null) {
            if (kSrc[i] == src && kDst[i] == dst && kPorts[i] == ports && (kProto[i] & 0xff) == proto) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void deleteSlot(int slot) {
        int i = slot;
        int j = slot;
        while (true) {
            j = (j + 1) & mask;
            if (kEntry[j] == null) {
                break;
            }
            int home = hash(kProto[j] & 0xff, kSrc[j], kDst[j], kPorts[j] >>> 16, kPorts[j] & 0xffff) & mask;
            boolean stays = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                kSrc[i] = kSrc[j];
                kDst[i] = kDst[j];
                kPorts[i] = kPorts[j];
                kProto[i] = kProto[j];
                kDir[i] = kDir[j];
                kEntry[i] = kEntry[j];
                i = j;
            }
        }
        kEntry[i] = null;
        used--;
    }

    /**
     * The live confirmed entry one of whose tuples is exactly this one, or null; sets
     * {@link #foundDir}. An expired entry met here is removed first. Allocation-free.
     */
    public ConntrackEntry find(int proto, int src, int dst, int sport, int dport, long now) {
        searched++;
        int i = slotOf(proto, src, dst, sport, dport);
        if (i < 0) {
            return null;
        }
        ConntrackEntry e = kEntry[i];
        if (e.expires - now <= 0) {
            remove(e);
            return null;
        }
        foundDir = kDir[i];
        return e;
    }

    /** True when a live entry other than {@code ignore} holds tuple {@code t} in either direction (nf_conntrack_tuple_taken). */
    public boolean taken(Tuple t, ConntrackEntry ignore, long now) {
        ConntrackEntry e = find(t.proto(), t.src(), t.dst(), t.sport(), t.dport(), now);
        return e != null && e != ignore;
    }

    /** Number of live confirmed entries (expired ones not yet collected included until {@link #gc}). */
    public int size() {
        return count;
    }

    /** The configured maximum. */
    public int maxEntries() {
        return maxEntries;
    }

    /** New flows dropped because the table was full. */
    public long dropCount() {
        return dropped;
    }

    /** New flows dropped at confirmation because their tuple clashed with a live entry. */
    public long insertFailedCount() {
        return insertFailed;
    }

    /** Packets found invalid by a protocol tracker. */
    public long invalidCount() {
        return invalid;
    }

    void countInvalid() {
        invalid++;
    }

    /**
     * An unconfirmed entry for a first packet, or null when the table is full (the flow is dropped
     * and counted; expired entries are collected first so they never block a new flow).
     */
    public ConntrackEntry create(int proto, int src, int dst, int sport, int dport, long now) {
        if (count >= maxEntries) {
            gc(now);
            if (count >= maxEntries) {
                dropped++;
                return null;
            }
        }
        return new ConntrackEntry(this, nextId++, proto, src, dst, sport, dport, now);
    }

    /**
     * Confirms {@code e} (__nf_conntrack_confirm): hashes both tuples. Returns false (the packet must
     * be dropped) when either tuple is already taken or the table filled up meanwhile.
     */
    public boolean confirm(ConntrackEntry e, long now) {
        if (e.has(ConntrackEntry.CONFIRMED)) {
            return true;
        }
        if (e.has(ConntrackEntry.DYING)) {
            return true; // killed while in flight (RST as only reply): let this packet through untracked
        }
        if (find(e.proto, e.oSrc, e.oDst, e.oSport, e.oDport, now) != null
                || find(e.proto, e.rSrc, e.rDst, e.rSport, e.rDport, now) != null) {
            insertFailed++;
            return false;
        }
        if (count >= maxEntries) {
            gc(now);
            if (count >= maxEntries) {
                dropped++;
                return false;
            }
        }
        put(e.proto, e.oSrc, e.oDst, e.oSport, e.oDport, e, 0);
        put(e.proto, e.rSrc, e.rDst, e.rSport, e.rDport, e, 1);
        e.status |= ConntrackEntry.CONFIRMED;
        e.prev = tail;
        if (tail != null) {
            tail.next = e;
        } else {
            head = e;
        }
        tail = e;
        count++;
        if (e.has(ConntrackEntry.SRC_NAT)) {
            bySource.computeIfAbsent(sourceKey(e.proto, e.oSrc, e.oSport), k -> new ArrayDeque<>()).addFirst(e);
        }
        return true;
    }

    static long sourceKey(int proto, int src, int sport) {
        return ((long) proto << 48) | ((long) sport << 32) | (src & 0xffffffffL);
    }

    /** Confirmed entries with source NAT whose original source is (proto, src, sport), newest first (nf_nat_bysource). */
    public Iterable<ConntrackEntry> bySource(int proto, int src, int sport) {
        ArrayDeque<ConntrackEntry> q = bySource.get(sourceKey(proto, src, sport));
        return q == null ? List.of() : q;
    }

    /** Removes {@code e} from the table (expiry, RST, reopen, or {@code conntrack -D}). */
    public void remove(ConntrackEntry e) {
        if (e.has(ConntrackEntry.DYING)) {
            return;
        }
        boolean confirmed = e.has(ConntrackEntry.CONFIRMED);
        e.status |= ConntrackEntry.DYING;
        if (!confirmed) {
            return;
        }
        int s = slotOf(e.proto, e.oSrc, e.oDst, e.oSport, e.oDport);
        if (s >= 0 && kEntry[s] == e) {
            deleteSlot(s);
        }
        s = slotOf(e.proto, e.rSrc, e.rDst, e.rSport, e.rDport);
        if (s >= 0 && kEntry[s] == e) {
            deleteSlot(s);
        }
        if (e.prev != null) {
            e.prev.next = e.next;
        } else {
            head = e.next;
        }
        if (e.next != null) {
            e.next.prev = e.prev;
        } else {
            tail = e.prev;
        }
        e.prev = null;
        e.next = null;
        count--;
        if (e.has(ConntrackEntry.SRC_NAT)) {
            long k = sourceKey(e.proto, e.oSrc, e.oSport);
            ArrayDeque<ConntrackEntry> q = bySource.get(k);
            if (q != null) {
                q.remove(e);
                if (q.isEmpty()) {
                    bySource.remove(k);
                }
            }
        }
    }

    /** Removes every entry whose timeout has ended at {@code now}; returns how many. */
    public int gc(long now) {
        int n = 0;
        ConntrackEntry e = head;
        while (e != null) {
            ConntrackEntry nx = e.next;
            if (e.expires - now <= 0) {
                remove(e);
                n++;
            }
            e = nx;
        }
        return n;
    }

    /** The earliest expiry among live entries (for scheduling a GC event), or Long.MAX_VALUE. */
    public long nextExpiry() {
        long m = Long.MAX_VALUE;
        for (ConntrackEntry e = head; e != null; e = e.next) {
            m = Math.min(m, e.expires);
        }
        return m;
    }

    /** Live entries in insertion order (expired ones collected first). */
    public List<ConntrackEntry> entries(long now) {
        gc(now);
        List<ConntrackEntry> out = new ArrayList<>(count);
        for (ConntrackEntry e = head; e != null; e = e.next) {
            out.add(e);
        }
        return out;
    }

    /** {@code conntrack -L} output: one line per live entry, each ending with a newline. */
    public String list(long now) {
        StringBuilder sb = new StringBuilder();
        for (ConntrackEntry e : entries(now)) {
            sb.append(e.format(now)).append('\n');
        }
        return sb.toString();
    }

    /** The summary line conntrack prints on stderr after a listing. */
    public String listSummary(long now) {
        return "conntrack v1.4.7 (conntrack-tools): " + entries(now).size() + " flow entries have been shown.";
    }

    // ------------------------------------------------------------------ protocol trackers

    /** Sets the initial protocol state of a fresh entry; returns false when the packet may not start a connection. */
    public boolean initNew(ConntrackEntry e, PacketHeaders h, long now) {
        switch (e.proto) {
            case Tuple.TCP: {
                int idx = tcpIndex(h.tcpFlags);
                int ns = TCP_TABLE[0][idx][0];
                if (ns >= IV) {
                    return false; // only SYN, or ACK with loose pickup, may start a connection
                }
                e.tcpState = TcpState.NONE;
                return true;
            }
            case Tuple.ICMP:
                return IcmpTypes.isQuery(h.icmpType);
            default:
                return true;
        }
    }

    /**
     * Runs the protocol tracker for a packet of {@code e} in direction {@code dir}: updates state,
     * timeout and ASSURED. Returns {@link #OK}, {@link #INVALID} or {@link #REPEAT}.
     */
    public int track(ConntrackEntry e, int dir, PacketHeaders h, long now) {
        switch (e.proto) {
            case Tuple.TCP:
                return trackTcp(e, dir, h, now);
            case Tuple.UDP:
                // SEEN_REPLY is set by the caller after the tracker ran, as nf_conntrack_in does
                if (e.has(ConntrackEntry.SEEN_REPLY)) {
                    long extra = UDP_TIMEOUT;
                    boolean stream = false;
                    if (now - (e.created + 2 * SEC) > 0) {
                        extra = UDP_STREAM_TIMEOUT;
                        stream = true;
                    }
                    refresh(e, now, extra);
                    if (stream) {
                        e.status |= ConntrackEntry.ASSURED;
                    }
                } else {
                    refresh(e, now, UDP_TIMEOUT);
                }
                return OK;
            case Tuple.ICMP:
                refresh(e, now, ICMP_TIMEOUT);
                return OK;
            default:
                refresh(e, now, GENERIC_TIMEOUT);
                return OK;
        }
    }

    private static void refresh(ConntrackEntry e, long now, long timeout) {
        e.expires = now + timeout;
    }

    // TCP (nf_conntrack_proto_tcp.c)
    private static final int NO = 0;
    private static final int SS = 1;
    private static final int SR = 2;
    private static final int ES = 3;
    private static final int FW = 4;
    private static final int CW = 5;
    private static final int LA = 6;
    private static final int TW = 7;
    private static final int CL = 8;
    private static final int S2 = 9;
    private static final int IV = 10;
    private static final int IG = 11;
    private static final int SYN_SET = 0;
    private static final int SYNACK_SET = 1;
    private static final int FIN_SET = 2;
    private static final int ACK_SET = 3;
    private static final int RST_SET = 4;
    private static final int NONE_SET = 5;

    static final int[][][] TCP_TABLE = {
        {
            /* ORIGINAL  sNO sSS sSR sES sFW sCW sLA sTW sCL sS2 */
            /* syn    */ {SS, SS, IG, IG, IG, IG, IG, SS, SS, S2},
            /* synack */ {IV, IV, SR, IV, IV, IV, IV, IV, IV, SR},
            /* fin    */ {IV, IV, FW, FW, LA, LA, LA, TW, CL, IV},
            /* ack    */ {ES, IV, ES, ES, CW, CW, TW, TW, CL, IV},
            /* rst    */ {IV, CL, CL, CL, CL, CL, CL, CL, CL, CL},
            /* none   */ {IV, IV, IV, IV, IV, IV, IV, IV, IV, IV},
        },
        {
            /* REPLY     sNO sSS sSR sES sFW sCW sLA sTW sCL sS2 */
            /* syn    */ {IV, S2, IV, IV, IV, IV, IV, SS, IV, S2},
            /* synack */ {IV, SR, IG, IG, IG, IG, IG, IG, IG, SR},
            /* fin    */ {IV, IV, FW, FW, LA, LA, LA, TW, CL, IV},
            /* ack    */ {IV, IG, SR, ES, CW, CW, TW, TW, CL, IG},
            /* rst    */ {IV, CL, CL, CL, CL, CL, CL, CL, CL, CL},
            /* none   */ {IV, IV, IV, IV, IV, IV, IV, IV, IV, IV},
        },
    };

    static int tcpIndex(int flags) {
        if ((flags & PacketHeaders.RST) != 0) {
            return RST_SET;
        }
        if ((flags & PacketHeaders.SYN) != 0) {
            return (flags & PacketHeaders.ACK) != 0 ? SYNACK_SET : SYN_SET;
        }
        if ((flags & PacketHeaders.FIN) != 0) {
            return FIN_SET;
        }
        if ((flags & PacketHeaders.ACK) != 0) {
            return ACK_SET;
        }
        return NONE_SET;
    }

    private int trackTcp(ConntrackEntry e, int dir, PacketHeaders h, long now) {
        int old = e.tcpState.ordinal();
        int idx = tcpIndex(h.tcpFlags);
        int ns = TCP_TABLE[dir][idx][old];
        // window bookkeeping (loose: used for the unacknowledged timeout, never to invalidate)
        long end = h.seq + h.payloadLen + ((h.tcpFlags & PacketHeaders.SYN) != 0 ? 1 : 0) + ((h.tcpFlags & PacketHeaders.FIN) != 0 ? 1 : 0);
        switch (ns) {
            case SS:
                if (old >= TW) {
                    // a new SYN on a closed/time-wait connection: kill it and start again
                    return REPEAT;
                }
                break;
            case IG:
                e.lastDir = dir;
                e.lastIndex = idx;
                return OK;
            case IV:
                invalid++;
                return INVALID;
            default:
                break;
        }
        if (!e.tdSeen[dir] || seqAfter(end, e.tdEnd[dir])) {
            e.tdEnd[dir] = end;
            e.tdSeen[dir] = true;
        }
        if ((h.tcpFlags & PacketHeaders.ACK) != 0) {
            int other = 1 - dir;
            if (!e.tdSeen[other] || e.tdMaxAck[other] == 0 || seqAfter(h.ack, e.tdMaxAck[other])) {
                e.tdMaxAck[other] = h.ack;
            }
        }
        e.lastDir = dir;
        e.lastIndex = idx;
        e.tcpState = TcpState.VALUES[ns];
        if (old != ns && ns == FW) {
            e.closeInit[dir] = true;
        }
        long timeout = e.tcpState.timeoutSeconds() * SEC;
        boolean unacked = (e.tdSeen[0] && e.tdMaxAck[0] != 0 && seqAfter(e.tdEnd[0], e.tdMaxAck[0]))
                || (e.tdSeen[1] && e.tdMaxAck[1] != 0 && seqAfter(e.tdEnd[1], e.tdMaxAck[1]));
        if (unacked && timeout > TcpState.UNACK_TIMEOUT_S * SEC) {
            timeout = TcpState.UNACK_TIMEOUT_S * SEC;
        }
        boolean seenReply = e.has(ConntrackEntry.SEEN_REPLY);
        if (!seenReply) {
            if ((h.tcpFlags & PacketHeaders.RST) != 0) {
                // the only reply is a RST: no connection was ever established, delete at once
                refresh(e, now, 0);
                remove(e);
                return OK;
            }
        } else if (!e.has(ConntrackEntry.ASSURED) && (old == SR || old == ES) && ns == ES) {
            e.status |= ConntrackEntry.ASSURED;
        }
        refresh(e, now, timeout);
        return OK;
    }

    /** {@code a} is after {@code b} in 32-bit sequence space. */
    static boolean seqAfter(long a, long b) {
        return (int) (a - b) > 0;
    }
}
