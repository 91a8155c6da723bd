package dev.simnet.dns.stub;

import dev.simnet.dns.DnsProto;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Prints an {@link Exchange} the way BIND 9.18's {@code dig} does: the banner, header and flags,
 * the OPT pseudo-section, each section with BIND's tab columns (owner to column 24, TTL to 32,
 * class to 40, type to 48; a single space when a column is already passed), and the statistics
 * footer. Variable parts (query time, date) come from the simulation's values, never a clock.
 */
public final class DigRenderer {
    /** The version string the real dig in our reference image prints. */
    public static final String DEFAULT_VERSION = "9.18.49-1~deb12u3-Debian";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss zzz yyyy", Locale.US);

    private DigRenderer() {
    }

    /**
     * The full dig output.
     *
     * @param version     dig's version string
     * @param argsText    the command line after {@code dig} as the user typed it
     * @param serverGiven true when {@code @server} was given (dig then prints "(1 server found)")
     * @param ex          the exchange
     * @param whenEpochMillis the simulation's wall-clock time of the answer, for ";; WHEN:"
     * @param zone        the time zone for ";; WHEN:"
     */
    public static String render(String version, String argsText, boolean serverGiven, Exchange ex, long whenEpochMillis,
                                ZoneId zone) {
        StringBuilder sb = new StringBuilder();
        if (!ex.answered()) {
            for (String e : ex.events()) {
                sb.append(";; communications error to ").append(e.replace(" timed out", ": timed out")
                        .replace(" connection refused", ": connection refused")).append('\n');
            }
        } else if (ex.tcpRetry()) {
            sb.append(";; Truncated, retrying in TCP mode.\n");
        }
        sb.append('\n').append("; <<>> DiG ").append(version).append(" <<>> ").append(argsText).append('\n');
        if (serverGiven) {
            sb.append("; (1 server found)\n");
        }
        sb.append(";; global options: +cmd\n");
        if (!ex.answered()) {
            sb.append(";; no servers could be reached\n");
            return sb.toString();
        }
        Message m = ex.response();
        sb.append(";; Got answer:\n");
        sb.append(";; ->>HEADER<<- opcode: ").append(Opcode.string(m.getHeader().getOpcode()))
                .append(", status: ").append(Rcode.string(m.getRcode())).append(", id: ").append(m.getHeader().getID()).append('\n');
        sb.append(";; flags:");
        int[] flags = {Flags.QR, Flags.AA, Flags.TC, Flags.RD, Flags.RA, Flags.AD, Flags.CD};
        String[] names = {"qr", "aa", "tc", "rd", "ra", "ad", "cd"};
        for (int i = 0; i < flags.length; i++) {
            if (m.getHeader().getFlag(flags[i])) {
                sb.append(' ').append(names[i]);
            }
        }
        sb.append("; QUERY: ").append(m.getHeader().getCount(Section.QUESTION))
                .append(", ANSWER: ").append(m.getHeader().getCount(Section.ANSWER))
                .append(", AUTHORITY: ").append(m.getHeader().getCount(Section.AUTHORITY))
                .append(", ADDITIONAL: ").append(m.getHeader().getCount(Section.ADDITIONAL)).append('\n');
        if (ex.query() != null && ex.query().getHeader().getFlag(Flags.RD) && !m.getHeader().getFlag(Flags.RA)) {
            sb.append(";; WARNING: recursion requested but not available\n");
        }
        sb.append('\n');
        OPTRecord opt = m.getOPT();
        if (opt != null) {
            sb.append(";; OPT PSEUDOSECTION:\n; EDNS: version: ").append(opt.getVersion()).append(", flags:");
            if ((opt.getFlags() & 0x8000) != 0) {
                sb.append(" do");
            }
            sb.append("; udp: ").append(opt.getPayloadSize()).append('\n');
        }
        List<Record> question = m.getSection(Section.QUESTION);
        if (!question.isEmpty()) {
            sb.append(";; QUESTION SECTION:\n");
            for (Record q : question) {
                int[] col = {0};
                String n = ";" + q.getName().toString();
                sb.append(n);
                col[0] = n.length();
                indent(sb, col, 32);
                put(sb, col, DClass.string(q.getDClass()));
                indent(sb, col, 40);
                put(sb, col, Type.string(q.getType()));
                sb.append('\n');
            }
            sb.append('\n');
        }
        section(sb, m, Section.ANSWER, ";; ANSWER SECTION:");
        section(sb, m, Section.AUTHORITY, ";; AUTHORITY SECTION:");
        section(sb, m, Section.ADDITIONAL, ";; ADDITIONAL SECTION:");
        sb.append(";; Query time: ").append(ex.queryTimeMillis()).append(" msec\n");
        String host = ex.server().host();
        sb.append(";; SERVER: ").append(host).append('#').append(ex.server().port()).append('(').append(host).append(") (")
                .append(ex.proto() == DnsProto.TCP ? "TCP" : "UDP").append(")\n");
        sb.append(";; WHEN: ").append(WHEN.format(Instant.ofEpochMilli(whenEpochMillis).atZone(zone))).append('\n');
        sb.append(";; MSG SIZE  rcvd: ").append(ex.wire().length).append('\n');
        sb.append('\n');
        return sb.toString();
    }

    /** {@code dig +short}: the rdata of each answer record, one per line. */
    public static String renderShort(Exchange ex) {
        StringBuilder sb = new StringBuilder();
        if (!ex.answered()) {
            for (String e : ex.events()) {
                sb.append(";; communications error to ").append(e.replace(" timed out", ": timed out")).append('\n');
            }
            sb.append(";; no servers could be reached\n");
            return sb.toString();
        }
        for (Record r : ex.response().getSection(Section.ANSWER)) {
            sb.append(rdata(r)).append('\n');
        }
        return sb.toString();
    }

    /** One resource record as dig prints it in a section. */
    public static String recordLine(Record r) {
        StringBuilder sb = new StringBuilder();
        int[] col = {0};
        put(sb, col, r.getName().toString());
        indent(sb, col, 24);
        put(sb, col, Long.toString(r.getTTL()));
        indent(sb, col, 32);
        put(sb, col, DClass.string(r.getDClass()));
        indent(sb, col, 40);
        put(sb, col, Type.string(r.getType()));
        indent(sb, col, 48);
        put(sb, col, rdata(r));
        return sb.toString();
    }

    /** Record data as BIND prints it (IPv6 compressed per RFC 5952, the rest as dnsjava's master-file text). */
    static String rdata(Record r) {
        if (r instanceof org.xbill.DNS.AAAARecord a) {
            return NslookupRenderer.ipv6(a);
        }
        return r.rdataToString();
    }

    private static void section(StringBuilder sb, Message m, int section, String title) {
        List<Record> recs = m.getSection(section);
        boolean any = false;
        for (Record r : recs) {
            if (r.getType() == Type.OPT) {
                continue;
            }
            if (!any) {
                sb.append(title).append('\n');
                any = true;
            }
            sb.append(recordLine(r)).append('\n');
        }
        if (any) {
            sb.append('\n');
        }
    }

    private static void put(StringBuilder sb, int[] col, String s) {
        sb.append(s);
        col[0] += s.length();
    }

    /** BIND's masterdump {@code indent()}: tabs to column {@code to}, or one space when already there. */
    private static void indent(StringBuilder sb, int[] col, int to) {
        if (col[0] >= to) {
            sb.append(' ');
            col[0]++;
            return;
        }
        int tabs = to / 8 - col[0] / 8;
        for (int i = 0; i < tabs; i++) {
            sb.append('\t');
        }
        col[0] = to;
    }
}
