package dev.simnet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.junit.jupiter.api.Test;

/**
 * Runs every benchmark in {@code dev.simnet.bench} once, for 50 ms, in this JVM, so that none can
 * rot: each must set up, run and produce a score. Nothing here looks at how fast they are.
 */
class AllBenchmarksRunTest {
    private static final String ALL = "dev\\.simnet\\.bench\\..*";

    @Test
    void everyBenchmarkRunsAndProducesAResult() throws Exception {
        // nothing is timed here, so a JMH run of someone else on this machine does not matter
        System.setProperty("jmh.ignoreLock", "true");
        Set<String> declared = BenchmarkList.defaultList()
                .find(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of(ALL), List.of())
                .stream().map(BenchmarkListEntry::getUsername).collect(Collectors.toCollection(TreeSet::new));
        assertFalse(declared.isEmpty(), "the JMH annotation processor generated no benchmark list");
        assertTrue(declared.contains("dev.simnet.bench.sched.SchedulerBench.scheduleDispatch"), declared::toString);

        Options opts = new OptionsBuilder()
                .include(ALL)
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(50))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(opts).run();

        Set<String> ran = results.stream().map(r -> r.getParams().getBenchmark())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, ran, "every declared benchmark produced a result");
        for (RunResult r : results) {
            double score = r.getPrimaryResult().getScore();
            assertTrue(Double.isFinite(score) && score > 0, r.getParams().getBenchmark() + " scored " + score);
        }
    }
}
