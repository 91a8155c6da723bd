package dev.simnet.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simnet.addr.MacAddress;
import dev.simnet.capture.FrameTap.Direction;
import dev.simnet.device.AbstractDevice;
import dev.simnet.ip.DropReason;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.testutil.Capture;
import dev.simnet.wire.Bytes;
import dev.simnet.wire.Checksum;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A TCP GSO super-frame (as a TAP with offloads hands one in) is routed whole when each of its
 * segments would fit the egress MTU ({@code skb_gso_validate_network_len}); one whose segments would
 * not, and an ordinary frame over the MTU with DF, get fragmentation needed.
 */
class GsoForwardTest {
    private static final long SEC = 1_000_000_000L;

    private static PacketBuffer superFrame(RoutingTest.Routed t, int payload, int gsoSize) {
        AbstractDevice r1 = t.r.device("r1");
        AbstractDevice a0 = t.a.device("eth0");
        PacketBuffer p = t.sim.pool().acquire();
        int tot = 20 + 20 + payload;
        p.setLength(14 + tot);
        byte[] b = p.data();
        int s = p.start();
        java.util.Arrays.fill(b, s, s + 14 + tot, (byte) 0);
        MacAddress.writeBits(r1.mac(), b, s);
        MacAddress.writeBits(a0.mac(), b, s + 6);
        Bytes.put16(b, s + 12, 0x0800);
        int ip = s + 14;
        b[ip] = 0x45;
        Bytes.put16(b, ip + 2, tot);
        Bytes.put16(b, ip + 6, 0x4000);
        b[ip + 8] = 64;
        b[ip + 9] = 6;
        Bytes.put32(b, ip + 12, RoutingTest.ip("10.0.1.2"));
        Bytes.put32(b, ip + 16, RoutingTest.ip("10.0.2.2"));
        Bytes.put16(b, ip + 10, 0);
        Bytes.put16(b, ip + 10, Checksum.compute(b, ip, 20));
        int tcp = ip + 20;
        Bytes.put16(b, tcp, 40000);
        Bytes.put16(b, tcp + 2, 5201);
        b[tcp + 12] = 0x50;
        b[tcp + 13] = 0x10;
        Bytes.put16(b, tcp + 16, Checksum.pseudoHeaderSum(Bytes.i32(b, ip + 12), Bytes.i32(b, ip + 16), 6, 20 + payload));
        p.gsoSize = gsoSize;
        p.offload = gsoSize == 0 ? 0 : PacketBuffer.OFFLOAD_NEEDS_CSUM;
        return p;
    }

    @Test
    void aSuperFrameWhoseSegmentsFitIsForwardedWhole() {
        RoutingTest.Routed t = new RoutingTest.Routed(3, 1500);
        AbstractDevice r1 = t.r.device("r1");
        r1.netifRx(superFrame(t, 4 * 1448, 1448), t.sim.now());
        t.sim.runFor(SEC);
        List<Capture.Frame> out = t.cap.on("r", "r2", Direction.OUT).stream().filter(f -> f.etherType() == 0x0800).toList();
        assertEquals(1, out.size(), t.cap.dump());
        assertEquals(14 + 40 + 4 * 1448, out.get(0).bytes().length);
        assertEquals(63, out.get(0).ttl());
        assertEquals(0, t.r.drops(DropReason.FRAG_NEEDED));

        // segments of 1461 bytes of payload would not fit 1500
        r1.netifRx(superFrame(t, 4 * 1461, 1461), t.sim.now());
        // nor does an ordinary DF frame over the MTU
        r1.netifRx(superFrame(t, 1600, 0), t.sim.now());
        t.sim.runFor(SEC);
        assertEquals(2, t.r.drops(DropReason.FRAG_NEEDED), t.cap.dump());
        assertEquals(1, t.cap.on("r", "r2", Direction.OUT).stream().filter(f -> f.etherType() == 0x0800).count());
    }
}
