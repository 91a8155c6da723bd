package dev.simnet.scenarios.sim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simnet.cli.Loaded;
import dev.simnet.scenarios.steps.Expectation;
import dev.simnet.scenarios.steps.ReportPrinter;
import dev.simnet.scenarios.steps.ScenarioRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example under {@code scenarios/examples} runs on the simulator and every expectation holds. */
class ExamplesTest {
    static Path examplesDir() {
        Path p = Paths.get("examples");
        return Files.isDirectory(p) ? p : Paths.get("scenarios/examples");
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> s = Files.walk(examplesDir())) {
            List<Path> files = s.filter(f -> f.getFileName().toString().equals("compose.yaml")).sorted().toList();
            return files.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExpectationHolds(Path file) {
        Loaded l = Loaded.load(file, null, null);
        assertFalse(l.spec().steps().isEmpty(), file + " has no steps");
        try (SimEngine engine = new SimEngine(l.project().options().seed())) {
            ScenarioRunner.Report report = ScenarioRunner.run(l.project(), l.spec(), engine, "sim", null);
            StringBuilder failures = new StringBuilder();
            ReportPrinter printer = new ReportPrinter(true);
            for (ScenarioRunner.StepResult r : report.steps()) {
                if (!r.ok()) {
                    failures.append(printer.step(r, report.steps().size()));
                }
            }
            assertTrue(report.passed(), "failed steps in " + file + ":\n" + failures);
            long checks = report.steps().stream().flatMap(s -> s.checks().stream()).filter(Expectation.Result::ok).count();
            assertTrue(checks > 0, "no expectation was checked");
        }
    }
}
