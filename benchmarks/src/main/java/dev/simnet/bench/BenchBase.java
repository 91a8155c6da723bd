package dev.simnet.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The one place that fixes JMH settings for every simnet benchmark (as Netty's microbench does):
 * average time per operation in nanoseconds, one fork, five warm-up and five measured one-second
 * iterations. Subclasses in per-subsystem packages ({@code bench.wire}, {@code bench.sched}, …)
 * add only their state and {@code @Benchmark} methods. Run them with {@code -prof gc} (the
 * {@code benchmarks/run} script does) so allocation per operation is reported beside the time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public abstract class BenchBase {
}
