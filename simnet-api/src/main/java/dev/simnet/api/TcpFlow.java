package dev.simnet.api;

import java.time.Duration;

/**
 * An open TCP connection from a container (or the host, or the internet) to an address and port.
 * Reading lets (virtual) time pass until bytes arrive, the peer closes, or the timeout expires.
 */
public interface TcpFlow extends AutoCloseable {
    /** Queues {@code data} for sending, letting time pass while the send buffer is full; fails on a reset connection. */
    void write(byte[] data);

    /** Writes {@code text} as UTF-8. */
    default void write(String text) {
        write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The bytes that arrive within {@code timeout}: returns as soon as some are available (possibly
     * fewer than were sent); an empty array when none came in time or the peer closed
     * ({@link #isPeerClosed()} tells which).
     */
    byte[] read(Duration timeout);

    /** Reads until the peer closes or {@code timeout} passes, and returns everything received, as UTF-8. */
    String readAll(Duration timeout);

    /** True once the peer has sent FIN and every byte before it was read. */
    boolean isPeerClosed();

    /** The local address and port ({@code 172.18.0.2:40312}). */
    String localEndpoint();

    /** The remote address and port. */
    String remoteEndpoint();

    /** Closes the connection (FIN) and lets the close handshake run (at most one second of virtual time). */
    @Override
    void close();
}
