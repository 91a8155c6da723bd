package dev.simnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.device.AbstractDevice;
import dev.simnet.l2.BridgeDevice;
import dev.simnet.l2.Fdb;
import dev.simnet.link.Netem;
import dev.simnet.link.NetemQdisc;
import dev.simnet.linux.CommandResult;
import dev.simnet.linux.SyntheticPlans;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.InternetPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.TopologyPlan;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code docker network connect/disconnect} and link impairments on the TAP backend, seen by real
 * programs: {@code ip} and {@code ping} in the container namespaces before and after a connect and a
 * disconnect; netem in the engine on frames the container sends (100% loss blocks a real ping, clearing
 * restores it, a delay shows in its round trip), on both directions of a link, and on the uplink.
 * Times are only ever bounded from below.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TapLinkTest {
    private static final Duration T = Duration.ofSeconds(20);
    private TopologyPlan plan;
    private NetworkPlan front;
    private NetworkPlan back;
    private TapNetwork net;
    private final SplittableRandom rnd = new SplittableRandom(11);

    @BeforeAll
    void build() {
        Assumptions.assumeTrue(TapBackend.isAvailable(), TapBackend.unavailabilityCause());
        front = SyntheticPlans.network("tl", 0, rnd);
        back = SyntheticPlans.network("tl", 1, rnd);
        ContainerPlan a = SyntheticPlans.container("tl", "a", 1, List.of(front), List.of(Ipv4Address.parse("172.18.0.2")), rnd);
        ContainerPlan b = SyntheticPlans.container("tl", "b", 1, List.of(front), List.of(Ipv4Address.parse("172.18.0.3")), rnd);
        ContainerPlan c = SyntheticPlans.container("tl", "c", 1, List.of(back), List.of(Ipv4Address.parse("172.19.0.2")), rnd);
        plan = new TopologyPlan("tl", List.of(front, back), List.of(a, b, c), true, List.of(), 11);
        net = TapBackend.build(plan, TapNetwork.Options.defaults().withServices(false));
    }

    @AfterAll
    void tearDown() throws IOException {
        if (net == null) {
            return;
        }
        List<String> names = net.kernel().namespaceNames();
        net.close();
        Process p = new ProcessBuilder("ip", "netns", "list").start();
        String list = dev.simnet.linux.LinuxTopology.collect(p, T).stdout();
        for (String n : names) {
            assertFalse(list.contains(n), "namespace left behind: " + n);
        }
    }

    @AfterEach
    void clearImpairments() {
        if (net == null) {
            return;
        }
        for (ContainerPlan c : net.plan().containers()) {
            for (EndpointPlan e : c.endpoints()) {
                net.setLinkImpairment(e.hostVeth(), c.name(), e.ifname(), null);
            }
        }
        net.setLinkImpairment(InternetPlan.HOST_UPLINK_IFNAME, "internet", InternetPlan.ROUTER_UPLINK_IFNAME, null);
    }

    private CommandResult ping(String from, String to, int count) {
        return net.exec(from, T, "ping", "-n", "-c", Integer.toString(count), "-i", "0.2", "-W", "1", to);
    }

    /** The minimum round trip of ping's summary line, in milliseconds. */
    private static double minRtt(CommandResult r) {
        Matcher m = Pattern.compile("rtt min/avg/max/mdev = ([\\d.]+)/").matcher(r.stdout());
        assertTrue(m.find(), r.stdout() + r.stderr());
        return Double.parseDouble(m.group(1));
    }

    @Test
    void connectAddsAnInterfaceAndDisconnectTakesItAway() {
        ContainerPlan a = net.plan().container("tl-a-1").orElseThrow();
        // before: no eth1, and the other network is isolated by Docker's rules
        CommandResult none = net.exec("tl-a-1", T, "ip", "-4", "addr", "show", "eth1");
        assertNotEquals(0, none.exitCode(), none.stdout());
        assertNotEquals(0, ping("tl-a-1", "172.19.0.2", 1).exitCode(), "isolated networks must not reach each other");

        EndpointPlan e = new EndpointPlan(back.name(), "eth1", Ipv4Address.parse("172.19.0.3"), 16, SyntheticPlans.mac(rnd),
                "veth" + Long.toHexString(rnd.nextLong() & 0xfffffffL | 0x1000000L), List.of());
        List<EndpointPlan> eps = new ArrayList<>(a.endpoints());
        eps.add(e);
        ContainerPlan connected = with(a, eps);
        net.connect(connected, e);

        CommandResult addr = net.exec("tl-a-1", T, "ip", "-4", "addr", "show", "eth1");
        assertEquals(0, addr.exitCode(), addr.stderr());
        assertTrue(addr.stdout().contains("inet 172.19.0.3/16 brd 172.19.255.255 scope global eth1"), addr.stdout());
        CommandResult link = net.exec("tl-a-1", T, "ip", "link", "show", "eth1");
        assertTrue(link.stdout().contains(e.mac().toString().toLowerCase(Locale.ROOT)), link.stdout());
        assertTrue(link.stdout().contains("state UP") || link.stdout().contains("state UNKNOWN"), link.stdout());
        // no second default route: the first network's gateway keeps it
        CommandResult route = net.exec("tl-a-1", T, "ip", "route");
        assertEquals(1, route.stdout().lines().filter(l -> l.startsWith("default")).count(), route.stdout());
        assertTrue(route.stdout().contains("default via 172.18.0.1 dev eth0"), route.stdout());
        assertTrue(route.stdout().contains("172.19.0.0/16 dev eth1"), route.stdout());
        // the engine: the port sits on back's bridge under Docker's host-side name
        String master = net.onLoop(s -> {
            AbstractDevice d = net.hostNamespace().device(e.hostVeth());
            return d.master() == null ? null : d.master().name();
        });
        assertEquals(back.bridgeName(), master);
        CommandResult reach = ping("tl-a-1", "172.19.0.2", 2);
        assertEquals(0, reach.exitCode(), reach.stdout() + reach.stderr());
        assertTrue(net.plan().container("tl-a-1").orElseThrow().endpoints().contains(e));

        net.disconnect(a, e);
        CommandResult gone = net.exec("tl-a-1", T, "ip", "link", "show", "eth1");
        assertNotEquals(0, gone.exitCode(), gone.stdout());
        assertTrue(gone.stderr().contains("does not exist"), gone.stderr());
        assertNotEquals(0, ping("tl-a-1", "172.19.0.2", 1).exitCode(), "reached back after the disconnect");
        boolean deviceLeft = net.onLoop(s -> net.hostNamespace().devices().stream().anyMatch(d -> d.name().equals(e.hostVeth())));
        assertFalse(deviceLeft, "port " + e.hostVeth() + " still in the simulated host");
        long learnt = net.onLoop(s -> {
            BridgeDevice br = (BridgeDevice) net.hostNamespace().device(back.bridgeName());
            return br.fdb().entries(s.now()).stream().filter(x -> x.mac() == e.mac().bits()).count();
        });
        assertEquals(0L, learnt, "FDB still holds eth1's MAC");
        assertFalse(net.plan().container("tl-a-1").orElseThrow().endpoints().contains(e));
        // the first network is untouched
        CommandResult still = ping("tl-a-1", "172.18.0.3", 1);
        assertEquals(0, still.exitCode(), still.stdout() + still.stderr());
    }

    private static ContainerPlan with(ContainerPlan c, List<EndpointPlan> eps) {
        return new ContainerPlan(c.name(), c.service(), c.replica(), c.id(), c.hostname(), c.netns(), c.networkMode(), eps,
                c.ports(), c.exposedPorts(), c.dns(), c.extraHosts(), c.links(), c.image(), c.command(), c.extensions());
    }

    @Test
    void lossOnFramesFromTheContainerBlocksARealPingAndClearingRestoresIt() {
        EndpointPlan e = plan.container("tl-b-1").orElseThrow().endpoints().get(0);
        TapPort port = net.port(e.hostVeth());
        CommandResult ok = ping("tl-b-1", "172.18.0.2", 1);
        assertEquals(0, ok.exitCode(), ok.stdout() + ok.stderr());
        NetemQdisc q = net.onLoop(s -> port.setIngressImpairment(Netem.none().withLoss(100), s.scheduler(),
                s.streams().stream("test/loss")));
        CommandResult cut = ping("tl-b-1", "172.18.0.2", 3);
        assertEquals(1, cut.exitCode(), cut.stdout() + cut.stderr());
        assertTrue(cut.stdout().contains("100% packet loss"), cut.stdout());
        long lost = net.onLoop(s -> q.lossDrops);
        assertTrue(lost >= 3, "netem dropped " + lost + " frames from the container");
        // the other direction was never impaired
        assertNull(net.onLoop(s -> net.hostNamespace().device(e.hostVeth()).qdisc()));

        net.onLoop(s -> port.setIngressImpairment(null, null, null));
        assertNull(net.onLoop(s -> port.ingressImpairment()));
        CommandResult back = ping("tl-b-1", "172.18.0.2", 2);
        assertEquals(0, back.exitCode(), back.stdout() + back.stderr());
    }

    @Test
    void delayOnFramesFromTheContainerShowsInTheRoundTrip() {
        EndpointPlan e = plan.container("tl-b-1").orElseThrow().endpoints().get(0);
        TapPort port = net.port(e.hostVeth());
        net.onLoop(s -> port.setIngressImpairment(Netem.none().withDelay(60_000_000L, 0, Netem.Distribution.NORMAL),
                s.scheduler(), s.streams().stream("test/delay")));
        CommandResult r = ping("tl-b-1", "172.18.0.2", 3);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(minRtt(r) >= 60.0, "min RTT below the 60 ms delay: " + r.stdout());
    }

    @Test
    void aLinkImpairmentDelaysBothDirections() {
        EndpointPlan e = plan.container("tl-b-1").orElseThrow().endpoints().get(0);
        net.setLinkImpairment(e.hostVeth(), "tl-b-1", e.ifname(), Netem.none().withDelay(40_000_000L, 0, Netem.Distribution.NORMAL));
        boolean egress = net.onLoop(s -> net.hostNamespace().device(e.hostVeth()).qdisc() instanceof NetemQdisc);
        boolean ingress = net.onLoop(s -> net.port(e.hostVeth()).ingressImpairment() != null);
        assertTrue(egress, "no netem towards the container");
        assertTrue(ingress, "no netem from the container");
        CommandResult r = ping("tl-b-1", "172.18.0.2", 3);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(minRtt(r) >= 80.0, "min RTT below 2 x 40 ms: " + r.stdout());
        // the container at the far end of the link sees it too
        CommandResult other = ping("tl-a-1", "172.18.0.3", 3);
        assertTrue(minRtt(other) >= 80.0, other.stdout());
    }

    @Test
    void anUplinkImpairmentDelaysTrafficToTheInternetBothWays() {
        net.setLinkImpairment(InternetPlan.HOST_UPLINK_IFNAME, "internet", InternetPlan.ROUTER_UPLINK_IFNAME,
                Netem.none().withDelay(30_000_000L, 0, Netem.Distribution.NORMAL));
        CommandResult r = ping("tl-c-1", InternetPlan.ROUTER_ADDRESS.toString(), 3);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(minRtt(r) >= 60.0, "min RTT below 2 x 30 ms: " + r.stdout());
    }
}
