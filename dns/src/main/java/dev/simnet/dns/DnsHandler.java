package dev.simnet.dns;

/**
 * Anything that answers DNS queries from wire bytes: the embedded resolver and the authoritative
 * server. Transports (the simulator's UDP/TCP sockets, {@code SocketDnsServer}) call it; the answer
 * may come at once or later (forwarding), exactly once or never (a dropped query).
 */
public interface DnsHandler {
    /**
     * Handles one query.
     *
     * @param query      the message bytes
     * @param offset     where the message starts
     * @param length     its length
     * @param asker      who asks (the container name for the embedded DNS; ignored by a zone server)
     * @param proto      the transport it came on
     * @param maxUdpSize the largest UDP answer the transport can carry (0 for no limit beyond EDNS)
     * @param sink       where the answer goes
     */
    void handle(byte[] query, int offset, int length, String asker, DnsProto proto, int maxUdpSize, ReplySink sink);
}
