package dev.simnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our one-line summaries against what the real tcpdump 4.99 printed for the same capture
 * ({@code tcpdump -nn -S -r} and {@code -e}, kept beside the pcap).
 */
class PacketFormatterTest {

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = PacketFormatterTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void summariesAgreeWithTcpdumpOnEveryCapturedFrame() throws IOException {
        List<byte[]> frames = PcapFixtures.frames();
        List<String> plain = lines("swire-capture.tcpdump-nn-S.txt");
        List<String> withMacs = lines("swire-capture.tcpdump-nn-S-e.txt");
        assertEquals(frames.size(), plain.size());
        int compared = 0;
        for (int i = 0; i < frames.size(); i++) {
            String ours = PacketFormatter.format(frames.get(i));
            String td = plain.get(i);
            String tde = withMacs.get(i);
            if (td.startsWith("IP ")) {
                String expected = td.substring(3);
                if (expected.contains(": domain")) {
                    continue; // tcpdump decodes port 5353 as DNS; we stop at UDP
                }
                assertTrue(expected.startsWith(ours), "frame " + i + "\n ours:    " + ours + "\n tcpdump: " + expected);
                String rest = expected.substring(ours.length());
                assertTrue(rest.isEmpty() || rest.startsWith(": "), "only an application decode may follow: " + rest);
            } else if (td.startsWith("ARP, ")) {
                // tcpdump -e: "<src> > <dst>, ethertype ARP (0x0806), length 42: Request who-has …, length 28"
                String macs = tde.substring(0, tde.indexOf(", ethertype"));
                String expected = macs + ", " + td;
                assertTrue(expected.startsWith(ours), "frame " + i + "\n ours:    " + ours + "\n tcpdump: " + expected);
                assertEquals(", length 28", expected.substring(ours.length()));
            } else {
                assertTrue(tde.startsWith(ours + ": "), "frame " + i + "\n ours:    " + ours + "\n tcpdump: " + tde);
            }
            compared++;
        }
        assertEquals(frames.size() - 1, compared);
    }

    @Test
    void examplesFromTheBrief() {
        assertEquals("02:42:ac:12:00:02 > ff:ff:ff:ff:ff:ff, ARP, Request who-has 172.18.0.1 tell 172.18.0.2",
                PacketFormatter.format(Fixtures.ARP_REQUEST));
        assertEquals("02:42:ac:12:00:01 > 02:42:ac:12:00:02, ARP, Reply 172.18.0.1 is-at 02:42:ac:12:00:01",
                PacketFormatter.format(Fixtures.ARP_REPLY));
        assertEquals("172.18.0.2 > 172.18.0.1: ICMP echo request, id 11043, seq 1, length 64",
                PacketFormatter.format(Fixtures.ICMP_ECHO_REQUEST));
    }

    @Test
    void otherUnreachableCodesAndVlan() {
        byte[] f = Fixtures.ICMP_PORT_UNREACHABLE.clone();
        IcmpPacket ic = new IcmpPacket(f, 34, f.length - 34);
        String[] expected = {
            "10.99.0.2 > 172.18.0.2: ICMP host 10.99.0.2 unreachable, length 42",
            "10.99.0.2 > 172.18.0.2: ICMP 10.99.0.2 protocol 17 unreachable, length 42",
            "10.99.0.2 > 172.18.0.2: ICMP host 10.99.0.2 unreachable - admin prohibited filter, length 42",
        };
        int[] codes = {IcmpPacket.CODE_HOST_UNREACHABLE, IcmpPacket.CODE_PROTOCOL_UNREACHABLE, IcmpPacket.CODE_ADMIN_PROHIBITED};
        for (int i = 0; i < codes.length; i++) {
            ic.setCode(codes[i]);
            assertEquals(expected[i], PacketFormatter.format(f));
        }
        byte[] tagged = new byte[Fixtures.UDP_HELLO.length + 4];
        System.arraycopy(Fixtures.UDP_HELLO, 0, tagged, 0, 12);
        System.arraycopy(Hex.parse("8100 2064"), 0, tagged, 12, 4);
        System.arraycopy(Fixtures.UDP_HELLO, 12, tagged, 16, Fixtures.UDP_HELLO.length - 12);
        assertEquals("vlan 100, p 1, 172.18.0.2.40000 > 10.99.0.2.9999: UDP, length 6", PacketFormatter.format(tagged));
    }

    @Test
    void malformedFramesGiveTruncationMarkers() {
        assertEquals("[|ether] length 5", PacketFormatter.format(new byte[5]));
        byte[] cutIp = java.util.Arrays.copyOf(Fixtures.ICMP_ECHO_REQUEST, 40);
        assertEquals("172.18.0.2 > 172.18.0.1: [|ip]", PacketFormatter.format(cutIp));
        byte[] cutArp = java.util.Arrays.copyOf(Fixtures.ARP_REQUEST, 30);
        assertEquals("02:42:ac:12:00:02 > ff:ff:ff:ff:ff:ff, ARP, [|arp]", PacketFormatter.format(cutArp));
    }
}
