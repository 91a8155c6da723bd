package dev.simnet.capture;

import dev.simnet.addr.MacAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Captures every tapped interface of the whole simulation into one classic pcap file with link type
 * LINUX_SLL2 (DLT 276), as {@code tcpdump -i any} writes it, so Wireshark shows one merged timeline
 * with each packet's interface. Each record is the 20-byte SLL2 header followed by the frame without
 * its 14-byte Ethernet header:
 *
 * <pre>
 *  0      2      4              8      10  11  12               20
 *  +------+------+--------------+------+---+---+----------------+----------------
 *  |proto | rsvd | if index     |hatype|pkt|len| source MAC + 2 zero | L3 packet...
 *  +------+------+--------------+------+---+---+----------------+----------------
 *  proto = EtherType (0x0004 for 802.2 LLC, 0x0001 for raw 802.3); hatype = 1 (ARPHRD_ETHER);
 *  pkt = 0 host, 1 broadcast, 2 multicast, 3 otherhost, 4 outgoing; len = 6.
 * </pre>
 *
 * <p>Interfaces of different namespaces share ifindex values ({@code eth0} is often 2 everywhere),
 * so the file records a <em>capture index</em>: 1, 2, 3… in the order interfaces are first seen
 * (or {@linkplain #registerInterface registered}); {@link #interfaceNames()} and
 * {@link #writeInterfaceTable} give the {@code namespace/ifname} of each index. Frames received on
 * an interface whose MAC was registered are classified host/otherhost by their destination;
 * unicast to an unregistered interface counts as host.
 *
 * <p>Deterministic: the same frames at the same virtual times give a byte-identical file. Frames
 * shorter than an Ethernet header are not written and are counted in {@link #malformedFrames()}.
 * Close it (try-with-resources) to flush the file. Not thread-safe: the simulation loop is its
 * only caller.
 */
public final class MergedPcapWriter implements FrameTap, AutoCloseable {
    /** SLL2 packet types ({@code PACKET_*} in linux/if_packet.h). */
    public static final int PACKET_HOST = 0;
    /** To all. */
    public static final int PACKET_BROADCAST = 1;
    /** To a group. */
    public static final int PACKET_MULTICAST = 2;
    /** To another host, seen in promiscuous mode. */
    public static final int PACKET_OTHERHOST = 3;
    /** Sent by this interface. */
    public static final int PACKET_OUTGOING = 4;
    /** Size of the SLL2 header. */
    public static final int SLL2_HEADER_LEN = 20;

    private static final int ARPHRD_ETHER = 1;
    private static final int ETH_HLEN = 14;

    private final Path file;
    private final PcapSink sink;
    private final long epochOffsetNanos;
    private final PcapBackend backend;
    private final Map<String, Map<String, Integer>> indexByNs = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final List<Long> macs = new ArrayList<>();
    private long packets;
    private long malformed;
    private long lastTime = Long.MIN_VALUE;
    private boolean closed;

    /** Opens {@code file} (truncating it), virtual time 0 at the epoch, pcap4j when available. */
    public MergedPcapWriter(Path file) {
        this(file, 0, PcapBackend.AUTO);
    }

    /**
     * Opens {@code file} (truncating it).
     *
     * @param epochOffsetNanos nanoseconds since 1970 written for virtual time 0 (not negative)
     * @param backend          who writes the bytes
     * @throws CaptureException if the file cannot be created
     */
    public MergedPcapWriter(Path file, long epochOffsetNanos, PcapBackend backend) {
        if (epochOffsetNanos < 0) {
            throw new IllegalArgumentException("negative epoch offset");
        }
        this.file = Objects.requireNonNull(file, "file");
        this.epochOffsetNanos = epochOffsetNanos;
        this.backend = PcapWriter.resolve(backend);
        this.sink = PcapSink.open(file, PcapSink.LINKTYPE_LINUX_SLL2, this.backend);
    }

    /**
     * Gives the interface a capture index now (so indexes follow topology order rather than traffic)
     * and records its MAC ({@link MacAddress#bits()}, or {@code -1} if unknown) for host/otherhost classification.
     *
     * @return the capture index written in the SLL2 header
     */
    public int registerInterface(String namespace, String ifname, long mac) {
        int idx = indexOf(namespace, ifname);
        macs.set(idx - 1, mac);
        return idx;
    }

    /** The capture index of {@code namespace/ifname}, assigned on first use (1-based). */
    public int indexOf(String namespace, String ifname) {
        Map<String, Integer> byName = indexByNs.computeIfAbsent(namespace, k -> new HashMap<>());
        Integer idx = byName.get(ifname);
        if (idx == null) {
            names.add(namespace + "/" + ifname);
            macs.add(-1L);
            idx = names.size();
            byName.put(ifname, idx);
        }
        return idx;
    }

    /** {@code namespace/ifname} of capture index 1, 2, … in order. */
    public List<String> interfaceNames() {
        return Collections.unmodifiableList(names);
    }

    /** Writes {@code index<TAB>namespace/ifname} lines, a key to the SLL2 interface indexes. */
    public void writeInterfaceTable(Path table) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sb.append(i + 1).append('\t').append(names.get(i)).append('\n');
        }
        try {
            Files.writeString(table, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CaptureException("cannot write " + table + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void frame(long timeNanos, String namespace, String ifname, int ifindex, Direction dir,
                      byte[] data, int off, int len) {
        write(timeNanos, indexOf(namespace, ifname), dir, data, off, len);
    }

    /**
     * Records an Ethernet frame seen on the interface with capture index {@code captureIndex}.
     *
     * @return false if the frame was too short to carry an Ethernet header (counted, not written)
     * @throws IllegalArgumentException if time goes backwards, the index is unknown or the range is
     *                                  outside {@code data}
     */
    public boolean write(long timeNanos, int captureIndex, Direction dir, byte[] data, int off, int len) {
        if (closed) {
            throw new IllegalStateException("capture " + file + " is closed");
        }
        Objects.checkFromIndexSize(off, len, data.length);
        if (captureIndex < 1 || captureIndex > names.size()) {
            throw new IllegalArgumentException("unknown capture index " + captureIndex);
        }
        if (timeNanos < 0 || timeNanos < lastTime) {
            throw new IllegalArgumentException("frame time " + timeNanos + " before " + Math.max(0, lastTime));
        }
        if (len < ETH_HLEN) {
            malformed++;
            return false;
        }
        lastTime = timeNanos;
        byte[] rec = new byte[SLL2_HEADER_LEN + len - ETH_HLEN];
        int etherType = ((data[off + 12] & 0xff) << 8) | (data[off + 13] & 0xff);
        int proto;
        if (etherType >= 0x0600) {
            proto = etherType;
        } else if (len >= ETH_HLEN + 2 && data[off + 14] == (byte) 0xff && data[off + 15] == (byte) 0xff) {
            proto = 0x0001; // ETH_P_802_3: Novell raw 802.3
        } else {
            proto = 0x0004; // ETH_P_802_2: LLC
        }
        putShort(rec, 0, proto);
        // rec[2..3] reserved, zero
        putInt(rec, 4, captureIndex);
        putShort(rec, 8, ARPHRD_ETHER);
        rec[10] = (byte) packetType(captureIndex, dir, data, off);
        rec[11] = 6;
        System.arraycopy(data, off + 6, rec, 12, 6); // source MAC, then 2 zero bytes
        System.arraycopy(data, off + ETH_HLEN, rec, SLL2_HEADER_LEN, len - ETH_HLEN);
        sink.record(epochOffsetNanos + timeNanos, rec);
        packets++;
        return true;
    }

    private int packetType(int captureIndex, Direction dir, byte[] d, int off) {
        if (dir == Direction.OUT) {
            return PACKET_OUTGOING;
        }
        if ((d[off] & 1) != 0) {
            for (int i = 0; i < 6; i++) {
                if (d[off + i] != (byte) 0xff) {
                    return PACKET_MULTICAST;
                }
            }
            return PACKET_BROADCAST;
        }
        long mac = macs.get(captureIndex - 1);
        if (mac < 0) {
            return PACKET_HOST;
        }
        return MacAddress.readBits(d, off) == mac ? PACKET_HOST : PACKET_OTHERHOST;
    }

    /** Frames written so far. */
    public long packetsWritten() {
        return packets;
    }

    /** Frames refused because they were shorter than an Ethernet header. */
    public long malformedFrames() {
        return malformed;
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

    private static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
