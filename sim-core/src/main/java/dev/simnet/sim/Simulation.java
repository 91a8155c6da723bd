package dev.simnet.sim;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.capture.FrameTap;
import dev.simnet.device.AbstractDevice;
import dev.simnet.device.Backlog;
import dev.simnet.device.VethEnd;
import dev.simnet.l2.BridgeDevice;
import dev.simnet.link.Netem;
import dev.simnet.link.NetemQdisc;
import dev.simnet.ns.Namespace;
import dev.simnet.packet.PacketPool;
import dev.simnet.sched.RandomStreams;
import dev.simnet.sched.Scheduler;
import dev.simnet.trace.TraceSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One simulated machine room: the scheduler, the seeded random streams, the packet pool, the receive
 * backlog and every namespace. Topology builder methods mirror the iproute2 commands Docker runs
 * ({@code ip netns add}, {@code ip link add … type veth}, {@code ip link add … type bridge},
 * {@code ip link set … master}, {@code ip addr add}, {@code ip route add}, {@code ip link set up},
 * {@code tc qdisc add … netem}).
 *
 * <pre>{@code
 * Simulation sim = new Simulation(42);
 * Namespace host = sim.namespace("host"), a = sim.namespace("a");
 * BridgeDevice br = sim.bridge(host, "br0");
 * sim.vethPair(host, "veth1", a, "eth0");
 * sim.enslave(br, "veth1");
 * sim.addAddress(a, "eth0", "172.18.0.2/16");
 * sim.setUp(a, "eth0"); sim.setUp(host, "veth1"); sim.setUp(host, "br0");
 * sim.scheduler().runFor(1_000_000_000L);
 * }</pre>
 */
public final class Simulation {
    /** The first inode number Linux hands out to namespaces after the initial one (4026531840). */
    public static final long FIRST_NETNS_INODE = 4026532177L;

    private final Scheduler scheduler = new Scheduler();
    private final RandomStreams streams;
    private final PacketPool pool;
    private final Backlog backlog;
    private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
    private final List<FrameTap> globalTaps = new ArrayList<>();
    private final SplittableRandom macRandom;
    private long nextInode = FIRST_NETNS_INODE;
    private TraceSink trace;

    /** A simulation whose randomness all derives from {@code seed}. */
    public Simulation(long seed) {
        this.streams = new RandomStreams(seed);
        this.pool = new PacketPool(65535 + 18);
        this.backlog = new Backlog(scheduler);
        this.macRandom = streams.stream("sim/mac");
    }

    /** The event kernel. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** The random streams. */
    public RandomStreams streams() {
        return streams;
    }

    /** The packet pool. */
    public PacketPool pool() {
        return pool;
    }

    /** The shared receive backlog ({@code netif_rx}); benchmarks drain it directly. */
    public Backlog backlog() {
        return backlog;
    }

    /** Current virtual time in nanoseconds. */
    public long now() {
        return scheduler.now();
    }

    /** Runs for {@code ns} nanoseconds of virtual time. */
    public void runFor(long ns) {
        scheduler.runFor(ns);
    }

    /** Creates a namespace with only {@code lo}, already up ({@code ip netns add} + {@code ip link set lo up}). */
    public Namespace namespace(String name) {
        if (namespaces.containsKey(name)) {
            throw new IllegalArgumentException("Cannot create namespace \"" + name + "\": File exists");
        }
        Namespace ns = new Namespace(name, nextInode++, scheduler, pool, streams, backlog);
        ns.setTrace(trace);
        for (FrameTap t : globalTaps) {
            ns.loopback().addTap(t);
        }
        ns.setUp("lo", true);
        namespaces.put(name, ns);
        return ns;
    }

    /** The namespace called {@code name}. */
    public Namespace ns(String name) {
        Namespace ns = namespaces.get(name);
        if (ns == null) {
            throw new IllegalArgumentException("Cannot open network namespace \"" + name + "\": No such file or directory");
        }
        return ns;
    }

    /** Every namespace in creation order. */
    public List<Namespace> namespaces() {
        return Collections.unmodifiableList(new ArrayList<>(namespaces.values()));
    }

    /** A random locally administered unicast MAC from the seeded stream (as the kernel's eth_random_addr). */
    public long randomMac() {
        long m = macRandom.nextLong() & 0xffff_ffff_ffffL;
        return (m & ~0x0100_0000_0000L) | 0x0200_0000_0000L;
    }

    private void tapNew(AbstractDevice d) {
        for (FrameTap t : globalTaps) {
            d.addTap(t);
        }
    }

    /**
     * Creates a veth pair the way Docker does: both ends in {@code nsA} ({@code nameB}'s end gets the
     * lower ifindex, as the kernel registers the peer first), then {@code nameB} moved into
     * {@code nsB} keeping its index when free there. Random MACs, MTU 1500, both down.
     */
    public VethEnd[] vethPair(Namespace nsA, String nameA, Namespace nsB, String nameB) {
        return vethPair(nsA, nameA, randomMac(), nsB, nameB, randomMac(), 1500);
    }

    /** {@link #vethPair(Namespace, String, Namespace, String)} with given MACs and MTU. */
    public VethEnd[] vethPair(Namespace nsA, String nameA, long macA, Namespace nsB, String nameB, long macB, int mtu) {
        VethEnd a = new VethEnd(nameA, macA, mtu);
        VethEnd b = new VethEnd(nameB, macB, mtu);
        VethEnd.pair(a, b);
        int idxB = nsA.allocateIfindex();
        nsA.addDevice(a, 0);
        nsB.addDevice(b, idxB);
        nsA.netnsId(nsB);
        nsB.netnsId(nsA);
        tapNew(a);
        tapNew(b);
        return new VethEnd[] {a, b};
    }

    /**
     * Creates a veth pair as {@code ip -n A link add nameA type veth peer name nameB netns B} does:
     * the peer is registered first, taking the next free index of {@code nsB}; then {@code nameA}
     * takes the next free index of {@code nsA}.
     */
    public VethEnd[] vethPairNetns(Namespace nsA, String nameA, long macA, Namespace nsB, String nameB, long macB, int mtu) {
        VethEnd a = new VethEnd(nameA, macA, mtu);
        VethEnd b = new VethEnd(nameB, macB, mtu);
        VethEnd.pair(a, b);
        nsB.addDevice(b, 0);
        nsA.addDevice(a, 0);
        nsA.netnsId(nsB);
        nsB.netnsId(nsA);
        tapNew(a);
        tapNew(b);
        return new VethEnd[] {a, b};
    }

    /** Creates a bridge in {@code ns} with a random MAC ({@code ip link add NAME type bridge}). */
    public BridgeDevice bridge(Namespace ns, String name) {
        return bridge(ns, name, randomMac());
    }

    /** Creates a bridge with a given MAC. */
    public BridgeDevice bridge(Namespace ns, String name, long mac) {
        BridgeDevice br = new BridgeDevice(name, mac, pool);
        ns.addDevice(br, 0);
        tapNew(br);
        return br;
    }

    /**
     * {@code ip link del IF}: removes the device; deleting either end of a veth removes both (as
     * Docker's container stop or network disconnect does).
     */
    public void deleteLink(Namespace ns, String ifname) {
        AbstractDevice d = ns.device(ifname);
        if (d instanceof VethEnd v && v.peer() != null) {
            VethEnd peer = v.peer();
            ((Namespace) peer.owner()).removeDevice(peer);
        }
        ns.removeDevice(d);
    }

    /** {@code ip link set PORT master BRIDGE}. */
    public void enslave(BridgeDevice bridge, String port) {
        Namespace ns = (Namespace) bridge.owner();
        bridge.addPort(ns.device(port));
    }

    /** {@code ip addr add CIDR brd + dev IF} (Docker's way: with the broadcast address). */
    public void addAddress(Namespace ns, String ifname, String cidr) {
        ns.addAddress(ifname, Ipv4Cidr.parse(cidr));
    }

    /** {@code ip route add DST via GW} ({@code dst} may be {@code default}). */
    public void addRoute(Namespace ns, String dst, String via) {
        Ipv4Cidr d = "default".equals(dst) ? Ipv4Cidr.parse("0.0.0.0/0") : Ipv4Cidr.parse(dst);
        ns.addRoute(d, via == null ? null : Ipv4Address.parse(via), null);
    }

    /** {@code ip route add DST [via GW] dev IF}. */
    public void addRoute(Namespace ns, String dst, String via, String ifname) {
        Ipv4Cidr d = "default".equals(dst) ? Ipv4Cidr.parse("0.0.0.0/0") : Ipv4Cidr.parse(dst);
        ns.addRoute(d, via == null ? null : Ipv4Address.parse(via), ifname);
    }

    /** {@code ip link set IF up}. */
    public void setUp(Namespace ns, String ifname) {
        ns.setUp(ifname, true);
    }

    /** {@code ip link set IF down}. */
    public void setDown(Namespace ns, String ifname) {
        ns.setUp(ifname, false);
    }

    /**
     * {@code tc qdisc replace dev IF root netem …}: impairs frames leaving {@code ifname}, with a random
     * stream named {@code netem/NS/IF}; null removes the impairment.
     */
    public NetemQdisc setImpairment(Namespace ns, String ifname, Netem netem) {
        AbstractDevice d = ns.device(ifname);
        if (netem == null) {
            d.setQdisc(null);
            return null;
        }
        if (d.qdisc() instanceof NetemQdisc q) {
            q.change(netem);
            return q;
        }
        NetemQdisc q = new NetemQdisc(d, scheduler, pool, streams.stream("netem/" + ns.name() + "/" + ifname), netem);
        q.setTrace(trace);
        d.setQdisc(q);
        return q;
    }

    /**
     * Impairs a veth link in both directions (the same netem parameters on both ends' egress, each
     * end with its own random stream), as {@code tc qdisc add} on both sides would.
     */
    public void setLinkImpairment(Namespace ns, String ifname, Netem netem) {
        AbstractDevice d = ns.device(ifname);
        setImpairment(ns, ifname, netem);
        if (d instanceof VethEnd v && v.peer() != null) {
            setImpairment((Namespace) v.peer().owner(), v.peer().name(), netem);
        }
    }

    /** Captures every frame on every interface, existing and future (a merged {@code tcpdump -i any}). */
    public void tap(FrameTap tap) {
        globalTaps.add(tap);
        for (Namespace ns : namespaces.values()) {
            for (AbstractDevice d : ns.devices()) {
                d.addTap(tap);
            }
        }
    }

    /** Installs a trace sink on every namespace, existing and future (null removes it). */
    public void setTrace(TraceSink sink) {
        this.trace = sink;
        for (Namespace ns : namespaces.values()) {
            ns.setTrace(sink);
            for (AbstractDevice d : ns.devices()) {
                if (d.qdisc() instanceof NetemQdisc q) {
                    q.setTrace(sink);
                }
            }
        }
    }
}
