package dev.simnet.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.linux.serve.MiniHttpServer;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.InternetPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.TopologyPlan;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Builds the small plan on the kernel and checks it with the real iproute2 tools. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LinuxTopologyTest {
    private static final Duration T = Duration.ofSeconds(10);
    private TopologyPlan plan;
    private LinuxTopology topo;

    @BeforeAll
    void build() {
        Kernel.assumeAvailable();
        plan = TestPlans.small();
        // no rule set here: this class checks plain L2/L3 wiring (DockerRulesKernelTest adds the rules)
        topo = LinuxBackend.build(plan, LinuxTopology.Options.defaults().withDockerRules(false).withEmbeddedDns(false));
    }

    @AfterAll
    void tearDown() {
        if (topo == null) {
            return;
        }
        String id = topo.runId();
        List<String> names = topo.namespaceNames();
        topo.close();
        String list = Kernel.run("ip", "netns", "list");
        for (String n : names) {
            assertFalse(list.contains(n), "namespace left behind: " + n);
            assertFalse(Files.exists(EtcNetns.ETC_NETNS.resolve(n)), "/etc/netns dir left: " + n);
        }
        assertFalse(Kernel.run("cat", "/proc/mounts").contains("sn-" + id + "-"), "mount left behind");
        assertFalse(Files.exists(RunState.stateDir().resolve(id + ".state")), "state file left behind");
    }

    private String ns(String container) {
        return topo.namespaceOf(container);
    }

    private String ipIn(String nsName, String... args) {
        String[] argv = new String[args.length + 3];
        argv[0] = "ip";
        argv[1] = "-n";
        argv[2] = nsName;
        System.arraycopy(args, 0, argv, 3, args.length);
        return Kernel.run(argv);
    }

    @Test
    void namespacesAreVisibleToIproute2AndCarryTheRunId() {
        String list = Kernel.run("ip", "netns", "list");
        for (String n : topo.namespaceNames()) {
            assertTrue(n.startsWith("sn-" + topo.runId() + "-"), n);
            assertTrue(list.contains(n), "ip netns list lacks " + n + ":\n" + list);
        }
        // host, inet and three owners; side-1 shares web-1's
        assertEquals(5, topo.namespaceNames().size());
        assertEquals(ns("t-web-1"), ns("t-side-1"));
        String mounts = Kernel.run("cat", "/proc/mounts");
        assertTrue(mounts.contains("/run/netns/" + topo.hostNamespace()), mounts);
    }

    @Test
    void containerInterfacesMatchThePlan() {
        for (ContainerPlan c : plan.containers()) {
            if (!c.ownsNamespace()) {
                continue;
            }
            for (EndpointPlan e : c.endpoints()) {
                String addr = ipIn(ns(c.name()), "-o", "-4", "addr", "show", "dev", e.ifname());
                assertTrue(addr.contains("inet " + e.address() + "/" + e.prefixLength()), c.name() + ": " + addr);
                String link = ipIn(ns(c.name()), "link", "show", "dev", e.ifname());
                assertTrue(link.contains("link/ether " + e.mac()), c.name() + ": " + link);
                assertTrue(link.contains("mtu 1500"), link);
                assertTrue(link.contains("state UP"), link);
            }
            NetworkPlan first = plan.network(c.endpoints().get(0).network()).orElseThrow();
            String route = ipIn(ns(c.name()), "route", "show", "default");
            assertTrue(route.contains("default via " + first.gateway() + " dev eth0"), c.name() + ": " + route);
            String lo = ipIn(ns(c.name()), "link", "show", "dev", "lo");
            assertTrue(lo.contains("UP"), lo);
        }
    }

    @Test
    void bridgesAndVethsMatchThePlan() {
        String host = topo.hostNamespace();
        for (NetworkPlan n : plan.networks()) {
            String addr = ipIn(host, "-o", "-4", "addr", "show", "dev", n.bridgeName());
            assertTrue(addr.contains("inet " + n.gateway() + "/" + n.subnet().prefixLength()), addr);
            String link = ipIn(host, "link", "show", "dev", n.bridgeName());
            assertTrue(link.contains("link/ether " + n.bridgeMac()), link);
        }
        String bridgeLinks = Kernel.run("bridge", "-n", host, "link");
        for (ContainerPlan c : plan.containers()) {
            for (EndpointPlan e : c.endpoints()) {
                NetworkPlan n = plan.network(e.network()).orElseThrow();
                String line = bridgeLinks.lines().filter(l -> l.contains(" " + e.hostVeth() + "@")).findFirst().orElse("");
                assertTrue(line.contains("master " + n.bridgeName()), e.hostVeth() + " not on " + n.bridgeName() + ":\n" + bridgeLinks);
            }
        }
        CommandResult fwd = topo.execHost(T, "cat", "/proc/sys/net/ipv4/ip_forward");
        assertEquals("1", fwd.stdout().trim());
        CommandResult fwdC = topo.exec("t-web-1", T, "cat", "/proc/sys/net/ipv4/ip_forward");
        assertEquals("0", fwdC.stdout().trim());
    }

    @Test
    void pingOnOneBridgeAndAcrossNetworks() {
        CommandResult same = topo.exec("t-web-1", T, "ping", "-c1", "-W1", "172.18.0.3");
        assertTrue(same.ok(), same.toString());
        // no filtering rules yet: the host routes between its bridges
        CommandResult across = topo.exec("t-web-1", T, "ping", "-c1", "-W1", "172.19.0.3");
        assertTrue(across.ok(), across.toString());
        CommandResult unknown = topo.exec("t-web-1", T, "ping", "-c1", "-W1", "172.18.0.99");
        assertFalse(unknown.ok(), unknown.toString());
        CommandResult uplink = topo.execHost(T, "ping", "-c1", "-W1", InternetPlan.WEB_SERVER.toString());
        assertTrue(uplink.ok(), uplink.toString());
    }

    @Test
    void sharedNamespaceSeesTheOwnersInterface() {
        CommandResult r = topo.exec("t-side-1", T, "ip", "-o", "-4", "addr", "show", "dev", "eth0");
        assertTrue(r.stdout().contains("inet 172.18.0.2/16"), r.toString());
    }

    @Test
    void vethsHaveTheKernelsDefaultQueueCountAsDockersDo() throws java.io.IOException {
        // Docker does not set IFLA_NUM_TX_QUEUES: a veth gets one queue per possible CPU
        String possible = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/devices/system/cpu/possible")).strip();
        int cpus = 0;
        for (String part : possible.split(",")) {
            String[] ab = part.split("-");
            cpus += ab.length == 1 ? 1 : Integer.parseInt(ab[1]) - Integer.parseInt(ab[0]) + 1;
        }
        CommandResult r = topo.exec("t-web-1", T, "ip", "-d", "link", "show", "dev", "eth0");
        assertTrue(r.stdout().contains("numtxqueues " + cpus + " numrxqueues " + cpus), cpus + " possible CPUs: " + r);
    }

    @Test
    void etcFilesAreThoseOfTheContainer() {
        CommandResult r = topo.exec("t-web-2", T, "cat", "/etc/resolv.conf");
        assertTrue(r.stdout().contains("# Generated by Docker Engine."), r.toString());
        assertTrue(r.stdout().contains("nameserver 127.0.0.11"), r.toString());
        assertTrue(r.stdout().contains("options ndots:0"), r.toString());
        ContainerPlan web2 = plan.container("t-web-2").orElseThrow();
        CommandResult h = topo.exec("t-web-2", T, "cat", "/etc/hosts");
        assertTrue(h.stdout().contains("172.18.0.3\t" + web2.hostname()), h.toString());
        Path dir = EtcNetns.ETC_NETNS.resolve(ns("t-web-2"));
        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void javaServersRunOnRealSocketsInsideNamespaces() throws Exception {
        ContainerPlan web2 = plan.container("t-web-2").orElseThrow();
        MiniHttpServer whoami = MiniHttpServer.start(topo.executor("t-web-2"), new InetSocketAddress(80),
                MiniHttpServer.Kind.WHOAMI, web2.hostname(), List.of("172.18.0.3", "172.19.0.2"));
        topo.addService(whoami);
        MiniHttpServer nginx = MiniHttpServer.start(topo.executor("t-db-1"), new InetSocketAddress(80),
                MiniHttpServer.Kind.NGINX, "db", List.of());
        topo.addService(nginx);
        // Java client inside web-1's namespace
        String body = topo.executor("t-web-1").call(() -> {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            HttpResponse<String> resp = client.send(HttpRequest.newBuilder(URI.create("http://172.18.0.3/hello"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return resp.body();
        });
        assertTrue(body.contains("Hostname: " + web2.hostname()), body);
        assertTrue(body.contains("RemoteAddr: 172.18.0.2:"), body);
        assertTrue(body.contains("GET /hello HTTP/1.1"), body);
        // the real curl, from the container sharing web-1's namespace, to db-1 on the other network
        CommandResult curl = topo.exec("t-side-1", T, "curl", "-s", "-m", "5", "-i", "http://172.19.0.3/");
        assertTrue(curl.ok(), curl.toString());
        assertTrue(curl.stdout().contains("Welcome to nginx!"), curl.stdout());
        assertTrue(curl.stdout().contains("Server: nginx"), curl.stdout());
        // the server is not reachable from the root namespace: nothing listens on port 80 there
        assertNotNull(whoami.address());
    }

    @Test
    void stopAndStartRecreateTheEndpoints() {
        ContainerPlan db = plan.container("t-db-1").orElseThrow();
        EndpointPlan e = db.endpoints().get(0);
        topo.disconnectAll("t-db-1");
        assertFalse(Kernel.run("ip", "-n", topo.hostNamespace(), "-o", "link").contains(e.hostVeth()), "veth still there");
        assertFalse(ipIn(ns("t-db-1"), "-o", "link").contains("eth0"), "eth0 still there");
        topo.connect("t-db-1", e);
        String addr = ipIn(ns("t-db-1"), "-o", "-4", "addr", "show", "dev", "eth0");
        assertTrue(addr.contains("inet " + e.address() + "/"), addr);
        assertTrue(topo.exec("t-web-2", T, "ping", "-c1", "-W1", e.address().toString()).ok());
    }
}
