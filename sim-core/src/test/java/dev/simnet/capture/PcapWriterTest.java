package dev.simnet.capture;

import static dev.simnet.capture.Frames.MAC_A;
import static dev.simnet.capture.Frames.MAC_B;
import static dev.simnet.capture.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.simnet.capture.FrameTap.Direction;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
    @TempDir
    Path dir;

    /** Two frames: an ARP request at 1.000000001 s and an ICMP echo at 2.5 s + 123 ns. */
    private void writeSample(PcapWriter w) {
        byte[] arp = Frames.arpRequest(MAC_A, ip(172, 17, 0, 2), ip(172, 17, 0, 3));
        // pass the frame inside a larger buffer to check that off/len are honoured
        byte[] buf = new byte[100];
        System.arraycopy(arp, 0, buf, 7, arp.length);
        w.frame(1_000_000_001L, "ns1", "eth0", 2, Direction.OUT, buf, 7, arp.length);
        byte[] icmp = Frames.icmpEcho(MAC_B, MAC_A, ip(172, 17, 0, 2), ip(172, 17, 0, 3), 0x77, 1);
        w.write(2_500_000_123L, icmp, 0, icmp.length);
    }

    @Test
    void tsharkDecodesAddressesProtocolsAndNanosecondTimes() throws Exception {
        Tshark.assumePresent();
        Path f = dir.resolve("eth0.pcap");
        try (PcapWriter w = new PcapWriter(f)) {
            writeSample(w);
            assertEquals(2, w.packetsWritten());
        }
        List<String[]> rows = Tshark.fields(f, "frame.time_epoch", "frame.len", "eth.src", "eth.dst", "eth.type",
                "arp.opcode", "arp.src.proto_ipv4", "arp.dst.proto_ipv4", "ip.src", "ip.dst", "icmp.type",
                "icmp.ident");
        assertEquals(2, rows.size());
        String[] a = rows.get(0);
        assertEquals("1.000000001", a[0]);
        assertEquals("42", a[1]);
        assertEquals("02:42:ac:11:00:02", a[2]);
        assertEquals("ff:ff:ff:ff:ff:ff", a[3]);
        assertEquals("0x0806", a[4]);
        assertEquals("1", a[5]);
        assertEquals("172.17.0.2", a[6]);
        assertEquals("172.17.0.3", a[7]);
        String[] b = rows.get(1);
        assertEquals("2.500000123", b[0]);
        assertEquals("50", b[1]);
        assertEquals("02:42:ac:11:00:02", b[2]);
        assertEquals("02:42:ac:11:00:03", b[3]);
        assertEquals("0x0800", b[4]);
        assertEquals("172.17.0.2", b[8]);
        assertEquals("172.17.0.3", b[9]);
        assertEquals("8", b[10]);
        assertEquals(0x77, Integer.decode(b[11]).intValue());
    }

    @Test
    void fileHeaderIsNanosecondEthernetPcap() throws Exception {
        Path f = dir.resolve("h.pcap");
        try (PcapWriter w = new PcapWriter(f, 1_700_000_000_000_000_000L, PcapBackend.AUTO)) {
            writeSample(w);
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b23c4d, b.getInt(0), "nanosecond magic");
        assertEquals(2, b.getShort(4));
        assertEquals(4, b.getShort(6));
        assertEquals(1, b.getInt(20), "LINKTYPE_ETHERNET");
        // first record: seconds and nanoseconds of epoch offset + 1.000000001 s
        assertEquals(1_700_000_001, b.getInt(24));
        assertEquals(1, b.getInt(28));
        assertEquals(42, b.getInt(32));
        assertEquals(42, b.getInt(36));
        assertEquals(24 + 16 + 42 + 16 + 50, b.capacity());
    }

    @Test
    void sameFramesAndTimesGiveIdenticalBytes() throws Exception {
        Path f1 = dir.resolve("1.pcap");
        Path f2 = dir.resolve("2.pcap");
        try (PcapWriter w = new PcapWriter(f1)) {
            writeSample(w);
        }
        try (PcapWriter w = new PcapWriter(f2)) {
            writeSample(w);
        }
        assertArrayEquals(Files.readAllBytes(f1), Files.readAllBytes(f2));
    }

    @Test
    void pcap4jAndTheJavaFallbackWriteTheSameBytes() throws Exception {
        assumeTrue(Pcap4jSupport.isAvailable(), () -> "pcap4j cannot load libpcap: " + Pcap4jSupport.unavailabilityCause());
        Path f1 = dir.resolve("pcap4j.pcap");
        Path f2 = dir.resolve("java.pcap");
        try (PcapWriter w = new PcapWriter(f1, 42_000_000_007L, PcapBackend.PCAP4J)) {
            assertEquals(PcapBackend.PCAP4J, w.backend());
            writeSample(w);
        }
        try (PcapWriter w = new PcapWriter(f2, 42_000_000_007L, PcapBackend.JAVA)) {
            assertEquals(PcapBackend.JAVA, w.backend());
            writeSample(w);
        }
        assertArrayEquals(Files.readAllBytes(f1), Files.readAllBytes(f2));
    }

    @Test
    void misuseGivesClearErrors() throws Exception {
        Path f = dir.resolve("m.pcap");
        PcapWriter w = new PcapWriter(f, 0, PcapBackend.JAVA);
        byte[] frame = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        w.write(10, frame, 0, frame.length);
        assertThrows(IllegalArgumentException.class, () -> w.write(9, frame, 0, frame.length), "time backwards");
        assertThrows(IndexOutOfBoundsException.class, () -> w.write(11, frame, 10, 10));
        w.close();
        w.close();
        assertThrows(IllegalStateException.class, () -> w.write(12, frame, 0, 4));
        assertThrows(CaptureException.class, () -> new PcapWriter(dir.resolve("no/such/dir/x.pcap"), 0, PcapBackend.JAVA));
        assertEquals(24 + 16 + 16, Files.size(f));
    }
}
