package dev.simnet.capture;

import java.nio.file.Path;

/** Where the records of one classic pcap file go: libpcap through pcap4j, or plain Java. */
interface PcapSink extends AutoCloseable {
    /** Nanosecond-resolution pcap magic as written in the file header. */
    int MAGIC_NANOS = 0xa1b23c4d;
    /** Link type Ethernet (LINKTYPE_ETHERNET / DLT_EN10MB). */
    int LINKTYPE_ETHERNET = 1;
    /** Link type Linux cooked capture v2 (LINKTYPE_LINUX_SLL2 / DLT_LINUX_SLL2). */
    int LINKTYPE_LINUX_SLL2 = 276;
    /** Largest snapshot length written: no simulated frame is longer, so nothing is truncated. */
    int SNAPLEN = 262_144;

    /** Writes one record of {@code packet.length} bytes at {@code epochNanos} since 1970. */
    void record(long epochNanos, byte[] packet);

    void flush();

    @Override
    void close();

    /** Opens {@code file} for link type {@code linkType} with the chosen backend. */
    static PcapSink open(Path file, int linkType, PcapBackend backend) {
        switch (backend) {
            case JAVA:
                return new JavaPcapSink(file, linkType);
            case PCAP4J:
                Pcap4jSupport.ensureAvailability();
                return new Pcap4jSink(file, linkType);
            case AUTO:
            default:
                return Pcap4jSupport.isAvailable() ? new Pcap4jSink(file, linkType) : new JavaPcapSink(file, linkType);
        }
    }
}
