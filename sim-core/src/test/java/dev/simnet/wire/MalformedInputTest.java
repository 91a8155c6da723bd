package dev.simnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile input never escapes as anything but {@link MalformedPacketException}: real frames with
 * random bytes flipped and random cuts go through every fast check, checked wrap, repr parse and
 * the formatter; the fast check and the checked wrap always agree.
 */
class MalformedInputTest {

    @Test
    void mutatedAndCutFramesOnlyEverGiveTypedErrors() {
        List<byte[]> frames = PcapFixtures.frames();
        SplittableRandom rnd = new SplittableRandom(2026);
        int rejected = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] f = frames.get(rnd.nextInt(frames.size())).clone();
            int flips = rnd.nextInt(4);
            for (int k = 0; k < flips; k++) {
                int at = rnd.nextInt(Math.min(f.length, 60));
                f[at] = (byte) rnd.nextInt(256);
            }
            int len = rnd.nextInt(4) == 0 ? rnd.nextInt(f.length + 1) : f.length;
            assertNotNull(PacketFormatter.format(f, 0, len));
            try {
                parseAll(f, len);
            } catch (MalformedPacketException e) {
                rejected++;
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(rejected > 1000, "mutations were rejected: " + rejected);
    }

    private static void parseAll(byte[] f, int len) {
        int ev = EthernetFrame.validate(f, 0, len);
        EthernetFrame eth = checkedAgrees(ev, () -> EthernetFrame.wrapChecked(f, 0, len));
        EthernetRepr er = EthernetRepr.parse(eth);
        int p = eth.payloadOffset();
        int plen = eth.payloadLen();
        if (er.etherType() == EtherType.ARP) {
            int v = ArpPacket.validate(f, p, plen);
            ArpRepr.parse(checkedAgrees(v, () -> ArpPacket.wrapChecked(f, p, plen)));
        } else if (er.etherType() == EtherType.IPV4) {
            int v = Ipv4Packet.validate(f, p, plen);
            Ipv4Packet ip = checkedAgrees(v, () -> Ipv4Packet.wrapChecked(f, p, plen));
            Ipv4Repr.parse(ip);
            int l4 = ip.payloadOffset();
            int l4len = ip.payloadLen();
            int src = ip.src();
            int dst = ip.dst();
            switch (ip.protocol()) {
                case IpProtocol.ICMP:
                    IcmpRepr.parse(checkedAgrees(IcmpPacket.validate(f, l4, l4len), () -> IcmpPacket.wrapChecked(f, l4, l4len)));
                    IcmpErrors.shouldSend(f, p, plen);
                    break;
                case IpProtocol.UDP:
                    UdpRepr.parse(checkedAgrees(UdpPacket.validate(f, l4, l4len), () -> UdpPacket.wrapChecked(f, l4, l4len)), src, dst);
                    break;
                case IpProtocol.TCP:
                    TcpPacket t = checkedAgrees(TcpPacket.validate(f, l4, l4len), () -> TcpPacket.wrapChecked(f, l4, l4len));
                    t.mssOption();
                    TcpRepr.parse(t, src, dst);
                    break;
                default:
                    break;
            }
        }
    }

    private static <T> T checkedAgrees(int code, java.util.function.Supplier<T> checked) {
        try {
            T view = checked.get();
            assertEquals(0, code, "fast check rejected what the checked wrap accepted");
            return view;
        } catch (MalformedPacketException e) {
            assertEquals(e.reason().code(), code, "fast check and checked wrap disagree: " + e.getMessage());
            throw e;
        }
    }
}
