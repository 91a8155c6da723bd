package dev.simnet.api;

/**
 * A UDP datagram received on a {@link UdpFlow}.
 *
 * @param source     the sender's address
 * @param sourcePort the sender's port
 * @param payload    the bytes
 */
public record Datagram(String source, int sourcePort, byte[] payload) {
    /** The payload decoded as UTF-8. */
    public String text() {
        return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
    }
}
