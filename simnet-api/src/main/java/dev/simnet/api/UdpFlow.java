package dev.simnet.api;

import java.time.Duration;
import java.util.Optional;

/** A connected UDP socket from a container (or the host, or the internet) to an address and port. */
public interface UdpFlow extends AutoCloseable {
    /** Sends one datagram. */
    void send(byte[] data);

    /** Sends {@code text} as UTF-8 in one datagram. */
    default void send(String text) {
        send(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The next datagram arriving within {@code timeout}; empty when none came (an ICMP error is reported as {@link FlowException}). */
    Optional<Datagram> receive(Duration timeout);

    /** The local address and port. */
    String localEndpoint();

    /** Closes the socket. */
    @Override
    void close();
}
