package dev.simnet.capture;

import java.nio.file.Path;
import java.sql.Timestamp;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.TimestampPrecision;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Writes through libpcap: {@code pcap_open_dead_with_tstamp_precision(linktype, snaplen, NANO)} and
 * {@code pcap_dump}, via pcap4j's {@link Pcaps#openDead} and {@link PcapDumper#dumpRaw}.
 */
final class Pcap4jSink implements PcapSink {
    private static final DataLinkType LINUX_SLL2 = new DataLinkType(LINKTYPE_LINUX_SLL2, "LINUX_SLL2");

    private final PcapHandle handle;
    private final PcapDumper dumper;
    private boolean closed;

    Pcap4jSink(Path file, int linkType) {
        DataLinkType dlt = linkType == LINKTYPE_ETHERNET ? DataLinkType.EN10MB
                : linkType == LINKTYPE_LINUX_SLL2 ? LINUX_SLL2 : new DataLinkType(linkType, "DLT_" + linkType);
        PcapHandle h = null;
        try {
            h = Pcaps.openDead(dlt, SNAPLEN, TimestampPrecision.NANO);
            dumper = h.dumpOpen(file.toString());
            handle = h;
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            if (h != null) {
                h.close();
            }
            throw new CaptureException("cannot open " + file + " with pcap4j: " + e.getMessage(), e);
        }
    }

    @Override
    public void record(long epochNanos, byte[] packet) {
        Timestamp ts = new Timestamp((epochNanos / 1_000_000_000L) * 1000L);
        ts.setNanos((int) (epochNanos % 1_000_000_000L));
        try {
            dumper.dumpRaw(packet, ts);
        } catch (NotOpenException e) {
            throw new CaptureException("pcap dumper closed", e);
        }
    }

    @Override
    public void flush() {
        try {
            dumper.flush();
        } catch (PcapNativeException | NotOpenException e) {
            throw new CaptureException("pcap flush failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            dumper.close();
        } finally {
            handle.close();
        }
    }
}
