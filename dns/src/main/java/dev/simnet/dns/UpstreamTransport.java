package dev.simnet.dns;

import java.util.function.Consumer;

/**
 * How the forwarder and the stub resolver reach another DNS server. One call sends one query and
 * delivers at most one reply; the caller owns timeouts (through {@link DnsTimer}).
 */
public interface UpstreamTransport {
    /**
     * Sends {@code query} to {@code server} over {@code proto}. {@code onReply} receives the reply
     * message (no length prefix), or null when the transport knows at once that no reply will come
     * (ICMP port unreachable, connection refused); it may never be called (lost datagram).
     */
    void exchange(Upstream server, DnsProto proto, byte[] query, Consumer<byte[]> onReply);
}
