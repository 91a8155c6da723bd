package dev.simnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.linux.CommandResult;
import dev.simnet.linux.SyntheticPlans;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.InternetPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.TopologyPlan;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both ways of reading the TAPs carry real traffic between containers and through the simulated host's
 * masquerade to the internet namespace: the engine loop polling every TAP itself ({@link TapPoller}, the
 * default) and one reader thread per TAP handing batches to the loop. A bulk TCP transfer to the internet
 * crosses conntrack and NAT — its super-frames routed whole (routed offload, the default) or segmented in
 * software first; the engine's conntrack shows it masqueraded to the host's public address.
 */
class TapIoModesTest {

    @ParameterizedTest(name = "loopIo={0} routedOffload={1}")
    @CsvSource({"true,true", "false,true", "true,false"})
    void realTrafficBetweenContainersAndThroughNat(boolean loopIo, boolean routedOffload) throws Exception {
        Assumptions.assumeTrue(TapBackend.isAvailable(), TapBackend.unavailabilityCause());
        SplittableRandom rnd = new SplittableRandom(7);
        NetworkPlan n = SyntheticPlans.network("io", 0, rnd);
        ContainerPlan a = SyntheticPlans.container("io", "a", 1, List.of(n), List.of(Ipv4Address.parse("172.18.0.2")), rnd);
        ContainerPlan b = SyntheticPlans.container("io", "b", 1, List.of(n), List.of(Ipv4Address.parse("172.18.0.3")), rnd);
        TopologyPlan plan = new TopologyPlan("io", List.of(n), List.of(a, b), true, List.of(), 7);
        try (TapNetwork net = TapBackend.build(plan, TapNetwork.Options.defaults().withServices(false).withLoopIo(loopIo)
                .withRoutedOffload(routedOffload))) {
            List<String> names = List.of("tap-" + TapNetwork.HOST_NS + "-" + a.endpoints().get(0).hostVeth(),
                    "tap-" + TapNetwork.HOST_NS + "-" + b.endpoints().get(0).hostVeth(), "tap-" + TapNetwork.HOST_NS + "-eth0");
            long readers = Thread.getAllStackTraces().keySet().stream().filter(t -> names.contains(t.getName())).count();
            assertEquals(loopIo ? 0 : 3, readers, "reader threads (two containers and the uplink)");

            CommandResult p = net.exec("io-a-1", Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", "172.18.0.3");
            assertEquals(0, p.exitCode(), "container to container: " + p.stdout() + p.stderr());
            String inet = InternetPlan.ROUTER_ADDRESS.toString();
            p = net.exec("io-a-1", Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", inet);
            assertEquals(0, p.exitCode(), "container to the internet through NAT: " + p.stdout() + p.stderr());

            String inetNs = net.kernel().internetNamespace();
            Process server = new ProcessBuilder("ip", "netns", "exec", inetNs, "iperf3", "-s", "-1", "-p", "5201")
                    .redirectErrorStream(true).start();
            try {
                for (int i = 0; i < 100; i++) {
                    if (!net.execInternet(Duration.ofSeconds(5), "ss", "-ltnH", "sport = :5201").stdout().isBlank()) {
                        break;
                    }
                    Thread.sleep(100);
                }
                CommandResult r = net.exec("io-a-1", Duration.ofSeconds(60), "iperf3", "-c", inet, "-p", "5201", "-n", "4M");
                assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
                String ct = net.conntrackList();
                assertTrue(ct.lines().anyMatch(l -> l.startsWith("tcp") && l.contains("src=172.18.0.2 dst=" + inet)
                        && l.contains("dport=5201") && l.contains("dst=" + InternetPlan.HOST_PUBLIC_ADDRESS)),
                        "masqueraded flow not in the engine's conntrack:\n" + ct);
                long[] c = net.onLoop(s -> net.port(a.endpoints().get(0).hostVeth()).offloadCounters());
                if (routedOffload) {
                    assertTrue(c[0] > 0, "no super-frame was routed and masqueraded whole");
                } else {
                    assertEquals(0, c[0], "a super-frame was routed whole although routed offload is off");
                    assertTrue(c[1] > 0, "no super-frame towards the internet was segmented in software");
                }
                assertEquals(0, c[2], "offloaded frames dropped");
                long upBytes = net.onLoop(s -> net.port(InternetPlan.HOST_UPLINK_IFNAME).counters().txBytes);
                // iperf3 -n stops when the sender has written 4 MiB; the receiver has had part of it by then
                assertTrue(upBytes >= 1L << 20, "the uplink carried less than 1 MiB of the transfer: " + upBytes + "\n" + r.stdout());
            } finally {
                server.destroyForcibly();
                server.waitFor();
            }
            assertEquals(0, net.eventFailures(), "engine events failed: " + net.firstEventFailure());
        }
    }
}
