package dev.simnet.dns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A small authoritative DNS server (no recursion, RA clear, AA set on its own data) serving one or
 * more zones of A, AAAA, CNAME, MX, TXT, NS, SOA and PTR records: the "internet" upstream of the
 * simulator and of tests. Names under a zone it does not hold get NXDOMAIN with the SOA in the
 * authority section (RFC 2308), names with no record of the asked type NOERROR with the SOA,
 * CNAMEs are followed inside the zone, and names outside every zone are REFUSED. Replies to EDNS
 * queries carry an OPT record (payload 1232); UDP answers are cut to size with TC set.
 */
public final class AuthoritativeServer implements DnsHandler {
    /** EDNS payload size announced in replies. */
    public static final int EDNS_PAYLOAD = 1232;

    /** One zone: its origin, SOA and records by owner name. */
    public static final class Zone {
        private final Name origin;
        private final SOARecord soa;
        private final Map<Name, List<Record>> byName = new HashMap<>();

        /** A zone from records; one of them must be the SOA at {@code origin}. */
        public Zone(Name origin, List<Record> records) {
            this.origin = origin;
            SOARecord s = null;
            for (Record r : records) {
                if (!r.getName().subdomain(origin)) {
                    throw new IllegalArgumentException("record " + r + " is outside zone " + origin);
                }
                byName.computeIfAbsent(r.getName(), k -> new ArrayList<>()).add(r);
                if (r instanceof SOARecord so && r.getName().equals(origin)) {
                    s = so;
                }
            }
            if (s == null) {
                throw new IllegalArgumentException("zone " + origin + " has no SOA record");
            }
            this.soa = s;
        }

        /** Parses a master file (RFC 1035 section 5) with {@code $ORIGIN} defaulting to {@code origin}. */
        public static Zone parse(String origin, String masterFile) {
            try {
                Name o = Name.fromString(origin.endsWith(".") ? origin : origin + ".");
                List<Record> recs = new ArrayList<>();
                try (Master m = new Master(new ByteArrayInputStream(masterFile.getBytes(StandardCharsets.UTF_8)), o, 3600)) {
                    Record r;
                    while ((r = m.nextRecord()) != null) {
                        recs.add(r);
                    }
                }
                return new Zone(o, recs);
            } catch (IOException e) {
                throw new IllegalArgumentException("bad zone file for " + origin + ": " + e.getMessage(), e);
            }
        }

        /** The zone's origin. */
        public Name origin() {
            return origin;
        }

        /** Every record of the zone. */
        public List<Record> records() {
            List<Record> all = new ArrayList<>();
            byName.values().forEach(all::addAll);
            return all;
        }
    }

    private final List<Zone> zones;
    private final DnsStats stats = new DnsStats();

    /** A server for {@code zones}. */
    public AuthoritativeServer(List<Zone> zones) {
        this.zones = List.copyOf(zones);
    }

    /**
     * {@code auth} seen as a recursive resolver's answers (the internet's upstream in both backends):
     * RA set and AA cleared on every reply.
     */
    public static DnsHandler asRecursive(DnsHandler auth) {
        return (q, off, len, asker, proto, max, sink) -> auth.handle(q, off, len, asker, proto, max, reply -> {
            if (reply.length >= 4) {
                reply[2] &= (byte) ~0x04;
                reply[3] |= (byte) 0x80;
            }
            sink.reply(reply);
        });
    }

    /** The counters. */
    public DnsStats stats() {
        return stats;
    }

    @Override
    public void handle(byte[] query, int offset, int length, String asker, DnsProto proto, int maxUdpSize, ReplySink sink) {
        byte[] a = answer(query, offset, length, proto, maxUdpSize);
        if (a != null) {
            sink.reply(a);
        }
    }

    /** The answer to one query, or null when it is dropped (shorter than a header, or QR set). */
    public byte[] answer(byte[] q, int off, int len, DnsProto proto, int maxUdpSize) {
        stats.queries.incrementAndGet();
        if (len < 12) {
            stats.droppedShort.incrementAndGet();
            return null;
        }
        if ((q[off + 2] & 0x80) != 0) {
            stats.droppedResponse.incrementAndGet();
            return null;
        }
        if (((q[off + 2] >>> 3) & 0x0f) != 0) {
            stats.notimp.incrementAndGet();
            return noRa(DnsWire.headerOnlyReply(q, off, Rcode.NOTIMP));
        }
        Message m;
        try {
            m = new Message(ByteBuffer.wrap(q, off, len));
        } catch (IOException | RuntimeException e) {
            stats.formerr.incrementAndGet();
            return noRa(DnsWire.headerOnlyReply(q, off, Rcode.FORMERR));
        }
        Record question = m.getQuestion();
        if (question == null || m.getHeader().getCount(Section.QUESTION) != 1) {
            stats.formerr.incrementAndGet();
            return noRa(DnsWire.headerOnlyReply(q, off, Rcode.FORMERR));
        }
        OPTRecord opt = m.getOPT();
        int limit = proto == DnsProto.TCP ? DnsWire.MAX_MESSAGE
                : DnsWire.udpLimit(opt == null ? 0 : Math.min(opt.getPayloadSize(), EDNS_PAYLOAD), maxUdpSize);
        Message r = DnsWire.replyTo(m);
        r.getHeader().unsetFlag(Flags.RA);
        resolve(question.getName(), question.getType(), r);
        if (opt != null) {
            r.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        stats.answeredLocally.incrementAndGet();
        return DnsWire.toWire(r, limit);
    }

    private static byte[] noRa(byte[] h) {
        h[3] &= 0x7f;
        return h;
    }

    private Zone zoneFor(Name name) {
        Zone best = null;
        for (Zone z : zones) {
            if (name.subdomain(z.origin) && (best == null || z.origin.labels() > best.origin.labels())) {
                best = z;
            }
        }
        return best;
    }

    private void resolve(Name qname, int qtype, Message r) {
        Zone z = zoneFor(qname);
        if (z == null) {
            r.getHeader().setRcode(Rcode.REFUSED);
            return;
        }
        r.getHeader().setFlag(Flags.AA);
        Name name = qname;
        for (int hops = 0; hops < 8; hops++) {
            List<Record> recs = z.byName.get(name);
            if (recs == null) {
                if (!hasDescendant(z, name)) {
                    r.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                r.addRecord(z.soa, Section.AUTHORITY);
                return;
            }
            boolean any = false;
            CNAMERecord cname = null;
            for (Record rec : recs) {
                if (rec.getType() == qtype || qtype == Type.ANY) {
                    r.addRecord(rec.withName(qname.equals(name) ? qname : name), Section.ANSWER);
                    any = true;
                } else if (rec instanceof CNAMERecord c) {
                    cname = c;
                }
            }
            if (any) {
                return;
            }
            if (cname == null) {
                r.addRecord(z.soa, Section.AUTHORITY);
                return;
            }
            r.addRecord(name.equals(qname) ? cname.withName(qname) : cname, Section.ANSWER);
            name = cname.getTarget();
            Zone next = zoneFor(name);
            if (next == null) {
                return; // target outside our zones: the resolver continues from here
            }
            z = next;
        }
    }

    private static boolean hasDescendant(Zone z, Name name) {
        for (Name n : z.byName.keySet()) {
            if (n.subdomain(name)) {
                return true; // an empty non-terminal: NOERROR, no data
            }
        }
        return false;
    }

}
