package dev.simnet.dns.stub;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * Prints lookups the way BIND 9.18's {@code nslookup} does: the "Server:/Address:" banner, then
 * for a name the A answer followed by the AAAA answer ("Non-authoritative answer:" unless AA is
 * set, CNAMEs as "canonical name ="), "** server can't find NAME: NXDOMAIN", and for a reverse
 * lookup the PTR lines followed by "Authoritative answers can be found from:".
 */
public final class NslookupRenderer {
    /** Text and exit code. */
    public record Output(String text, int exitCode) {
    }

    private NslookupRenderer() {
    }

    private static String banner(Exchange ex) {
        String host = ex.server().host();
        return "Server:\t\t" + host + "\nAddress:\t" + host + "#" + ex.server().port() + "\n\n";
    }

    /**
     * A forward lookup of {@code name}: {@code exchanges} are the queries nslookup made in order (A
     * then AAAA for a plain lookup, or the one {@code -type=} query).
     */
    public static Output render(String name, List<Exchange> exchanges) {
        StringBuilder sb = new StringBuilder();
        Exchange first = exchanges.get(0);
        if (!first.answered()) {
            return unreachable(first);
        }
        if (first.response().getRcode() == Rcode.SERVFAIL) {
            sb.append(";; Got SERVFAIL reply from ").append(first.server().host()).append('\n');
        }
        sb.append(banner(first));
        boolean headerDone = false;
        boolean anyAnswer = false;
        java.util.Set<String> printedCnames = new java.util.HashSet<>();
        for (Exchange ex : exchanges) {
            if (!ex.answered()) {
                continue;
            }
            Message m = ex.response();
            int rcode = m.getRcode();
            if (rcode != Rcode.NOERROR) {
                sb.append("** server can't find ").append(stripDot(name)).append(": ").append(Rcode.string(rcode)).append('\n');
                sb.append('\n');
                return new Output(sb.toString(), 1);
            }
            List<Record> ans = m.getSection(Section.ANSWER);
            if (ans.isEmpty()) {
                continue;
            }
            if (!headerDone && !m.getHeader().getFlag(Flags.AA)) {
                sb.append("Non-authoritative answer:\n");
            }
            headerDone = true;
            anyAnswer = true;
            for (Record r : ans) {
                String l = line(r);
                if (r instanceof CNAMERecord && !printedCnames.add(l)) {
                    continue;
                }
                sb.append(l);
            }
        }
        if (!anyAnswer) {
            Message m = first.response();
            if (!m.getHeader().getFlag(Flags.AA)) {
                sb.append("Non-authoritative answer:\n");
            }
            sb.append("*** Can't find ").append(stripDot(name)).append(": No answer\n");
        }
        sb.append('\n');
        return new Output(sb.toString(), 0);
    }

    /** A reverse lookup ({@code nslookup 172.18.0.3}). */
    public static Output renderReverse(Exchange ex) {
        if (!ex.answered()) {
            return unreachable(ex);
        }
        Message m = ex.response();
        if (m.getRcode() != Rcode.NOERROR) {
            String q = m.getQuestion() == null ? "" : stripDot(m.getQuestion().getName().toString());
            return new Output("** server can't find " + q + ": " + Rcode.string(m.getRcode()) + "\n\n", 1);
        }
        StringBuilder sb = new StringBuilder();
        for (Record r : m.getSection(Section.ANSWER)) {
            sb.append(line(r));
        }
        sb.append('\n');
        if (!m.getHeader().getFlag(Flags.AA)) {
            sb.append("Authoritative answers can be found from:\n\n");
        }
        return new Output(sb.toString(), 0);
    }

    /** nslookup 9.18 when no server answered: one line per failed try, then the summary. */
    static Output unreachable(Exchange ex) {
        StringBuilder sb = new StringBuilder();
        for (String e : ex.events()) {
            sb.append(";; communications error to ").append(e.replace(" timed out", ": timed out")
                    .replace(" connection refused", ": connection refused")).append('\n');
        }
        sb.append(";; no servers could be reached\n\n");
        return new Output(sb.toString(), 1);
    }

    /** One answer record as nslookup prints it. */
    public static String line(Record r) {
        String owner = stripDot(r.getName().toString());
        if (r instanceof ARecord a) {
            return "Name:\t" + owner + "\nAddress: " + a.getAddress().getHostAddress() + "\n";
        }
        if (r instanceof AAAARecord a) {
            return "Name:\t" + owner + "\nAddress: " + ipv6(a) + "\n";
        }
        if (r instanceof CNAMERecord c) {
            return owner + "\tcanonical name = " + c.getTarget() + "\n";
        }
        if (r instanceof PTRRecord p) {
            return owner + "\tname = " + p.getTarget() + "\n";
        }
        if (r instanceof MXRecord mx) {
            return owner + "\tmail exchanger = " + mx.getPriority() + " " + mx.getTarget() + "\n";
        }
        if (r instanceof NSRecord ns) {
            return owner + "\tnameserver = " + ns.getTarget() + "\n";
        }
        if (r instanceof TXTRecord t) {
            List<String> parts = new ArrayList<>();
            for (String s : t.getStrings()) {
                parts.add("\"" + s + "\"");
            }
            return owner + "\ttext = " + String.join(" ", parts) + "\n";
        }
        if (r instanceof SOARecord s) {
            return owner + "\n\torigin = " + stripDot(s.getHost().toString()) + "\n\tmail addr = "
                    + stripDot(s.getAdmin().toString()) + "\n\tserial = " + s.getSerial() + "\n\trefresh = " + s.getRefresh()
                    + "\n\tretry = " + s.getRetry() + "\n\texpire = " + s.getExpire() + "\n\tminimum = " + s.getMinimum() + "\n";
        }
        return owner + "\trdata_" + r.getType() + " = " + r.rdataToString() + "\n";
    }

    /** IPv6 text in RFC 5952 compressed form, as nslookup prints it. */
    static String ipv6(AAAARecord a) {
        byte[] b = a.getAddress().getAddress();
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] == 0) {
                int j = i;
                while (j < 8 && w[j] == 0) {
                    j++;
                }
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }

    private static String stripDot(String s) {
        return s.endsWith(".") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
    }
}
