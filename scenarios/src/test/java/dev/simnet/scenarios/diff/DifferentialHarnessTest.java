package dev.simnet.scenarios.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.scenarios.engine.ExecResult;
import dev.simnet.scenarios.sim.SimEngineProvider;
import dev.simnet.scenarios.engine.ScenarioEngine;
import dev.simnet.topology.TopologyPlan;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The harness itself, without a kernel: normalisation of real tools' output (fixtures as iproute2,
 * conntrack-tools, dig and OpenBSD nc print them), the side-by-side table, and that the comparison
 * is sensitive (two different plans differ on the simulator) yet stable (the same plan twice agrees).
 */
class DifferentialHarnessTest {

    private static final String COMPOSE = """
            services:
              web:
                image: traefik/whoami
                ports: ["8080:80"]
                networks: [front]
              db:
                image: redis
                networks: [back]
            networks:
              front: {}
              back: {}
            """;

    @Test
    void tcpOutcomesAreReadFromOpenBsdNcMessages() {
        assertEquals("open", DifferentialHarness.tcpOutcome(new ExecResult(0, "", "Connection to 172.18.0.3 80 port [tcp/http] succeeded!\n")));
        assertEquals("refused", DifferentialHarness.tcpOutcome(new ExecResult(1, "", "nc: connect to 172.18.0.3 port 81 (tcp) failed: Connection refused\n")));
        assertEquals("timeout", DifferentialHarness.tcpOutcome(new ExecResult(1, "", "nc: connect to 172.19.0.2 port 80 (tcp) timed out: Operation now in progress\n")));
    }

    @Test
    void digAnswersAreComparedAsSetsWithStatusAndFlags() {
        String a = """
                ; <<>> DiG 9.18.33 <<>> web
                ;; global options: +cmd
                ;; Got answer:
                ;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4242
                ;; flags: qr rd ra; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 0

                ;; QUESTION SECTION:
                ;web.\t\t\t\tIN\tA

                ;; ANSWER SECTION:
                web.\t\t\t600\tIN\tA\t172.18.0.3
                web.\t\t\t600\tIN\tA\t172.18.0.2

                ;; Query time: 0 msec
                """;
        String b = a.replace("web.\t\t\t600\tIN\tA\t172.18.0.3\nweb.\t\t\t600\tIN\tA\t172.18.0.2", "web. 600 IN A 172.18.0.2\nweb. 600 IN A 172.18.0.3")
                .replace("id: 4242", "id: 17");
        String na = DifferentialHarness.digOutcome(new ExecResult(0, a, ""));
        assertEquals("NOERROR flags=[qr rd ra] web. 600 IN A 172.18.0.2 | web. 600 IN A 172.18.0.3", na);
        assertEquals(na, DifferentialHarness.digOutcome(new ExecResult(0, b, "")), "shuffled replicas and query ids do not matter");
        assertTrue(!na.equals(DifferentialHarness.digOutcome(new ExecResult(0, a.replace("600", "300"), ""))), "TTLs do");
    }

    @Test
    void conntrackKeepsStatesAndFixedPortsButNotTimersOrEphemeralPorts() {
        String line = "tcp      6 431999 ESTABLISHED src=172.18.0.2 dst=203.0.113.80 sport=45678 dport=80 src=203.0.113.80 "
                + "dst=203.0.113.1 sport=80 dport=45678 [ASSURED] mark=0 use=1\n"
                + "icmp     1 29 src=172.18.0.2 dst=203.0.113.254 type=8 code=0 id=31 src=203.0.113.254 dst=203.0.113.1 type=0 code=0 id=31 mark=0 use=1\n"
                + "unknown  2 596 src=172.18.0.1 dst=224.0.0.22 [UNREPLIED] src=224.0.0.22 dst=172.18.0.1 mark=0 use=1\n";
        // the bridge's IGMP report entry is compared like any other (the simulator sends the reports too)
        assertEquals("icmp 1 src=172.18.0.2 dst=203.0.113.254 type=8 code=0 id=* src=203.0.113.254 dst=203.0.113.1 type=0 code=0 id=* mark=0\n"
                + "tcp 6 ESTABLISHED src=172.18.0.2 dst=203.0.113.80 sport=* dport=80 src=203.0.113.80 dst=203.0.113.1 sport=80 dport=* [ASSURED] mark=0\n"
                + "unknown 2 src=172.18.0.1 dst=224.0.0.22 [UNREPLIED] src=224.0.0.22 dst=172.18.0.1 mark=0",
                DifferentialHarness.conntrack(new ExecResult(0, line, "")));
    }

    @Test
    void ipAddrLosesIfindexesAndForeignMacsButKeepsPlanMacs() {
        TopologyPlan plan = DifferentialTest.planOf(COMPOSE, 5);
        DifferentialHarness h = new DifferentialHarness(plan);
        String mac = plan.containers().get(0).endpoints().get(0).mac().toString();
        String out = "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536\n"
                + "17: eth0@if18: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000\n"
                + "    link/ether " + mac + " brd ff:ff:ff:ff:ff:ff link-netnsid 0\n"
                + "18: vethabc1234@if17: <BROADCAST> mtu 1500\n    link/ether 3a:11:22:33:44:55 brd ff:ff:ff:ff:ff:ff   \n";
        assertEquals("N: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536\n"
                + "N: eth0@ifN: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000\n"
                + "    link/ether " + mac.toLowerCase(java.util.Locale.ROOT) + " brd ff:ff:ff:ff:ff:ff\n"
                + "N: vethabc1234@ifN: <BROADCAST> mtu 1500\n    link/ether <mac> brd ff:ff:ff:ff:ff:ff",
                h.addr(new ExecResult(0, out, "")));
    }

    @Test
    void tableListsOnlyTheChecksThatDiffer() {
        Map<String, String> a = new LinkedHashMap<>();
        Map<String, String> b = new LinkedHashMap<>();
        a.put("ping x -> y", "reply");
        b.put("ping x -> y", "reply");
        a.put("tcp x -> y:80", "open");
        b.put("tcp x -> y:80", "timeout");
        String t = DifferentialHarness.compare(a, b, "sim", "linux");
        assertTrue(t.contains("tcp x -> y:80") && t.contains("open") && t.contains("timeout"), t);
        assertTrue(!t.contains("ping x -> y"), t);
        assertEquals(1, DifferentialHarness.differences(a, b));
        assertEquals("", DifferentialHarness.compare(a, a, "sim", "linux"));
    }

    @Test
    void samePlanTwiceOnTheSimulatorAgreesAndAnotherPlanDoesNot() {
        TopologyPlan plan = DifferentialTest.planOf(COMPOSE, 5);
        TopologyPlan internal = DifferentialTest.planOf(COMPOSE.replace("front: {}", "front: {internal: true}"), 5);
        Map<String, String> first = observe(plan, plan);
        Map<String, String> second = observe(plan, plan);
        assertEquals("", DifferentialHarness.compare(first, second, "sim", "sim"));
        assertTrue(first.size() > 40, "checks: " + first.size());
        // the same probes (derived from the first plan) on a project whose front network is internal
        Map<String, String> other = observe(plan, internal);
        String t = DifferentialHarness.compare(first, other, "bridge", "internal");
        assertTrue(t.contains("source seen by 203.0.113.80 from"), t);
        assertTrue(DifferentialHarness.differences(first, other) >= 3, t);
    }

    private static Map<String, String> observe(TopologyPlan probes, TopologyPlan built) {
        try (ScenarioEngine e = new SimEngineProvider().create(built.seed())) {
            e.build(built);
            return new DifferentialHarness(probes).observe(e, false);
        }
    }
}
