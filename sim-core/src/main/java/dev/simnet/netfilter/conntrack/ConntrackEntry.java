package dev.simnet.netfilter.conntrack;

import dev.simnet.addr.Ipv4Address;

/**
 * One tracked connection ({@code struct nf_conn}): its original and reply tuples (the reply tuple
 * carries the NAT binding), status bits, protocol state and absolute expiry time in virtual ns.
 */
public final class ConntrackEntry {
    /** Status: seen traffic in the reply direction. */
    public static final int SEEN_REPLY = 1 << 1;
    /** Status: assured (will not be early-dropped; shown as [ASSURED]). */
    public static final int ASSURED = 1 << 2;
    /** Status: in the hash table. */
    public static final int CONFIRMED = 1 << 3;
    /** Status: source NAT applied. */
    public static final int SRC_NAT = 1 << 4;
    /** Status: destination NAT applied. */
    public static final int DST_NAT = 1 << 5;
    /** Status: source NAT decided (possibly a null binding). */
    public static final int SRC_NAT_DONE = 1 << 7;
    /** Status: destination NAT decided. */
    public static final int DST_NAT_DONE = 1 << 8;
    /** Status: removed from the table. */
    public static final int DYING = 1 << 9;

    final ConntrackTable owner;
    final long id;
    /** IP protocol. */
    public final int proto;
    int oSrc;
    int oDst;
    int oSport;
    int oDport;
    int rSrc;
    int rDst;
    int rSport;
    int rDport;
    int status;
    long expires;
    final long created;
    int mark;
    TcpState tcpState = TcpState.NONE;
    // TCP tracking, per direction (0 original, 1 reply)
    final long[] tdEnd = new long[2];
    final long[] tdMaxAck = new long[2];
    final boolean[] tdSeen = new boolean[2];
    final boolean[] closeInit = new boolean[2];
    int lastIndex = -1;
    int lastDir = -1;
    ConntrackEntry prev;
    ConntrackEntry next;

    ConntrackEntry(ConntrackTable owner, long id, int proto, int src, int dst, int sport, int dport, long now) {
        this.owner = owner;
        this.id = id;
        this.proto = proto;
        this.oSrc = src;
        this.oDst = dst;
        this.oSport = sport;
        this.oDport = dport;
        Tuple r = new Tuple(proto, src, dst, sport, dport).reply();
        this.rSrc = r.src();
        this.rDst = r.dst();
        this.rSport = r.sport();
        this.rDport = r.dport();
        this.created = now;
    }

    /** The table that owns this entry. */
    public ConntrackTable table() {
        return owner;
    }

    /** The original-direction tuple. */
    public Tuple original() {
        return new Tuple(proto, oSrc, oDst, oSport, oDport);
    }

    /** The reply-direction tuple (after NAT). */
    public Tuple reply() {
        return new Tuple(proto, rSrc, rDst, rSport, rDport);
    }

    /** The tuple of direction {@code dir} (0 original, 1 reply). */
    public Tuple tuple(int dir) {
        return dir == 0 ? original() : reply();
    }

    /** Replaces the reply tuple (the NAT binding); only before confirmation. */
    public void setReplyTuple(Tuple t) {
        if (has(CONFIRMED)) {
            throw new IllegalStateException("entry already confirmed");
        }
        setReply(t);
    }

    void setReply(Tuple t) {
        rSrc = t.src();
        rDst = t.dst();
        rSport = t.sport();
        rDport = t.dport();
    }

    /** Status bits ({@link #ASSURED} etc.). */
    public int status() {
        return status;
    }

    /** True when {@code bit} is set in the status. */
    public boolean has(int bit) {
        return (status & bit) != 0;
    }

    /** Sets status bits (NAT bookkeeping). */
    public void setStatus(int bits) {
        status |= bits;
    }

    /** Absolute expiry, virtual ns: the entry is gone at this instant. */
    public long expires() {
        return expires;
    }

    /** Creation time, virtual ns. */
    public long created() {
        return created;
    }

    /** The TCP state (NONE for other protocols). */
    public TcpState tcpState() {
        return tcpState;
    }

    /** The connection mark. */
    public int mark() {
        return mark;
    }

    /** Source address of the tuple of direction {@code dir} (fast path, no allocation). */
    public int src(int dir) {
        return dir == 0 ? oSrc : rSrc;
    }

    /** Destination address of the tuple of direction {@code dir}. */
    public int dst(int dir) {
        return dir == 0 ? oDst : rDst;
    }

    /** Source port (ICMP id) of the tuple of direction {@code dir}. */
    public int sport(int dir) {
        return dir == 0 ? oSport : rSport;
    }

    /** Destination port (ICMP type&lt;&lt;8|code) of the tuple of direction {@code dir}. */
    public int dport(int dir) {
        return dir == 0 ? oDport : rDport;
    }

    /** One conntrack -L line, with remaining seconds computed at {@code now}. */
    public String format(long now) {
        StringBuilder sb = new StringBuilder(160);
        String name = Tuple.protoName(proto);
        sb.append(name);
        for (int i = name.length(); i < 8; i++) {
            sb.append(' ');
        }
        sb.append(' ').append(proto).append(' ');
        long left = Math.max(0, expires - now) / 1_000_000_000L;
        sb.append(left).append(' ');
        if (proto == Tuple.TCP) {
            sb.append(tcpState.name()).append(' ');
        }
        appendTuple(sb, proto, oSrc, oDst, oSport, oDport);
        if (!has(SEEN_REPLY)) {
            sb.append("[UNREPLIED] ");
        }
        appendTuple(sb, proto, rSrc, rDst, rSport, rDport);
        if (has(ASSURED)) {
            sb.append("[ASSURED] ");
        }
        sb.append("mark=").append(mark & 0xffffffffL).append(" use=1");
        return sb.toString();
    }

    private static void appendTuple(StringBuilder sb, int proto, int src, int dst, int sport, int dport) {
        sb.append("src=").append(Ipv4Address.format(src)).append(" dst=").append(Ipv4Address.format(dst)).append(' ');
        if (proto == Tuple.TCP || proto == Tuple.UDP) {
            sb.append("sport=").append(sport).append(" dport=").append(dport).append(' ');
        } else if (proto == Tuple.ICMP) {
            sb.append("type=").append(dport >>> 8).append(" code=").append(dport & 0xff).append(" id=").append(sport).append(' ');
        }
    }

    @Override
    public String toString() {
        return original() + " / reply " + reply();
    }
}
