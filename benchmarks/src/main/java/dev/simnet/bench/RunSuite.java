package dev.simnet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH suite (all of it, or what the regexps select) always with {@code -prof gc} and
 * {@link CpuTimeProfiler}, and writes a Markdown table — benchmark, parameters, score, error, units,
 * CPU time and bytes allocated per operation — with the date, the machine and the command. Used by {@code benchmarks/run}.
 *
 * <pre>
 *   java -cp benchmarks.jar dev.simnet.bench.RunSuite [--quick] [--out FILE] [--command TEXT] [JMH options / regexps]
 * </pre>
 */
public final class RunSuite {
    private RunSuite() {
    }

    /** Entry point; see the class comment. */
    public static void main(String[] args) throws IOException, RunnerException, CommandLineOptionException {
        boolean quick = false;
        Path out = Path.of("benchmarks/results/latest.md");
        String command = "java -cp benchmarks.jar " + RunSuite.class.getName() + " " + String.join(" ", args);
        List<String> jmhArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick":
                    quick = true;
                    break;
                case "--out":
                    out = Path.of(args[++i]);
                    break;
                case "--command":
                    command = args[++i];
                    break;
                default:
                    jmhArgs.add(args[i]);
            }
        }
        ChainedOptionsBuilder opts = new OptionsBuilder()
                .parent(new CommandLineOptions(jmhArgs.toArray(new String[0])))
                .addProfiler(GCProfiler.class)
                .addProfiler(CpuTimeProfiler.class)
                .shouldFailOnError(true);
        if (jmhArgs.stream().noneMatch(a -> !a.startsWith("-"))) {
            opts.include("dev\\.simnet\\.bench\\..*");
        }
        if (quick) {
            opts.warmupIterations(2).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
        }
        Collection<RunResult> results = runWaitingForLock(opts);
        String md = table(results, command, quick);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, md, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(md);
        System.out.println("written to " + out);
    }

    /** JMH refuses to run beside another JMH process (/tmp/jmh.lock); wait for it rather than fail. */
    private static Collection<RunResult> runWaitingForLock(ChainedOptionsBuilder opts) throws RunnerException {
        for (int attempt = 0; ; attempt++) {
            try {
                return new Runner(opts.build()).run();
            } catch (RunnerException e) {
                if (e.getMessage() == null || !e.getMessage().contains("JMH lock") || attempt >= 180) {
                    throw e;
                }
                if (attempt == 0) {
                    System.err.println("another JMH run holds /tmp/jmh.lock; waiting for it (up to 30 min) ...");
                }
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static String table(Collection<RunResult> results, String command, boolean quick) {
        StringBuilder sb = new StringBuilder();
        sb.append("# simnet benchmark results\n\n");
        sb.append("- date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        sb.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (")
                .append(cpuModel()).append("), JDK ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append('\n');
        sb.append("- mode: ").append(quick ? "quick (2×0.5 s warm-up, 3×0.5 s measured)" : "full (BenchBase: 5×1 s warm-up, 5×1 s measured, 1 fork)")
                .append(", always `-prof gc`\n");
        sb.append("- command: `").append(command).append("`\n\n");
        sb.append("Score is wall-clock time per operation; cpu.time.norm is the JVM's CPU time per operation,\n")
                .append("which excludes time spent waiting for a core on a loaded machine (see CpuTimeProfiler).\n\n");
        sb.append("| benchmark | params | score | error | units | cpu.time.norm (ns/op) | gc.alloc.rate.norm (B/op) |\n");
        sb.append("|---|---|---:|---:|---|---:|---:|\n");
        for (RunResult r : results) {
            Result p = r.getPrimaryResult();
            String bench = r.getParams().getBenchmark().replaceFirst("^dev\\.simnet\\.bench\\.", "");
            StringBuilder params = new StringBuilder();
            for (String k : r.getParams().getParamsKeys()) {
                params.append(params.length() == 0 ? "" : ", ").append(k).append('=').append(r.getParams().getParam(k));
            }
            String alloc = "";
            String cpu = "";
            for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
                if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                    alloc = fmt(e.getValue().getScore());
                } else if (e.getKey().endsWith("cpu.time.norm")) {
                    cpu = fmt(e.getValue().getScore());
                }
            }
            sb.append("| ").append(bench).append(" | ").append(params).append(" | ").append(fmt(p.getScore()))
                    .append(" | ").append(Double.isNaN(p.getScoreError()) ? "" : "± " + fmt(p.getScoreError()))
                    .append(" | ").append(p.getScoreUnit()).append(" | ").append(cpu).append(" | ").append(alloc).append(" |\n");
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : Math.abs(v) >= 1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
