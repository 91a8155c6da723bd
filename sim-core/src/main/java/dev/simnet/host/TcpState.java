package dev.simnet.host;

/**
 * TCP connection states of RFC 793 (Linux {@code include/net/tcp_states.h}), with the names
 * {@code ss} and {@code netstat} print.
 */
public enum TcpState {
    /** No connection. */
    CLOSED("UNCONN", "CLOSE"),
    /** Waiting for connection requests. */
    LISTEN("LISTEN", "LISTEN"),
    /** SYN sent, waiting for SYN-ACK. */
    SYN_SENT("SYN-SENT", "SYN_SENT"),
    /** SYN received and SYN-ACK sent, waiting for the final ACK. */
    SYN_RECV("SYN-RECV", "SYN_RECV"),
    /** Open; data flows both ways. */
    ESTABLISHED("ESTAB", "ESTABLISHED"),
    /** We closed and sent FIN; waiting for its ACK (or the peer's FIN). */
    FIN_WAIT_1("FIN-WAIT-1", "FIN_WAIT1"),
    /** Our FIN was acknowledged; waiting for the peer's FIN. */
    FIN_WAIT_2("FIN-WAIT-2", "FIN_WAIT2"),
    /** The peer closed; waiting for our application to close. */
    CLOSE_WAIT("CLOSE-WAIT", "CLOSE_WAIT"),
    /** Both sides sent FIN at once; waiting for the ACK of ours. */
    CLOSING("CLOSING", "CLOSING"),
    /** We closed after the peer did; waiting for the ACK of our FIN. */
    LAST_ACK("LAST-ACK", "LAST_ACK"),
    /** Both FINs acknowledged; lingering 60 s (TCP_TIMEWAIT_LEN) to absorb stray segments. */
    TIME_WAIT("TIME-WAIT", "TIME_WAIT");

    private final String ssName;
    private final String netstatName;

    TcpState(String ssName, String netstatName) {
        this.ssName = ssName;
        this.netstatName = netstatName;
    }

    /** The state as {@code ss} prints it ({@code ESTAB}, {@code TIME-WAIT}). */
    public String ssName() {
        return ssName;
    }

    /** The state as {@code netstat} prints it ({@code ESTABLISHED}, {@code TIME_WAIT}). */
    public String netstatName() {
        return netstatName;
    }

    /** True once a SYN has been exchanged both ways and before the connection is gone. */
    boolean synchronizedState() {
        return this != CLOSED && this != LISTEN && this != SYN_SENT && this != SYN_RECV;
    }
}
