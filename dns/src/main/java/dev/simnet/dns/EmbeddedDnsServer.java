package dev.simnet.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Docker's embedded DNS server (127.0.0.11, moby {@code libnetwork/resolver.go} {@code serveDNS})
 * as a transport-free core: query bytes in, answer bytes out, through {@link #handle} (asynchronous
 * when forwarding) or {@link #answerLocally} (synchronous, null when the query must be forwarded).
 *
 * <p>Local answers: A for container names with every address shuffled (TTL 600); AAAA and MX for
 * a known name NOERROR with no answer; PTR for a container address {@code <container>.<network>.},
 * PTR for a name that is not a reverse name SERVFAIL; every other type, and every unknown name, is
 * forwarded ({@link #setEmptyAnswerForKnownNames} answers other types for known names locally).
 * Local replies copy id, opcode, RD and CD, set QR and RA, and are packed as miekg/dns
 * {@code Truncate} does: uncompressed when they fit, else compressed and cut to 512 bytes or the
 * client's EDNS size (UDP) with TC set. Forwarded answers are passed on verbatim. SERVFAIL (no
 * upstream answered, or none allowed) and REFUSED (forwarding table full) are built like miekg
 * {@code SetRcode}: RA clear. Malformed queries get FORMERR when the header is readable and QR is
 * clear, NOTIMP for an opcode other than QUERY; otherwise they are dropped and counted in
 * {@link #stats()}.
 *
 * <p>Simple A queries (one question, class IN, optional OPT, a name of plain labels) are answered
 * by a hand-written fast path from the bytes; everything else goes through dnsjava. Both give
 * byte-identical answers (a property test checks it).
 */
public final class EmbeddedDnsServer implements DnsHandler {
    /** TTL Docker puts on A, AAAA, PTR and SRV answers. */
    public static final int TTL = 600;

    private final DnsRecords records;
    private final Forwarder forwarder;
    private final RandomGenerator shuffle;
    private final DnsStats stats = new DnsStats();
    private volatile boolean fastPath = true;
    private volatile boolean emptyForKnownNames;

    /**
     * A server over {@code records}, forwarding through {@code forwarder} (null: unknown names get
     * SERVFAIL), shuffling multi-address answers with {@code shuffle} (the seeded stream).
     */
    public EmbeddedDnsServer(DnsRecords records, Forwarder forwarder, RandomGenerator shuffle) {
        this.records = records;
        this.forwarder = forwarder;
        this.shuffle = shuffle;
    }

    /** Turns the hand-written A fast path on (default) or off (everything through dnsjava; for tests and benchmarks). */
    public void setFastPath(boolean on) {
        this.fastPath = on;
    }

    /**
     * Off by default, as in moby: only A, AAAA, MX (empty NOERROR) and PTR are answered locally and
     * every other type (TXT, SRV, …) is forwarded even for container names. On: every other type
     * for a known name gets NOERROR with an empty answer.
     */
    public void setEmptyAnswerForKnownNames(boolean on) {
        this.emptyForKnownNames = on;
    }

    /** The counters. */
    public DnsStats stats() {
        return stats;
    }

    /** The record set answered from. */
    public DnsRecords records() {
        return records;
    }

    @Override
    public void handle(byte[] query, int offset, int length, String asker, DnsProto proto, int maxUdpSize, ReplySink sink) {
        stats.queries.incrementAndGet();
        if (length < 12) {
            stats.droppedShort.incrementAndGet();
            return;
        }
        DnsIndex index = records.snapshot();
        DnsIndex.Asker a = index.asker(asker);
        if (a != null && fastPath) {
            byte[] fast = fastA(query, offset, length, index, a, proto, maxUdpSize);
            if (fast != null) {
                stats.answeredLocally.incrementAndGet();
                sink.reply(fast);
                return;
            }
        }
        general(query, offset, length, index, a, proto, maxUdpSize, sink);
    }

    /**
     * Answers a query that needs no forwarding and returns the answer, or null when the query was
     * dropped or has to be forwarded (use {@link #handle} for those).
     */
    public byte[] answerLocally(byte[] query, int offset, int length, String asker, DnsProto proto, int maxUdpSize) {
        stats.queries.incrementAndGet();
        if (length < 12) {
            stats.droppedShort.incrementAndGet();
            return null;
        }
        DnsIndex index = records.snapshot();
        DnsIndex.Asker a = index.asker(asker);
        if (a != null && fastPath) {
            byte[] fast = fastA(query, offset, length, index, a, proto, maxUdpSize);
            if (fast != null) {
                stats.answeredLocally.incrementAndGet();
                return fast;
            }
        }
        Local local = local(query, offset, length, index, a, proto, maxUdpSize);
        if (local == null) {
            return null;
        }
        return local.answer;
    }

    // ---------------------------------------------------------------- fast path

    private byte[] fastA(byte[] q, int off, int len, DnsIndex index, DnsIndex.Asker a, DnsProto proto, int maxUdp) {
        int end = off + len;
        if ((q[off + 2] & 0xf8) != 0) {
            return null; // QR set or opcode != QUERY
        }
        if (DnsWire.u16(q, off + 4) != 1 || DnsWire.u16(q, off + 6) != 0 || DnsWire.u16(q, off + 8) != 0) {
            return null;
        }
        int ar = DnsWire.u16(q, off + 10);
        if (ar > 1) {
            return null;
        }
        int p = off + 12;
        int nameLen = 0;
        while (true) {
            if (p >= end) {
                return null;
            }
            int l = q[p] & 0xff;
            if (l == 0) {
                break;
            }
            if (l > 63) {
                return null;
            }
            nameLen += l + 1;
            if (nameLen > 254) {
                return null;
            }
            p += l + 1;
        }
        int qnameEnd = p + 1;
        if (qnameEnd + 4 > end || DnsWire.u16(q, qnameEnd) != Type.A || DnsWire.u16(q, qnameEnd + 2) != DClass.IN) {
            return null;
        }
        p = qnameEnd + 4;
        int edns = 0;
        if (ar == 1) {
            if (p + 11 > end || q[p] != 0 || DnsWire.u16(q, p + 1) != Type.OPT
                    || p + 11 + DnsWire.u16(q, p + 9) != end) {
                return null;
            }
            edns = DnsWire.u16(q, p + 3);
        } else if (p != end) {
            return null;
        }
        if (nameLen == 0) {
            return null;
        }
        char[] chars = new char[nameLen - 1];
        boolean upper = false;
        int c = 0;
        p = off + 12;
        while (true) {
            int l = q[p] & 0xff;
            if (l == 0) {
                break;
            }
            if (c > 0) {
                chars[c++] = '.';
            }
            for (int i = 1; i <= l; i++) {
                int b = q[p + i] & 0xff;
                if (b >= 'A' && b <= 'Z') {
                    upper = true;
                } else if (b <= 0x20 || b >= 0x7f || b == '.' || b == '\\') {
                    return null; // leave escapes and odd bytes to dnsjava
                }
                chars[c++] = (char) b;
            }
            p += l + 1;
        }
        String name = new String(chars);
        int[] addrs = index.resolve(a, name, upper ? name.toLowerCase(java.util.Locale.ROOT) : name);
        if (addrs == null) {
            return null;
        }
        int qlen = qnameEnd + 4 - off;
        int limit = proto == DnsProto.TCP ? DnsWire.MAX_MESSAGE : DnsWire.udpLimit(edns, maxUdp);
        int n = addrs.length;
        int ownerLen = qnameEnd - (off + 12);
        int[] order = n > 1 ? shuffled(addrs) : addrs;
        // miekg Truncate: uncompressed when it fits, else compressed and cut
        boolean plain = qlen + (long) n * (ownerLen + 14) <= limit;
        int rrLen = plain ? ownerLen + 14 : 16;
        int fit = plain ? n : Math.min(n, Math.max(0, (limit - qlen) / 16));
        byte[] r = new byte[qlen + fit * rrLen];
        System.arraycopy(q, off, r, 0, qlen);
        r[2] = (byte) (0x80 | (q[off + 2] & 0x01) | (fit < n ? 0x02 : 0));
        r[3] = (byte) (0x80 | (q[off + 3] & 0x10));
        DnsWire.put16(r, 6, fit);
        DnsWire.put16(r, 10, 0);
        if (fit < n) {
            stats.truncated.incrementAndGet();
        }
        int w = qlen;
        for (int i = 0; i < fit; i++) {
            if (plain) {
                System.arraycopy(q, off + 12, r, w, ownerLen);
                w += ownerLen;
            } else {
                r[w] = (byte) 0xc0;
                r[w + 1] = 0x0c;
                w += 2;
            }
            r[w] = 0;
            r[w + 1] = 1;
            r[w + 2] = 0;
            r[w + 3] = 1;
            r[w + 4] = 0;
            r[w + 5] = 0;
            r[w + 6] = (byte) (TTL >>> 8);
            r[w + 7] = (byte) TTL;
            r[w + 8] = 0;
            r[w + 9] = 4;
            int bits = order[i];
            r[w + 10] = (byte) (bits >>> 24);
            r[w + 11] = (byte) (bits >>> 16);
            r[w + 12] = (byte) (bits >>> 8);
            r[w + 13] = (byte) bits;
            w += 14;
        }
        return r;
    }

    private int[] shuffled(int[] addrs) {
        int[] o = addrs.clone();
        synchronized (shuffle) {
            for (int i = o.length - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int t = o[i];
                o[i] = o[j];
                o[j] = t;
            }
        }
        return o;
    }

    // ---------------------------------------------------------------- general path

    /** Outcome of the local part: an answer, or the parsed query to forward. */
    private static final class Local {
        byte[] answer;
        Message query;
        int limit;
    }

    private Local local(byte[] q, int off, int len, DnsIndex index, DnsIndex.Asker a, DnsProto proto, int maxUdp) {
        Local out = new Local();
        int flags = q[off + 2] & 0xff;
        if ((flags & 0x80) != 0) {
            stats.droppedResponse.incrementAndGet();
            return null;
        }
        int opcode = (flags >>> 3) & 0x0f;
        if (opcode != 0) {
            stats.notimp.incrementAndGet();
            out.answer = DnsWire.headerOnlyReply(q, off, Rcode.NOTIMP);
            return out;
        }
        if (DnsWire.u16(q, off + 4) != 1 || DnsWire.u16(q, off + 6) > 1 || DnsWire.u16(q, off + 8) > 1
                || DnsWire.u16(q, off + 10) > 2) {
            stats.formerr.incrementAndGet();
            out.answer = DnsWire.headerOnlyReply(q, off, Rcode.FORMERR);
            return out;
        }
        Message m;
        try {
            m = new Message(ByteBuffer.wrap(q, off, len));
        } catch (IOException | RuntimeException e) {
            stats.formerr.incrementAndGet();
            out.answer = DnsWire.headerOnlyReply(q, off, Rcode.FORMERR);
            return out;
        }
        Record question = m.getQuestion();
        if (question == null) {
            stats.formerr.incrementAndGet();
            out.answer = DnsWire.headerOnlyReply(q, off, Rcode.FORMERR);
            return out;
        }
        OPTRecord opt = m.getOPT();
        int limit = proto == DnsProto.TCP ? DnsWire.MAX_MESSAGE
                : DnsWire.udpLimit(opt == null ? 0 : opt.getPayloadSize(), maxUdp);
        out.limit = limit;
        out.query = m;
        if (a == null) {
            stats.unknownAsker.incrementAndGet();
            out.answer = rcodeOnly(m, Rcode.REFUSED, limit);
            return out;
        }
        Name qname = question.getName();
        String text = qname.toString(true);
        int type = question.getType();
        Message r = null;
        if (type == Type.PTR) {
            String lowerText = text.toLowerCase(java.util.Locale.ROOT);
            if (!lowerText.endsWith(".in-addr.arpa") && !lowerText.endsWith(".ip6.arpa")) {
                // moby: "invalid PTR query" is an error, answered SERVFAIL
                out.answer = rcodeOnly(m, Rcode.SERVFAIL, limit);
                stats.servfail.incrementAndGet();
                return out;
            }
            long addr = reverseAddress(text);
            String target = addr < 0 ? null : index.reverse(a, (int) addr);
            if (target != null) {
                try {
                    r = DnsWire.replyTo(m);
                    r.addRecord(new PTRRecord(qname, DClass.IN, TTL, Name.fromString(target + ".")), Section.ANSWER);
                } catch (TextParseException e) {
                    r = null;
                }
            }
        } else if (type == Type.A || type == Type.AAAA || type == Type.MX || emptyForKnownNames) {
            int[] addrs = index.resolve(a, text);
            if (addrs != null) {
                r = DnsWire.replyTo(m);
                if (type == Type.A) {
                    int[] order = addrs.length > 1 ? shuffled(addrs) : addrs;
                    for (int bits : order) {
                        r.addRecord(new ARecord(qname, DClass.IN, TTL, inet(bits)), Section.ANSWER);
                    }
                }
            }
        }
        if (r != null) {
            stats.answeredLocally.incrementAndGet();
            byte[] w = DnsWire.toWireTruncated(r, limit);
            if ((w[2] & 0x02) != 0) {
                stats.truncated.incrementAndGet();
            }
            out.answer = w;
        }
        return out;
    }

    private void general(byte[] q, int off, int len, DnsIndex index, DnsIndex.Asker a, DnsProto proto, int maxUdp,
                         ReplySink sink) {
        Local local = local(q, off, len, index, a, proto, maxUdp);
        if (local == null) {
            return;
        }
        if (local.answer != null) {
            sink.reply(local.answer);
            return;
        }
        Message m = local.query;
        int limit = local.limit;
        List<Upstream> ups = upstreams(index.upstreamsFor(a));
        if (forwarder == null || ups.isEmpty()) {
            stats.servfail.incrementAndGet();
            sink.reply(rcodeOnly(m, Rcode.SERVFAIL, limit));
            return;
        }
        byte[] copy = new byte[len];
        System.arraycopy(q, off, copy, 0, len);
        stats.forwarded.incrementAndGet();
        boolean accepted = forwarder.forward(copy, ups, proto, reply -> {
            if (reply == null) {
                stats.servfail.incrementAndGet();
                sink.reply(rcodeOnly(m, Rcode.SERVFAIL, limit));
            } else {
                sink.reply(reply); // passed on verbatim, as moby does
            }
        });
        if (!accepted) {
            stats.forwardOverflow.incrementAndGet();
            sink.reply(rcodeOnly(m, Rcode.REFUSED, limit));
        }
    }

    /**
     * miekg/dns {@code new(Msg).SetRcode(query, rcode)}: the question, id, opcode, RD and CD copied,
     * QR set, RA clear (so dig warns "recursion requested but not available").
     */
    private static byte[] rcodeOnly(Message m, int rcode, int limit) {
        Message r = DnsWire.replyTo(m);
        r.getHeader().unsetFlag(org.xbill.DNS.Flags.RA);
        r.getHeader().setRcode(rcode);
        return DnsWire.toWireTruncated(r, limit);
    }

    private static List<Upstream> upstreams(List<String> servers) {
        List<Upstream> out = new ArrayList<>(servers.size());
        for (String s : servers) {
            try {
                out.add(Upstream.parse(s));
            } catch (RuntimeException e) {
                // an unparseable server is skipped, as Docker skips invalid nameserver entries
            }
        }
        return out;
    }

    static InetAddress inet(int bits) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The address of {@code d.c.b.a.in-addr.arpa}, or -1 when the name is not a full IPv4 reverse name. */
    static long reverseAddress(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (!n.endsWith(".in-addr.arpa")) {
            return -1;
        }
        String[] parts = n.substring(0, n.length() - ".in-addr.arpa".length()).split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long bits = 0;
        for (int i = 3; i >= 0; i--) {
            String s = parts[i];
            if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(Character::isDigit)) {
                return -1;
            }
            int v = Integer.parseInt(s);
            if (v > 255) {
                return -1;
            }
            bits = (bits << 8) | v;
        }
        return bits;
    }
}
