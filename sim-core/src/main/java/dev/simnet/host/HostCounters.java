package dev.simnet.host;

/**
 * The host stack's SNMP-style counters ({@code /proc/net/snmp} and {@code netstat -s} names in
 * the comments). Read-only for callers; the stack updates them.
 */
public final class HostCounters {
    long tcpInSegs;
    long tcpOutSegs;
    long tcpRetransSegs;
    long tcpOutRsts;
    long tcpInErrs;
    long tcpActiveOpens;
    long tcpPassiveOpens;
    long tcpAttemptFails;
    long tcpEstabResets;
    long tcpListenOverflows;
    long tcpFastRetrans;
    long tcpTimeouts;
    long udpInDatagrams;
    long udpOutDatagrams;
    long udpNoPorts;
    long udpInErrors;
    long udpRcvbufErrors;
    long icmpOutDestUnreachs;
    long icmpInEchoReps;
    long icmpRateLimited;
    long inCsumErrors;
    long malformed;

    /** Tcp: InSegs. */
    public long tcpInSegs() {
        return tcpInSegs;
    }

    /** Tcp: OutSegs (retransmissions excluded, as Linux counts). */
    public long tcpOutSegs() {
        return tcpOutSegs;
    }

    /** Tcp: RetransSegs. */
    public long tcpRetransSegs() {
        return tcpRetransSegs;
    }

    /** Tcp: OutRsts. */
    public long tcpOutRsts() {
        return tcpOutRsts;
    }

    /** Tcp: InErrs (bad checksum or header). */
    public long tcpInErrs() {
        return tcpInErrs;
    }

    /** Tcp: ActiveOpens. */
    public long tcpActiveOpens() {
        return tcpActiveOpens;
    }

    /** Tcp: PassiveOpens. */
    public long tcpPassiveOpens() {
        return tcpPassiveOpens;
    }

    /** Tcp: AttemptFails. */
    public long tcpAttemptFails() {
        return tcpAttemptFails;
    }

    /** Tcp: EstabResets. */
    public long tcpEstabResets() {
        return tcpEstabResets;
    }

    /** TcpExt: ListenOverflows (SYNs or final ACKs dropped because the accept queue was full). */
    public long tcpListenOverflows() {
        return tcpListenOverflows;
    }

    /** TcpExt: TCPFastRetrans. */
    public long tcpFastRetrans() {
        return tcpFastRetrans;
    }

    /** TcpExt: TCPTimeouts (retransmission timer expiries). */
    public long tcpTimeouts() {
        return tcpTimeouts;
    }

    /** Udp: InDatagrams. */
    public long udpInDatagrams() {
        return udpInDatagrams;
    }

    /** Udp: OutDatagrams. */
    public long udpOutDatagrams() {
        return udpOutDatagrams;
    }

    /** Udp: NoPorts. */
    public long udpNoPorts() {
        return udpNoPorts;
    }

    /** Udp: InErrors. */
    public long udpInErrors() {
        return udpInErrors;
    }

    /** Udp: RcvbufErrors (datagrams dropped because a receive queue was full). */
    public long udpRcvbufErrors() {
        return udpRcvbufErrors;
    }

    /** Icmp: OutDestUnreachs. */
    public long icmpOutDestUnreachs() {
        return icmpOutDestUnreachs;
    }

    /** ICMP errors not sent because of {@code icmp_ratelimit} / {@code icmp_msgs_per_sec}. */
    public long icmpRateLimited() {
        return icmpRateLimited;
    }

    /** Icmp: InEchoReps. */
    public long icmpInEchoReps() {
        return icmpInEchoReps;
    }

    /** InCsumErrors over TCP and UDP. */
    public long inCsumErrors() {
        return inCsumErrors;
    }

    /** Segments or datagrams dropped for a malformed header. */
    public long malformed() {
        return malformed;
    }
}
