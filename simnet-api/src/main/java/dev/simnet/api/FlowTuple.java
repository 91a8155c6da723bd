package dev.simnet.api;

/**
 * One direction of a connection: source and destination address and port (ICMP: id in both ports).
 *
 * @param source          source address
 * @param sourcePort      source port
 * @param destination     destination address
 * @param destinationPort destination port
 */
public record FlowTuple(String source, int sourcePort, String destination, int destinationPort) {
    @Override
    public String toString() {
        return source + ":" + sourcePort + " -> " + destination + ":" + destinationPort;
    }
}
