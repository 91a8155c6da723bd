package dev.simnet.capture;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Captures one interface to a classic pcap file, link type Ethernet (DLT_EN10MB), with nanosecond
 * timestamps taken from virtual time (smoltcp's {@code PcapWriter} middleware; what
 * {@code tcpdump -i eth0 -w FILE --time-stamp-precision=nano} writes). Attach it as the
 * {@link FrameTap} of the interface; every frame it is given is recorded, whatever its direction.
 *
 * <p>Deterministic: the same frames at the same virtual times give a byte-identical file (the file
 * header carries no host or wall-clock data). Virtual time 0 is written as the Unix epoch plus
 * {@code epochOffsetNanos}. Close it (try-with-resources) to flush the file. Not thread-safe: the
 * simulation loop is its only caller.
 */
public final class PcapWriter implements FrameTap, AutoCloseable {
    private final Path file;
    private final PcapSink sink;
    private final long epochOffsetNanos;
    private final PcapBackend backend;
    private long packets;
    private long lastTime = Long.MIN_VALUE;
    private boolean closed;

    /** Opens {@code file} (truncating it), virtual time 0 at the epoch, pcap4j when available. */
    public PcapWriter(Path file) {
        this(file, 0, PcapBackend.AUTO);
    }

    /**
     * Opens {@code file} (truncating it).
     *
     * @param epochOffsetNanos nanoseconds since 1970 written for virtual time 0 (not negative)
     * @param backend          who writes the bytes
     * @throws CaptureException if the file cannot be created
     */
    public PcapWriter(Path file, long epochOffsetNanos, PcapBackend backend) {
        if (epochOffsetNanos < 0) {
            throw new IllegalArgumentException("negative epoch offset");
        }
        this.file = Objects.requireNonNull(file, "file");
        this.epochOffsetNanos = epochOffsetNanos;
        this.backend = resolve(backend);
        this.sink = PcapSink.open(file, PcapSink.LINKTYPE_ETHERNET, this.backend);
    }

    static PcapBackend resolve(PcapBackend b) {
        return b == PcapBackend.AUTO ? (Pcap4jSupport.isAvailable() ? PcapBackend.PCAP4J : PcapBackend.JAVA) : b;
    }

    /** Records the frame; namespace, interface and direction are not part of an Ethernet capture. */
    @Override
    public void frame(long timeNanos, String namespace, String ifname, int ifindex, Direction dir,
                      byte[] data, int off, int len) {
        write(timeNanos, data, off, len);
    }

    /**
     * Records {@code len} bytes of an Ethernet frame at virtual time {@code timeNanos}.
     *
     * @throws IllegalArgumentException if time goes backwards or the range is outside {@code data}
     * @throws IllegalStateException if the writer is closed
     */
    public void write(long timeNanos, byte[] data, int off, int len) {
        if (closed) {
            throw new IllegalStateException("capture " + file + " is closed");
        }
        Objects.checkFromIndexSize(off, len, data.length);
        if (timeNanos < 0 || timeNanos < lastTime) {
            throw new IllegalArgumentException("frame time " + timeNanos + " before " + Math.max(0, lastTime));
        }
        lastTime = timeNanos;
        sink.record(epochOffsetNanos + timeNanos, Arrays.copyOfRange(data, off, off + len));
        packets++;
    }

    /** Frames written so far. */
    public long packetsWritten() {
        return packets;
    }

    /** The file being written. */
    public Path file() {
        return file;
    }

    /** {@link PcapBackend#PCAP4J} or {@link PcapBackend#JAVA}: who writes this file. */
    public PcapBackend backend() {
        return backend;
    }

    /** Pushes buffered records to the file. */
    public void flush() {
        if (!closed) {
            sink.flush();
        }
    }

    /** Flushes and closes the file; closing twice is harmless. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            sink.close();
        }
    }
}
