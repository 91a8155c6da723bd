package dev.simnet.bench.ip;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.bench.BenchBase;
import dev.simnet.device.AbstractDevice;
import dev.simnet.device.Backlog;
import dev.simnet.device.Frames;
import dev.simnet.neigh.NeighState;
import dev.simnet.ns.Namespace;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.sim.Simulation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * One routed hop through a router namespace: a 98-byte ICMP frame arrives on {@code r1}; Ethernet
 * demux, IPv4 header validation (checksum), martian and local checks, longest-prefix match,
 * TTL decrement with RFC 1624 checksum update, neighbour output (REACHABLE entry), Ethernet header
 * push, transmit on {@code r2}, veth crossing and receive by the next host's device. The frame's
 * bytes are restored from a template each iteration (a 98-byte copy is part of the measured time).
 */
public class RoutedBench extends BenchBase {
    private AbstractDevice r1;
    private Backlog backlog;
    private PacketBuffer frame;
    private PacketBuffer returned;
    private byte[] template;
    private int start;
    private long now;

    @Setup
    public void setup() {
        Simulation sim = new Simulation(1);
        Namespace a = sim.namespace("a");
        Namespace r = sim.namespace("r");
        Namespace b = sim.namespace("b");
        sim.vethPair(r, "r1", a, "eth0");
        sim.vethPair(r, "r2", b, "eth0");
        sim.addAddress(a, "eth0", "10.0.1.2/24");
        sim.addAddress(r, "r1", "10.0.1.1/24");
        sim.addAddress(r, "r2", "10.0.2.1/24");
        sim.addAddress(b, "eth0", "10.0.2.2/24");
        sim.setUp(a, "eth0");
        sim.setUp(b, "eth0");
        sim.setUp(r, "r1");
        sim.setUp(r, "r2");
        r.setIpForward(true);
        r.neighTable("r2").addAdmin(Ipv4Address.parseBits("10.0.2.2"), b.device("eth0").mac(), NeighState.REACHABLE, 0);
        r1 = r.device("r1");
        backlog = sim.backlog();
        b.device("eth0").setReceiver((dev, f, t) -> returned = f);
        frame = sim.pool().acquire();
        frame.setLength(98);
        byte[] d = frame.data();
        int s = frame.start();
        Frames.writeEth(d, s, r1.mac(), a.device("eth0").mac(), Frames.ETH_P_IP);
        Frames.writeIpHeader(d, s + 14, 0, 84, 1, Frames.IP_DF, 64, 1, Ipv4Address.parseBits("10.0.1.2"),
                Ipv4Address.parseBits("10.0.2.2"));
        d[s + 34] = 8;
        Frames.put16(d, s + 36, Frames.checksum(d, s + 34, 64, 0));
        start = s;
        template = java.util.Arrays.copyOfRange(d, s, s + 98);
        now = 1_000_000L;
        step();
        if (returned != frame) {
            throw new IllegalStateException("bench setup: frame was not routed");
        }
    }

    private PacketBuffer step() {
        PacketBuffer f = frame;
        f.setBounds(start, start + 98);
        System.arraycopy(template, 0, f.data(), start, 98);
        returned = null;
        r1.receiveNow(f, now);
        backlog.drain(now);
        return returned;
    }

    @Benchmark
    public PacketBuffer routedHop() {
        return step();
    }
}
