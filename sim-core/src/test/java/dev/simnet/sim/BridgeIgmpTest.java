package dev.simnet.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.MacAddress;
import dev.simnet.capture.FrameTap.Direction;
import dev.simnet.l2.BridgeDevice;
import dev.simnet.netfilter.Netfilter;
import dev.simnet.ns.Namespace;
import dev.simnet.testutil.Capture;
import dev.simnet.wire.Igmpv3ReportRepr;
import dev.simnet.wire.MalformedPacketException;
import dev.simnet.wire.PacketFormatter;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A snooping bridge that comes up reports its 224.0.0.106 membership twice, as the kernel does (measured on
 * the kernel backend: 8 ms after link-up, then within the next second): the frame, byte for byte as tcpdump
 * showed it there, its timing, and what the rest of the datapath does with it.
 */
class BridgeIgmpTest {
    static final long MS = 1_000_000L;

    /**
     * The kernel's report, captured with {@code tcpdump -xx} on the port of a bridge with MAC 02:42:ac:11:00:01
     * and address 172.17.0.1/16 ("IP 172.17.0.1 > 224.0.0.22: igmp v3 report, 1 group record(s)").
     */
    static final String KERNEL_FRAME = "01005e0000160242ac110001080046c0"
            + "002800004000010257e7ac110001e000"
            + "0016940400002200f993000000010400"
            + "0000e000006a";

    private static final class Topo {
        final Simulation sim = new Simulation(3);
        final Capture cap = new Capture();
        final Namespace host;
        final Namespace c;
        final BridgeDevice br;

        Topo(boolean snooping) {
            sim.tap(cap);
            host = sim.namespace("host");
            c = sim.namespace("c");
            br = sim.bridge(host, "br0", MacAddress.parse("02:42:ac:11:00:01").bits());
            br.setMulticastSnooping(snooping);
            sim.vethPair(host, "veth0", c, "eth0");
            sim.enslave(br, "veth0");
            sim.addAddress(host, "br0", "172.17.0.1/16");
            sim.addAddress(c, "eth0", "172.17.0.2/16");
            sim.setUp(host, "veth0");
            sim.setUp(c, "eth0");
        }
    }

    @Test
    void theReportIsTheKernelsByteForByte() {
        byte[] igmp = new byte[Igmpv3ReportRepr.LEN];
        Igmpv3ReportRepr.join(Igmpv3ReportRepr.ALL_SNOOPERS).emit(igmp, 0);
        assertEquals(KERNEL_FRAME.substring(KERNEL_FRAME.length() - 32), HexFormat.of().formatHex(igmp));
        assertEquals(Igmpv3ReportRepr.join(Igmpv3ReportRepr.ALL_SNOOPERS), Igmpv3ReportRepr.parse(igmp, 0, igmp.length));
        igmp[15] ^= 1;
        assertThrows(MalformedPacketException.class, () -> Igmpv3ReportRepr.parse(igmp, 0, igmp.length), "checksum");
        assertThrows(MalformedPacketException.class, () -> Igmpv3ReportRepr.parse(igmp, 0, 8), "truncated");
        assertThrows(IllegalArgumentException.class, () -> Igmpv3ReportRepr.join(Ipv4Address.parse("10.0.0.1")));
    }

    @Test
    void bridgeUpSendsTwoReportsEightMsThenWithinASecond() {
        Topo t = new Topo(true);
        long t0 = t.sim.now();
        t.sim.setUp(t.host, "br0");
        t.sim.runFor(2000 * MS);
        List<Capture.Frame> out = t.cap.on("host", "br0", Direction.OUT);
        assertEquals(2, out.size(), t.cap.dump());
        for (Capture.Frame f : out) {
            assertEquals(KERNEL_FRAME, HexFormat.of().formatHex(f.bytes()));
        }
        assertEquals(8 * MS, out.get(0).time() - t0, "two jiffies after link-up");
        long gap = out.get(1).time() - out.get(0).time();
        assertTrue(gap >= 8 * MS && gap <= 1004 * MS && gap % (4 * MS) == 0, "a random 2..251 jiffies later: " + gap);
        // flooded to the port: the container receives it and, not being a member of 224.0.0.22, drops it
        assertEquals(2, t.cap.on("c", "eth0", Direction.IN).size());
        assertEquals("172.17.0.1 > 224.0.0.22: igmp v3 report, 1 group record(s)",
                PacketFormatter.format(out.get(0).bytes()).replaceFirst("^.*IP ", ""));
    }

    @Test
    void downAndUpAgainStartsOverWithoutTheOldTimers() {
        Topo t = new Topo(true);
        t.sim.setUp(t.host, "br0");
        t.sim.runFor(20 * MS); // the first report went out; the second is pending unless it drew the shortest delays
        int beforeDown = t.cap.on("host", "br0", Direction.OUT).size();
        assertTrue(beforeDown >= 1, t.cap.dump());
        t.sim.setDown(t.host, "br0");
        t.sim.setUp(t.host, "br0");
        t.sim.runFor(3000 * MS);
        assertEquals(beforeDown + 2, t.cap.on("host", "br0", Direction.OUT).size(),
                "what the first up had sent, then the second up's two: no report of the dropped membership");
    }

    @Test
    void noSnoopingNoReports() {
        Topo t = new Topo(false);
        t.sim.setUp(t.host, "br0");
        t.sim.runFor(2000 * MS);
        assertEquals(List.of(), t.cap.on("host", "br0", Direction.OUT));
    }

    @Test
    void anEmptyBridgeReportsIntoTheVoidButConntrackSeesIt() {
        Simulation sim = new Simulation(4);
        Capture cap = new Capture();
        sim.tap(cap);
        Namespace host = sim.namespace("host");
        sim.bridge(host, "docker0", MacAddress.parse("02:42:ac:11:00:01").bits());
        sim.addAddress(host, "docker0", "172.17.0.1/16");
        Netfilter nf = Netfilter.create(host, sim.streams(), "host");
        host.setPacketFilter(nf);
        sim.setUp(host, "docker0");
        sim.runFor(2000 * MS);
        assertEquals(List.of(), cap.on("host", "docker0", Direction.OUT), "no carrier: noop qdisc, nothing captured");
        String ct = nf.conntrack().list(sim.now());
        assertTrue(ct.contains("224.0.0.22"), "but OUTPUT and POSTROUTING tracked it: " + ct);
    }
}
