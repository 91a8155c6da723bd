package dev.simnet.linux;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sweep removes dead runs and orphans, and never a live run's objects. */
class SweepSafetyTest {

    private static String freeId() {
        for (int i = 0; ; i++) {
            String id = String.format("%06x", (ProcessHandle.current().pid() * 7919L + i * 104729L) & 0xffffff);
            if (!Files.exists(RunState.stateDir().resolve(id + ".state"))
                    && RunCleaner.listPrefixed(NetNamespace.NETNS_RUN_DIR, "sn-" + id + "-").isEmpty()) {
                return id;
            }
        }
    }

    @Test
    void liveRunsSurviveDeadAndOrphanedOnesGo() throws Exception {
        Kernel.assumeAvailable();
        LinuxTopology live = LinuxBackend.build(TestPlans.small(), LinuxTopology.Options.linksOnly());
        String orphanId = freeId();
        String deadId = null;
        Path deadState = null;
        try (NamespaceFactory f = new NamespaceFactory(1)) {
            // an orphan: a namespace with the sn- prefix and no state file at all
            f.create("sn-" + orphanId + "-c-orphan", Map.of()).close();
            // a dead run: its state file names an owner that has exited
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            deadId = freeId().equals(orphanId) ? String.format("%06x", (Integer.parseInt(orphanId, 16) + 1) & 0xffffff) : freeId();
            deadState = RunState.stateDir().resolve(deadId + ".state");
            Files.writeString(deadState, "owner " + gone.pid() + " 1\nnetns sn-" + deadId + "-host\n");
            f.create("sn-" + deadId + "-host", Map.of()).close();

            LinuxBackend.SweepReport r = LinuxBackend.sweepStale();

            String list = Kernel.run("ip", "netns", "list");
            assertFalse(list.contains("sn-" + orphanId + "-"), "orphan left: " + r);
            assertFalse(list.contains("sn-" + deadId + "-"), "dead run left: " + r);
            assertFalse(Files.exists(deadState));
            assertTrue(r.runsRemoved().contains(orphanId) && r.runsRemoved().contains(deadId), r.toString());
            for (String n : live.namespaceNames()) {
                assertTrue(list.contains(n), "live namespace swept: " + n);
            }
            assertTrue(Files.exists(RunState.stateDir().resolve(live.runId() + ".state")));
            assertTrue(live.exec("t-web-1", java.time.Duration.ofSeconds(5), "ping", "-c1", "-W1", "172.18.0.3").ok());
        } finally {
            live.close();
            NetNamespace.deleteByName("sn-" + orphanId + "-c-orphan");
            if (deadId != null) {
                NetNamespace.deleteByName("sn-" + deadId + "-host");
                Files.deleteIfExists(deadState);
            }
        }
    }
}
