package dev.simnet.api;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.MacAddress;
import dev.simnet.device.AbstractDevice;
import dev.simnet.dns.stub.StubResolver;
import dev.simnet.host.Errno;
import dev.simnet.host.TcpSocket;
import dev.simnet.host.UdpSocket;
import dev.simnet.ip.RouteTable;
import dev.simnet.l2.BridgeDevice;
import dev.simnet.l2.Fdb;
import dev.simnet.neigh.NeighState;
import dev.simnet.neigh.NeighTable;
import dev.simnet.netfilter.Chain;
import dev.simnet.netfilter.Netfilter;
import dev.simnet.netfilter.Rule;
import dev.simnet.netfilter.Table;
import dev.simnet.netfilter.conntrack.Tuple;
import dev.simnet.netfilter.render.IptablesSave;
import dev.simnet.ns.IfAddress;
import dev.simnet.ns.Namespace;
import dev.simnet.scenarios.docker.DockerProject;
import dev.simnet.scenarios.engine.ExecTarget;
import dev.simnet.scenarios.sim.Node;
import dev.simnet.scenarios.sim.SimEngine;
import dev.simnet.scenarios.sim.tools.ToolContext;
import dev.simnet.sched.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What the API reads straight from the simulator: namespace state converted into the API's
 * records, the glibc-like stub resolver a container's programs use (the same one the simulated
 * {@code curl} and {@code ping} use), and sockets of the namespace's host stack driven in virtual time.
 */
final class SimAccess {
    /** How long a TCP connect may take before ETIMEDOUT (Linux: 6 SYN retries ≈ 127 s). */
    static final long CONNECT_LIMIT_NANOS = 130_000_000_000L;
    /** How long a name lookup may take (glibc: 2 attempts × 5 s per server, several servers). */
    static final long RESOLVE_LIMIT_NANOS = 120_000_000_000L;

    private final SimEngine engine;
    private final DockerProject project;
    private int counter;

    SimAccess(SimEngine engine, DockerProject project) {
        this.engine = engine;
        this.project = project;
    }

    private Scheduler scheduler() {
        return engine.simulation().scheduler();
    }

    /** Runs events until {@code done} holds or {@code limitNanos} of virtual time pass; returns {@code done}'s last value. */
    boolean runUntil(BooleanSupplier done, long limitNanos) {
        Scheduler s = scheduler();
        long deadline = s.now() + limitNanos;
        while (!done.getAsBoolean()) {
            if (s.pending() == 0 || s.nextEventTime() > deadline) {
                s.runUntil(deadline);
                return done.getAsBoolean();
            }
            s.step();
        }
        return true;
    }

    Node node(ExecTarget t) {
        switch (t.kind()) {
            case HOST: return engine.hostNode();
            case INTERNET: return engine.internetNode();
            default: {
                boolean running = project.info(t.container()).map(i -> i.running()).orElse(false);
                Optional<Node> n = engine.nodeOf(t.container());
                if (!running || n.isEmpty()) {
                    throw new SimnetException("container " + t.container() + " is not running");
                }
                return n.get();
            }
        }
    }

    // ------------------------------------------------------------------------------ resolve

    Resolution resolve(ExecTarget t, String name) {
        Node n = node(t);
        Map<String, String> files = new LinkedHashMap<>(n.files());
        ToolContext ctx = new ToolContext(engine, n, t.toString(),
                engine.simulation().streams().stream("api/resolve/" + (++counter)), files);
        StubResolver.Result[] out = new StubResolver.Result[1];
        scheduler().scheduleIn(0, now -> ctx.resolve(name, r -> out[0] = r));
        if (!runUntil(() -> out[0] != null, RESOLVE_LIMIT_NANOS)) {
            return new Resolution(name, Resolution.Status.TIMEOUT, List.of());
        }
        StubResolver.Result r = out[0];
        Resolution.Status st;
        switch (r.status()) {
            case HOSTS: st = Resolution.Status.HOSTS; break;
            case OK: st = Resolution.Status.NOERROR; break;
            case NXDOMAIN: st = Resolution.Status.NXDOMAIN; break;
            case NODATA: st = Resolution.Status.NODATA; break;
            case SERVFAIL: st = Resolution.Status.SERVFAIL; break;
            default: st = Resolution.Status.TIMEOUT; break;
        }
        return new Resolution(name, st, r.addresses());
    }

    // ------------------------------------------------------------------------------ state

    NamespaceState state(Target target, ExecTarget t) {
        Node n = node(t);
        Namespace ns = n.ns();
        long now = scheduler().now();
        List<Address> addrs = new ArrayList<>();
        for (IfAddress a : ns.addresses()) {
            String scope = a.scope() == IfAddress.SCOPE_HOST ? "host" : a.scope() == IfAddress.SCOPE_LINK ? "link" : "global";
            addrs.add(new Address(ns.ifname(a.ifindex()), a.cidr().address().toString(), a.cidr().prefixLength(), scope));
        }
        List<Route> routes = new ArrayList<>();
        for (RouteTable.Route r : ns.routes().routes()) {
            String dst = r.dst().prefixLength() == 0 ? "default" : r.dst().toString();
            routes.add(new Route(dst, r.gateway() == 0 ? null : Ipv4Address.format(r.gateway()), ns.ifname(r.oif()),
                    r.prefsrc() == 0 ? null : Ipv4Address.format(r.prefsrc()), r.proto().name().toLowerCase(Locale.ROOT),
                    r.scope() == RouteTable.SCOPE_LINK ? "link" : "universe", r.metric()));
        }
        List<Neighbour> neigh = new ArrayList<>();
        List<FdbEntry> fdb = new ArrayList<>();
        for (AbstractDevice d : ns.devices()) {
            if (d instanceof BridgeDevice br) {
                for (Fdb.Entry e : br.fdb().entries(now)) {
                    String port;
                    if (e.port() == Fdb.LOCAL) {
                        port = br.name();
                    } else if (Fdb.isLocal(e.port())) {
                        AbstractDevice p = br.port(Fdb.portOfLocal(e.port()));
                        port = p == null ? br.name() : p.name();
                    } else {
                        AbstractDevice p = br.port(e.port());
                        port = p == null ? "?" : p.name();
                    }
                    fdb.add(new FdbEntry(br.name(), port, MacAddress.format(e.mac()), e.permanent() || Fdb.isLocal(e.port())
                            || e.port() == Fdb.LOCAL));
                }
            }
            if (d.kind() == AbstractDevice.Kind.LOOPBACK || d.master() != null) {
                continue;
            }
            NeighTable nt = ns.neighTable(d.name());
            if (nt == null) {
                continue;
            }
            for (NeighTable.Entry e : nt.entries()) {
                if (e.state() == NeighState.NONE) {
                    continue;
                }
                neigh.add(new Neighbour(d.name(), Ipv4Address.format(e.ip()), e.state().valid() ? MacAddress.format(e.mac()) : null,
                        e.state().name()));
            }
        }
        List<ConntrackEntry> ct = new ArrayList<>();
        List<RuleCounter> rules = new ArrayList<>();
        Netfilter nf = n.netfilter();
        if (nf != null) {
            for (dev.simnet.netfilter.conntrack.ConntrackEntry e : nf.conntrack().entries(now)) {
                Tuple o = e.original();
                Tuple r = e.reply();
                ct.add(new ConntrackEntry(Tuple.protoName(e.proto), e.proto == Tuple.TCP ? e.tcpState().name() : null,
                        tuple(o), tuple(r), e.has(dev.simnet.netfilter.conntrack.ConntrackEntry.SEEN_REPLY),
                        e.has(dev.simnet.netfilter.conntrack.ConntrackEntry.ASSURED),
                        e.has(dev.simnet.netfilter.conntrack.ConntrackEntry.SRC_NAT),
                        e.has(dev.simnet.netfilter.conntrack.ConntrackEntry.DST_NAT),
                        Math.max(0, e.expires() - now) / 1_000_000_000L));
            }
            for (Table table : Table.values()) {
                if (nf.ruleSet().isEmpty(table)) {
                    continue; // not loaded: iptables-save does not list it either
                }
                for (Chain c : nf.ruleSet().chains(table)) {
                    for (Rule r : c.rules()) {
                        rules.add(new RuleCounter(table.tableName(), c.name(), IptablesSave.ruleSpec(r), r.packets(), r.bytes()));
                    }
                    if (c.builtin() && c.policy() != null) {
                        rules.add(new RuleCounter(table.tableName(), c.name(), "policy " + policyName(c), c.policyPackets(),
                                c.policyBytes()));
                    }
                }
            }
        }
        return new NamespaceState(target, ns.name(), addrs, routes, neigh, fdb, ct, rules);
    }

    private static String policyName(Chain c) {
        return c.policy() instanceof dev.simnet.netfilter.Target.Drop ? "DROP" : "ACCEPT";
    }

    private static FlowTuple tuple(Tuple t) {
        return new FlowTuple(Ipv4Address.format(t.src()), t.sport(), Ipv4Address.format(t.dst()), t.dport());
    }

    // ------------------------------------------------------------------------------ flows

    TcpFlow tcp(ExecTarget t, String address, int port) {
        Node n = node(t);
        int[] errno = new int[1];
        boolean[] connected = new boolean[1];
        TcpSocket s = n.stack().tcp().setOwner("simnet-api", 0);
        TcpSocket.Listener l = new TcpSocket.Listener() {
            @Override
            public void onConnected(TcpSocket sock) {
                connected[0] = true;
            }

            @Override
            public void onError(TcpSocket sock, int e) {
                errno[0] = e;
            }
        };
        s.connect(Ipv4Address.parse(address), port, l);
        runUntil(() -> connected[0] || errno[0] != 0, CONNECT_LIMIT_NANOS);
        if (!connected[0]) {
            int e = errno[0] != 0 ? errno[0] : Errno.ETIMEDOUT;
            s.abort();
            throw new FlowException(Errno.name(e), "connect to " + address + ":" + port + " from " + t + ": "
                    + Errno.name(e) + " (" + Errno.message(e) + ")");
        }
        return new SimTcpFlow(s, errno);
    }

    private final class SimTcpFlow implements TcpFlow {
        private final TcpSocket s;
        private final int[] errno;
        private boolean closed;

        SimTcpFlow(TcpSocket s, int[] errno) {
            this.s = s;
            this.errno = errno;
        }

        private void check() {
            if (closed) {
                throw new IllegalStateException("flow is closed");
            }
            if (errno[0] != 0) {
                throw new FlowException(Errno.name(errno[0]), remoteEndpoint() + ": " + Errno.name(errno[0]) + " ("
                        + Errno.message(errno[0]) + ")");
            }
        }

        @Override
        public void write(byte[] data) {
            check();
            int off = 0;
            while (off < data.length) {
                int w = s.write(data, off, data.length - off);
                if (w > 0) {
                    off += w;
                    continue;
                }
                if (!runUntil(() -> errno[0] != 0 || s.writable() > 0, CONNECT_LIMIT_NANOS)) {
                    throw new FlowException("ETIMEDOUT", "send buffer stayed full for " + CONNECT_LIMIT_NANOS / 1_000_000_000L
                            + " s sending to " + remoteEndpoint());
                }
                check();
            }
        }

        @Override
        public byte[] read(Duration timeout) {
            check();
            runUntil(() -> errno[0] != 0 || s.available() > 0 || s.isEof(), timeout.toNanos());
            if (s.available() == 0) {
                check();
                return new byte[0];
            }
            byte[] b = new byte[s.available()];
            int n = s.read(b, 0, b.length);
            return n == b.length ? b : java.util.Arrays.copyOf(b, Math.max(0, n));
        }

        @Override
        public String readAll(Duration timeout) {
            check();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            long deadline = scheduler().now() + timeout.toNanos();
            while (true) {
                runUntil(() -> errno[0] != 0 || s.available() > 0 || s.isEof(), Math.max(0, deadline - scheduler().now()));
                if (s.available() > 0) {
                    byte[] b = new byte[s.available()];
                    int n = s.read(b, 0, b.length);
                    out.write(b, 0, Math.max(0, n));
                    continue;
                }
                if (s.isEof() || errno[0] != 0 || scheduler().now() >= deadline) {
                    break;
                }
            }
            return out.toString(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public boolean isPeerClosed() {
            return s.isEof() && s.available() == 0;
        }

        @Override
        public String localEndpoint() {
            return Ipv4Address.format(s.localAddress()) + ":" + s.localPort();
        }

        @Override
        public String remoteEndpoint() {
            return Ipv4Address.format(s.remoteAddress()) + ":" + s.remotePort();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            s.close();
            // let the FIN exchange run (not the TIME_WAIT or a silent peer: at most one second)
            runUntil(() -> s.state() == dev.simnet.host.TcpState.CLOSED || s.state() == dev.simnet.host.TcpState.TIME_WAIT
                    || s.state() == dev.simnet.host.TcpState.FIN_WAIT_2, 1_000_000_000L);
        }
    }

    UdpFlow udp(ExecTarget t, String address, int port) {
        Node n = node(t);
        UdpSocket s = n.stack().udp().setOwner("simnet-api", 0);
        s.setListener(sock -> {
        });
        s.connect(Ipv4Address.parse(address), port);
        return new UdpFlow() {
            private boolean closed;

            @Override
            public void send(byte[] data) {
                if (closed) {
                    throw new IllegalStateException("flow is closed");
                }
                s.send(data);
            }

            @Override
            public Optional<Datagram> receive(Duration timeout) {
                if (closed) {
                    throw new IllegalStateException("flow is closed");
                }
                int[] err = new int[1];
                runUntil(() -> s.queuedDatagrams() > 0 || (err[0] = s.takeError()) != 0, timeout.toNanos());
                if (err[0] != 0) {
                    throw new FlowException(Errno.name(err[0]), address + ":" + port + ": " + Errno.name(err[0]) + " ("
                            + Errno.message(err[0]) + ")");
                }
                UdpSocket.Datagram d = s.receive();
                if (d == null) {
                    return Optional.empty();
                }
                return Optional.of(new Datagram(Ipv4Address.format(d.sourceAddress()), d.sourcePort(), d.payload()));
            }

            @Override
            public String localEndpoint() {
                return Ipv4Address.format(s.localAddress()) + ":" + s.localPort();
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    s.close();
                }
            }
        };
    }
}
