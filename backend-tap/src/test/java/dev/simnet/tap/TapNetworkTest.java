package dev.simnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.linux.CommandResult;
import dev.simnet.linux.SyntheticPlans;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.InternetPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.PortPlan;
import dev.simnet.topology.TopologyPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real programs in real namespaces, talking through the simulated Docker host: ping with ARP answered
 * by the peer kernel across the simulated bridge, curl to a real python HTTP server, dig against
 * 127.0.0.11, ping and HTTP through the engine's masquerade, a published port reached from the
 * internet namespace, and a pcap of the userspace datapath.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TapNetworkTest {
    private static final Duration T = Duration.ofSeconds(20);
    private TopologyPlan plan;
    private TapNetwork net;
    private Path captureDir;
    private Process http;
    private Process iperf;

    @BeforeAll
    void build() throws IOException {
        Assumptions.assumeTrue(TapBackend.isAvailable(), TapBackend.unavailabilityCause());
        SplittableRandom rnd = new SplittableRandom(7);
        NetworkPlan front = SyntheticPlans.network("tp", 0, rnd);
        ContainerPlan a = SyntheticPlans.container("tp", "a", 1, List.of(front), List.of(Ipv4Address.parse("172.18.0.2")), rnd);
        ContainerPlan b = SyntheticPlans.container("tp", "b", 1, List.of(front), List.of(Ipv4Address.parse("172.18.0.3")), rnd);
        b = new ContainerPlan(b.name(), b.service(), b.replica(), b.id(), b.hostname(), b.netns(), b.networkMode(),
                b.endpoints(), List.of(new PortPlan(Ipv4Address.ANY, 8080, 8000, "tcp"), new PortPlan(Ipv4Address.ANY, 5201, 5201, "tcp")), b.exposedPorts(), b.dns(),
                b.extraHosts(), b.links(), b.image(), b.command(), b.extensions());
        plan = new TopologyPlan("tp", List.of(front), List.of(a, b), true, List.of(), 7);
        captureDir = Files.createTempDirectory("simnet-tap-capture");
        net = TapBackend.build(plan, TapNetwork.Options.defaults().withCapture(captureDir));
        http = net.spawn("tp-b-1", List.of("/usr/bin/python3", "-m", "http.server", "8000", "--bind", "0.0.0.0"));
        waitListening("tp-b-1", 8000);
        iperf = net.spawn("tp-b-1", List.of("iperf3", "-s", "-p", "5201"));
        waitListening("tp-b-1", 5201);
    }

    private void waitListening(String container, int port) {
        for (int i = 0; i < 100; i++) {
            CommandResult r = net.exec(container, T, "ss", "-ltnH", "sport = :" + port);
            if (r.ok() && !r.stdout().isBlank()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("nothing listens on " + container + ":" + port);
    }

    @AfterAll
    void tearDown() throws IOException {
        if (net == null) {
            return;
        }
        String id = net.runId();
        List<String> names = net.kernel().namespaceNames();
        if (http != null) {
            http.destroyForcibly();
        }
        if (iperf != null) {
            iperf.destroyForcibly();
        }
        net.close();
        CommandResult list = run("ip", "netns", "list");
        for (String n : names) {
            assertFalse(list.stdout().contains(n), "namespace left behind: " + n);
        }
        assertFalse(run("cat", "/proc/mounts").stdout().contains("sn-" + id + "-"), "mount left behind");
        // the capture of the userspace datapath holds the traffic of the tests
        Path all = captureDir.resolve("all.pcap");
        assertTrue(Files.size(all) > 24 + 100, "merged capture is empty");
        CommandResult r = run("tcpdump", "-nn", "-r", all.toString(), "icmp");
        assertTrue(r.stdout().contains("ICMP echo request"), r.stdout() + r.stderr());
        try (var s = Files.list(captureDir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(captureDir);
    }

    private static CommandResult run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            return dev.simnet.linux.LinuxTopology.collect(p, T);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void pingAcrossTheSimulatedBridgeWithArpAnsweredByThePeerKernel() {
        CommandResult r = net.exec("tp-a-1", T, "ping", "-c", "3", "-i", "0.2", "-W", "2", "172.18.0.3");
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("3 received"), r.stdout());
        // the real kernel of tp-a-1 learnt tp-b-1's real MAC (the plan's) through the simulated bridge
        CommandResult neigh = net.exec("tp-a-1", T, "ip", "neigh", "show", "172.18.0.3");
        String macB = plan.container("tp-b-1").orElseThrow().endpoints().get(0).mac().toString().toLowerCase(Locale.ROOT);
        assertTrue(neigh.stdout().contains(macB), neigh.stdout() + " should show " + macB);
        // and the bridge learnt both container MACs on their ports
        long forwarded = net.onLoop(s -> net.port(plan.container("tp-b-1").orElseThrow().endpoints().get(0).hostVeth())
                .counters().txPackets);
        assertTrue(forwarded >= 3, "frames written to tp-b-1's TAP: " + forwarded);
    }

    @Test
    void aThrowingEngineTaskIsCountedAndTheNetworkGoesOn() {
        long before = net.eventFailures();
        // a task that throws on the loop (as a buggy tool callback would): the loop must survive it
        net.runner().post(() -> {
            throw new IllegalStateException("deliberate failure in a loop task");
        });
        long failures = net.onLoop(s -> net.eventFailures());
        assertEquals(before + 1, failures);
        assertTrue(net.firstEventFailure() != null, "first failure recorded");
        CommandResult r = net.exec("tp-a-1", T, "ping", "-c", "1", "-W", "2", "172.18.0.3");
        assertEquals(0, r.exitCode(), "the datapath still forwards after the failure: " + r.stdout() + r.stderr());
    }

    /** iperf3's JSON: bytes in the end summary {@code sum} ({@code sum_sent} or {@code sum_received}). */
    private static long bytes(String json, String sum) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + sum + "\"\\s*:\\s*\\{[^}]*?\"bytes\"\\s*:\\s*(\\d+)",
                java.util.regex.Pattern.DOTALL).matcher(json);
        assertTrue(m.find(), json);
        return Long.parseLong(m.group(1));
    }

    @Test
    void bulkTcpBetweenContainersKeepsSuperFramesWhole() {
        String veth = plan.container("tp-b-1").orElseThrow().endpoints().get(0).hostVeth();
        String vethA = plan.container("tp-a-1").orElseThrow().endpoints().get(0).hostVeth();
        long before = net.onLoop(s -> net.port(vethA).offloadCounters()[0]);
        CommandResult r = net.exec("tp-a-1", Duration.ofSeconds(30), "iperf3", "-c", "172.18.0.3", "-p", "5201", "-n", "20M", "-J");
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(bytes(r.stdout(), "sum_sent") >= 20L * 1024 * 1024, r.stdout());
        assertTrue(bytes(r.stdout(), "sum_received") >= 10L * 1024 * 1024, r.stdout());
        long passed = net.onLoop(s -> net.port(vethA).offloadCounters()[0]) - before;
        assertTrue(passed > 0, "no TSO super-frame was switched whole from tp-a-1");
        assertEquals(0L, (long) net.onLoop(s -> net.port(veth).counters().txDropped), "frames dropped towards tp-b-1");
    }

    @Test
    void bulkTcpFromAContainerThroughNatIsSegmentedInSoftware() {
        String veth = plan.container("tp-b-1").orElseThrow().endpoints().get(0).hostVeth();
        long before = net.onLoop(s -> net.port(veth).offloadCounters()[1]);
        // reverse mode: the container (behind the published port) sends, its super-frames are routed and NATed
        CommandResult r = net.execInternet(Duration.ofSeconds(30), "iperf3", "-c", InternetPlan.HOST_PUBLIC_ADDRESS.toString(),
                "-p", "5201", "-R", "-n", "10M", "-J");
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(bytes(r.stdout(), "sum_sent") >= 10L * 1024 * 1024, r.stdout());
        assertTrue(bytes(r.stdout(), "sum_received") >= 5L * 1024 * 1024, r.stdout());
        long completed = net.onLoop(s -> net.port(veth).offloadCounters()[1]) - before;
        assertTrue(completed > 0, "no offloaded frame from tp-b-1 was completed in software");
        assertEquals(0L, (long) net.onLoop(s -> net.port(veth).offloadCounters()[2]), "offloaded frames dropped");
    }

    @Test
    void curlToARealHttpServerByNameThroughTheEmbeddedDns() {
        CommandResult r = net.exec("tp-a-1", T, "curl", "-sS", "-m", "10", "-o", "/dev/null", "-w", "%{http_code} %{remote_ip}",
                "http://tp-b-1:8000/");
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertEquals("200 172.18.0.3", r.stdout().strip());
    }

    @Test
    void digAgainstTheEmbeddedResolver() {
        CommandResult r = net.exec("tp-a-1", T, "dig", "+short", "+time=3", "+tries=1", "@127.0.0.11", "b");
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertEquals("172.18.0.3", r.stdout().strip());
        CommandResult full = net.exec("tp-a-1", T, "dig", "+time=3", "+tries=1", "@127.0.0.11", "tp-b-1");
        assertTrue(full.stdout().contains("status: NOERROR"), full.stdout());
        assertTrue(full.stdout().contains("SERVER: 127.0.0.11#53"), full.stdout());
        // an outside name is forwarded through the simulated NAT to the internet namespace's server
        CommandResult fwd = net.exec("tp-a-1", T, "dig", "+short", "+time=5", "+tries=1", "@127.0.0.11", "www.example.test");
        assertEquals(InternetPlan.WEB_SERVER.toString(), fwd.stdout().strip(), fwd.stderr());
    }

    @Test
    void pingAndHttpToTheInternetAreMasqueraded() {
        CommandResult r = net.exec("tp-a-1", T, "ping", "-c", "2", "-i", "0.2", "-W", "2", InternetPlan.ROUTER_ADDRESS.toString());
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        String ct = net.conntrackList();
        assertTrue(ct.lines().anyMatch(l -> l.startsWith("icmp") && l.contains("src=172.18.0.2 dst=" + InternetPlan.ROUTER_ADDRESS)
                && l.contains("dst=" + InternetPlan.HOST_PUBLIC_ADDRESS)), ct);
        // the internet's whoami server sees the Docker host's public address
        CommandResult w = net.exec("tp-a-1", T, "curl", "-sS", "-m", "10", "http://" + InternetPlan.WEB_SERVER + "/");
        assertEquals(0, w.exitCode(), w.stdout() + w.stderr());
        assertTrue(w.stdout().contains(InternetPlan.HOST_PUBLIC_ADDRESS.toString()), w.stdout());
        assertFalse(w.stdout().contains("172.18.0.2"), w.stdout());
    }

    @Test
    void publishedPortReachableFromTheInternet() {
        CommandResult r = net.execInternet(T, "curl", "-sS", "-m", "10", "-o", "/dev/null", "-w", "%{http_code}",
                "http://" + InternetPlan.HOST_PUBLIC_ADDRESS + ":8080/");
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertEquals("200", r.stdout().strip());
        String ct = net.conntrackList();
        assertTrue(ct.lines().anyMatch(l -> l.startsWith("tcp") && l.contains("dport=8080") && l.contains("src=172.18.0.3")
                && l.contains("sport=8000")), ct);
    }
}
