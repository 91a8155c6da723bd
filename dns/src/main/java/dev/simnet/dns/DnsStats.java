package dev.simnet.dns;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one DNS server: what was answered, forwarded, rejected or dropped, and why. */
public final class DnsStats {
    /** Queries received. */
    public final AtomicLong queries = new AtomicLong();
    /** Answered from the record set. */
    public final AtomicLong answeredLocally = new AtomicLong();
    /** Sent to an upstream. */
    public final AtomicLong forwarded = new AtomicLong();
    /** Answered SERVFAIL because no upstream answered or none was configured. */
    public final AtomicLong servfail = new AtomicLong();
    /** Answered FORMERR. */
    public final AtomicLong formerr = new AtomicLong();
    /** Answered NOTIMP (opcode other than QUERY). */
    public final AtomicLong notimp = new AtomicLong();
    /** Dropped without answer: shorter than a header. */
    public final AtomicLong droppedShort = new AtomicLong();
    /** Dropped without answer: QR bit set (a response sent to the server). */
    public final AtomicLong droppedResponse = new AtomicLong();
    /** Refused because the pending-forward table was full (answered SERVFAIL, not queued). */
    public final AtomicLong forwardOverflow = new AtomicLong();
    /** Answers cut to fit UDP (TC set). */
    public final AtomicLong truncated = new AtomicLong();
    /** Queries from an asker that is not a running container (answered REFUSED). */
    public final AtomicLong unknownAsker = new AtomicLong();

    /** Total queries dropped without any answer. */
    public long dropped() {
        return droppedShort.get() + droppedResponse.get();
    }

    @Override
    public String toString() {
        return "queries=" + queries + " local=" + answeredLocally + " forwarded=" + forwarded + " servfail=" + servfail
                + " formerr=" + formerr + " notimp=" + notimp + " droppedShort=" + droppedShort + " droppedResponse="
                + droppedResponse + " forwardOverflow=" + forwardOverflow + " truncated=" + truncated
                + " unknownAsker=" + unknownAsker;
    }
}
