package dev.simnet.capture;

import static dev.simnet.capture.Frames.BROADCAST;
import static dev.simnet.capture.Frames.MAC_A;
import static dev.simnet.capture.Frames.MAC_B;
import static dev.simnet.capture.Frames.MCAST;
import static dev.simnet.capture.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.simnet.addr.MacAddress;
import dev.simnet.capture.FrameTap.Direction;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergedPcapWriterTest {
    @TempDir
    Path dir;

    private static final byte[] MAC_C = Frames.mac(0x02, 0x42, 0xac, 0x11, 0x00, 0x09);

    /**
     * An ARP request leaving ns1/eth0, crossing the bridge and arriving at ns2/eth0; then a ping to
     * ns2 (host), a frame for someone else seen by ns2 (otherhost), a multicast UDP, and an 802.2 frame.
     */
    private static void writeSample(MergedPcapWriter w) {
        w.registerInterface("ns1", "eth0", MacAddress.readBits(MAC_A, 0));
        w.registerInterface("host", "br-1a2b3c4d5e6f", -1);
        w.registerInterface("ns2", "eth0", MacAddress.readBits(MAC_B, 0));
        byte[] arp = Frames.arpRequest(MAC_A, ip(172, 18, 0, 2), ip(172, 18, 0, 3));
        w.frame(1_000L, "ns1", "eth0", 2, Direction.OUT, arp, 0, arp.length);
        w.frame(1_000L, "host", "br-1a2b3c4d5e6f", 5, Direction.IN, arp, 0, arp.length);
        w.frame(2_000L, "ns2", "eth0", 2, Direction.IN, arp, 0, arp.length);
        byte[] ping = Frames.icmpEcho(MAC_B, MAC_A, ip(172, 18, 0, 2), ip(172, 18, 0, 3), 1, 1);
        w.frame(3_000L, "ns2", "eth0", 2, Direction.IN, ping, 0, ping.length);
        byte[] other = Frames.icmpEcho(MAC_C, MAC_A, ip(172, 18, 0, 2), ip(172, 18, 0, 9), 1, 2);
        w.frame(4_000L, "ns2", "eth0", 2, Direction.IN, other, 0, other.length);
        byte[] mdns = Frames.udp(MCAST, MAC_B, ip(172, 18, 0, 3), ip(224, 0, 0, 251), 5353, 5353,
                "hello".getBytes(StandardCharsets.US_ASCII));
        w.frame(5_000L, "ns1", "eth0", 2, Direction.IN, mdns, 0, mdns.length);
        byte[] llc = new byte[14 + 3 + 10];
        System.arraycopy(BROADCAST, 0, llc, 0, 6);
        System.arraycopy(MAC_A, 0, llc, 6, 6);
        llc[13] = 13; // 802.3 length
        llc[14] = 0x42; // STP DSAP/SSAP
        llc[15] = 0x42;
        llc[16] = 0x03;
        w.frame(6_000L, "ns3", "eth1", 3, Direction.IN, llc, 0, llc.length);
        assertFalse(w.write(7_000L, 1, Direction.OUT, new byte[10], 0, 10), "runt frame refused");
    }

    @Test
    void tsharkSeesOneTimelineWithInterfacesAndPacketTypes() throws Exception {
        Tshark.assumePresent();
        Path f = dir.resolve("all.pcap");
        try (MergedPcapWriter w = new MergedPcapWriter(f, 1_000_000_000L, PcapBackend.AUTO)) {
            writeSample(w);
            assertEquals(7, w.packetsWritten());
            assertEquals(1, w.malformedFrames());
            assertEquals(List.of("ns1/eth0", "host/br-1a2b3c4d5e6f", "ns2/eth0", "ns3/eth1"), w.interfaceNames());
        }
        List<String[]> rows = Tshark.fields(f, "frame.time_epoch", "sll.ifindex", "sll.pkttype", "sll.hatype",
                "sll.src.eth", "sll.etype", "arp.src.proto_ipv4", "ip.dst", "icmp.type", "udp.dstport", "llc.dsap",
                "frame.protocols");
        assertEquals(7, rows.size());
        String[][] expected = {
            // time, ifindex, pkttype, hatype, src, etype, arp spa, ip dst, icmp, udp dport
            {"1.000001000", "1", "4", "1", "02:42:ac:11:00:02", "0x0806", "172.18.0.2", "", "", ""},
            {"1.000001000", "2", "1", "1", "02:42:ac:11:00:02", "0x0806", "172.18.0.2", "", "", ""},
            {"1.000002000", "3", "1", "1", "02:42:ac:11:00:02", "0x0806", "172.18.0.2", "", "", ""},
            {"1.000003000", "3", "0", "1", "02:42:ac:11:00:02", "0x0800", "", "172.18.0.3", "8", ""},
            {"1.000004000", "3", "3", "1", "02:42:ac:11:00:02", "0x0800", "", "172.18.0.9", "8", ""},
            {"1.000005000", "1", "2", "1", "02:42:ac:11:00:03", "0x0800", "", "224.0.0.251", "", "5353"},
        };
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(expected[i][j], rows.get(i)[j], "packet " + (i + 1) + " field " + j);
            }
            assertEquals(true, rows.get(i)[11].startsWith("sll:"), "decoded as Linux cooked v2: " + rows.get(i)[11]);
        }
        String[] llc = rows.get(6);
        assertEquals("4", llc[1], "ns3/eth1 got the next capture index");
        assertEquals("0x42", llc[10], "802.2 LLC frame decoded");
    }

    @Test
    void headerLayoutMatchesLinuxSll2() throws Exception {
        Path f = dir.resolve("layout.pcap");
        try (MergedPcapWriter w = new MergedPcapWriter(f, 0, PcapBackend.AUTO)) {
            writeSample(w);
        }
        byte[] all = Files.readAllBytes(f);
        ByteBuffer le = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b23c4d, le.getInt(0));
        assertEquals(276, le.getInt(20), "LINKTYPE_LINUX_SLL2");
        assertEquals(20 + 28, le.getInt(24 + 8), "caplen: SLL2 header + ARP body");
        ByteBuffer be = ByteBuffer.wrap(all, 40, 20);
        assertEquals(0x0806, be.getShort() & 0xffff);
        assertEquals(0, be.getShort());
        assertEquals(1, be.getInt());
        assertEquals(1, be.getShort());
        assertEquals(4, be.get());
        assertEquals(6, be.get());
        byte[] addr = new byte[8];
        be.get(addr);
        assertArrayEquals(new byte[] {0x02, 0x42, (byte) 0xac, 0x11, 0x00, 0x02, 0, 0}, addr);
    }

    @Test
    void sameFramesAndTimesGiveIdenticalBytesWithEitherBackend() throws Exception {
        Path f1 = dir.resolve("1.pcap");
        Path f2 = dir.resolve("2.pcap");
        Path f3 = dir.resolve("3.pcap");
        try (MergedPcapWriter w = new MergedPcapWriter(f1)) {
            writeSample(w);
        }
        try (MergedPcapWriter w = new MergedPcapWriter(f2)) {
            writeSample(w);
        }
        assertArrayEquals(Files.readAllBytes(f1), Files.readAllBytes(f2));
        try (MergedPcapWriter w = new MergedPcapWriter(f3, 0, PcapBackend.JAVA)) {
            writeSample(w);
        }
        assertArrayEquals(Files.readAllBytes(f1), Files.readAllBytes(f3));
    }

    @Test
    void interfaceTableNamesEveryIndex() throws Exception {
        Path f = dir.resolve("t.pcap");
        try (MergedPcapWriter w = new MergedPcapWriter(f, 0, PcapBackend.JAVA)) {
            writeSample(w);
            Path table = dir.resolve("t.pcap.interfaces");
            w.writeInterfaceTable(table);
            assertEquals("1\tns1/eth0\n2\thost/br-1a2b3c4d5e6f\n3\tns2/eth0\n4\tns3/eth1\n", Files.readString(table));
        }
    }

    @Test
    void pcap4jWritesLinktype276() throws Exception {
        assumeTrue(Pcap4jSupport.isAvailable(), () -> "pcap4j cannot load libpcap: " + Pcap4jSupport.unavailabilityCause());
        Path f = dir.resolve("p.pcap");
        try (MergedPcapWriter w = new MergedPcapWriter(f, 0, PcapBackend.PCAP4J)) {
            assertEquals(PcapBackend.PCAP4J, w.backend());
            writeSample(w);
        }
        assertEquals(276, ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getInt(20));
    }
}
