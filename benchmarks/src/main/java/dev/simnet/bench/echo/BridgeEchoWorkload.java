package dev.simnet.bench.echo;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.device.AbstractDevice;
import dev.simnet.host.HostStack;
import dev.simnet.host.UdpSocket;
import dev.simnet.l2.BridgeDevice;
import dev.simnet.link.Netem;
import dev.simnet.ns.Namespace;
import dev.simnet.sched.Event;
import dev.simnet.sched.Scheduler;
import dev.simnet.sim.Simulation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The ns-3 anchor workload ({@code shared/anchors/ns3-bridge-echo.cc}) expressed in simnet: N hosts,
 * each a namespace whose {@code eth0} is a veth into a switch namespace where the other end is a port
 * of one learning bridge; every link is shaped to 100 Mbit/s with netem {@code rate} (0 delay) on both
 * ends, so each frame pays its serialization time in each direction. Every host runs a UDP echo server
 * on port 9 and a client ({@link HostStack} UDP sockets, ARP resolved on the fly) that sends a
 * {@code SIZE}-byte request to host {@code (i+1) % N} every {@code INTERVAL_US} µs for {@code SECONDS}
 * of virtual time, starting at 0.1 s; the run stops at {@code SECONDS + 1} as the ns-3 program does.
 *
 * <pre>
 *   h0:eth0 ─veth─ sw:veth0 ┐
 *   h1:eth0 ─veth─ sw:veth1 ┼─ br0 (learning bridge)
 *   …                       ┘
 * </pre>
 *
 * Prints the same line as the ns-3 program ({@code hosts= sim_seconds= requests= replies= wall_s=
 * frames_per_wall_s=}, frames = 2 × (requests + replies), as each crosses two links) plus the frames
 * the devices actually received, the events dispatched and the main thread's CPU seconds.
 *
 * <pre>
 *   java -cp benchmarks.jar dev.simnet.bench.echo.BridgeEchoWorkload [N=20] [SECONDS=10] [INTERVAL_US=1000] [SIZE=64] [SEED=1]
 * </pre>
 */
public final class BridgeEchoWorkload {
    /** Echo port (RFC 862). */
    public static final int ECHO_PORT = 9;

    private final Simulation sim;
    private final int hosts;
    private final long maxPackets;
    private final Namespace[] ns;
    private final BridgeDevice bridge;
    private long replies;
    private long sent;
    private long echoed;
    private final long stopAt;

    /** Builds the topology and installs the applications; nothing runs until {@link #run()}. */
    public BridgeEchoWorkload(int n, double seconds, int intervalUs, int size, long seed) {
        if (n < 2 || n > 65000) {
            throw new IllegalArgumentException("hosts " + n + " outside 2..65000");
        }
        this.sim = new Simulation(seed);
        this.hosts = n;
        this.maxPackets = (long) (seconds * 1e6 / intervalUs);
        this.stopAt = (long) ((seconds + 1.0) * 1e9);
        this.ns = new Namespace[n];
        Namespace sw = sim.namespace("switch");
        bridge = sim.bridge(sw, "br0");
        sim.setUp(sw, "br0");
        Netem link = Netem.none().withRate(100_000_000L);
        int base = Ipv4Address.parse("172.18.0.0").bits();
        for (int i = 0; i < n; i++) {
            Namespace h = sim.namespace("h" + i);
            ns[i] = h;
            String port = "veth" + i;
            sim.vethPair(sw, port, h, "eth0");
            sim.enslave(bridge, port);
            h.addAddress("eth0", Ipv4Cidr.of(Ipv4Address.of(base + 2 + i), 16));
            sim.setUp(sw, port);
            sim.setUp(h, "eth0");
            sim.setLinkImpairment(h, "eth0", link);
        }
        long interval = intervalUs * 1000L;
        for (int i = 0; i < n; i++) {
            HostStack st = ns[i].hostStack();
            installServer(st);
            installClient(st, base + 2 + (i + 1) % n, size, interval);
        }
    }

    private void installServer(HostStack st) {
        byte[] buf = new byte[65536];
        UdpSocket server = st.udp().bind(0, ECHO_PORT);
        server.setListener(s -> {
            int len;
            while ((len = s.receive(buf, 0, buf.length)) >= 0) {
                s.sendTo(s.lastSourceAddress(), s.lastSourcePort(), buf, 0, len);
                echoed++;
            }
        });
    }

    private void installClient(HostStack st, int peer, int size, long interval) {
        byte[] payload = new byte[size];
        byte[] in = new byte[65536];
        UdpSocket client = st.udp().connect(peer, ECHO_PORT);
        client.setListener(s -> {
            while (s.receive(in, 0, in.length) >= 0) {
                replies++;
            }
        });
        Scheduler sched = sim.scheduler();
        Event tick = new Event() {
            private long count;

            @Override
            public void fire(long now) {
                client.send(payload, 0, payload.length);
                sent++;
                if (++count < maxPackets) {
                    sched.schedule(now + interval, this);
                }
            }
        };
        sched.schedule(100_000_000L, tick);
    }

    /** Runs to {@code SECONDS + 1} of virtual time. */
    public void run() {
        sim.scheduler().runUntil(stopAt);
    }

    /** Runs {@code ns} more nanoseconds of virtual time (benchmarks step the workload with it). */
    public void runFor(long ns) {
        sim.scheduler().runFor(ns);
    }

    /** Requests the clients sent. */
    public long requests() {
        return sent;
    }

    /** Requests the servers echoed. */
    public long echoed() {
        return echoed;
    }

    /** Replies the clients received. */
    public long replies() {
        return replies;
    }

    /** Requests the clients were told to send (N × SECONDS / INTERVAL). */
    public long planned() {
        return maxPackets * hosts;
    }

    /** Frames received by every device (hosts' {@code eth0} and the bridge's ports), ARP included. */
    public long framesReceived() {
        long f = 0;
        for (Namespace h : sim.namespaces()) {
            for (AbstractDevice d : h.devices()) {
                if (d.kind() == AbstractDevice.Kind.VETH) {
                    f += d.counters().rxPackets;
                }
            }
        }
        return f;
    }

    /** Events the scheduler dispatched. */
    public long events() {
        return sim.scheduler().dispatchedCount();
    }

    /** Entry point; see the class comment. */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10.0;
        int intervalUs = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 1;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        BridgeEchoWorkload w = new BridgeEchoWorkload(n, seconds, intervalUs, size, seed);
        long cpu0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        w.run();
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
        double frames = 2.0 * (w.requests() + w.replies());
        System.out.printf(Locale.ROOT,
                "hosts=%d sim_seconds=%.1f requests=%d replies=%d wall_s=%.3f frames_per_wall_s=%.0f"
                        + " echoed=%d device_rx_frames=%d events=%d run_thread_cpu_s=%.3f%n",
                n, seconds, w.requests(), w.replies(), wall, frames / wall, w.echoed(), w.framesReceived(), w.events(), cpu);
    }
}
