package dev.simnet.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports {@code cpu.time.norm}: CPU nanoseconds the benchmark JVM spent per operation in each
 * iteration (process CPU time over all operations). On a shared, loaded machine the primary score
 * (wall-clock time per operation) includes time the thread waited for a core; this figure does not,
 * so it is the steadier one to compare against a target. Use with {@code -prof dev.simnet.bench.CpuTimeProfiler}
 * (benchmarks/run always adds it); single-threaded benchmarks only.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final com.sun.management.OperatingSystemMXBean os;
    private long cpuBefore;

    /** Created by JMH. */
    public CpuTimeProfiler() {
        OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        os = bean instanceof com.sun.management.OperatingSystemMXBean ? (com.sun.management.OperatingSystemMXBean) bean : null;
    }

    @Override
    public String getDescription() {
        return "process CPU time per operation (ns/op), robust to a loaded machine";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuBefore = os == null ? -1 : os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long ops = result.getMetadata().getAllOps();
        if (os == null || cpuBefore < 0 || ops <= 0) {
            return List.of();
        }
        double perOp = (os.getProcessCpuTime() - cpuBefore) / (double) ops;
        return List.of(new ScalarResult("cpu.time.norm", perOp, "ns/op", AggregationPolicy.AVG));
    }
}
