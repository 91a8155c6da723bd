package dev.simnet.dns.stub;

import dev.simnet.dns.DnsProto;
import dev.simnet.dns.Upstream;
import java.util.List;
import org.xbill.DNS.Message;

/**
 * The outcome of sending one query (with its retries) to DNS servers: the final response (null
 * when nothing answered), its bytes, which server answered over which transport, when the final
 * query was sent and the answer came (virtual or wall nanoseconds), and what happened on the way
 * ({@code "timed out"}, {@code "truncated"}, {@code "connection refused"}), per try.
 *
 * @param query      the query sent last
 * @param response   the response, or null
 * @param wire       the response bytes, or null
 * @param server     the server that answered (or was tried last)
 * @param proto      transport of the last try
 * @param sentAt     when the answered try was sent
 * @param receivedAt when its answer arrived (or when the last try gave up)
 * @param events     per-try notes in order, e.g. {@code "127.0.0.11#53 timed out"}
 * @param tcpRetry   true when a truncated UDP answer was retried over TCP
 */
public record Exchange(Message query, Message response, byte[] wire, Upstream server, DnsProto proto, long sentAt,
                       long receivedAt, List<String> events, boolean tcpRetry) {
    /** True when some server answered. */
    public boolean answered() {
        return response != null;
    }

    /** Round trip of the answered try, in milliseconds (dig's "Query time"). */
    public long queryTimeMillis() {
        return (receivedAt - sentAt) / 1_000_000L;
    }
}
