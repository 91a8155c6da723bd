package dev.simnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.addr.Ipv4Address;
import dev.simnet.linux.CommandResult;
import dev.simnet.linux.LinuxBackend;
import dev.simnet.linux.LinuxTopology;
import dev.simnet.linux.SyntheticPlans;
import dev.simnet.topology.ContainerPlan;
import dev.simnet.topology.NetworkPlan;
import dev.simnet.topology.TopologyPlan;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A TAP run {@code kill -9}'d while its engine and TAPs are live leaves nothing once the Linux
 * backend's sweep ran (the same state file and cleaner): no namespace, mount, state file, process,
 * and no TAP or container MAC anywhere in the root namespace.
 */
class TapCrashCleanupTest {

    static TopologyPlan plan() {
        SplittableRandom rnd = new SplittableRandom(99);
        NetworkPlan n = SyntheticPlans.network("tc", 0, rnd);
        ContainerPlan a = SyntheticPlans.container("tc", "a", 1, List.of(n), List.of(Ipv4Address.parse("172.18.0.2")), rnd);
        ContainerPlan b = SyntheticPlans.container("tc", "b", 1, List.of(n), List.of(Ipv4Address.parse("172.18.0.3")), rnd);
        return new TopologyPlan("tc", List.of(n), List.of(a, b), true, List.of(), 99);
    }

    private static String run(String... cmd) {
        try {
            CommandResult r = LinuxTopology.collect(new ProcessBuilder(cmd).redirectErrorStream(true).start(), Duration.ofSeconds(10));
            return r.stdout();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void sweepRemovesEverythingOfAKilledTapRun() throws Exception {
        Assumptions.assumeTrue(TapBackend.isAvailable(), TapBackend.unavailabilityCause());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), TapCrashChild.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String id = null;
        long sleeperPid = -1;
        List<String> seen = new ArrayList<>();
        // no other JVM's sweep (another test run's build) may take the killed run before ours: hold the lock
        LinuxBackend.SweepLock lock = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                seen.add(line);
                if (line.startsWith("RUN ")) {
                    id = line.substring(4);
                } else if (line.startsWith("PID ")) {
                    sleeperPid = Long.parseLong(line.substring(4));
                } else if (line.equals("READY")) {
                    break;
                }
            }
            assertTrue(seen.contains("READY"), "child never got ready: " + seen);
            assertTrue(seen.contains("PING 0"), "the run did not work before the kill: " + seen);
            assertTrue(run("ip", "netns", "list").contains("sn-" + id + "-"), "namespaces exist before the kill");
            lock = LinuxBackend.holdSweepLock();
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs, the TAP fds close with the process
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        LinuxBackend.SweepReport report;
        try {
            assertTrue(run("ip", "netns", "list").contains("sn-" + id + "-"), "namespaces still mounted after the kill");
            report = LinuxBackend.sweepStale();
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
        assertTrue(report.runsRemoved().contains(id), report.toString());

        String prefix = "sn-" + id + "-";
        assertFalse(run("ip", "netns", "list").contains(prefix));
        assertFalse(run("cat", "/proc/mounts").contains(prefix));
        assertFalse(Files.exists(dev.simnet.linux.RunState.stateDir().resolve(id + ".state")), "state file left");
        String links = run("ip", "-o", "link").toLowerCase(Locale.ROOT);
        for (ContainerPlan c : plan().containers()) {
            String mac = c.endpoints().get(0).mac().toString().toLowerCase(Locale.ROOT);
            assertFalse(links.contains(mac), "root namespace has an interface with " + mac);
        }
        // dead means not running: a zombie (killed, not yet reaped by init, which here polls about once a
        // second) holds no namespace, socket or file; ProcessHandle.isAlive would count it as alive
        for (int i = 0; i < 50 && dev.simnet.linux.RunState.alive(sleeperPid, -1); i++) {
            Thread.sleep(20);
        }
        assertFalse(dev.simnet.linux.RunState.alive(sleeperPid, -1), "sleep survived the sweep");
        assertEquals(-1, seen.indexOf("FAILED"));
    }
}
