package dev.simnet.dns;

/** Receives the answer to one query (the DNS message without TCP's length prefix). */
@FunctionalInterface
public interface ReplySink {
    /** Sends {@code message} back to the asker. */
    void reply(byte[] message);
}
