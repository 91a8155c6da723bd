package dev.simnet.linux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Helpers for tests that need the kernel: the availability assumption and plain tool runs. */
final class Kernel {
    private Kernel() {
    }

    /** Skips the test, reporting why, when the machine cannot run the Linux backend. */
    static void assumeAvailable() {
        Assumptions.assumeTrue(LinuxBackend.isAvailable(), LinuxBackend.unavailabilityCause());
    }

    /** Runs a tool in the root namespace (read-only inspection commands only) and returns stdout. */
    static String run(String... cmd) {
        try {
            List<String> argv = new ArrayList<>(List.of(cmd));
            argv.set(0, Tools.require(cmd[0]));
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            CommandResult r = LinuxTopology.collect(p, Duration.ofSeconds(10));
            return r.stdout();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
