package dev.simnet.capture;

/**
 * Which code writes a pcap file. Both write the same bytes (a test checks it): a classic pcap file
 * in little-endian byte order with nanosecond timestamps (magic {@code 0xa1b23c4d}).
 */
public enum PcapBackend {
    /** pcap4j (libpcap's {@code pcap_dump} through JNA) when {@link Pcap4jSupport#isAvailable()}, else {@link #JAVA}. */
    AUTO,
    /** pcap4j only; opening fails with {@link CaptureException} if libpcap cannot be loaded. */
    PCAP4J,
    /** The built-in writer, no native code. */
    JAVA
}
