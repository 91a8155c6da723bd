package dev.simnet.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.addr.MacAddress;
import dev.simnet.capture.FrameTap;
import dev.simnet.linux.netlink.Rtnl;
import dev.simnet.linux.netlink.RtnlException;
import dev.simnet.linux.netlink.RtnlSocket;
import dev.simnet.ns.Namespace;
import dev.simnet.sim.Simulation;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.EndpointPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.TopologyPlan;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Docker 28+'s unsolicited ARPs on the kernel: the frame equals the simulator's, a real {@code tcpdump}
 * on the bridge sees a container's three announcements about a second apart after the build, and closing
 * the run or stopping a container cancels what is pending.
 */
class ArpAnnouncerKernelTest {
    /** The gratuitous ARP the simulator's NeighTable sends for {@code addr} from an interface with {@code mac}. */
    static byte[] simulatorFrame(MacAddress mac, Ipv4Address addr) {
        Simulation sim = new Simulation(1);
        Namespace c = sim.namespace("c");
        Namespace h = sim.namespace("h");
        sim.vethPair(c, "eth0", mac.bits(), h, "veth0", sim.randomMac(), 1500);
        sim.addAddress(c, "eth0", addr + "/16");
        sim.setUp(h, "veth0");
        sim.setUp(c, "eth0");
        List<byte[]> out = new ArrayList<>();
        sim.tap((FrameTap) (t, ns, ifname, ifindex, dir, data, off, len) -> {
            if (ns.equals("c") && ifname.equals("eth0") && dir == FrameTap.Direction.OUT) {
                out.add(java.util.Arrays.copyOfRange(data, off, off + len));
            }
        });
        c.announce("eth0", 3, 1_000_000_000L);
        sim.runFor(3_000_000_000L);
        assertEquals(3, out.size(), "the simulator sends three");
        return out.get(0);
    }

    @Test
    void frameIsTheSimulatorsGratuitousArp() {
        MacAddress mac = MacAddress.parse("b2:1c:3d:4e:5f:60");
        Ipv4Address a = Ipv4Address.parse("172.18.0.2");
        byte[] f = ArpAnnouncer.frame(mac, a);
        assertArrayEquals(simulatorFrame(mac, a), f);
        assertEquals("ffffffffffff" + "b21c3d4e5f60" + "0806" + "0001" + "0800" + "06" + "04" + "0001"
                + "b21c3d4e5f60" + "ac120002" + "000000000000" + "ac120002", HexFormat.of().formatHex(f));
    }

    /** One captured frame: capture time (s) and bytes. */
    private record Captured(double time, byte[] bytes) {
    }

    @Test
    void tcpdumpOnTheBridgeSeesThreeAnnouncementsASecondApart() throws Exception {
        Kernel.assumeAvailable();
        TopologyPlan plan = TestPlans.small();
        ContainerPlan web1 = plan.container("t-web-1").orElseThrow();
        EndpointPlan ep = web1.endpoints().get(0);
        NetworkPlan front = plan.network(ep.network()).orElseThrow();
        String[] runId = new String[1];
        Process[] dump = new Process[1];
        CompletableFuture<String> stdout = new CompletableFuture<>();
        LinuxTopology topo = null;
        try {
            topo = LinuxBackend.build(plan, LinuxTopology.Options.linksOnly().withProgress(phase -> {
                if (phase.startsWith("run ")) {
                    runId[0] = phase.substring(4);
                } else if (phase.equals("host")) {
                    // the bridge exists, no container is wired yet: start the capture and wait until it listens
                    dump[0] = startTcpdump(RunState.PREFIX + runId[0] + "-host", front.bridgeName(), ep.address(), stdout);
                }
            }));
            assertTrue(dump[0] != null, "the capture was started during the build");
            boolean done = dump[0].waitFor(15, TimeUnit.SECONDS);
            assertTrue(done, "tcpdump did not see 3 gratuitous ARPs from " + ep.address() + " within 15 s");
            String dumpText = stdout.get(5, TimeUnit.SECONDS);
            List<Captured> frames = parse(dumpText);
            assertEquals(3, frames.size(), "tcpdump printed:\n" + dumpText);
            byte[] expected = simulatorFrame(ep.mac(), ep.address());
            for (Captured c : frames) {
                assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(c.bytes()));
            }
            for (int i = 1; i < frames.size(); i++) {
                double gap = frames.get(i).time() - frames.get(i - 1).time();
                assertTrue(gap >= 0.9, "announcement " + i + " only " + gap + " s after the previous one");
            }
            assertEquals(0, topo.announcer().failed(), "no announcement failed");
        } finally {
            if (dump[0] != null) {
                dump[0].destroyForcibly();
                dump[0].waitFor(5, TimeUnit.SECONDS);
            }
            if (topo != null) {
                topo.close();
            }
        }
    }

    /**
     * What the announcer waits for before its first frame: the host end of a container's veth forwards only
     * once the kernel has seen its carrier, and goes back to disabled (0) when the container side goes down.
     */
    @Test
    void bridgePortStateFollowsTheCarrier() throws Exception {
        Kernel.assumeAvailable();
        TopologyPlan plan = TestPlans.small();
        EndpointPlan ep = plan.container("t-web-1").orElseThrow().endpoints().get(0);
        LinuxTopology topo = LinuxBackend.build(plan, LinuxTopology.Options.linksOnly());
        try {
            NetNamespace host = topo.namespace(topo.hostNamespace());
            String cns = topo.namespaceOf("t-web-1");
            int port = ifindex(host.name(), ep.hostVeth());
            int bridge = ifindex(host.name(), plan.network(ep.network()).orElseThrow().bridgeName());
            host.executor().call(() -> {
                try (RtnlSocket s = RtnlSocket.open()) {
                    assertEquals(Rtnl.BR_STATE_FORWARDING, awaitState(s, port, Rtnl.BR_STATE_FORWARDING), "port of a running veth");
                    assertEquals(-1, s.bridgePortState(bridge), "the bridge is no port");
                    run("ip", "-n", cns, "link", "set", ep.ifname(), "down");
                    assertEquals(0, awaitState(s, port, 0), "the peer is down: disabled");
                    run("ip", "-n", cns, "link", "set", ep.ifname(), "up");
                    assertEquals(Rtnl.BR_STATE_FORWARDING, awaitState(s, port, Rtnl.BR_STATE_FORWARDING), "up again");
                    RtnlException gone = assertThrows(RtnlException.class, () -> s.bridgePortState(999_999));
                    assertEquals(dev.simnet.linux.ffi.Errno.ENODEV, gone.errno());
                }
                return null;
            });
        } finally {
            topo.close();
        }
    }

    /** Polls the port's state for up to 3 s until it is {@code want}; returns the last state read. */
    private static int awaitState(RtnlSocket s, int port, int want) throws InterruptedException {
        int state = s.bridgePortState(port);
        for (int i = 0; i < 300 && state != want; i++) {
            Thread.sleep(10);
            state = s.bridgePortState(port);
        }
        return state;
    }

    private static int ifindex(String ns, String ifname) throws Exception {
        String line = run("ip", "-n", ns, "-o", "link", "show", "dev", ifname);
        return Integer.parseInt(line.substring(0, line.indexOf(':')));
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    @Test
    void stopAndCloseCancelWhatIsPending() throws Exception {
        Kernel.assumeAvailable();
        TopologyPlan plan = TestPlans.small();
        LinuxTopology topo = LinuxBackend.build(plan, LinuxTopology.Options.linksOnly());
        ArpAnnouncer a = topo.announcer();
        try {
            // four interfaces (web-1 eth0, web-2 eth0/eth1, db-1 eth0) announce for about 2 s after the build
            assertTrue(a.pending() > 0, "announcements still pending right after the build");
            int before = a.pending();
            topo.disconnectAll("t-db-1");
            assertTrue(a.pending() < before, "stopping db-1 cancelled its announcement: " + a.pending() + " of " + before);
        } finally {
            topo.close();
        }
        assertEquals(0, a.pending(), "nothing pending after close");
        long sent = a.sent();
        Thread.sleep(1500); // longer than an interval: a timer left running would have sent again
        assertEquals(sent, a.sent(), "nothing sent after close");
        assertEquals(0, a.failed(), "no send into a deleted interface or namespace");
    }

    private static Process startTcpdump(String ns, String ifname, Ipv4Address sender, CompletableFuture<String> stdout) {
        try {
            Process p = new ProcessBuilder(Tools.require("ip"), "netns", "exec", ns, Tools.require("tcpdump"),
                    "-i", ifname, "-nn", "-tt", "-xx", "-l", "--immediate-mode", "-c", "3", "arp src host " + sender)
                    .start();
            CountDownLatch listening = new CountDownLatch(1);
            Thread err = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.contains("listening on")) {
                            listening.countDown();
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "tcpdump-stderr");
            err.setDaemon(true);
            err.start();
            Thread out = new Thread(() -> {
                try {
                    stdout.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    stdout.completeExceptionally(e);
                }
            }, "tcpdump-stdout");
            out.setDaemon(true);
            out.start();
            if (!listening.await(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("tcpdump did not start listening on " + ifname);
            }
            return p;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@code tcpdump -tt -xx} output: a header line with the epoch time, then hex lines of the frame. */
    private static List<Captured> parse(String text) {
        List<Captured> l = new ArrayList<>();
        Double time = null;
        StringBuilder hex = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.startsWith("\t0x")) {
                String body = line.substring(line.indexOf(':') + 1).trim();
                hex.append(body.replace(" ", ""));
            } else if (!line.isBlank()) {
                if (time != null) {
                    l.add(new Captured(time, HexFormat.of().parseHex(hex.toString())));
                }
                time = Double.parseDouble(line.substring(0, line.indexOf(' ')));
                hex.setLength(0);
            }
        }
        if (time != null) {
            l.add(new Captured(time, HexFormat.of().parseHex(hex.toString())));
        }
        return l;
    }
}
