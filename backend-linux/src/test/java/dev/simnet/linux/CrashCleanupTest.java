package dev.simnet.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A run {@code kill -9}'d in the middle of setup leaves nothing once {@link LinuxBackend#sweepStale()}
 * ran: no namespace, mount, link, /etc/netns directory, process or state file of it.
 */
class CrashCleanupTest {

    @Test
    void sweepRemovesEverythingOfAKilledRun() throws Exception {
        Kernel.assumeAvailable();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> runs = new ArrayList<>();
        long sleeperPid = -1;
        boolean midway = false;
        List<String> seen = new ArrayList<>();
        // From the kill to our sweep no other JVM on this machine (another test run's build) may sweep
        // the killed runs first: hold the machine-wide sweep lock (our own sweepStale re-enters it).
        LinuxBackend.SweepLock lock = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                seen.add(line);
                if (line.startsWith("RUN ")) {
                    runs.add(line.substring(4));
                } else if (line.startsWith("PID ")) {
                    sleeperPid = Long.parseLong(line.substring(4));
                } else if (line.equals("MIDWAY")) {
                    midway = true;
                    break;
                }
            }
            assertTrue(midway, "child never reached the middle of setup: " + seen);
            assertEquals(2, runs.size(), seen.toString());
            assertTrue(seen.contains("PING 0"), "first run did not work: " + seen);
            // the objects exist before the kill
            String before = Kernel.run("ip", "netns", "list");
            for (String id : runs) {
                assertTrue(before.contains("sn-" + id + "-host"), before);
            }
            assertTrue(RunState.alive(sleeperPid, -1));
            lock = LinuxBackend.holdSweepLock();
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        LinuxBackend.SweepReport report;
        try {
            // still there after the kill: the state files list it all
            for (String id : runs) {
                assertTrue(Files.exists(RunState.stateDir().resolve(id + ".state")), "state file of " + id);
            }
            assertTrue(Kernel.run("ip", "netns", "list").contains("sn-" + runs.get(0) + "-"));
            report = LinuxBackend.sweepStale();
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
        assertTrue(report.runsRemoved().containsAll(runs), report.toString());
        assertTrue(report.processes() >= 1, report.toString());

        String netns = Kernel.run("ip", "netns", "list");
        String mounts = Kernel.run("cat", "/proc/mounts");
        String links = Kernel.run("ip", "-o", "link");
        for (String id : runs) {
            String prefix = "sn-" + id + "-";
            assertFalse(netns.contains(prefix), netns);
            assertFalse(mounts.contains(prefix), mounts);
            assertTrue(RunCleaner.listPrefixed(EtcNetns.ETC_NETNS, prefix).isEmpty());
            assertFalse(Files.exists(RunState.stateDir().resolve(id + ".state")));
        }
        for (var c : TestPlans.small().containers()) {
            for (var e : c.endpoints()) {
                assertFalse(links.contains(" " + e.hostVeth() + "@"), "root namespace has " + e.hostVeth());
            }
        }
        long pid = sleeperPid;
        for (int i = 0; i < 50 && RunState.alive(pid, -1); i++) {
            Thread.sleep(20);
        }
        assertFalse(RunState.alive(pid, -1), "process " + pid + " started in the run survived the sweep");
    }

    @Test
    void sigtermRunsTheShutdownHookWhichRemovesEverything() throws Exception {
        Kernel.assumeAvailable();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), "wait").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String run = null;
        long sleeper = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && !line.equals("READY")) {
                if (line.startsWith("RUN ")) {
                    run = line.substring(4);
                } else if (line.startsWith("PID ")) {
                    sleeper = Long.parseLong(line.substring(4));
                }
            }
            assertTrue(run != null && "READY".equals(line), "child did not get ready");
            assertTrue(Kernel.run("ip", "netns", "list").contains("sn-" + run + "-host"));
            child.destroy(); // SIGTERM
            assertTrue(child.waitFor(20, TimeUnit.SECONDS), "child did not exit on SIGTERM");
        } finally {
            child.destroyForcibly();
        }
        // no sweep: the child's own shutdown hook must have removed it all
        String prefix = "sn-" + run + "-";
        assertFalse(Kernel.run("ip", "netns", "list").contains(prefix));
        assertFalse(Kernel.run("cat", "/proc/mounts").contains(prefix));
        assertTrue(RunCleaner.listPrefixed(EtcNetns.ETC_NETNS, prefix).isEmpty());
        assertFalse(Files.exists(RunState.stateDir().resolve(run + ".state")));
        for (int i = 0; i < 50 && RunState.alive(sleeper, -1); i++) {
            Thread.sleep(20);
        }
        assertFalse(RunState.alive(sleeper, -1), "process started in the run survived");
    }
}
