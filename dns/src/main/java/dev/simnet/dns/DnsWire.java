package dev.simnet.dns;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Helpers over the DNS wire format (RFC 1035 4.1): header fields read straight from bytes, reply
 * skeletons, answers cut to a size limit with TC set (keeping as many records as fit, as miekg/dns
 * {@code Msg.Truncate} does for Docker), and error answers built from just the 12-byte header.
 */
public final class DnsWire {
    /** The classic UDP limit without EDNS. */
    public static final int UDP_DEFAULT = 512;
    /** Largest DNS message. */
    public static final int MAX_MESSAGE = 65535;

    private DnsWire() {
    }

    /** Reads a 16-bit big-endian value. */
    public static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    /** Writes a 16-bit big-endian value. */
    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    /** An answer with only a header: same id and opcode, QR set, RD copied, RA set, the given rcode, no sections. */
    public static byte[] headerOnlyReply(byte[] q, int off, int rcode) {
        byte[] r = new byte[12];
        r[0] = q[off];
        r[1] = q[off + 1];
        r[2] = (byte) (0x80 | (q[off + 2] & 0x79));
        r[3] = (byte) (0x80 | (rcode & 0x0f));
        return r;
    }

    /** The reply skeleton to {@code q}: id, opcode, RD and CD copied, QR and RA set, the question copied. */
    public static Message replyTo(Message q) {
        Message r = new Message(q.getHeader().getID());
        Header qh = q.getHeader();
        Header h = r.getHeader();
        h.setFlag(Flags.QR);
        h.setOpcode(qh.getOpcode());
        if (qh.getFlag(Flags.RD)) {
            h.setFlag(Flags.RD);
        }
        if (qh.getFlag(Flags.CD)) {
            h.setFlag(Flags.CD);
        }
        h.setFlag(Flags.RA);
        if (q.getQuestion() != null) {
            r.addRecord(q.getQuestion(), Section.QUESTION);
        }
        return r;
    }

    /**
     * The wire form of {@code m} in at most {@code limit} bytes: records are removed from the end
     * (additional, then authority, then answer; an OPT record is kept) until it fits, and TC is set
     * when anything was removed.
     */
    public static byte[] toWire(Message m, int limit) {
        byte[] w = m.toWire();
        if (w.length <= limit) {
            return w;
        }
        Message c = m.clone();
        int[] sections = {Section.ADDITIONAL, Section.AUTHORITY, Section.ANSWER};
        for (int s : sections) {
            Record[] recs = c.getSectionArray(s);
            for (int i = recs.length - 1; i >= 0 && w.length > limit; i--) {
                if (recs[i].getType() == Type.OPT) {
                    continue;
                }
                c.removeRecord(recs[i], s);
                c.getHeader().setFlag(Flags.TC);
                w = c.toWire();
            }
            if (w.length <= limit) {
                return w;
            }
        }
        c.getHeader().setFlag(Flags.TC);
        w = c.toWire();
        if (w.length > limit) {
            byte[] h = new byte[12];
            System.arraycopy(w, 0, h, 0, 12);
            h[2] |= 0x02;
            put16(h, 4, 0);
            put16(h, 6, 0);
            put16(h, 8, 0);
            put16(h, 10, 0);
            return h;
        }
        return w;
    }

    /**
     * miekg/dns {@code Msg.Truncate(limit)} followed by packing, which is what moby does to every
     * locally answered message: if the message fits uncompressed it is sent uncompressed; otherwise
     * it is compressed and as many records as fit are kept (answer, then authority, then
     * additional), with TC set when any was dropped. Limits below 512 count as 512.
     */
    public static byte[] toWireTruncated(Message m, int limit) {
        int max = Math.max(UDP_DEFAULT, limit);
        byte[] plain = uncompressed(m);
        if (plain.length <= max) {
            return plain;
        }
        return toWire(m, max);
    }

    /** The message in wire format without name compression (RFC 1035 4.1.4 not applied). */
    public static byte[] uncompressed(Message m) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(512);
        byte[] h = m.getHeader().toWire();
        out.write(h, 0, h.length);
        for (int s : new int[] {Section.QUESTION, Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : m.getSection(s)) {
                byte[] w = r.toWire(s);
                out.write(w, 0, w.length);
            }
        }
        return out.toByteArray();
    }

    /** {@code reply} if it fits in {@code limit}, else the same message cut to fit with TC set. */
    public static byte[] fit(byte[] reply, int limit) {
        if (reply.length <= limit) {
            return reply;
        }
        try {
            return toWire(new Message(ByteBuffer.wrap(reply)), limit);
        } catch (IOException e) {
            byte[] h = new byte[12];
            System.arraycopy(reply, 0, h, 0, 12);
            h[2] |= 0x02;
            put16(h, 4, 0);
            put16(h, 6, 0);
            put16(h, 8, 0);
            put16(h, 10, 0);
            return h;
        }
    }

    /** The UDP size limit for a query: the EDNS payload size if it announced one (at least 512), capped by the transport. */
    public static int udpLimit(int ednsPayload, int maxUdpSize) {
        int limit = ednsPayload > 0 ? Math.max(UDP_DEFAULT, ednsPayload) : UDP_DEFAULT;
        if (maxUdpSize > 0) {
            limit = Math.min(limit, Math.max(UDP_DEFAULT, maxUdpSize));
        }
        return limit;
    }
}
