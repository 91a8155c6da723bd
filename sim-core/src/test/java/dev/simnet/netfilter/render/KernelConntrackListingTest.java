package dev.simnet.netfilter.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.simnet.netfilter.Harness;
import dev.simnet.netfilter.TestPackets;
import dev.simnet.netfilter.conntrack.ConntrackTable;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real kernel as judge: a masquerading router in namespaces of our own (client 172.18.0.2,
 * router, server 203.0.113.10), a UDP datagram from port 40000, a ping, and a
 * datagram from the server to a DNATed port of the router; the router's
 * {@code conntrack -L} must equal, line for line (remaining seconds aside), what the simulator lists
 * for the same packets through its own MASQUERADE rule.
 */
class KernelConntrackListingTest {

    private static IptablesKernelTest.Result sh(String cmd) throws Exception {
        return IptablesKernelTest.run(null, "sh", "-c", cmd);
    }

    private static String normalise(String line) {
        return line.replaceFirst("^(\\S+\\s+\\d+) \\d+ ", "$1 T ");
    }

    @Test
    void conntrackListingMatchesTheKernelForMasqueradedUdpAndPing() throws Exception {
        String why = IptablesKernelTest.unavailability();
        assumeTrue(why == null, () -> "Assumption: " + why);
        assumeTrue(IptablesKernelTest.run(null, "conntrack", "--version").rc() == 0, "Assumption: conntrack tool not installed");
        assumeTrue(IptablesKernelTest.run(null, "nc", "-h").rc() <= 1, "Assumption: nc not installed");
        String id = UUID.randomUUID().toString().substring(0, 6);
        String r = "snat-r" + id;
        String c = "snat-c" + id;
        String s = "snat-s" + id;
        List<String> created = new ArrayList<>();
        try {
            for (String ns : List.of(r, c, s)) {
                assertEquals(0, IptablesKernelTest.run(null, "ip", "netns", "add", ns).rc());
                created.add(ns);
            }
            String setup = String.join(" && ",
                    "ip link add vc" + id + " netns " + r + " type veth peer name eth0 netns " + c,
                    "ip link add vs" + id + " netns " + r + " type veth peer name eth0 netns " + s,
                    "ip -n " + r + " addr add 172.18.0.1/16 dev vc" + id,
                    "ip -n " + r + " addr add 203.0.113.1/24 dev vs" + id,
                    "ip -n " + r + " link set vc" + id + " up", "ip -n " + r + " link set vs" + id + " up",
                    "ip -n " + c + " addr add 172.18.0.2/16 dev eth0", "ip -n " + c + " link set eth0 up",
                    "ip -n " + c + " route add default via 172.18.0.1",
                    "ip -n " + s + " addr add 203.0.113.10/24 dev eth0", "ip -n " + s + " link set eth0 up",
                    "ip netns exec " + r + " sysctl -qw net.ipv4.ip_forward=1");
            IptablesKernelTest.Result st = sh(setup);
            assertEquals(0, st.rc(), st.out());
            Harness h = new Harness().masquerade();
            h.rules.builtin(dev.simnet.netfilter.Table.NAT, dev.simnet.netfilter.Hook.PREROUTING).append(
                    new dev.simnet.netfilter.Target.Dnat(dev.simnet.addr.Ipv4Address.parse("172.18.0.2"), 53, 53),
                    dev.simnet.netfilter.Match.Of.dst("203.0.113.1/32"), dev.simnet.netfilter.Match.Of.proto("udp"),
                    dev.simnet.netfilter.Match.Of.dport(8053));
            h.reload();
            // the same rule, rendered by us, loaded into the router namespace (bridge name as the kernel calls it)
            String script = IptablesSave.restore(h.rules, null, List.of()).replace(" br0 ", " vc" + id + " ");
            IptablesKernelTest.Result load = IptablesKernelTest.run(script, "ip", "netns", "exec", r, "iptables-restore", "-c");
            assertEquals(0, load.rc(), load.out());
            sh("ip netns exec " + c + " sh -c 'echo hi | timeout 2 nc -u -w1 -p 40000 203.0.113.10 53'");
            sh("ip netns exec " + s + " sh -c 'echo hi | timeout 2 nc -u -w1 -p 45000 203.0.113.1 8053'");
            IptablesKernelTest.Result ping = sh("ip netns exec " + c + " ping -c1 -W2 203.0.113.10");
            assertEquals(0, ping.rc(), ping.out());
            IptablesKernelTest.Result ct = sh("ip netns exec " + r + " conntrack -L 2>/dev/null");
            assertEquals(0, ct.rc(), ct.out());
            String udpLine = null;
            String dnatLine = null;
            String icmpLine = null;
            for (String line : ct.out().split("\n")) {
                if (line.startsWith("udp ") && line.contains("dport=8053")) {
                    dnatLine = line;
                } else if (line.startsWith("udp ")) {
                    udpLine = line;
                } else if (line.startsWith("icmp ")) {
                    icmpLine = line;
                }
            }
            assertNotNull(udpLine, ct.out());
            assertNotNull(icmpLine, ct.out());
            assertNotNull(dnatLine, ct.out());
            Matcher m = Pattern.compile(" id=(\\d+) ").matcher(icmpLine);
            assertEquals(true, m.find(), icmpLine);
            int pingId = Integer.parseInt(m.group(1));

            long sec = ConntrackTable.SEC;
            h.forward(TestPackets.udp("172.18.0.2", 40000, "203.0.113.10", 53, 3), Harness.BR0, Harness.ETH0, 0);
            h.forward(TestPackets.udp("203.0.113.10", 45000, "203.0.113.1", 8053, 3), Harness.ETH0, Harness.BR0, sec / 20);
            h.forward(TestPackets.icmpEcho("172.18.0.2", "203.0.113.10", 8, pingId, 1), Harness.BR0, Harness.ETH0, sec / 10);
            h.forward(TestPackets.icmpEcho("203.0.113.10", "203.0.113.1", 0, pingId, 1), Harness.ETH0, Harness.BR0, sec / 10 + 1000);
            String ours = h.nf.conntrack().list(sec / 2);
            String[] lines = ours.split("\n");
            assertEquals(normalise(udpLine), normalise(lines[0]));
            assertEquals(normalise(dnatLine), normalise(lines[1]));
            assertEquals(normalise(icmpLine), normalise(lines[2]));
        } finally {
            for (String ns : created) {
                IptablesKernelTest.run(null, "ip", "netns", "del", ns);
            }
        }
    }
}
