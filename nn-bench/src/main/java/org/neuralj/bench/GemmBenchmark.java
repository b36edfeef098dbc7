package org.neuralj.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.neuralj.core.Gemm;
import org.neuralj.core.kernel.GemmKernel;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Matrix-product speed. The secondary result {@code gflop} is the rate in GFLOP/s ({@code 2·m·n·k} per product):
 * read it from the {@code GemmBenchmark.product:gflop} rows.
 *
 * <p>Shapes are {@code m x n x k} with the form: {@code nn} = A·B, {@code tn} = Aᵀ·B (a weight gradient, k = batch),
 * {@code nt} = A·Bᵀ (an input gradient). The defaults are the square sizes and the layer shapes of the benchmark
 * workloads (Fashion-MNIST 784-256-128-10 at batch 128 and 1, digits 64-30-10 at batch 10, and the first layer of
 * digits 64-128-10 at batch 32 and for a 16-row data-parallel share).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Thread)
public class GemmBenchmark {

    /** {@code m x n x k form}. */
    @Param({"128x128x128 nn", "256x256x256 nn", "512x512x512 nn", "1024x1024x1024 nn",
            "128x256x784 nn", "784x256x128 tn", "128x784x256 nt",
            "128x128x256 nn", "256x128x128 tn", "128x256x128 nt", "128x10x128 nn", "128x10x128 tn", "128x128x10 nt",
            "10x30x64 nn", "1x256x784 nn", "32x128x64 nn", "64x128x32 tn", "16x128x64 nn", "64x128x16 tn"})
    public String shape;

    /** {@code auto} = what training uses (both cores for large products), {@code auto-1} = one thread, or {@code scalar}. */
    @Param({"auto", "auto-1", "scalar"})
    public String kernel;

    private GemmKernel gemm;
    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] b;
    private float[] c;

    /** Counts floating-point operations: JMH reports the field as a rate, GFLOP per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("[x ]");
        m = Integer.parseInt(parts[0]);
        n = Integer.parseInt(parts[1]);
        k = Integer.parseInt(parts[2]);
        transA = parts[3].charAt(0) == 't';
        transB = parts[3].charAt(1) == 't';
        gemm = switch (kernel) {
            case "auto" -> Gemm.kernel("auto", Runtime.getRuntime().availableProcessors());
            case "auto-1" -> Gemm.kernel("auto", 1);
            case "scalar" -> Gemm.kernel("scalar", 1);
            default -> throw new IllegalArgumentException("kernel must be auto, auto-1 or scalar but was " + kernel);
        };
        SplittableRandom random = new SplittableRandom(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) random.nextDouble(-1, 1);
        }
    }

    @Benchmark
    public float[] product(Flops flops) {
        gemm.gemm(transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n, false);
        flops.gflop += 2e-9 * m * n * k;
        return c;
    }
}
