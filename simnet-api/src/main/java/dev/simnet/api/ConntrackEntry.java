package dev.simnet.api;

/**
 * A connection-tracking entry, as {@code conntrack -L} lists it.
 *
 * @param protocol         {@code tcp}, {@code udp} or {@code icmp}
 * @param tcpState         the TCP state ({@code ESTABLISHED}, {@code TIME_WAIT}…), null for other protocols
 * @param original         the original direction
 * @param reply            the expected reply direction (differs from the reversed original when NAT applied)
 * @param seenReply        a reply has been seen
 * @param assured          the entry is assured
 * @param sourceNat        source NAT (masquerade, SNAT) applies
 * @param destinationNat   destination NAT (published port, DNAT) applies
 * @param expiresInSeconds remaining lifetime in whole seconds
 */
public record ConntrackEntry(String protocol, String tcpState, FlowTuple original, FlowTuple reply, boolean seenReply,
                             boolean assured, boolean sourceNat, boolean destinationNat, long expiresInSeconds) {
}
