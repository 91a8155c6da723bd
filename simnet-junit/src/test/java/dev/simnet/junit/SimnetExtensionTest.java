package dev.simnet.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.simnet.api.ExecResult;
import dev.simnet.api.SimnetHandle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

@SimnetTest(compose = "compose/two.yaml", seed = 3)
class SimnetExtensionTest {
    private SimnetHandle fromBeforeEach;

    @BeforeEach
    void setUp(SimnetHandle net) {
        fromBeforeEach = net;
    }

    @Test
    void handleIsInjectedAndSharedWithBeforeEach(SimnetHandle net) {
        assertSame(fromBeforeEach, net);
        assertEquals(3, net.seed());
        assertEquals("pair", net.project());
        ExecResult r = net.exec("client", "curl", "-s", "web");
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    @SimnetTest(compose = "compose/two.yaml", seed = 11, project = "other")
    void methodAnnotationOverridesTheClass(SimnetHandle net) {
        assertEquals(11, net.seed());
        assertEquals("other", net.project());
    }

    // ---------------------------------------------------------------- run other test classes through the launcher

    static SimnetHandle seen;

    /** Fails on purpose after running a command; run only through the launcher below. */
    @SimnetTest(compose = "compose/two.yaml", capture = true)
    static class FailingExample {
        @Test
        void fails(SimnetHandle net) {
            seen = net;
            net.exec("client", "echo", "output-of-the-failing-command");
            assertEquals(1, 2, "deliberate");
        }
    }

    /** Names a compose file that does not exist. */
    @SimnetTest(compose = "compose/missing.yaml")
    static class MissingFileExample {
        @Test
        void never(SimnetHandle net) {
        }
    }

    /** Asks for the TAP backend, which this build cannot run, and skips. */
    @SimnetTest(compose = "compose/two.yaml", backend = dev.simnet.api.Backend.TAP, skipIfUnavailable = true)
    static class SkippingExample {
        @Test
        void never(SimnetHandle net) {
            throw new AssertionError("must not run");
        }
    }

    /** Asks for the TAP backend without skipping. */
    @SimnetTest(compose = "compose/two.yaml", backend = dev.simnet.api.Backend.TAP)
    static class UnavailableExample {
        @Test
        void never(SimnetHandle net) {
            throw new AssertionError("must not run");
        }
    }

    static final List<String> SKIPPED = new ArrayList<>();

    private static List<Throwable> run(Class<?> c) {
        List<Throwable> failures = new ArrayList<>();
        LauncherDiscoveryRequest req = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(c)).build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(req, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest() && result.getStatus() == TestExecutionResult.Status.FAILED) {
                    failures.add(result.getThrowable().orElseThrow());
                }
            }

            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                SKIPPED.add(reason);
            }
        });
        return failures;
    }

    @Test
    void aFailingTestPrintsTheCommandsOutputAndTheCaptureAndClosesTheHandle() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = SimnetExtension.report;
        SimnetExtension.report = new PrintStream(buf, true, StandardCharsets.UTF_8);
        List<Throwable> failures;
        try {
            failures = run(FailingExample.class);
        } finally {
            SimnetExtension.report = old;
        }
        assertEquals(1, failures.size());
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("echo output-of-the-failing-command → exit 0"), printed);
        assertTrue(printed.contains("    output-of-the-failing-command"), printed);
        assertTrue(printed.contains("packet captures: "), printed);
        Throwable t = failures.get(0);
        assertTrue(t.getMessage().contains("deliberate"));
        assertEquals(1, t.getSuppressed().length);
        assertTrue(t.getSuppressed()[0].getMessage().contains("output-of-the-failing-command"));
        Path dir = Path.of(printed.replaceAll("(?s).*packet captures: (\\S+)\n.*", "$1"));
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(p -> p.toString().endsWith(".pcap")), dir.toString());
        }
        assertThrows(IllegalStateException.class, () -> seen.exec("client", "true"), "handle closed after the test");
    }

    @Test
    void aMissingComposeFileFailsTheTestWithAClearMessage() {
        List<Throwable> failures = run(MissingFileExample.class);
        assertEquals(1, failures.size());
        String m = failures.get(0).getMessage();
        assertTrue(m.contains("compose/missing.yaml") && m.contains("not found"), m);
    }

    @Test
    void anUnavailableBackendFailsOrSkipsNamingTheCause() {
        // the examples name the TAP backend: where it runs (root with /dev/net/tun) the unavailable path cannot be shown
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.simnet.api.Simnet.unavailabilityCause(dev.simnet.api.Backend.TAP).isPresent(),
                "the tap backend is available on this machine, so its unavailability cannot be exercised");
        SKIPPED.clear();
        assertEquals(List.of(), run(SkippingExample.class));
        assertEquals(1, SKIPPED.size());
        assertTrue(SKIPPED.get(0).contains("'tap' backend is unavailable"), SKIPPED.get(0));
        List<Throwable> failures = run(UnavailableExample.class);
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).getMessage().contains("'tap' backend is unavailable"), failures.get(0).getMessage());
    }
}
