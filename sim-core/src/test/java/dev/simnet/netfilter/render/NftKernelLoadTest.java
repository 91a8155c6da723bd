package dev.simnet.netfilter.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.Ipv4Cidr;
import dev.simnet.addr.MacAddress;
import dev.simnet.netfilter.RuleSet;
import dev.simnet.netfilter.docker.DockerRules;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.PortPlan;
import dev.simnet.topology.TopologyPlan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Loads the rendered nftables script into a real kernel, inside a network namespace this test
 * creates and always deletes: the rule set the simulator runs is one the kernel accepts.
 */
class NftKernelLoadTest {

    record Result(int rc, String out) { }

    static Result run(String stdin, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Process p = pb.start();
        try (OutputStream os = p.getOutputStream()) {
            if (stdin != null) {
                os.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (InputStream is = p.getInputStream()) {
            is.transferTo(bo);
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timeout");
        }
        return new Result(p.exitValue(), bo.toString(StandardCharsets.UTF_8));
    }

    static String unavailability() {
        try {
            Result id = run(null, "id", "-u");
            if (id.rc() != 0 || !id.out().trim().equals("0")) {
                return "not root (uid " + id.out().trim() + "): cannot create network namespaces";
            }
            Result v = run(null, "nft", "--version");
            if (v.rc() != 0) {
                return "nft not usable: " + v.out();
            }
            Result ip = run(null, "ip", "-V");
            if (ip.rc() != 0) {
                return "iproute2 not usable: " + ip.out();
            }
            return null;
        } catch (IOException | InterruptedException e) {
            return "cannot run nft/ip: " + e.getMessage();
        }
    }

    static RuleSet dockerHost(boolean proxy) {
        Ipv4Cidr s1 = Ipv4Cidr.parse("172.17.0.0/16");
        Ipv4Cidr s2 = Ipv4Cidr.parse("172.18.0.0/16");
        Ipv4Cidr s3 = Ipv4Cidr.parse("172.19.0.0/16");
        MacAddress m = MacAddress.of(0x020000000001L);
        List<NetworkPlan> nets = List.of(
                new NetworkPlan("bridge", "bridge", "1".repeat(64), "docker0", s1, s1.nth(1), s1, m, false, true, true, false),
                new NetworkPlan("p_default", "default", "2".repeat(64), "br-222222222222", s2, s2.nth(1), s2, m, false, false, false, false),
                new NetworkPlan("p_back", "back", "3".repeat(64), "br-333333333333", s3, s3.nth(1), s3, m, true, true, false, false));
        EndpointPlan ep = new EndpointPlan("p_default", "eth0", Ipv4Address.parse("172.18.0.2"), 16, m, "veth1234567", List.of());
        ContainerPlan c = new ContainerPlan("p-web-1", "web", 1, "a".repeat(64), "aaaaaaaaaaaa", "p-web-1", "bridge", List.of(ep),
                List.of(new PortPlan(Ipv4Address.ANY, 8080, 80, "tcp"), new PortPlan(Ipv4Address.parse("127.0.0.1"), 5353, 53, "udp")),
                List.of(), List.of(), Map.of(), Map.of(), "nginx", List.of(), Map.of());
        return DockerRules.hostRules(new TopologyPlan("p", nets, List.of(c), proxy, List.of(), 7));
    }

    @Test
    void renderedScriptsLoadIntoARealKernel() throws Exception {
        String why = unavailability();
        assumeTrue(why == null, () -> "Assumption: " + why);
        String ns = "snat-test-" + UUID.randomUUID().toString().substring(0, 8);
        Result add = run(null, "ip", "netns", "add", ns);
        assertEquals(0, add.rc(), add.out());
        try {
            for (RuleSet rs : List.of(dockerHost(true), dockerHost(false), DockerRules.containerDnsRules(54602, 36395))) {
                String script = NftRenderer.script(rs);
                Result load = run(script, "ip", "netns", "exec", ns, "nft", "-f", "-");
                assertEquals(0, load.rc(), load.out() + "\n--- script ---\n" + script);
                Result list = run(null, "ip", "netns", "exec", ns, "nft", "list", "ruleset");
                assertEquals(0, list.rc(), list.out());
                // the kernel's listing has every rule we rendered (counters aside)
                String ours = NftRenderer.listRuleset(rs);
                long ourRules = ours.lines().filter(l -> l.contains(" counter ")).count();
                long theirRules = list.out().lines().filter(l -> l.contains(" counter ")).count();
                assertTrue(theirRules >= ourRules, "kernel lists " + theirRules + " rules, we rendered " + ourRules + "\n" + list.out());
                assertTrue(list.out().contains("dnat to 172.18.0.2:80") || rs.hasChain(dev.simnet.netfilter.Table.NAT, "DOCKER_OUTPUT"),
                        list.out());
                Result flush = run(null, "ip", "netns", "exec", ns, "nft", "flush", "ruleset");
                assertEquals(0, flush.rc(), flush.out());
            }
        } finally {
            Result del = run(null, "ip", "netns", "del", ns);
            assertEquals(0, del.rc(), "could not delete namespace " + ns + ": " + del.out());
        }
    }
}
