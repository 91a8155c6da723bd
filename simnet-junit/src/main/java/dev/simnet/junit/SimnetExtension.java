package dev.simnet.junit;

import dev.simnet.api.BackendUnavailableException;
import dev.simnet.api.Simnet;
import dev.simnet.api.SimnetBuilder;
import dev.simnet.api.SimnetException;
import dev.simnet.api.SimnetHandle;
import java.io.PrintStream;
import java.lang.reflect.AnnotatedElement;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The extension behind {@link SimnetTest}: resolves {@link SimnetHandle} parameters by starting the
 * annotated compose file (once per test, shared by {@code @BeforeEach} and the test method), closes
 * the handle when the test ends (pass or fail), and on failure prints the handle's transcript —
 * every command with its output and exit code, topology changes, time advanced — and the capture
 * directory, and attaches the same text to the failure as a suppressed exception.
 */
public final class SimnetExtension implements ParameterResolver, TestExecutionExceptionHandler, ExecutionCondition {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SimnetExtension.class);
    private static final String KEY = "handle";

    /** Where failure reports are printed; tests of the extension replace it. */
    static PrintStream report = System.err;

    /** Created by JUnit. */
    public SimnetExtension() {
    }

    /** Disables a test whose {@code @SimnetTest(skipIfUnavailable = true)} backend cannot run here, naming the cause. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext ec) {
        Optional<SimnetTest> cfg = config(ec);
        if (cfg.isEmpty() || !cfg.get().skipIfUnavailable()) {
            return ConditionEvaluationResult.enabled("no backend requirement to check");
        }
        return Simnet.unavailabilityCause(cfg.get().backend())
                .map(c -> ConditionEvaluationResult.disabled("the '" + cfg.get().backend().id() + "' backend is unavailable: " + c))
                .orElseGet(() -> ConditionEvaluationResult.enabled("the '" + cfg.get().backend().id() + "' backend can run here"));
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        return pc.getParameter().getType() == SimnetHandle.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        if (ec.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("a SimnetHandle can be injected into test and @BeforeEach/@AfterEach "
                    + "methods only (one topology per test)");
        }
        ExtensionContext.Store store = ec.getStore(NS);
        Resource r = store.get(KEY, Resource.class);
        if (r == null) {
            SimnetTest cfg = config(ec).orElseThrow(() -> new ParameterResolutionException(
                    "SimnetHandle parameter without @SimnetTest on the method or class"));
            try {
                r = new Resource(start(cfg, ec));
            } catch (BackendUnavailableException e) {
                throw new ParameterResolutionException("@SimnetTest(compose = \"" + cfg.compose() + "\"): " + e.getMessage(), e);
            } catch (SimnetException e) {
                throw new ParameterResolutionException("@SimnetTest(compose = \"" + cfg.compose() + "\"): " + e.getMessage(), e);
            }
            store.put(KEY, r);
        }
        return r.handle;
    }

    private static Optional<SimnetTest> config(ExtensionContext ec) {
        Optional<SimnetTest> m = ec.getTestMethod().map(x -> x.getAnnotation(SimnetTest.class));
        if (m.isPresent()) {
            return m;
        }
        for (Optional<Class<?>> c = ec.getTestClass(); c.isPresent(); c = Optional.ofNullable(c.get().getEnclosingClass())) {
            SimnetTest a = annotation(c.get());
            if (a != null) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    private static SimnetTest annotation(AnnotatedElement e) {
        return e.getAnnotation(SimnetTest.class);
    }

    private static SimnetHandle start(SimnetTest cfg, ExtensionContext ec) {
        SimnetBuilder b = Simnet.load(composeFile(cfg.compose(), ec)).backend(cfg.backend());
        if (cfg.seed() != SimnetTest.FILE_SEED) {
            b.seed(cfg.seed());
        }
        if (!cfg.project().isEmpty()) {
            b.project(cfg.project());
        }
        if (cfg.capture()) {
            String cls = ec.getRequiredTestClass().getName();
            String method = ec.getRequiredTestMethod().getName();
            String display = ec.getDisplayName().replaceAll("[^A-Za-z0-9_.=,-]+", "_");
            b.capture(Paths.get("target", "simnet-captures", cls, method + (display.startsWith(method) ? "" : "_" + display)));
        }
        return b.start();
    }

    /** The compose file {@code spec} names: a path if it exists, else a class-path resource of the test class. */
    static Path composeFile(String spec, ExtensionContext ec) {
        Path p = Paths.get(spec);
        if (Files.isRegularFile(p)) {
            return p;
        }
        ClassLoader cl = ec.getTestClass().map(Class::getClassLoader).orElse(SimnetExtension.class.getClassLoader());
        URL u = cl.getResource(spec.startsWith("/") ? spec.substring(1) : spec);
        if (u == null) {
            u = ec.getTestClass().map(c -> c.getResource(spec)).orElse(null);
        }
        if (u != null && u.getProtocol().equals("file")) {
            try {
                return Paths.get(u.toURI());
            } catch (URISyntaxException e) {
                // fall through to the error below
            }
        }
        throw new SimnetException("compose file \"" + spec + "\" not found (neither relative to " + Paths.get("").toAbsolutePath()
                + " nor as a class-path resource)");
    }

    @Override
    public void handleTestExecutionException(ExtensionContext ec, Throwable t) throws Throwable {
        Resource r = ec.getStore(NS).get(KEY, Resource.class);
        if (r != null) {
            String text = failureReport(ec.getDisplayName(), r.handle);
            report.print(text);
            report.flush();
            t.addSuppressed(new SimnetTranscript(text));
        }
        throw t;
    }

    /** The text printed for a failed test: project, backend, seed, transcript, capture location. */
    static String failureReport(String test, SimnetHandle h) {
        StringBuilder sb = new StringBuilder();
        sb.append("---- simnet: ").append(test).append(" failed; project ").append(h.project()).append(" on ")
                .append(h.backend().id()).append(", seed ").append(h.seed()).append(" ----\n");
        for (String line : h.transcript()) {
            sb.append(line).append('\n');
        }
        sb.append(h.captureDirectory().map(d -> "packet captures: " + d.toAbsolutePath() + "\n")
                .orElse("no packet capture (use @SimnetTest(capture = true) or handle.capture(dir))\n"));
        return sb.append("----\n").toString();
    }

    /** The handle, closed by JUnit when the test's store is closed. */
    private static final class Resource implements ExtensionContext.Store.CloseableResource {
        final SimnetHandle handle;

        Resource(SimnetHandle handle) {
            this.handle = handle;
        }

        @Override
        public void close() {
            handle.close();
        }
    }

    /** The transcript attached to a failing test's exception, so reports show it next to the assertion. */
    static final class SimnetTranscript extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimnetTranscript(String text) {
            super(text, null, false, false);
        }
    }
}
