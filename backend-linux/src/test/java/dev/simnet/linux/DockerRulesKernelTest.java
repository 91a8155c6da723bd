package dev.simnet.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.linux.serve.MiniHttpServer;
import dev.simnet.topology.InternetPlan;
import dev.simnet.topology.TopologyPlan;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The small plan with everything on: Docker's rule set (from the nat model, loaded with
 * iptables-restore as Docker 29's iptables-nft does) in the host namespace, the internet's DNS and
 * HTTP servers, and the embedded DNS at 127.0.0.11 in every container namespace. Checked with the
 * real ping, curl, dig, iptables and nft.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerRulesKernelTest {
    private static final Duration T = Duration.ofSeconds(15);
    private TopologyPlan plan;
    private LinuxTopology topo;

    @BeforeAll
    void build() {
        Kernel.assumeAvailable();
        plan = TestPlans.small();
        topo = LinuxBackend.build(plan);
        var web2 = plan.container("t-web-2").orElseThrow();
        topo.addService(MiniHttpServer.start(topo.executor("t-web-2"), new InetSocketAddress(80),
                MiniHttpServer.Kind.WHOAMI, web2.hostname(), List.of("172.18.0.3", "172.19.0.2")));
    }

    @AfterAll
    void tearDown() {
        if (topo != null) {
            String id = topo.runId();
            topo.close();
            assertFalse(Kernel.run("ip", "netns", "list").contains("sn-" + id + "-"));
        }
    }

    @Test
    void rulesAreLoadedInTheHostNamespaceOnly() {
        CommandResult r = topo.execHost(T, "nft", "list", "ruleset");
        assertTrue(r.ok(), r.toString());
        assertTrue(r.stdout().contains("masquerade"), r.stdout());
        assertTrue(r.stdout().contains("172.18.0.0/16"), r.stdout());
        CommandResult c = topo.exec("t-web-1", T, "nft", "list", "ruleset");
        assertTrue(c.stdout().contains("127.0.0.11"), "embedded DNS rules missing in container:\n" + c.stdout());
    }

    /** iptables itself reads the tables back (they were made by iptables-nft, not by nft): as on a Docker host. */
    @Test
    void iptablesListsDockersChains() {
        CommandResult nat = topo.execHost(T, "iptables", "-t", "nat", "-S", "DOCKER");
        assertTrue(nat.ok(), nat.toString());
        assertTrue(nat.stdout().startsWith("-N DOCKER\n"), nat.stdout());
        assertTrue(nat.stdout().contains(" -j DNAT --to-destination "), nat.stdout());
        CommandResult filter = topo.execHost(T, "iptables", "-S", "FORWARD");
        assertEquals("-P FORWARD DROP\n-A FORWARD -j DOCKER-USER\n-A FORWARD -j DOCKER-FORWARD\n", filter.stdout(), filter.toString());
        CommandResult dns = topo.exec("t-web-1", T, "iptables", "-t", "nat", "-S", "DOCKER_OUTPUT");
        assertTrue(dns.ok(), dns.toString());
        assertTrue(dns.stdout().contains("-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:"
                + topo.embeddedDnsPort("t-web-1")), dns.stdout());
    }

    @Test
    void aMissingToolNamesItsPackage() {
        assertEquals(null, LinuxBackend.rulesToolCause());
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Tools.require("simnet-no-such-tool", "simnet-pkg"));
        assertEquals("'simnet-no-such-tool' not found on PATH, /usr/sbin or /sbin: install the 'simnet-pkg' package"
                + " (apt-get install simnet-pkg)", e.getMessage());
    }

    @Test
    void savedCountersAreHandedOutPerRuleInOrder() {
        var kept = LinuxTopology.savedCounters("""
                *filter
                :FORWARD DROP [3:180]
                [7:420] -A FORWARD -j DOCKER-USER
                [1:60] -A DOCKER -o br-x -j DROP
                [2:120] -A DOCKER -o br-x -j DROP
                COMMIT
                """);
        assertEquals(List.of(7L, 420L), java.util.Arrays.stream(kept.counters(dev.simnet.netfilter.Table.FILTER, "FORWARD", "-j DOCKER-USER"))
                .boxed().toList());
        assertEquals(1L, kept.counters(dev.simnet.netfilter.Table.FILTER, "DOCKER", "-o br-x -j DROP")[0]);
        assertEquals(2L, kept.counters(dev.simnet.netfilter.Table.FILTER, "DOCKER", "-o br-x -j DROP")[0]);
        assertEquals(null, kept.counters(dev.simnet.netfilter.Table.FILTER, "DOCKER", "-o br-x -j DROP"));
        assertEquals(null, kept.counters(dev.simnet.netfilter.Table.NAT, "FORWARD", "-j DOCKER-USER"));
    }

    @Test
    void networksAreIsolatedButABridgeIsSwitched() {
        assertTrue(topo.exec("t-web-1", T, "ping", "-c1", "-W1", "172.18.0.3").ok(), "same bridge");
        assertFalse(topo.exec("t-web-1", T, "ping", "-c1", "-W1", "172.19.0.3").ok(), "front must not reach back");
        assertTrue(topo.exec("t-web-2", T, "ping", "-c1", "-W1", "172.19.0.3").ok(), "web-2 is on back");
    }

    @Test
    void outboundTrafficIsMasqueradedToTheHostsPublicAddress() {
        CommandResult r = topo.exec("t-web-1", T, "curl", "-s", "-m", "5", "http://" + InternetPlan.WEB_SERVER + "/");
        assertTrue(r.ok(), r.toString());
        assertTrue(r.stdout().contains("RemoteAddr: " + InternetPlan.HOST_PUBLIC_ADDRESS + ":"), r.stdout());
    }

    @Test
    void publishedPortReachesTheContainerFromTheInternet() {
        CommandResult r = topo.execInternet(T, "curl", "-s", "-m", "5", "http://" + InternetPlan.HOST_PUBLIC_ADDRESS + ":8080/pub");
        assertTrue(r.ok(), r.toString());
        assertTrue(r.stdout().contains("GET /pub"), r.stdout());
        // DNAT only: the container sees the true client
        assertTrue(r.stdout().contains("RemoteAddr: " + InternetPlan.ROUTER_ADDRESS + ":"), r.stdout());
    }

    @Test
    void embeddedDnsAnswersAt127_0_0_11() {
        CommandResult a = topo.exec("t-web-1", T, "dig", "+short", "+time=2", "+tries=1", "t-web-2");
        assertEquals("172.18.0.3", a.stdout().strip(), a.toString());
        CommandResult svc = topo.exec("t-web-2", T, "dig", "+short", "+time=2", "+tries=1", "db");
        assertEquals("172.19.0.3", svc.stdout().strip(), svc.toString());
        // db-1 is not on web-1's network: the resolver forwards it; the internet's upstream (a recursive
        // resolver over InternetPlan.UPSTREAM_ZONE) answers NXDOMAIN, which Docker's resolver passes back
        CommandResult no = topo.exec("t-web-1", T, "dig", "+time=2", "+tries=1", "t-db-1");
        assertTrue(no.stdout().contains("status: NXDOMAIN"), no.stdout());
        assertTrue(no.stdout().contains("flags: qr rd ra;"), no.stdout());
        assertTrue(no.stdout().contains("ANSWER: 0"), no.stdout());
        // the shared namespace uses the owner's resolver
        CommandResult side = topo.exec("t-side-1", T, "dig", "+short", "+time=2", "+tries=1", "t-web-2");
        assertEquals("172.18.0.3", side.stdout().strip(), side.toString());
        // over TCP as well
        CommandResult tcp = topo.exec("t-web-1", T, "dig", "+tcp", "+short", "+time=2", "+tries=1", "t-web-2");
        assertEquals("172.18.0.3", tcp.stdout().strip(), tcp.toString());
    }

    @Test
    void unknownNamesAreForwardedToTheInternetsServer() {
        CommandResult r = topo.exec("t-web-1", T, "dig", "+short", "+time=3", "+tries=1", "www.example.test");
        assertEquals(InternetPlan.WEB_SERVER.toString(), r.stdout().strip(), r.toString());
        CommandResult curl = topo.exec("t-web-1", T, "curl", "-s", "-m", "5", "http://www.example.test/");
        assertTrue(curl.stdout().contains("Hostname: internet"), curl.toString());
    }

    @Test
    void bridgePortsAreNotInHairpinModeWithTheUserlandProxy() {
        String links = Kernel.run("bridge", "-n", topo.hostNamespace(), "-d", "link", "show");
        assertTrue(links.contains("hairpin off"), links);
        assertFalse(links.contains("hairpin on"), links);
    }
}
