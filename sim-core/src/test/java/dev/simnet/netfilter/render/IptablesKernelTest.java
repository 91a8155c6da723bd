package dev.simnet.netfilter.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The simulator's renderings judged by a real kernel (iptables-nft, as on a Docker 29 host): the
 * {@link IptablesSave#restore} input is loaded with {@code iptables-restore} inside a network
 * namespace this test creates and always deletes, then the kernel's {@code iptables-save} must equal
 * {@link IptablesSave#render} and its {@code nft list ruleset} (iptables-nft's translation) must equal
 * {@link NftRenderer#listRuleset}, and its {@code iptables -t T -L -n [-v] [-x] [--line-numbers]} must equal
 * {@link IptablesList#list}, line for line (only iptables-save's dated comment lines differ).
 */
class IptablesKernelTest {

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
            Result ipt = run(null, "iptables-restore", "--version");
            if (ipt.rc() != 0 || !ipt.out().contains("nf_tables")) {
                // not a skip: CI installs Debian's iptables (the nf_tables variant)
                throw new AssertionError("iptables-restore (nf_tables) not usable (install the 'iptables' package): " + ipt.out());
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

    /** A rule set using every match and target kind the model has. */
    static RuleSet everything() {
        RuleSet rs = new RuleSet();
        dev.simnet.netfilter.Chain u = rs.newChain(dev.simnet.netfilter.Table.FILTER, "USER-X");
        dev.simnet.netfilter.Chain g = rs.newChain(dev.simnet.netfilter.Table.FILTER, "USER-G");
        g.append(dev.simnet.netfilter.Target.RETURN);
        dev.simnet.netfilter.Chain in = rs.builtin(dev.simnet.netfilter.Table.FILTER, dev.simnet.netfilter.Hook.INPUT);
        in.setPolicy(dev.simnet.netfilter.Target.DROP);
        in.append(new dev.simnet.netfilter.Target.Jump("USER-X"), new dev.simnet.netfilter.Match.Source(Ipv4Cidr.parse("10.0.0.0/8"), true),
                new dev.simnet.netfilter.Match.Destination(Ipv4Cidr.parse("10.1.2.3/32"), false),
                new dev.simnet.netfilter.Match.InInterface("veth+", false));
        in.append(new dev.simnet.netfilter.Target.Goto("USER-G"), new dev.simnet.netfilter.Match.InInterface("eth0", true));
        u.append(dev.simnet.netfilter.Target.ACCEPT, new dev.simnet.netfilter.Match.Protocol(6, false),
                new dev.simnet.netfilter.Match.SourcePort(1024, 65535, false), new dev.simnet.netfilter.Match.DestinationPort(22, 22, true));
        u.append(dev.simnet.netfilter.Target.DROP, new dev.simnet.netfilter.Match.Protocol(17, true));
        u.append(new dev.simnet.netfilter.Target.Reject(dev.simnet.netfilter.Target.RejectWith.TCP_RESET), new dev.simnet.netfilter.Match.Protocol(6, false));
        for (dev.simnet.netfilter.Target.RejectWith w : dev.simnet.netfilter.Target.RejectWith.values()) {
            if (w != dev.simnet.netfilter.Target.RejectWith.TCP_RESET) {
                u.append(new dev.simnet.netfilter.Target.Reject(w), new dev.simnet.netfilter.Match.Protocol(17, false));
            }
        }
        // the icmp match needs -p icmp (the kernel refuses it otherwise)
        u.append(dev.simnet.netfilter.Target.ACCEPT, new dev.simnet.netfilter.Match.Protocol(1, false),
                new dev.simnet.netfilter.Match.IcmpType(3, 3, false));
        u.append(dev.simnet.netfilter.Target.DROP, new dev.simnet.netfilter.Match.Protocol(1, false),
                new dev.simnet.netfilter.Match.IcmpType(8, -1, true));
        u.append(dev.simnet.netfilter.Target.ACCEPT, new dev.simnet.netfilter.Match.AddrTypeLocal(true, true),
                new dev.simnet.netfilter.Match.AddrTypeLocal(false, false));
        u.append(dev.simnet.netfilter.Target.ACCEPT, new dev.simnet.netfilter.Match.CtState(
                dev.simnet.netfilter.Match.CT_NEW | dev.simnet.netfilter.Match.CT_INVALID, true));
        u.append(dev.simnet.netfilter.Target.ACCEPT, new dev.simnet.netfilter.Match.CtState(
                dev.simnet.netfilter.Match.CT_ESTABLISHED | dev.simnet.netfilter.Match.CT_DNAT | dev.simnet.netfilter.Match.CT_SNAT, false));
        u.append(new dev.simnet.netfilter.Target.Log("simnet: "), new dev.simnet.netfilter.Match.OutInterface("br-+", true));
        dev.simnet.netfilter.Chain pre = rs.builtin(dev.simnet.netfilter.Table.NAT, dev.simnet.netfilter.Hook.PREROUTING);
        pre.append(new dev.simnet.netfilter.Target.Dnat(Ipv4Address.parse("172.18.0.2"), 8000, 8010), new dev.simnet.netfilter.Match.Protocol(6, false),
                new dev.simnet.netfilter.Match.DestinationPort(9000, 9010, false));
        pre.append(new dev.simnet.netfilter.Target.Dnat(Ipv4Address.parse("172.18.0.3"), 0, 0), new dev.simnet.netfilter.Match.Destination(Ipv4Cidr.parse("192.0.2.9/32"), false));
        dev.simnet.netfilter.Chain post = rs.builtin(dev.simnet.netfilter.Table.NAT, dev.simnet.netfilter.Hook.POSTROUTING);
        post.append(new dev.simnet.netfilter.Target.Snat(Ipv4Address.parse("203.0.113.1"), 1024, 2047, true, false), new dev.simnet.netfilter.Match.Protocol(17, false),
                new dev.simnet.netfilter.Match.OutInterface("eth0", false));
        post.append(new dev.simnet.netfilter.Target.Masquerade(30000, 40000, false, true), new dev.simnet.netfilter.Match.Protocol(6, false));
        post.append(new dev.simnet.netfilter.Target.Masquerade(0, 0, true, false), new dev.simnet.netfilter.Match.OutInterface("eth1", false));
        rs.builtin(dev.simnet.netfilter.Table.NAT, dev.simnet.netfilter.Hook.INPUT).append(
                new dev.simnet.netfilter.Target.Snat(Ipv4Address.parse("10.9.9.9"), 0, 0, false, false), new dev.simnet.netfilter.Match.InInterface("eth9", false));
        rs.builtin(dev.simnet.netfilter.Table.MANGLE, dev.simnet.netfilter.Hook.OUTPUT).append(dev.simnet.netfilter.Target.ACCEPT,
                new dev.simnet.netfilter.Match.Protocol(1, false));
        rs.builtin(dev.simnet.netfilter.Table.RAW, dev.simnet.netfilter.Hook.OUTPUT).append(dev.simnet.netfilter.Target.DROP,
                new dev.simnet.netfilter.Match.Destination(Ipv4Cidr.parse("198.51.100.0/24"), false));
        rs.validate();
        return rs;
    }

    /** iptables-save's own comment lines carry a version and a date. */
    static String withoutComments(String s) {
        StringBuilder sb = new StringBuilder();
        s.lines().filter(l -> !l.startsWith("#")).forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    @Test
    void kernelIptablesSaveAndNftListingEqualTheSimulatorsRenderings() throws Exception {
        String why = unavailability();
        assumeTrue(why == null, () -> "Assumption: " + why);
        String ns = "snipt-test-" + UUID.randomUUID().toString().substring(0, 8);
        Result add = run(null, "ip", "netns", "add", ns);
        assertEquals(0, add.rc(), add.out());
        try {
            for (RuleSet rs : List.of(dockerHost(true), dockerHost(false), DockerRules.containerDnsRules(54602, 36395), everything())) {
                String script = IptablesSave.restore(rs, null, List.of());
                Result load = run(script, "ip", "netns", "exec", ns, "iptables-restore", "-c");
                assertEquals(0, load.rc(), load.out() + "\n--- input ---\n" + script);
                Result save = run(null, "ip", "netns", "exec", ns, "iptables-save");
                assertEquals(0, save.rc(), save.out());
                assertEquals(withoutComments(IptablesSave.render(rs, false)), withoutComments(save.out()), "--- input ---\n" + script);
                java.nio.file.Path errFile = java.nio.file.Files.createTempFile("snipt", ".err");
                try {
                    ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns, "nft", "list", "ruleset");
                    Process p = pb.redirectError(errFile.toFile()).start();
                    String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertEquals(0, p.waitFor());
                    assertEquals(NftRenderer.listRuleset(rs), listing, "--- input ---\n" + script);
                    assertEquals(NftRenderer.compatWarnings(rs), java.nio.file.Files.readString(errFile), "nft's warnings on stderr");
                } finally {
                    java.nio.file.Files.deleteIfExists(errFile);
                }
                for (dev.simnet.netfilter.Table t : dev.simnet.netfilter.Table.values()) {
                    for (IptablesList.Format f : List.of(new IptablesList.Format(true, true, false, false),
                            new IptablesList.Format(true, false, false, true), new IptablesList.Format(true, true, true, false))) {
                        List<String> cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns, "iptables", "-t", t.tableName(), "-L", "-n"));
                        if (f.verbose()) {
                            cmd.add("-v");
                        }
                        if (f.exact()) {
                            cmd.add("-x");
                        }
                        if (f.lineNumbers()) {
                            cmd.add("--line-numbers");
                        }
                        Result l = run(null, cmd.toArray(String[]::new));
                        assertEquals(0, l.rc(), l.out());
                        assertEquals(IptablesList.list(rs, t, null, f), l.out(), String.join(" ", cmd));
                    }
                }
                Result flush = run(null, "ip", "netns", "exec", ns, "nft", "flush", "ruleset");
                assertEquals(0, flush.rc(), flush.out());
            }
        } finally {
            Result del = run(null, "ip", "netns", "del", ns);
            assertEquals(0, del.rc(), "could not delete namespace " + ns + ": " + del.out());
        }
    }
}
