package dev.simnet.scenarios.steps;

import dev.simnet.scenarios.compose.Argv;
import dev.simnet.scenarios.docker.Json;
import dev.simnet.scenarios.engine.Durations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints a run: per step the command, where it ran, its output (indented), a ✓ or ✗ per
 * expectation with the reason, then a summary line — or the same as JSON ({@code --json}).
 */
public final class ReportPrinter {
    private final boolean ascii;

    /** A printer; {@code ascii} replaces ✓/✗ with OK/FAIL for terminals without UTF-8. */
    public ReportPrinter(boolean ascii) {
        this.ascii = ascii;
    }

    /** The header line printed before the first step. */
    public String header(String file, String project, long seed, String backend, int steps) {
        return "simnet run " + file + "  (project " + project + ", seed " + seed + ", backend " + backend + ", "
                + steps + " step" + (steps == 1 ? "" : "s") + ")\n";
    }

    /** One step's block. */
    public String step(ScenarioRunner.StepResult r, int total) {
        StringBuilder sb = new StringBuilder();
        sb.append('\n').append('[').append(r.index()).append('/').append(total).append("] ").append(r.step().name()).append('\n');
        if (r.step() instanceof Step.Exec e) {
            sb.append("  $ ").append(e.line() != null ? e.line() : Argv.join(e.argv())).append("    # in ").append(r.where()).append('\n');
            if (r.result() != null) {
                indent(sb, r.result().stdout(), "  | ");
                indent(sb, r.result().stderr(), "  ! ");
                sb.append("  (exit ").append(r.result().exit()).append(")\n");
            }
            if (r.override() != null) {
                // say what this backend checks instead, and why, so no expectation disappears silently
                Step.BackendExpect o = r.override();
                sb.append("  ").append(skip()).append(" on ").append(o.backend()).append(": ").append(o.because())
                        .append("  (").append(o.location()).append(")\n");
                for (Expectation x : r.notChecked()) {
                    sb.append("  ").append(skip()).append(" not checked on ").append(o.backend()).append(": ").append(x.describe()).append('\n');
                }
                if (o.expect().isEmpty()) {
                    sb.append("  ").append(skip()).append(" nothing checked instead\n");
                }
            }
            for (Expectation.Result c : r.checks()) {
                sb.append("  ").append(c.ok() ? ok() : fail()).append(' ').append(c.expectation().describe());
                if (!c.ok()) {
                    sb.append("  — ").append(c.detail()).append("  (").append(c.expectation().location()).append(')');
                }
                sb.append('\n');
            }
        } else if (r.error() != null) {
            sb.append("  ").append(fail()).append(' ').append(r.error()).append("  (").append(r.step().location()).append(")\n");
        } else {
            sb.append("  ").append(ok()).append(" done at t=").append(Durations.format(r.atNanos())).append('\n');
        }
        return sb.toString();
    }

    /** The closing summary line. */
    public String summary(ScenarioRunner.Report report, long virtualNanos) {
        int steps = report.steps().size();
        long okSteps = report.steps().stream().filter(ScenarioRunner.StepResult::ok).count();
        int failures = report.failures();
        return "\n" + (report.passed() ? ok() + " PASSED" : fail() + " FAILED") + ": " + okSteps + "/" + steps
                + " steps ok, " + (report.expectations() - countFailedExpectations(report)) + "/" + report.expectations()
                + " expectations held" + (failures > 0 ? ", " + failures + " failure" + (failures == 1 ? "" : "s") : "")
                + " (virtual time " + Durations.format(virtualNanos) + ")\n";
    }

    private static int countFailedExpectations(ScenarioRunner.Report report) {
        return report.steps().stream().mapToInt(s -> (int) s.checks().stream().filter(c -> !c.ok()).count()).sum();
    }

    /** The whole report as text. */
    public String text(ScenarioRunner.Report report, long virtualNanos) {
        StringBuilder sb = new StringBuilder(header(report.file(), report.project(), report.seed(), report.backend(),
                report.steps().size()));
        for (ScenarioRunner.StepResult r : report.steps()) {
            sb.append(step(r, report.steps().size()));
        }
        return sb.append(summary(report, virtualNanos)).toString();
    }

    /** The whole report as JSON. */
    public static String json(ScenarioRunner.Report report, long virtualNanos) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", report.file());
        m.put("project", report.project());
        m.put("seed", report.seed());
        m.put("backend", report.backend());
        m.put("passed", report.passed());
        m.put("virtualTimeNanos", virtualNanos);
        List<Object> steps = new ArrayList<>();
        for (ScenarioRunner.StepResult r : report.steps()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("index", r.index());
            s.put("name", r.step().name());
            s.put("kind", r.step().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
            s.put("line", r.step().location().line());
            s.put("ok", r.ok());
            if (r.step() instanceof Step.Exec e) {
                s.put("target", r.where());
                s.put("argv", e.argv());
            }
            if (r.result() != null) {
                s.put("exit", r.result().exit());
                s.put("stdout", r.result().stdout());
                s.put("stderr", r.result().stderr());
            }
            if (r.error() != null) {
                s.put("error", r.error());
            }
            List<Object> checks = new ArrayList<>();
            for (Expectation.Result c : r.checks()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("expect", c.expectation().describe());
                cm.put("ok", c.ok());
                cm.put("detail", c.detail());
                cm.put("line", c.expectation().location().line());
                checks.add(cm);
            }
            s.put("expectations", checks);
            if (r.override() != null) {
                Map<String, Object> om = new LinkedHashMap<>();
                om.put("backend", r.override().backend());
                om.put("because", r.override().because());
                om.put("line", r.override().location().line());
                om.put("notChecked", r.notChecked().stream().map(Expectation::describe).toList());
                s.put("expectOn", om);
            }
            s.put("atNanos", r.atNanos());
            steps.add(s);
        }
        m.put("steps", steps);
        Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("steps", report.steps().size());
        sum.put("expectations", report.expectations());
        sum.put("failures", report.failures());
        m.put("summary", sum);
        return Json.pretty(m) + "\n";
    }

    private static void indent(StringBuilder sb, String text, String prefix) {
        if (text == null || text.isEmpty()) {
            return;
        }
        for (String line : text.split("\n", -1)) {
            sb.append(prefix).append(line).append('\n');
        }
        if (text.endsWith("\n")) {
            sb.setLength(sb.length() - prefix.length() - 1);
        }
    }

    private String ok() {
        return ascii ? "OK" : "✓";
    }

    private String skip() {
        return ascii ? "SKIP" : "↷";
    }

    private String fail() {
        return ascii ? "FAIL" : "✗";
    }
}
