package dev.simnet.linux.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte fixtures for the rtnetlink requests the backend sends (no kernel needed). */
class RtnlRequestsTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void newAddressMatchesIproute2sLayout() {
        RtnlSocket s = RtnlSocket.unconnected();
        s.addAddress(2, 0xac120002, 16, "test");
        byte[] expect = hex("30000000 1400 0506 01000000 00000000" // nlmsghdr: len 48, RTM_NEWADDR, REQ|ACK|EXCL|CREATE, seq 1
                + "02100000 02000000"                                  // ifaddrmsg: AF_INET /16 scope 0 ifindex 2
                + "08000200 ac120002"                                  // IFA_LOCAL 172.18.0.2
                + "08000100 ac120002"                                  // IFA_ADDRESS
                + "08000400 ac12ffff");                                // IFA_BROADCAST 172.18.255.255
        assertArrayEquals(expect, s.pendingBytes());
    }

    @Test
    void defaultRouteViaGateway() {
        RtnlSocket s = RtnlSocket.unconnected();
        s.addRoute(0, 0, 0xac120001, 2, "test");
        byte[] expect = hex("2c000000 1800 0506 01000000 00000000" // len 44, RTM_NEWROUTE
                + "02000000 fe030001 00000000"                       // rtmsg: AF_INET dst_len 0, main, boot, universe, unicast
                + "08000500 ac120001"                                // RTA_GATEWAY
                + "08000400 02000000");                              // RTA_OIF 2
        assertArrayEquals(expect, s.pendingBytes());
    }

    @Test
    void writerPadsWithZerosWhateverWasInTheBuffer() {
        NetlinkWriter w = new NetlinkWriter(64);
        Arrays.fill(w.array(), (byte) 0xa5);
        w.begin(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_REQUEST, 9).ifinfomsg(0, 0, 0, 0, 0).attrString(Rtnl.IFLA_IFNAME, "eth0").end();
        byte[] expect = hex("2c000000 1000 0100 09000000 00000000"
                + "00000000 00000000 00000000 00000000"
                + "09000300 65746830 00000000");                     // "eth0\0" + 3 pad bytes
        assertArrayEquals(expect, Arrays.copyOf(w.array(), w.length()));
    }

    /** One parsed attribute. */
    private record Attr(int type, int start, int len) {
    }

    private static List<Attr> attrs(byte[] b, int from, int to) {
        List<Attr> out = new ArrayList<>();
        int a = from;
        while (a + 4 <= to) {
            int len = NetlinkWriter.getU16(b, a);
            out.add(new Attr(NetlinkWriter.getU16(b, a + 2), a + 4, len - 4));
            a += Rtnl.align(len);
        }
        assertEquals(to, a, "attributes must exactly fill their parent");
        return out;
    }

    private static Attr find(List<Attr> as, int type) {
        return as.stream().filter(x -> x.type() == type).findFirst().orElseThrow(() -> new AssertionError("no attr " + type));
    }

    private static String str(byte[] b, Attr a) {
        return new String(b, a.start(), a.len() - 1, StandardCharsets.US_ASCII);
    }

    @Test
    void vethPeerIsNestedWithItsNamespaceFdMacAndIndex() {
        RtnlSocket s = RtnlSocket.unconnected();
        byte[] mac = hex("02abcdef0102");
        s.addVeth(new RtnlSocket.VethEnd("veth1234567", 7, null, 1500, false), 3,
                new RtnlSocket.VethEnd("eth0", 2, mac, 1500, false), 42);
        byte[] b = s.pendingBytes();
        assertEquals(b.length, NetlinkWriter.getU32(b, 0));
        assertEquals(Rtnl.RTM_NEWLINK, NetlinkWriter.getU16(b, 4));
        assertEquals(7, NetlinkWriter.getU32(b, 16 + 4), "requested ifindex of the local end");
        List<Attr> top = attrs(b, 32, b.length);
        assertEquals("veth1234567", str(b, find(top, Rtnl.IFLA_IFNAME)));
        assertEquals(3, NetlinkWriter.getU32(b, find(top, Rtnl.IFLA_MASTER).start()));
        assertEquals(1500, NetlinkWriter.getU32(b, find(top, Rtnl.IFLA_MTU).start()));
        Attr li = find(top, Rtnl.IFLA_LINKINFO);
        List<Attr> info = attrs(b, li.start(), li.start() + li.len());
        assertEquals("veth", str(b, find(info, Rtnl.IFLA_INFO_KIND)));
        Attr data = find(info, Rtnl.IFLA_INFO_DATA);
        Attr peer = find(attrs(b, data.start(), data.start() + data.len()), Rtnl.VETH_INFO_PEER);
        assertEquals(2, NetlinkWriter.getU32(b, peer.start() + 4), "peer ifinfomsg ifindex");
        List<Attr> pa = attrs(b, peer.start() + Rtnl.IFINFOMSG_LEN, peer.start() + peer.len());
        assertEquals("eth0", str(b, find(pa, Rtnl.IFLA_IFNAME)));
        assertEquals(42, NetlinkWriter.getU32(b, find(pa, Rtnl.IFLA_NET_NS_FD).start()));
        Attr m = find(pa, Rtnl.IFLA_ADDRESS);
        assertArrayEquals(mac, Arrays.copyOfRange(b, m.start(), m.start() + m.len()));
        // by default the kernel picks the queue counts, as for Docker's veths
        for (List<Attr> end : List.of(top, pa)) {
            assertTrue(end.stream().noneMatch(a -> a.type() == Rtnl.IFLA_NUM_TX_QUEUES || a.type() == Rtnl.IFLA_NUM_RX_QUEUES));
        }
    }

    @Test
    void vethQueuesWhenAsked() {
        RtnlSocket s = RtnlSocket.unconnected();
        s.vethQueues(1);
        s.addVeth(new RtnlSocket.VethEnd("veth1234567", 0, null, 1500, false), 0,
                new RtnlSocket.VethEnd("eth0", 0, null, 1500, false), 42);
        byte[] b = s.pendingBytes();
        List<Attr> top = attrs(b, 32, b.length);
        Attr li = find(top, Rtnl.IFLA_LINKINFO);
        Attr data = find(attrs(b, li.start(), li.start() + li.len()), Rtnl.IFLA_INFO_DATA);
        Attr peer = find(attrs(b, data.start(), data.start() + data.len()), Rtnl.VETH_INFO_PEER);
        List<Attr> pa = attrs(b, peer.start() + Rtnl.IFINFOMSG_LEN, peer.start() + peer.len());
        for (List<Attr> end : List.of(top, pa)) {
            assertEquals(1, NetlinkWriter.getU32(b, find(end, Rtnl.IFLA_NUM_TX_QUEUES).start()));
            assertEquals(1, NetlinkWriter.getU32(b, find(end, Rtnl.IFLA_NUM_RX_QUEUES).start()));
        }
        assertThrows(IllegalArgumentException.class, () -> s.vethQueues(-1));
    }

    @Test
    void overlongInterfaceNamesAreRefusedBeforeTheKernelSeesThem() {
        RtnlSocket s = RtnlSocket.unconnected();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.addBridge("br-0123456789abc", 0, null, 1500, true));
        assertEquals(0, s.pending());
        assertEquals(true, e.getMessage().contains("br-0123456789abc"));
    }
}
