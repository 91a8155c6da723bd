package dev.simnet.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every IPv4/ARP frame of a real capture parses into reprs that emit the identical bytes into a
 * 0xa5-filled buffer, layer by layer.
 */
class CaptureRoundTripTest {

    @Test
    void everyCapturedFrameRoundTripsThroughTheReprs() {
        List<byte[]> frames = PcapFixtures.frames();
        int ipv4 = 0;
        int arp = 0;
        for (byte[] f : frames) {
            byte[] out = new byte[f.length];
            Arrays.fill(out, (byte) 0xa5);
            EthernetFrame eth = EthernetFrame.wrapChecked(f, 0, f.length);
            EthernetRepr er = EthernetRepr.parse(eth);
            er.emit(out, 0);
            int p = eth.payloadOffset();
            if (er.etherType() == EtherType.ARP) {
                ArpRepr.parse(new ArpPacket(f, p, f.length - p)).emit(out, p);
                arp++;
            } else if (er.etherType() == EtherType.IPV4) {
                Ipv4Packet ip = Ipv4Packet.wrapChecked(f, p, f.length - p);
                Ipv4Repr ir = Ipv4Repr.parse(ip);
                ir.emit(out, p);
                int l4 = ip.payloadOffset();
                int l4len = ip.payloadLen();
                switch (ir.protocol()) {
                    case IpProtocol.ICMP:
                        IcmpRepr.parse(new IcmpPacket(f, l4, l4len)).emit(out, l4);
                        break;
                    case IpProtocol.UDP:
                        UdpRepr.parse(new UdpPacket(f, l4, l4len), ip.src(), ip.dst()).emit(out, l4, ip.src(), ip.dst());
                        break;
                    case IpProtocol.TCP:
                        TcpRepr.parse(new TcpPacket(f, l4, l4len), ip.src(), ip.dst()).emit(out, l4, ip.src(), ip.dst());
                        break;
                    default:
                        throw new AssertionError("unexpected protocol " + ir.protocol());
                }
                ipv4++;
            } else {
                System.arraycopy(f, p, out, p, f.length - p);
            }
            assertArrayEquals(f, out, () -> "frame differs after round trip: " + PacketFormatter.format(f));
        }
        assertTrue(ipv4 >= 20, "capture has IPv4 frames: " + ipv4);
        assertEquals(2, arp);
    }
}
