package dev.simnet.linux;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which command lines the sweep treats as a process on its way into one of a run's namespaces. */
class RunCleanerTest {
    private static byte[] argv(String... a) {
        return (String.join("\0", a) + "\0").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void ipNetnsExecIntoTheRunIsRecognised() {
        assertTrue(RunCleaner.entersRunNamespace(argv("/usr/sbin/ip", "netns", "exec", "sn-abc123-c-web-1", "sleep", "600"), "sn-abc123-"));
        assertTrue(RunCleaner.entersRunNamespace(argv("ip", "-n", "x", "netns", "exec", "sn-abc123-host", "nft", "-f", "-"), "sn-abc123-"));
    }

    @Test
    void everythingElseIsLeftAlone() {
        // another run, a grep for the run's name, ip doing something else, an empty (kernel thread) cmdline
        assertFalse(RunCleaner.entersRunNamespace(argv("/usr/sbin/ip", "netns", "exec", "sn-fff000-c-web-1", "sleep"), "sn-abc123-"));
        assertFalse(RunCleaner.entersRunNamespace(argv("grep", "netns", "exec", "sn-abc123-c-web-1"), "sn-abc123-"));
        assertFalse(RunCleaner.entersRunNamespace(argv("/usr/sbin/ip", "netns", "list"), "sn-abc123-"));
        assertFalse(RunCleaner.entersRunNamespace(argv("/usr/sbin/ip", "netns", "exec"), "sn-abc123-"));
        assertFalse(RunCleaner.entersRunNamespace(new byte[0], "sn-abc123-"));
    }
}
