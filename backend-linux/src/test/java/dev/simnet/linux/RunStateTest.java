package dev.simnet.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state file format and the owner-liveness check (no kernel objects involved). */
class RunStateTest {

    @Test
    void parsesEveryKindAndSkipsGarbage(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("abc123.state");
        Files.writeString(f, "owner 4242 9999\nnetns sn-abc123-host\n\njunk\npid x 1\netcdir /etc/netns/sn-abc123-host\n"
                + "pid 77 123\nmount /run/simnet/sn-abc123-etc\n");
        List<RunState.Entry> e = RunState.read(f);
        assertEquals(List.of(
                new RunState.Entry("owner", "4242", 9999),
                new RunState.Entry("netns", "sn-abc123-host", -1),
                new RunState.Entry("etcdir", "/etc/netns/sn-abc123-host", -1),
                new RunState.Entry("pid", "77", 123),
                new RunState.Entry("mount", "/run/simnet/sn-abc123-etc", -1)), e);
    }

    @Test
    void ownerLivenessUsesTheStartTimeAgainstPidReuse() {
        long self = ProcessHandle.current().pid();
        long st = RunState.startTime(self);
        assertTrue(st > 0);
        assertTrue(RunState.alive(self, st));
        assertFalse(RunState.alive(self, st + 1), "same pid, other start time: a reused pid");
        assertFalse(RunState.alive(Integer.MAX_VALUE - 1L, -1), "no such process");
    }

    @Test
    void createsUniqueIdsWithTheOwnerRecordedFirst(@TempDir Path dir) throws Exception {
        String old = System.getProperty("simnet.stateDir");
        System.setProperty("simnet.stateDir", dir.toString());
        try (RunState a = RunState.create(); RunState b = RunState.create()) {
            assertTrue(RunState.RUN_ID.matcher(a.runId()).matches());
            assertFalse(a.runId().equals(b.runId()));
            assertEquals("sn-" + a.runId() + "-host", a.name("host"));
            a.recordNetns(a.name("host"));
            List<RunState.Entry> e = RunState.read(a.file());
            assertEquals("owner", e.get(0).kind());
            assertEquals(Long.toString(ProcessHandle.current().pid()), e.get(0).value());
            assertEquals(new RunState.Entry("netns", a.name("host"), -1), e.get(1));
            a.delete();
            assertFalse(Files.exists(a.file()));
        } finally {
            if (old == null) {
                System.clearProperty("simnet.stateDir");
            } else {
                System.setProperty("simnet.stateDir", old);
            }
        }
    }
}
