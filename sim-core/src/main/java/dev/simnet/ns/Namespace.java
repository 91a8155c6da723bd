package dev.simnet.ns;

import dev.simnet.addr.MacAddress;
import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.device.AbstractDevice;
import dev.simnet.device.Backlog;
import dev.simnet.device.FrameReceiver;
import dev.simnet.device.Frames;
import dev.simnet.device.Loopback;
import dev.simnet.device.NetDevice;
import dev.simnet.host.HostStack;
import dev.simnet.host.IpOutput;
import dev.simnet.host.TransportReceiver;
import dev.simnet.ip.DropReason;
import dev.simnet.ip.Reassembler;
import dev.simnet.ip.RouteTable;
import dev.simnet.l2.BridgeDevice;
import dev.simnet.neigh.NeighTable;
import dev.simnet.netfilter.Hook;
import dev.simnet.netfilter.NetfilterHost;
import dev.simnet.netfilter.PacketFilter;
import dev.simnet.packet.PacketBuffer;
import dev.simnet.packet.PacketPool;
import dev.simnet.sched.RandomStreams;
import dev.simnet.sched.Scheduler;
import dev.simnet.trace.TraceSink;
import dev.simnet.wire.Bytes;
import dev.simnet.wire.Checksum;
import dev.simnet.wire.Igmpv3ReportRepr;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A network namespace: interfaces ({@code lo} always), IPv4 addresses, the main routing table, one
 * ARP table per interface, sysctls, a netfilter instance ({@link PacketFilter}) and a socket layer
 * ({@link TransportReceiver}). It is the IPv4 layer of {@code net/ipv4}: {@code ip_rcv} →
 * PREROUTING → route → local ({@code ip_local_deliver}: reassembly, INPUT, ICMP answered by the
 * kernel, the rest to the socket layer) or forward ({@code ip_forward}: TTL, DF/MTU, FORWARD) →
 * POSTROUTING → fragmentation → neighbour output; and local output through OUTPUT.
 *
 * <p>It implements {@link IpOutput} for the host stack, {@link NetfilterHost} for netfilter and
 * {@link FrameReceiver} for its devices. Several containers may share one namespace.
 */
public final class Namespace implements FrameReceiver, IpOutput, NetfilterHost, NeighTable.Host {
    /** ICMP types used here. */
    public static final int ICMP_ECHOREPLY = 0;
    /** Destination unreachable. */
    public static final int ICMP_DEST_UNREACH = 3;
    /** Echo request. */
    public static final int ICMP_ECHO = 8;
    /** Time exceeded. */
    public static final int ICMP_TIME_EXCEEDED = 11;
    /** Parameter problem. */
    public static final int ICMP_PARAMETERPROB = 12;
    /** Unreachable codes. */
    public static final int NET_UNREACH = 0;
    /** Host unreachable. */
    public static final int HOST_UNREACH = 1;
    /** Protocol unreachable. */
    public static final int PROT_UNREACH = 2;
    /** Port unreachable. */
    public static final int PORT_UNREACH = 3;
    /** Fragmentation needed and DF set. */
    public static final int FRAG_NEEDED = 4;

    private final String name;
    private final long inode;
    private final Scheduler scheduler;
    private final PacketPool pool;
    private final RandomStreams streams;
    private final Backlog backlog;
    private final Loopback lo = new Loopback();
    // devices by ifindex: a dense array for the indexes this namespace allocates itself, and a short
    // side list for the few high indexes veth peers keep when moved in (a container's eth0 keeps the
    // host's index, e.g. 20 000: a dense array would cost 80 KB per container, quadratic in total)
    private AbstractDevice[] byIndex = new AbstractDevice[16];
    private NeighTable[] neigh = new NeighTable[16];
    private int[] sparseIdx = new int[0];
    private AbstractDevice[] sparseDev = new AbstractDevice[0];
    private NeighTable[] sparseNeigh = new NeighTable[0];
    private final List<AbstractDevice> devices = new ArrayList<>();
    private final java.util.Map<String, AbstractDevice> byName = new java.util.HashMap<>();
    private final List<IfAddress> addresses = new ArrayList<>();
    private int[] localAddrs = new int[0];
    private boolean ipv6;
    /** (network, mask) pairs of addresses with a prefix on lo: the kernel makes the whole prefix local. */
    private int[] loPrefixes = new int[0];
    private final RouteTable routes = new RouteTable();
    private final Reassembler reassembler;
    private final long[] drops = new long[DropReason.values().length];
    private final java.util.Map<String, Integer> netnsIds = new java.util.HashMap<>();
    private int nextIfindex = 2;
    private int ipId;
    private boolean ipForward;
    private int defaultTtl = 64;
    private boolean icmpEchoIgnoreBroadcasts = true;
    private PacketFilter filter = PacketFilter.ACCEPT_ALL;
    private final java.util.Map<Integer, long[]> pmtu = new java.util.HashMap<>();
    /** {@code net.ipv4.route.mtu_expires}: a learned path MTU lasts 600 s. */
    public static final long MTU_EXPIRES_NS = 600_000_000_000L;
    /** {@code net.ipv4.route.min_pmtu}: 552. */
    public static final int MIN_PMTU = 552;
    private final java.util.Map<Integer, long[]> redirectPeers = new java.util.HashMap<>();
    private boolean sendRedirects = true;
    /** ICMP redirects sent. */
    public long redirectsSent;
    private final java.util.Map<Integer, long[]> icmpPeers = new java.util.HashMap<>();
    private long icmpGlobalCredit = ICMP_MSGS_BURST;
    private long icmpGlobalStamp;
    private long icmpRateLimited;
    /** {@code net.ipv4.icmp_ratelimit}: 1000 ms per peer (token bucket with burst 6). */
    public static final long ICMP_RATELIMIT_NS = 1_000_000_000L;
    /** {@code net.ipv4.icmp_msgs_per_sec}: 1000. */
    public static final long ICMP_MSGS_PER_SEC = 1000;
    /** {@code net.ipv4.icmp_msgs_burst}: 50. */
    public static final long ICMP_MSGS_BURST = 50;
    private TransportReceiver transport;
    private HostStack hostStack;
    private TraceSink trace;

    /** A namespace with only {@code lo} (down, as after {@code ip netns add}; {@link #setUp} it). */
    public Namespace(String name, long inode, Scheduler scheduler, PacketPool pool, RandomStreams streams, Backlog backlog) {
        this.name = name;
        this.inode = inode;
        this.scheduler = scheduler;
        this.pool = pool;
        this.streams = streams;
        this.backlog = backlog;
        this.ipId = streams.stream("ipid/" + name).nextInt() & 0xffff;
        this.reassembler = new Reassembler(scheduler, pool, this::reassemblyExpired);
        lo.attach(this, name, 1, backlog);
        lo.setReceiver(this);
        byIndex[1] = lo;
        byName.put(lo.name(), lo);
        devices.add(lo);
        addAddress("lo", Ipv4Cidr.parse("127.0.0.1/8"), 0, IfAddress.SCOPE_HOST);
    }

    // ------------------------------------------------------------------ identity and config

    /** The namespace name. */
    public String name() {
        return name;
    }

    /** The inode-like id {@code lsns -t net} shows. */
    public long inode() {
        return inode;
    }

    /** The scheduler. */
    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public PacketPool pool() {
        return pool;
    }

    /** Installs netfilter ({@link PacketFilter#ACCEPT_ALL} when null). */
    public void setPacketFilter(PacketFilter f) {
        this.filter = f == null ? PacketFilter.ACCEPT_ALL : f;
    }

    /** The installed netfilter. */
    public PacketFilter packetFilter() {
        return filter;
    }

    /** Installs the socket layer that receives local datagrams and ICMP errors. */
    public void setTransportReceiver(TransportReceiver r) {
        this.transport = r;
    }

    /** The socket layer, or null. */
    public TransportReceiver transportReceiver() {
        return transport;
    }

    /**
     * The namespace's host stack (UDP, TCP and ping sockets), created on first use with the random
     * stream {@code host/NAME} and installed as the transport receiver (replacing any other).
     */
    public HostStack hostStack() {
        if (hostStack == null) {
            hostStack = new HostStack(name, scheduler, this, pool, streams.stream("host/" + name), this::isLocalAddress);
            transport = hostStack;
        }
        return hostStack;
    }

    /** Installs a trace sink (null for none) here and on every device and neighbour table. */
    public void setTrace(TraceSink t) {
        this.trace = t;
        for (AbstractDevice d : devices) {
            if (d instanceof BridgeDevice b) {
                b.setTrace(t);
            }
            NeighTable nt = neighAt(d.ifindex());
            if (nt != null) {
                nt.setTrace(t);
            }
        }
    }

    /** {@code net.ipv4.ip_forward}. */
    public void setIpForward(boolean on) {
        this.ipForward = on;
    }

    /** {@code net.ipv4.ip_forward}. */
    public boolean ipForward() {
        return ipForward;
    }

    /** {@code net.ipv4.ip_default_ttl} (64). */
    public int defaultTtl() {
        return defaultTtl;
    }

    /** Sets {@code net.ipv4.ip_default_ttl}. */
    public void setDefaultTtl(int ttl) {
        this.defaultTtl = ttl;
    }

    /** {@code net.ipv4.icmp_echo_ignore_broadcasts} (on by default). */
    public void setIcmpEchoIgnoreBroadcasts(boolean on) {
        this.icmpEchoIgnoreBroadcasts = on;
    }

    /** Drops counted for a reason. */
    public long drops(DropReason r) {
        return drops[r.ordinal()];
    }

    /** The reassembler (for its counters). */
    public Reassembler reassembler() {
        return reassembler;
    }

    private void drop(PacketBuffer p, DropReason r, long now) {
        drops[r.ordinal()]++;
        if (trace != null) {
            trace.trace(now, name, "drop", r.name().toLowerCase(java.util.Locale.ROOT) + describe(p));
        }
        p.release();
    }

    private String describe(PacketBuffer p) {
        int ip = p.networkOffset;
        if (ip < 0 || ip + 20 > p.end()) {
            return "";
        }
        byte[] b = p.data();
        return ": " + Ipv4Address.format(Bytes.i32(b, ip + Frames.IP_SRC)) + " > "
                + Ipv4Address.format(Bytes.i32(b, ip + Frames.IP_DST)) + " proto " + (b[ip + Frames.IP_PROTO] & 0xff);
    }

    // ------------------------------------------------------------------ devices

    /** The loopback device. */
    public Loopback loopback() {
        return lo;
    }

    /** Devices in ifindex order. */
    public List<AbstractDevice> devices() {
        List<AbstractDevice> l = new ArrayList<>(devices);
        l.sort((a, b) -> Integer.compare(a.ifindex(), b.ifindex()));
        return l;
    }

    /** The device called {@code ifname}; throws with a clear message if absent. */
    public AbstractDevice device(String ifname) {
        AbstractDevice d = byName.get(ifname);
        if (d != null) {
            return d;
        }
        throw new IllegalArgumentException("Cannot find device \"" + ifname + "\" in namespace " + name);
    }

    /** The device with index {@code ifindex}, or null. */
    public AbstractDevice deviceByIndex(int ifindex) {
        return ifindex > 0 ? dev(ifindex) : null;
    }

    private AbstractDevice dev(int idx) {
        if (idx < byIndex.length) {
            return byIndex[idx];
        }
        int[] k = sparseIdx;
        for (int i = 0; i < k.length; i++) {
            if (k[i] == idx) {
                return sparseDev[i];
            }
        }
        return null;
    }

    private int sparseSlot(int idx) {
        for (int i = 0; i < sparseIdx.length; i++) {
            if (sparseIdx[i] == idx) {
                return i;
            }
        }
        return -1;
    }

    private NeighTable neighAt(int idx) {
        if (idx < neigh.length) {
            return neigh[idx];
        }
        int i = sparseSlot(idx);
        return i < 0 ? null : sparseNeigh[i];
    }

    private void setNeighAt(int idx, NeighTable t) {
        if (idx < neigh.length) {
            neigh[idx] = t;
        } else {
            int i = sparseSlot(idx);
            if (i >= 0) {
                sparseNeigh[i] = t;
            }
        }
    }

    /** Allocates the next free ifindex ({@code dev_new_index}). */
    public int allocateIfindex() {
        while (dev(nextIfindex) != null) {
            nextIfindex++;
        }
        return nextIfindex++;
    }

    /**
     * Adds a device with index {@code ifindex} (keeping the index a moved device had, when free here;
     * 0 allocates one). Returns the index used.
     */
    public int addDevice(AbstractDevice d, int ifindex) {
        if (byName.containsKey(d.name())) {
            throw new IllegalArgumentException("RTNETLINK answers: File exists (device " + d.name() + " in " + name + ")");
        }
        int idx = ifindex;
        if (idx <= 0 || dev(idx) != null) {
            idx = allocateIfindex();
        }
        if (idx < byIndex.length) {
            byIndex[idx] = d;
        } else if (idx < 2 * byIndex.length + 2 * devices.size() + 16) {
            int n = Math.max(byIndex.length * 2, idx + 1);
            byIndex = java.util.Arrays.copyOf(byIndex, n);
            neigh = java.util.Arrays.copyOf(neigh, n);
            byIndex[idx] = d;
        } else {
            int m = sparseIdx.length;
            sparseIdx = java.util.Arrays.copyOf(sparseIdx, m + 1);
            sparseDev = java.util.Arrays.copyOf(sparseDev, m + 1);
            sparseNeigh = java.util.Arrays.copyOf(sparseNeigh, m + 1);
            sparseIdx[m] = idx;
            sparseDev[m] = d;
        }
        byName.put(d.name(), d);
        d.attach(this, name, idx, backlog);
        if (d.master() == null) {
            d.setReceiver(this);
        }
        devices.add(d);
        if (d instanceof BridgeDevice b) {
            b.setTrace(trace);
        }
        return idx;
    }

    /**
     * Removes a device ({@code ip link del}, or the namespace side of a deleted veth): its addresses,
     * routes and neighbour entries go with it; a bridge port is released from its bridge.
     */
    public void removeDevice(AbstractDevice d) {
        if (d == lo) {
            throw new IllegalArgumentException("lo cannot be removed");
        }
        if (!devices.remove(d)) {
            return;
        }
        int idx = d.ifindex();
        d.setUp(false);
        if (d.master() instanceof BridgeDevice b) {
            b.removePort(d);
        }
        if (d instanceof BridgeDevice b) {
            for (AbstractDevice port : b.ports()) {
                b.removePort(port);
                port.setReceiver(this);
            }
        }
        addresses.removeIf(a -> a.ifindex() == idx);
        rebuildLocal();
        routes.removeIf(r -> r.oif() == idx);
        NeighTable t = neighAt(idx);
        if (t != null) {
            for (NeighTable.Entry e : t.entries()) {
                t.delete(e.ip());
            }
        }
        byName.remove(d.name());
        if (idx < byIndex.length) {
            neigh[idx] = null;
            byIndex[idx] = null;
        } else {
            int i = sparseSlot(idx);
            int last = sparseIdx.length - 1;
            sparseIdx[i] = sparseIdx[last];
            sparseDev[i] = sparseDev[last];
            sparseNeigh[i] = sparseNeigh[last];
            sparseIdx = java.util.Arrays.copyOf(sparseIdx, last);
            sparseDev = java.util.Arrays.copyOf(sparseDev, last);
            sparseNeigh = java.util.Arrays.copyOf(sparseNeigh, last);
        }
    }

    /** The {@code link-netnsid} this namespace uses for {@code peer}, assigned on first use in order. */
    public int netnsId(Namespace peer) {
        Integer i = netnsIds.get(peer.name);
        if (i == null) {
            i = netnsIds.size();
            netnsIds.put(peer.name, i);
        }
        return i;
    }

    /** Sets an interface up or down ({@code ip link set dev X up|down}); down flushes its routes. */
    public void setUp(String ifname, boolean up) {
        AbstractDevice d = device(ifname);
        if (d.isUp() == up) {
            return;
        }
        d.setUp(up);
        if (up) {
            for (IfAddress a : addresses) {
                if (a.ifindex() == d.ifindex()) {
                    addPrefixRoute(a);
                }
            }
            if (d instanceof BridgeDevice br && br.multicastSnooping()) {
                joinSnoopers(br);
            }
        } else {
            igmpEpoch.merge(d, 1, Integer::sum); // the membership (and its pending reports) goes with the link
            final int idx = d.ifindex();
            routes.removeIf(r -> r.oif() == idx);
        }
    }

    /** One jiffy of Debian's kernels (HZ=250): the unit of the IGMP timers. */
    private static final long JIFFY_NS = 4_000_000L;
    private static final int HZ = 250;

    /**
     * A snooping bridge that comes up joins 224.0.0.106 (br_multicast_open → br_multicast_join_snoopers), and
     * the IGMPv3 layer reports the new membership robustness-variable times (2): two jiffies later, then after
     * a further 2..HZ+1 jiffies (igmp_ifc_start_timer: a random part of the 1 s unsolicited report interval).
     * Measured on the kernel backend's bridges: 8 ms after link-up, then 0.95 s later.
     */
    private void joinSnoopers(BridgeDevice br) {
        SplittableRandom r = streams.stream("igmp/" + name + "/" + br.name());
        long first = 2 * JIFFY_NS;
        long second = first + (2 + r.nextInt(HZ)) * JIFFY_NS;
        int epoch = igmpEpoch.merge(br, 1, Integer::sum);
        scheduler.scheduleIn(first, now -> igmpReport(br, epoch, now));
        scheduler.scheduleIn(second, now -> igmpReport(br, epoch, now));
    }

    /** Per device, how many times its multicast membership was made or dropped (stale report timers see a newer one). */
    private final java.util.Map<AbstractDevice, Integer> igmpEpoch = new java.util.IdentityHashMap<>();

    /**
     * Sends the IGMPv3 report of the all-snoopers membership from {@code dev} (igmpv3_sendpack): to 224.0.0.22
     * with the Router Alert option, TTL 1, TOS 0xc0, DF and IP id 0, from the interface's first address,
     * through OUTPUT and POSTROUTING like every locally generated packet. A bridge up without an address sends
     * from 0.0.0.0 here (RFC 3376 §4.2.13 allows it); the kernel's choice in that case was not measured —
     * Docker gives a bridge its address before it brings it up.
     */
    private void igmpReport(AbstractDevice dev, int epoch, long now) {
        if (!dev.isUp() || dev(dev.ifindex()) != dev || igmpEpoch.getOrDefault(dev, 0) != epoch) {
            return; // down, gone or up again meanwhile: the timer was stopped with the membership
        }
        int src = 0;
        for (IfAddress a : addresses) {
            if (a.ifindex() == dev.ifindex()) {
                src = a.address();
                break;
            }
        }
        int dst = Igmpv3ReportRepr.ALL_V3_ROUTERS.bits();
        Igmpv3ReportRepr report = Igmpv3ReportRepr.join(Igmpv3ReportRepr.ALL_SNOOPERS);
        PacketBuffer p = pool.acquire(report.bufferLen() + 24 + Frames.ETH_HLEN);
        p.setLength(report.bufferLen());
        report.emit(p.data(), p.start());
        int ip = p.push(24);
        byte[] b = p.data();
        b[ip] = 0x46;
        b[ip + 1] = (byte) 0xc0;
        Bytes.put16(b, ip + Frames.IP_LEN, 24 + report.bufferLen());
        Bytes.put16(b, ip + 4, 0);
        Bytes.put16(b, ip + Frames.IP_FRAG, Frames.IP_DF);
        b[ip + 8] = 1;
        b[ip + 9] = (byte) Igmpv3ReportRepr.PROTOCOL;
        Bytes.put32(b, ip + Frames.IP_SRC, src);
        Bytes.put32(b, ip + Frames.IP_DST, dst);
        b[ip + 20] = (byte) 0x94; // Router Alert (RFC 2113), value 0
        b[ip + 21] = 4;
        Bytes.put16(b, ip + 22, 0);
        Frames.setIpChecksum(b, ip);
        p.networkOffset = ip;
        if (trace != null) {
            trace.trace(now, name, "igmp", dev.name() + ": IGMPv3 report " + Ipv4Address.format(src) + " > 224.0.0.22, "
                    + "to_ex 224.0.0.106 (the bridge's multicast-snooping membership)");
        }
        if (localHookPasses(Hook.OUTPUT, p, dev, now)) {
            postRouting(p, dev, dst, now);
        }
    }

    /** The ARP table of an interface (created on first use). */
    public NeighTable neighTable(String ifname) {
        return neighFor(device(ifname));
    }

    private NeighTable neighFor(AbstractDevice d) {
        NeighTable t = neighAt(d.ifindex());
        if (t == null) {
            SplittableRandom r = streams.stream("neigh/" + name + "/" + d.name());
            t = new NeighTable(d, scheduler, pool, this, r);
            t.setTrace(trace);
            setNeighAt(d.ifindex(), t);
        }
        return t;
    }

    // ------------------------------------------------------------------ addresses and routes

    /** Adds an address with Docker's broadcast ({@code brd +}) and scope global; adds the prefix route when up. */
    public void addAddress(String ifname, Ipv4Cidr cidr) {
        addAddress(ifname, cidr, cidr.prefixLength() >= 31 ? 0 : cidr.broadcast().bits(), IfAddress.SCOPE_GLOBAL);
    }

    /** Adds an address with an explicit broadcast (0 for none, as plain {@code ip addr add}) and scope. */
    public void addAddress(String ifname, Ipv4Cidr cidr, int broadcast, int scope) {
        AbstractDevice d = device(ifname);
        for (IfAddress a : addresses) {
            if (a.ifindex() == d.ifindex() && a.address() == cidr.address().bits() && a.cidr().prefixLength() == cidr.prefixLength()) {
                throw new IllegalArgumentException("RTNETLINK answers: File exists (" + cidr + " on " + ifname + ")");
            }
        }
        IfAddress a = new IfAddress(d.ifindex(), cidr, broadcast, scope, ifname);
        addresses.add(a);
        rebuildLocal();
        if (d.isUp()) {
            addPrefixRoute(a);
        }
    }

    /** Removes an address and its prefix route. */
    public void removeAddress(String ifname, Ipv4Cidr cidr) {
        AbstractDevice d = device(ifname);
        addresses.removeIf(a -> a.ifindex() == d.ifindex() && a.address() == cidr.address().bits());
        rebuildLocal();
        routes.removeIf(r -> r.proto() == RouteTable.Proto.KERNEL && r.oif() == d.ifindex()
                && r.prefsrc() == cidr.address().bits());
    }

    private void addPrefixRoute(IfAddress a) {
        if (a.scope() == IfAddress.SCOPE_HOST || a.cidr().prefixLength() == 32 || a.ifindex() == lo.ifindex()) {
            // fib_add_ifaddr: no main-table prefix route for a loopback device (only the local-table one)
            return;
        }
        Ipv4Cidr net = a.cidr().canonical();
        for (RouteTable.Route r : routes.routes()) {
            if (r.dst().equals(net) && r.oif() == a.ifindex() && r.proto() == RouteTable.Proto.KERNEL) {
                return;
            }
        }
        routes.add(new RouteTable.Route(net, 0, a.ifindex(), a.address(), RouteTable.Proto.KERNEL, RouteTable.SCOPE_LINK, 0));
    }

    /**
     * Whether IPv6 is on in this namespace (off by default). The simulator models no IPv6 traffic; the
     * flag only decides whether {@code ip addr} shows the {@code ::1} the kernel puts on {@code lo} when
     * IPv6 is on (Docker leaves it on in containers and disables it only on their eth* interfaces).
     */
    public boolean ipv6() {
        return ipv6;
    }

    /** Sets {@link #ipv6()}. */
    public void setIpv6(boolean on) {
        this.ipv6 = on;
    }

    private void rebuildLocal() {
        int[] l = new int[addresses.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = addresses.get(i).address();
        }
        localAddrs = l;
        // fib_add_ifaddr: an address on a loopback device adds an RTN_LOCAL route for its whole prefix
        // (198.51.100.1/24 on lo makes every 198.51.100.x local, as 127.0.0.1/8 does for 127/8)
        int n = 0;
        int[] p = new int[2 * addresses.size()];
        for (IfAddress a : addresses) {
            int len = a.cidr().prefixLength();
            if (a.ifindex() == lo.ifindex() && len > 0 && len < 32) {
                int mask = -1 << (32 - len);
                p[n++] = a.address() & mask;
                p[n++] = mask;
            }
        }
        loPrefixes = java.util.Arrays.copyOf(p, n);
    }

    /** Addresses in the order they were added. */
    public List<IfAddress> addresses() {
        return Collections.unmodifiableList(addresses);
    }

    /** The routing table. */
    public RouteTable routes() {
        return routes;
    }

    /** Adds {@code default via GW} (on the interface whose subnet holds the gateway). */
    public void addDefaultRoute(Ipv4Address gateway) {
        addRoute(Ipv4Cidr.parse("0.0.0.0/0"), gateway, null);
    }

    /**
     * Adds a static route ({@code ip route add DST [via GW] [dev IF]}); with a gateway and no device,
     * the device is the one with an on-link route to the gateway ("Nexthop has invalid gateway" otherwise).
     */
    public void addRoute(Ipv4Cidr dst, Ipv4Address gateway, String ifname) {
        int gw = gateway == null ? 0 : gateway.bits();
        int oif;
        if (ifname != null) {
            oif = device(ifname).ifindex();
        } else {
            if (gw == 0) {
                throw new IllegalArgumentException("a route needs a gateway or a device");
            }
            int r = routes.lookup(gw);
            if (r < 0 || routes.gateway(r) != 0) {
                throw new IllegalArgumentException("Error: Nexthop has invalid gateway (" + gateway + " in " + name + ")");
            }
            oif = routes.oif(r);
        }
        if (!dev(oif).isUp()) {
            throw new IllegalArgumentException("Error: Nexthop device is not up (" + dev(oif).name() + ")");
        }
        routes.add(new RouteTable.Route(dst.canonical(), gw, oif, 0, RouteTable.Proto.BOOT,
                gw == 0 ? RouteTable.SCOPE_LINK : RouteTable.SCOPE_UNIVERSE, 0));
    }

    @Override
    public boolean isLocalAddress(int a) {
        int[] l = localAddrs;
        for (int x : l) {
            if (x == a) {
                return true;
            }
        }
        int[] lp = loPrefixes;
        for (int i = 0; i < lp.length; i += 2) {
            if ((a & lp[i + 1]) == lp[i] && lo.isUp()) {
                return true;
            }
        }
        return (a >>> 24) == 127 && lo.isUp();
    }

    private boolean isBroadcastFor(AbstractDevice d, int a) {
        if (a == -1) {
            return true;
        }
        for (IfAddress x : addresses) {
            if (x.ifindex() == d.ifindex() && x.broadcast() != 0 && x.broadcast() == a) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int selectSource(AbstractDevice dev, int target) {
        return selectAddr(dev.ifindex(), target, IfAddress.SCOPE_LINK);
    }

    /** {@code inet_select_addr}: an address of {@code ifindex} on {@code dst}'s subnet, else its first, else any global one. */
    private int selectAddr(int ifindex, int dst, int scope) {
        int first = 0;
        for (IfAddress a : addresses) {
            if (a.ifindex() != ifindex || a.scope() > scope) {
                continue;
            }
            if (dst != 0 && a.cidr().contains(dst)) {
                return a.address();
            }
            if (first == 0) {
                first = a.address();
            }
        }
        if (first != 0) {
            return first;
        }
        for (IfAddress a : addresses) {
            if (a.scope() != IfAddress.SCOPE_LINK && a.scope() <= scope) {
                return a.address();
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------ NetfilterHost

    @Override
    public String ifname(int ifindex) {
        AbstractDevice d = deviceByIndex(ifindex);
        return d == null ? null : d.name();
    }

    /** MASQUERADE's source: {@code inet_select_addr(out, nexthop, RT_SCOPE_UNIVERSE)}, the next hop being the route's gateway or {@code dst}. */
    @Override
    public int masqueradeSource(int outIfindex, int dst) {
        int r = routes.lookup(dst);
        int nh = r >= 0 && routes.gateway(r) != 0 ? routes.gateway(r) : dst;
        return selectAddr(outIfindex, nh, IfAddress.SCOPE_GLOBAL);
    }

    @Override
    public void sendLocal(PacketBuffer ipv4Packet, long now) {
        ipv4Packet.networkOffset = ipv4Packet.start();
        outputPacket(ipv4Packet, now);
    }

    /** Runs one netfilter hook (tracing the verdict when tracing is on). */
    private int hook(Hook h, PacketBuffer p, int in, int out, long now) {
        int v = filter.process(h, p, in, out, now);
        if (trace != null) {
            trace.trace(now, name, "hook", h + " in=" + (in == 0 ? "" : ifname(in)) + " out=" + (out == 0 ? "" : ifname(out))
                    + describe(p) + ": " + (v == PacketFilter.ACCEPT ? "ACCEPT" : v == PacketFilter.DROP ? "DROP" : "STOLEN"));
        }
        return v;
    }

    // ------------------------------------------------------------------ receive

    @Override
    public void receive(NetDevice nd, PacketBuffer p, long now) {
        AbstractDevice dev = (AbstractDevice) nd;
        if (p.length() < Frames.ETH_HLEN) {
            drop(p, DropReason.IP_HEADER_ERROR, now);
            return;
        }
        byte[] b = p.data();
        int s = p.start();
        int type = Bytes.u16(b, s + 12);
        long dstMac = MacAddress.readBits(b, s);
        boolean group = Frames.isGroupMac(dstMac);
        boolean host = dev == lo || dstMac == dev.mac();
        if (type == Frames.ETH_P_IP) {
            if (!host && !group) {
                drop(p, DropReason.OTHERHOST, now);
                return;
            }
            p.pull(Frames.ETH_HLEN);
            ipRcv(dev, p, group, now);
        } else if (type == Frames.ETH_P_ARP) {
            arpRcv(dev, p, host, group, now);
        } else {
            drop(p, DropReason.UNKNOWN_ETHERTYPE, now);
        }
    }

    private void arpRcv(AbstractDevice dev, PacketBuffer p, boolean host, boolean group, long now) {
        byte[] b = p.data();
        int a = p.start() + Frames.ETH_HLEN;
        if (p.length() < Frames.ETH_HLEN + Frames.ARP_LEN || (!host && !group) || dev == lo
                || Bytes.u16(b, a) != 1 || Bytes.u16(b, a + 2) != Frames.ETH_P_IP || b[a + 4] != 6 || b[a + 5] != 4) {
            drop(p, DropReason.ARP_INVALID, now);
            return;
        }
        int op = Bytes.u16(b, a + 6);
        long sha = MacAddress.readBits(b, a + 8);
        int sip = Bytes.i32(b, a + 14);
        int tip = Bytes.i32(b, a + 24);
        p.release();
        if ((op != 1 && op != 2) || (tip >>> 28) == 0xe || (tip >>> 24) == 127 || Frames.isGroupMac(sha)) {
            drops[DropReason.ARP_INVALID.ordinal()]++;
            return;
        }
        NeighTable t = neighFor(dev);
        if (sip == 0) {
            if (op == 1 && isLocalAddress(tip)) {
                t.sendArp(2, sha, tip, sha, 0, now);
            }
            return;
        }
        boolean garp = sip == tip;
        if (op == 1 && !garp && isLocalAddress(tip)) {
            if (trace != null) {
                trace.trace(now, name, "arp", dev.name() + ": who-has " + Ipv4Address.format(tip) + " tell "
                        + Ipv4Address.format(sip) + ": reply " + MacAddress.format(dev.mac()));
            }
            t.eventNs(sip, sha, now);
            t.sendArp(2, sha, tip, sha, sip, now);
            return;
        }
        t.arpSeen(sip, sha, op == 2 && host, garp, now);
    }

    private void ipRcv(AbstractDevice dev, PacketBuffer p, boolean group, long now) {
        byte[] b = p.data();
        int ip = p.start();
        int len = p.length();
        p.networkOffset = ip;
        if (len < 20 || (b[ip] & 0xf0) != 0x40) {
            drop(p, DropReason.IP_HEADER_ERROR, now);
            return;
        }
        int hlen = Frames.ipHeaderLength(b, ip);
        int tot = Bytes.u16(b, ip + Frames.IP_LEN);
        if (hlen < 20 || hlen > len || tot < hlen || tot > len || !Frames.ipChecksumOk(b, ip, hlen)) {
            drop(p, DropReason.IP_HEADER_ERROR, now);
            return;
        }
        if (tot < len) {
            p.setLength(tot);
        }
        int src = Bytes.i32(b, ip + Frames.IP_SRC);
        if ((src >>> 28) == 0xe || src == -1 || ((src >>> 24) == 127 && dev != lo && !routeLocalnet(dev))) {
            drop(p, DropReason.MARTIAN, now);
            return;
        }
        PacketFilter f = filter;
        if (f != PacketFilter.ACCEPT_ALL && isFragment(b, ip)) {
            // nf_defrag_ipv4: with conntrack, datagrams are reassembled before PREROUTING.
            p = reassembler.add(p, now);
            if (p == null) {
                return;
            }
            p.ingressIfindex = dev.ifindex();
        }
        if (f != PacketFilter.ACCEPT_ALL) {
            int v = hook(Hook.PREROUTING, p, dev.ifindex(), 0, now);
            if (v != PacketFilter.ACCEPT) {
                if (v == PacketFilter.DROP) {
                    drop(p, DropReason.NETFILTER, now);
                }
                return;
            }
        }
        ip = p.networkOffset;
        b = p.data();
        int dst = Bytes.i32(b, ip + Frames.IP_DST);
        if (isLocalAddress(dst)) {
            if ((dst >>> 24) == 127 && dev != lo && !routeLocalnet(dev)) {
                drop(p, DropReason.MARTIAN, now);
                return;
            }
            localDeliver(dev, p, false, now);
            return;
        }
        if (isBroadcastFor(dev, dst) || dst == 0xe0000001) {
            localDeliver(dev, p, true, now);
            return;
        }
        if (group || (dst >>> 28) == 0xe || dev == lo) {
            drop(p, DropReason.BROADCAST_IGNORED, now);
            return;
        }
        if (!ipForward) {
            drop(p, DropReason.NOT_FORWARDING, now);
            return;
        }
        int r = routes.lookup(dst);
        if (r < 0) {
            if (trace != null) {
                trace.trace(now, name, "route", "no route to " + Ipv4Address.format(dst) + ": ICMP net unreachable");
            }
            icmpSend(p, ICMP_DEST_UNREACH, NET_UNREACH, 0, now);
            drop(p, DropReason.NO_ROUTE, now);
            return;
        }
        forward(dev, p, r, now);
    }

    private static boolean isFragment(byte[] b, int ip) {
        return (Bytes.u16(b, ip + Frames.IP_FRAG) & (Frames.IP_MF | Frames.IP_OFFMASK)) != 0;
    }

    private void forward(AbstractDevice in, PacketBuffer p, int r, long now) {
        byte[] b = p.data();
        int ip = p.networkOffset;
        if ((b[ip + Frames.IP_TTL] & 0xff) <= 1) {
            if (trace != null) {
                trace.trace(now, name, "route", "TTL expired forwarding to "
                        + Ipv4Address.format(Bytes.i32(b, ip + Frames.IP_DST)) + ": ICMP time exceeded");
            }
            icmpSend(p, ICMP_TIME_EXCEEDED, 0, 0, now);
            drop(p, DropReason.TTL_EXCEEDED, now);
            return;
        }
        AbstractDevice out = dev(routes.oif(r));
        int tot = Bytes.u16(b, ip + Frames.IP_LEN);
        if (tot > out.mtu() && (Bytes.u16(b, ip + Frames.IP_FRAG) & Frames.IP_DF) != 0 && !gsoFits(p, b, ip, out.mtu())) {
            icmpSend(p, ICMP_DEST_UNREACH, FRAG_NEEDED, out.mtu(), now);
            drop(p, DropReason.FRAG_NEEDED, now);
            return;
        }
        Frames.decrementTtl(b, ip);
        int gw = routes.gateway(r);
        int dst = Bytes.i32(b, ip + Frames.IP_DST);
        if (out == in && sendRedirects) {
            sendRedirect(p, gw != 0 ? gw : dst, now);
        }
        if (trace != null) {
            trace.trace(now, name, "route", "forward " + Ipv4Address.format(dst) + " from " + in.name() + " to "
                    + out.name() + (gw != 0 ? " via " + Ipv4Address.format(gw) : "") + ", ttl now " + (b[ip + Frames.IP_TTL] & 0xff));
        }
        PacketFilter f = filter;
        if (f != PacketFilter.ACCEPT_ALL) {
            int v = hook(Hook.FORWARD, p, in.ifindex(), out.ifindex(), now);
            if (v != PacketFilter.ACCEPT) {
                if (v == PacketFilter.DROP) {
                    drop(p, DropReason.NETFILTER, now);
                }
                return;
            }
        }
        postRouting(p, out, gw != 0 ? gw : dst, now);
    }

    private void localDeliver(AbstractDevice dev, PacketBuffer p, boolean broadcast, long now) {
        byte[] b = p.data();
        int ip = p.networkOffset;
        if (isFragment(b, ip)) {
            p = reassembler.add(p, now);
            if (p == null) {
                return;
            }
            p.ingressIfindex = dev.ifindex();
            b = p.data();
            ip = p.networkOffset;
        }
        PacketFilter f = filter;
        if (f != PacketFilter.ACCEPT_ALL) {
            int v = hook(Hook.INPUT, p, dev.ifindex(), 0, now);
            if (v != PacketFilter.ACCEPT) {
                if (v == PacketFilter.DROP) {
                    drop(p, DropReason.NETFILTER, now);
                }
                return;
            }
            b = p.data();
            ip = p.networkOffset;
        }
        int hlen = Frames.ipHeaderLength(b, ip);
        int tot = Bytes.u16(b, ip + Frames.IP_LEN);
        int proto = b[ip + Frames.IP_PROTO] & 0xff;
        int src = Bytes.i32(b, ip + Frames.IP_SRC);
        int dst = Bytes.i32(b, ip + Frames.IP_DST);
        int l4 = ip + hlen;
        int l4len = tot - hlen;
        if (proto == 1) {
            icmpRcv(p, l4, l4len, src, dst, broadcast, now);
            return;
        }
        TransportReceiver t = transport;
        if ((proto == 6 || proto == 17) && t != null) {
            t.receive(p, l4, l4len, src, dst, proto, b[ip + Frames.IP_TTL] & 0xff, now);
            return;
        }
        if (!broadcast && proto != 6) {
            icmpSend(p, ICMP_DEST_UNREACH, proto == 17 ? PORT_UNREACH : PROT_UNREACH, 0, now);
        }
        drop(p, DropReason.NO_TRANSPORT, now);
    }

    private void icmpRcv(PacketBuffer p, int l4, int l4len, int src, int dst, boolean broadcast, long now) {
        byte[] b = p.data();
        if (l4len < Frames.ICMP_HLEN || !Checksum.verify(b, l4, l4len)) {
            drop(p, DropReason.ICMP_ERROR, now);
            return;
        }
        int type = b[l4] & 0xff;
        int code = b[l4 + 1] & 0xff;
        if (type == ICMP_ECHO) {
            if (broadcast && icmpEchoIgnoreBroadcasts) {
                drop(p, DropReason.BROADCAST_IGNORED, now);
                return;
            }
            int tos = b[p.networkOffset + Frames.IP_TOS] & 0xff;
            PacketBuffer r = pool.acquire(l4len + 20 + 14);
            r.setLength(l4len);
            System.arraycopy(b, l4, r.data(), r.start(), l4len);
            byte[] o = r.data();
            int s = r.start();
            o[s] = ICMP_ECHOREPLY;
            o[s + 1] = 0;
            Bytes.put16(o, s + 2, 0);
            Bytes.put16(o, s + 2, Checksum.compute(o, s, l4len));
            p.release();
            sendIpv4(r, broadcast ? 0 : dst, src, 1, defaultTtl, tos, false, now);
            return;
        }
        TransportReceiver t = transport;
        if (type == ICMP_DEST_UNREACH && code == FRAG_NEEDED && l4len >= Frames.ICMP_HLEN + 20) {
            int quotedDst = Bytes.i32(b, l4 + Frames.ICMP_HLEN + Frames.IP_DST);
            int mtu = Bytes.u16(b, l4 + 6);
            learnPmtu(quotedDst, mtu, now);
        }
        if (type == ICMP_DEST_UNREACH || type == ICMP_TIME_EXCEEDED || type == ICMP_PARAMETERPROB) {
            if (l4len >= Frames.ICMP_HLEN + 20 && t != null) {
                t.icmpError(p, type, code, l4 + Frames.ICMP_HLEN, l4len - Frames.ICMP_HLEN, now);
            }
            p.release();
            return;
        }
        if (t != null) {
            t.receive(p, l4, l4len, src, dst, 1, b[p.networkOffset + Frames.IP_TTL] & 0xff, now);
            return;
        }
        p.release();
    }

    // ------------------------------------------------------------------ ICMP errors

    /**
     * Sends an ICMP error about {@code orig} (borrowed; {@code networkOffset} at its IPv4 header), as
     * {@code icmp_send} does: never about ICMP errors, non-first fragments, or broadcast/multicast or
     * unspecified addresses; quoting up to 576 bytes of datagram; source is the original destination
     * when that was local, else chosen by the route back; TOS with precedence internetwork control.
     * The socket layer calls this for port unreachable. {@code info} is the next-hop MTU for
     * fragmentation needed.
     */
    public void icmpSend(PacketBuffer orig, int type, int code, int info, long now) {
        byte[] b = orig.data();
        int ip = orig.networkOffset;
        if (ip < 0 || ip + 20 > orig.end()) {
            return;
        }
        int hlen = Frames.ipHeaderLength(b, ip);
        int src = Bytes.i32(b, ip + Frames.IP_SRC);
        int dst = Bytes.i32(b, ip + Frames.IP_DST);
        if (src == 0 || src == -1 || (src >>> 28) == 0xe || dst == -1 || (dst >>> 28) == 0xe) {
            return;
        }
        if ((Bytes.u16(b, ip + Frames.IP_FRAG) & Frames.IP_OFFMASK) != 0) {
            return;
        }
        if ((b[ip + Frames.IP_PROTO] & 0xff) == 1 && ip + hlen < orig.end()) {
            int it = b[ip + hlen] & 0xff;
            if (it == ICMP_DEST_UNREACH || it == ICMP_TIME_EXCEEDED || it == ICMP_PARAMETERPROB || it == 4 || it == 5) {
                return;
            }
        }
        if (!icmpAllowed(type, code, src, now)) {
            icmpRateLimited++;
            if (trace != null) {
                trace.trace(now, name, "icmp", "rate limited: type " + type + " code " + code + " to " + Ipv4Address.format(src));
            }
            return;
        }
        int avail = Math.min(orig.end() - ip, Bytes.u16(b, ip + Frames.IP_LEN));
        int quote = Math.min(avail, 576 - 20 - Frames.ICMP_HLEN);
        PacketBuffer r = pool.acquire();
        r.setLength(Frames.ICMP_HLEN + quote);
        byte[] o = r.data();
        int s = r.start();
        o[s] = (byte) type;
        o[s + 1] = (byte) code;
        Bytes.put16(o, s + 2, 0);
        Bytes.put32(o, s + 4, type == ICMP_DEST_UNREACH && code == FRAG_NEEDED ? (info & 0xffff) : type == 5 ? info : 0);
        System.arraycopy(b, ip, o, s + Frames.ICMP_HLEN, quote);
        Bytes.put16(o, s + 2, Checksum.compute(o, s, Frames.ICMP_HLEN + quote));
        int tos = ((b[ip + Frames.IP_TOS] & 0x1e) | 0xc0);
        int saddr = isLocalAddress(dst) ? dst : 0;
        if (trace != null) {
            trace.trace(now, name, "icmp", "send type " + type + " code " + code + " to " + Ipv4Address.format(src));
        }
        sendIpv4(r, saddr, src, 1, defaultTtl, tos, false, now);
    }

    /** {@code net.ipv4.conf.all.send_redirects} (on by default). */
    public void setSendRedirects(boolean on) {
        this.sendRedirects = on;
    }

    /**
     * {@code ip_rt_send_redirect}: a packet forwarded out the interface it came in on (shared_media
     * is on by default) earns its sender an ICMP redirect (host) naming the next hop, with Linux's
     * backoff per sender: the first at once, then only after 20 ms &lt;&lt; n, at most 9, and the count
     * resets after 20.48 s of silence.
     */
    private void sendRedirect(PacketBuffer p, int nexthop, long now) {
        int src = Bytes.i32(p.data(), p.networkOffset + Frames.IP_SRC);
        long[] peer = redirectPeers.computeIfAbsent(src, k -> new long[] {Long.MIN_VALUE / 2, 0});
        final long load = 20_000_000L;
        final long silence = load << 10;
        if (now > peer[0] + silence) {
            peer[1] = 0;
        }
        if (peer[1] >= 9) {
            peer[0] = now;
            return;
        }
        if (peer[1] == 0 || now > peer[0] + (load << peer[1])) {
            icmpSend(p, 5, 1, nexthop, now);
            redirectsSent++;
            peer[0] = now;
            peer[1]++;
        }
    }

    /** ICMP errors suppressed by the rate limits. */
    public long icmpRateLimited() {
        return icmpRateLimited;
    }

    /**
     * Linux's ICMP rate limits: types in {@code icmp_ratemask} (dest unreachable except
     * fragmentation needed, source quench, time exceeded, parameter problem) pass a global bucket
     * ({@code icmp_msgs_per_sec}/{@code icmp_msgs_burst}) and a per-destination bucket
     * ({@code icmp_ratelimit}, burst 6, {@code inet_peer_xrlim_allow}); errors to a local address
     * (over loopback) are never limited.
     */
    private boolean icmpAllowed(int type, int code, int dst, long now) {
        boolean masked = (type == ICMP_DEST_UNREACH && code != FRAG_NEEDED) || type == 4 || type == ICMP_TIME_EXCEEDED
                || type == ICMP_PARAMETERPROB;
        if (!masked || isLocalAddress(dst)) {
            return true;
        }
        long elapsed = now - icmpGlobalStamp;
        if (elapsed > 0) {
            long add = elapsed * ICMP_MSGS_PER_SEC / 1_000_000_000L;
            if (add > 0) {
                icmpGlobalCredit = Math.min(ICMP_MSGS_BURST, icmpGlobalCredit + add);
                icmpGlobalStamp = now;
            }
        }
        if (icmpGlobalCredit <= 0) {
            return false;
        }
        long[] peer = icmpPeers.computeIfAbsent(dst, k -> new long[] {6 * ICMP_RATELIMIT_NS, now});
        long token = peer[0] + (now - peer[1]);
        peer[1] = now;
        if (token > 6 * ICMP_RATELIMIT_NS) {
            token = 6 * ICMP_RATELIMIT_NS;
        }
        boolean ok = token >= ICMP_RATELIMIT_NS;
        if (ok) {
            token -= ICMP_RATELIMIT_NS;
            icmpGlobalCredit--;
        }
        peer[0] = token;
        return ok;
    }

    @Override
    public void resolutionFailed(PacketBuffer ipPacket, long now) {
        ipPacket.networkOffset = ipPacket.start();
        drops[DropReason.NEIGH_FAILED.ordinal()]++;
        if (trace != null) {
            trace.trace(now, name, "drop", "neigh_failed" + describe(ipPacket) + ": ICMP host unreachable");
        }
        icmpSend(ipPacket, ICMP_DEST_UNREACH, HOST_UNREACH, 0, now);
    }

    private void reassemblyExpired(PacketBuffer first, long now) {
        first.networkOffset = first.start();
        icmpSend(first, ICMP_TIME_EXCEEDED, 1, 0, now);
    }

    // ------------------------------------------------------------------ output

    @Override
    public int sourceAddressFor(int dst) {
        if (isLocalAddress(dst)) {
            return (dst >>> 24) == 127 ? 0x7f000001 : dst; // local 127.0.0.0/8 dev lo src 127.0.0.1
        }
        int r = routes.lookup(dst);
        if (r < 0) {
            return 0;
        }
        int ps = routes.prefsrc(r);
        if (ps != 0) {
            return ps;
        }
        int gw = routes.gateway(r);
        return selectAddr(routes.oif(r), gw != 0 ? gw : dst, IfAddress.SCOPE_GLOBAL);
    }

    @Override
    public int mtuFor(int dst) {
        if (isLocalAddress(dst)) {
            return lo.mtu();
        }
        int r = routes.lookup(dst);
        if (r < 0) {
            return 0;
        }
        int m = dev(routes.oif(r)).mtu();
        long[] e = pmtu.isEmpty() ? null : pmtu.get(dst); // no boxing of dst on the common path
        if (e != null) {
            if (scheduler.now() < e[1]) {
                m = (int) Math.min(m, e[0]);
            } else {
                pmtu.remove(dst);
            }
        }
        return m;
    }

    /**
     * Records a path MTU learned from ICMP fragmentation needed ({@code ip_rt_update_pmtu}: a route
     * exception for {@code dst}, at least {@link #MIN_PMTU}, expiring after 600 s).
     */
    public void learnPmtu(int dst, int mtu, long now) {
        if (mtu <= 0) {
            return;
        }
        int m = Math.max(mtu, MIN_PMTU);
        pmtu.put(dst, new long[] {m, now + MTU_EXPIRES_NS});
        if (trace != null) {
            trace.trace(now, name, "route", "path MTU to " + Ipv4Address.format(dst) + " is " + m);
        }
    }

    private final java.util.BitSet routeLocalnet = new java.util.BitSet();

    /**
     * {@code net.ipv4.conf.IF.route_localnet}: 127.0.0.0/8 source or destination addresses are
     * accepted on packets arriving on {@code ifname} instead of being dropped as martians (Docker
     * sets it on its bridges with {@code userland-proxy=false}, so DNATed localhost traffic works).
     */
    public void setRouteLocalnet(String ifname, boolean on) {
        routeLocalnet.set(device(ifname).ifindex(), on);
    }

    private boolean routeLocalnet(AbstractDevice dev) {
        return !routeLocalnet.isEmpty() && routeLocalnet.get(dev.ifindex());
    }

    /** The next IP identification ({@code ip_select_ident}; a seeded per-namespace counter here). */
    public int nextIpId() {
        ipId = (ipId + 1) & 0xffff;
        return ipId;
    }

    @Override
    public int sendIpv4(PacketBuffer seg, int src, int dst, int protocol, int ttl, int tos, boolean df, long now) {
        int oifMtu = mtuFor(dst);
        if (oifMtu == 0) {
            seg.release();
            return ENETUNREACH;
        }
        int s0 = src != 0 ? src : sourceAddressFor(dst);
        int tot = seg.length() + 20;
        if (df && tot > oifMtu) {
            seg.release();
            return EMSGSIZE;
        }
        int ip = seg.push(20);
        Frames.writeIpHeader(seg.data(), ip, tos, tot, nextIpId(), df ? Frames.IP_DF : 0, ttl, protocol, s0, dst);
        seg.networkOffset = ip;
        return outputPacket(seg, now);
    }

    /** ip_local_out: route, OUTPUT, re-route after DNAT, POSTROUTING, fragmentation, neighbour. */
    private int outputPacket(PacketBuffer p, long now) {
        int ip = p.networkOffset;
        byte[] b = p.data();
        int dst = Bytes.i32(b, ip + Frames.IP_DST);
        PacketFilter f = filter;
        if (f != PacketFilter.ACCEPT_ALL) {
            AbstractDevice out0 = outputDevice(dst);
            int v = hook(Hook.OUTPUT, p, 0, out0 == null ? 0 : out0.ifindex(), now);
            if (v != PacketFilter.ACCEPT) {
                if (v == PacketFilter.DROP) {
                    drop(p, DropReason.NETFILTER, now);
                    return EPERM;
                }
                return 0;
            }
            ip = p.networkOffset;
            b = p.data();
            dst = Bytes.i32(b, ip + Frames.IP_DST);
        }
        if (isLocalAddress(dst)) {
            postRouting(p, lo, dst, now);
            return 0;
        }
        int r = routes.lookup(dst);
        if (r < 0) {
            drop(p, DropReason.NO_ROUTE, now);
            return ENETUNREACH;
        }
        int gw = routes.gateway(r);
        if (trace != null) {
            trace.trace(now, name, "route", "output " + Ipv4Address.format(dst) + (gw != 0 ? " via " + Ipv4Address.format(gw) : "")
                    + " dev " + dev(routes.oif(r)).name());
        }
        postRouting(p, dev(routes.oif(r)), gw != 0 ? gw : dst, now);
        return 0;
    }

    private AbstractDevice outputDevice(int dst) {
        if (isLocalAddress(dst)) {
            return lo;
        }
        int r = routes.lookup(dst);
        return r < 0 ? null : dev(routes.oif(r));
    }

    /**
     * Runs an output-side hook (OUTPUT, POSTROUTING) for a packet leaving by {@code out}; false when the rules
     * took the packet (a DROP is counted, a queued or stolen packet is not).
     */
    private boolean localHookPasses(Hook hook, PacketBuffer p, AbstractDevice out, long now) {
        if (filter == PacketFilter.ACCEPT_ALL) {
            return true;
        }
        int v = hook(hook, p, 0, out.ifindex(), now);
        if (v == PacketFilter.ACCEPT) {
            return true;
        }
        if (v == PacketFilter.DROP) {
            drop(p, DropReason.NETFILTER, now);
        }
        return false;
    }

    private void postRouting(PacketBuffer p, AbstractDevice out, int nexthop, long now) {
        if (!localHookPasses(Hook.POSTROUTING, p, out, now)) {
            return;
        }
        byte[] b = p.data();
        int ip = p.networkOffset;
        int tot = Bytes.u16(b, ip + Frames.IP_LEN);
        if (tot > out.mtu() && !gsoFits(p, b, ip, out.mtu())) {
            if ((Bytes.u16(b, ip + Frames.IP_FRAG) & Frames.IP_DF) != 0) {
                icmpSend(p, ICMP_DEST_UNREACH, FRAG_NEEDED, out.mtu(), now);
                drop(p, DropReason.FRAG_NEEDED, now);
                return;
            }
            fragment(p, out, nexthop, now);
            return;
        }
        neighOutput(p, out, nexthop, now);
    }

    /**
     * {@code skb_gso_validate_network_len}: a TCP GSO super-frame (a TAP's offloaded frame, never the
     * simulator's own traffic) is not too big for {@code mtu} when each segment it stands for fits.
     */
    private static boolean gsoFits(PacketBuffer p, byte[] b, int ip, int mtu) {
        if (p.gsoSize == 0 || (b[ip + Frames.IP_PROTO] & 0xff) != 6) {
            return false;
        }
        int hlen = Frames.ipHeaderLength(b, ip);
        int thlen = ((b[ip + hlen + 12] & 0xff) >>> 4) * 4;
        return hlen + thlen + p.gsoSize <= mtu;
    }

    /** {@code ip_do_fragment}: fragments of (mtu − header) rounded down to 8 bytes, sent in order. */
    private void fragment(PacketBuffer p, AbstractDevice out, int nexthop, long now) {
        byte[] b = p.data();
        int ip = p.networkOffset;
        int hlen = Frames.ipHeaderLength(b, ip);
        int tot = Bytes.u16(b, ip + Frames.IP_LEN);
        int fragField = Bytes.u16(b, ip + Frames.IP_FRAG);
        int baseOff = (fragField & Frames.IP_OFFMASK) << 3;
        boolean origMore = (fragField & Frames.IP_MF) != 0;
        int chunk = (out.mtu() - hlen) & ~7;
        int payload = tot - hlen;
        for (int off = 0; off < payload; off += chunk) {
            int len = Math.min(chunk, payload - off);
            boolean more = off + len < payload || origMore;
            PacketBuffer fr = pool.acquire();
            fr.setLength(hlen + len);
            byte[] o = fr.data();
            int s = fr.start();
            System.arraycopy(b, ip, o, s, hlen);
            System.arraycopy(b, ip + hlen + off, o, s + hlen, len);
            Bytes.put16(o, s + Frames.IP_LEN, hlen + len);
            Bytes.put16(o, s + Frames.IP_FRAG, (more ? Frames.IP_MF : 0) | ((baseOff + off) >> 3));
            Frames.setIpChecksum(o, s);
            fr.networkOffset = s;
            fr.mark = p.mark;
            neighOutput(fr, out, nexthop, now);
        }
        p.release();
    }

    private void neighOutput(PacketBuffer p, AbstractDevice out, int nexthop, long now) {
        if (out == lo) {
            int s = p.push(Frames.ETH_HLEN);
            Frames.writeEth(p.data(), s, 0L, 0L, Frames.ETH_P_IP);
            lo.transmit(p, now);
            return;
        }
        if (nexthop == -1 || isBroadcastFor(out, nexthop)) {
            int s = p.push(Frames.ETH_HLEN);
            Frames.writeEth(p.data(), s, 0xffff_ffff_ffffL, out.mac(), Frames.ETH_P_IP);
            out.transmit(p, now);
            return;
        }
        if ((nexthop >>> 28) == 0xe) {
            int s = p.push(Frames.ETH_HLEN);
            Frames.writeEth(p.data(), s, Frames.ipv4MulticastMac(nexthop), out.mac(), Frames.ETH_P_IP);
            out.transmit(p, now);
            return;
        }
        neighFor(out).output(p, nexthop, now);
    }

    /**
     * Sends {@code count} gratuitous ARPs for every address of {@code ifname}, {@code intervalNs}
     * apart starting now (Docker 28+ sends 3, 1 s apart, when a container's interface comes up).
     */
    public void announce(String ifname, int count, long intervalNs) {
        AbstractDevice d = device(ifname);
        NeighTable t = neighFor(d);
        List<Integer> addrs = new ArrayList<>();
        for (IfAddress a : addresses) {
            if (a.ifindex() == d.ifindex()) {
                addrs.add(a.address());
            }
        }
        for (int i = 0; i < count; i++) {
            scheduler.schedule(scheduler.now() + i * intervalNs, now -> {
                if (d.isUp()) {
                    for (int a : addrs) {
                        t.announce(a, now);
                    }
                }
            });
        }
    }

    @Override
    public String toString() {
        return "netns " + name;
    }
}
