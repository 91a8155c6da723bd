package dev.simnet.demo;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.capture.MergedPcapWriter;
import dev.simnet.device.Frames;
import dev.simnet.host.TransportReceiver;
import dev.simnet.ns.Namespace;
import dev.simnet.ns.render.IpRender;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.sim.Simulation;
import dev.simnet.wire.PacketFormatter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The built-in demo: a Docker-like host namespace with bridge {@code br-demo} (172.18.0.1/16) and two
 * container namespaces on it, {@code web-1} (172.18.0.2) and {@code web-2} (172.18.0.3); web-1 pings
 * web-2 three times, one second apart, like {@code ping -c 3}. Every frame on every interface is
 * written to one pcap (LINUX_SLL2, as {@code tcpdump -i any}); the demo prints the packet walk, ping's
 * own output and the state ({@code ip addr}, {@code ip route}, {@code ip neigh}, {@code bridge fdb}).
 *
 * <p>Usage: {@code BridgeDemo [PCAP] [SEED]} (default {@code simnet-demo.pcap}, seed 1).
 */
public final class BridgeDemo {
    private BridgeDemo() {
    }

    /** Entry point. */
    public static void main(String[] args) {
        Path pcap = Path.of(args.length > 0 ? args[0] : "simnet-demo.pcap");
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        run(pcap, seed, System.out);
    }

    /** Runs the demo, writing the capture to {@code pcap} and the report to {@code out}; returns replies received. */
    public static int run(Path pcap, long seed, PrintStream out) {
        Simulation sim = new Simulation(seed);
        Namespace host = sim.namespace("host");
        Namespace c1 = sim.namespace("web-1");
        Namespace c2 = sim.namespace("web-2");
        var br = sim.bridge(host, "br-demo");
        sim.vethPair(host, "veth1a2b3c4", c1, "eth0");
        sim.vethPair(host, "veth5d6e7f8", c2, "eth0");
        sim.enslave(br, "veth1a2b3c4");
        sim.enslave(br, "veth5d6e7f8");
        sim.addAddress(host, "br-demo", "172.18.0.1/16");
        sim.addAddress(c1, "eth0", "172.18.0.2/16");
        sim.addAddress(c2, "eth0", "172.18.0.3/16");
        sim.setUp(host, "br-demo");
        sim.setUp(host, "veth1a2b3c4");
        sim.setUp(host, "veth5d6e7f8");
        sim.setUp(c1, "eth0");
        sim.setUp(c2, "eth0");
        sim.addRoute(c1, "default", "172.18.0.1");
        sim.addRoute(c2, "default", "172.18.0.1");

        int dst = Ipv4Address.parseBits("172.18.0.3");
        int[] replies = {0};
        long[] sentAt = new long[4];
        out.println("PING 172.18.0.3 (172.18.0.3) 56(84) bytes of data.");
        c1.setTransportReceiver(new TransportReceiver() {
            @Override
            public void receive(PacketBuffer p, int l4, int len, int src, int d, int proto, int ttl, long now) {
                byte[] b = p.data();
                if (proto == 1 && b[l4] == 0) {
                    int seq = Frames.u16(b, l4 + 6);
                    replies[0]++;
                    out.printf(Locale.ROOT, "%d bytes from %s: icmp_seq=%d ttl=%d time=%.3f ms%n", len,
                            Ipv4Address.format(src), seq, ttl, (now - sentAt[Math.min(seq, 3)]) / 1e6);
                }
                p.release();
            }

            @Override
            public void icmpError(PacketBuffer p, int type, int code, int off, int len, long now) {
                out.println("From " + Ipv4Address.format(Frames.u32(p.data(), p.networkOffset + Frames.IP_SRC))
                        + " icmp type " + type + " code " + code);
            }
        });
        StringBuilder walk = new StringBuilder();
        try (MergedPcapWriter w = new MergedPcapWriter(pcap)) {
            sim.tap(w);
            sim.tap((t, ns, ifn, idx, dir, data, off, len) -> walk.append(String.format(Locale.ROOT, "%10.6f %-6s %-12s %-3s %s%n",
                    t / 1e9, ns, ifn, dir, PacketFormatter.format(data, off, len))));
            for (int seq = 1; seq <= 3; seq++) {
                final int s = seq;
                sim.scheduler().schedule((seq - 1) * 1_000_000_000L, now -> {
                    sentAt[s] = now;
                    PacketBuffer p = sim.pool().acquire();
                    p.setLength(64);
                    byte[] b = p.data();
                    int o = p.start();
                    b[o] = 8;
                    b[o + 1] = 0;
                    Frames.put16(b, o + 2, 0);
                    Frames.put16(b, o + 4, 0x1f2e);
                    Frames.put16(b, o + 6, s);
                    for (int i = 8; i < 64; i++) {
                        b[o + i] = (byte) i;
                    }
                    Frames.put16(b, o + 2, Frames.checksum(b, o, 64, 0));
                    c1.sendIpv4(p, 0, dst, 1, 64, 0, true, now);
                });
            }
            sim.runFor(3_000_000_000L);
            out.println();
            out.println("--- 172.18.0.3 ping statistics ---");
            out.printf(Locale.ROOT, "3 packets transmitted, %d received, %d%% packet loss%n", replies[0], (3 - replies[0]) * 100 / 3);
            out.println();
            out.println("=== packet walk (every interface, as tcpdump -i any) ===");
            out.print(walk);
            out.println();
            out.println("=== web-1: ip addr ===");
            out.print(IpRender.ipAddr(c1));
            out.println("=== web-1: ip route ===");
            out.print(IpRender.ipRoute(c1));
            out.println("=== web-1: ip neigh ===");
            out.print(IpRender.ipNeigh(c1));
            out.println("=== host: bridge fdb ===");
            out.print(IpRender.bridgeFdb(host, sim.now()));
            out.println("=== host: ip -s link ===");
            out.print(IpRender.ipSLink(host));
            out.println();
            out.println("pcap written: " + pcap.toAbsolutePath() + " (" + w.packetsWritten() + " frames, LINUX_SLL2; open with wireshark or tcpdump -r)");
        }
        return replies[0];
    }
}
