package org.neuralj.bench;

import java.util.concurrent.TimeUnit;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Inference (a forward pass in inference mode) of workload C's network; the secondary result {@code samples} is the
 * throughput in samples per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Thread)
public class InferenceBenchmark {

    @Param({"1", "1024"})
    public int batch;

    private Sequential net;
    private Tensor x;

    /** Counts samples: JMH reports the field as a rate, samples per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Samples {
        public long samples;
    }

    @Setup
    public void setUp() {
        net = FashionNetwork.build(1);
        x = FashionNetwork.randomData(batch, 2).features();
    }

    @Benchmark
    public Tensor forward(Samples counter) {
        counter.samples += batch;
        return net.forward(x, false);
    }
}
