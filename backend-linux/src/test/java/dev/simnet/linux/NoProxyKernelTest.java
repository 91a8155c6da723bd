package dev.simnet.linux;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.linux.serve.MiniHttpServer;
import dev.simnet.topology.TopologyPlan;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code userland-proxy=false}: hairpin mode on every bridge port, and hairpin NAT to a published port works. */
class NoProxyKernelTest {

    @Test
    void hairpinModeAndHairpinConnection() {
        Kernel.assumeAvailable();
        TopologyPlan p = TestPlans.small();
        TopologyPlan plan = new TopologyPlan(p.project(), p.networks(), p.containers(), false, p.hostUpstreams(), p.seed());
        try (LinuxTopology topo = LinuxBackend.build(plan, LinuxTopology.Options.defaults().withInternetServices(false))) {
            String links = Kernel.run("bridge", "-n", topo.hostNamespace(), "-d", "link", "show");
            assertTrue(links.contains("hairpin on"), links);
            assertFalse(links.contains("hairpin off"), links);
            topo.addService(MiniHttpServer.start(topo.executor("t-web-2"), new InetSocketAddress(80),
                    MiniHttpServer.Kind.WHOAMI, "web2", List.of("172.18.0.3")));
            // web-2 to its own published port through the host's address: DNAT back out the same bridge port
            CommandResult r = topo.exec("t-web-2", Duration.ofSeconds(10), "curl", "-s", "-m", "5", "http://172.18.0.1:8080/");
            assertTrue(r.ok(), r.toString());
            assertTrue(r.stdout().contains("Hostname: web2"), r.stdout());
        }
    }
}
