package dev.simnet.netfilter.conntrack;

/**
 * The kernel's TCP conntrack states (nf_conntrack_tcp.h) with their default timeouts in seconds
 * (Documentation/networking/nf_conntrack-sysctl.rst).
 */
public enum TcpState {
    /** Before any packet. */
    NONE(0),
    /** SYN seen in the original direction. */
    SYN_SENT(120),
    /** SYN/ACK seen in reply. */
    SYN_RECV(60),
    /** Three-way handshake complete. */
    ESTABLISHED(432000),
    /** FIN seen. */
    FIN_WAIT(120),
    /** FIN seen in one direction, ACKed. */
    CLOSE_WAIT(60),
    /** FIN seen both ways, last ACK pending. */
    LAST_ACK(30),
    /** Closed cleanly. */
    TIME_WAIT(120),
    /** Reset. */
    CLOSE(10),
    /** Simultaneous open: SYN seen in both directions. */
    SYN_SENT2(120);

    /** The "unacknowledged" timeout (data sent, not yet acked): 300 s. */
    public static final long UNACK_TIMEOUT_S = 300;

    private final long timeoutSeconds;

    TcpState(long timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Default timeout of this state in seconds. */
    public long timeoutSeconds() {
        return timeoutSeconds;
    }

    static final TcpState[] VALUES = values();
}
