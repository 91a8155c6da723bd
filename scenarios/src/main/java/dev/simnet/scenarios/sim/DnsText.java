package dev.simnet.scenarios.sim;

import java.io.IOException;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** One-line descriptions of DNS messages for {@code simnet trace}. */
public final class DnsText {
    private DnsText() {
    }

    /** {@code query A nginx_b.} or {@code answer NOERROR nginx_b. A 172.18.0.3}. */
    public static String describe(byte[] b, int off, int len) {
        try {
            byte[] m = off == 0 && len == b.length ? b : java.util.Arrays.copyOfRange(b, off, off + len);
            Message msg = new Message(m);
            Record q = msg.getQuestion();
            String qs = q == null ? "?" : Type.string(q.getType()) + " " + q.getName();
            if (!msg.getHeader().getFlag(org.xbill.DNS.Flags.QR)) {
                return "query id " + msg.getHeader().getID() + " " + qs;
            }
            StringBuilder sb = new StringBuilder("answer id " + msg.getHeader().getID() + " " + Rcode.string(msg.getRcode()) + " " + qs);
            for (Record r : msg.getSection(Section.ANSWER)) {
                sb.append(" → ").append(r.rdataToString());
            }
            return sb.toString();
        } catch (IOException | RuntimeException e) {
            return len + " bytes (not DNS)";
        }
    }
}
