package org.neuralj.core.kernel;

/**
 * Gets a kernel compiled by the JIT before the work needs it. Vector API code is only fast once C2 has compiled it;
 * until then every vector operation is an object on the heap, hundreds of times slower than the portable kernel.
 * A daemon thread therefore runs the kernel on small products of every form (all transpositions, edge tiles, a
 * single row) until they run at compiled speed, then reports that the kernel is ready; in
 * the meantime callers use another kernel. Because all kernels give bit-identical results (see {@link GemmKernel}),
 * when the switch happens changes only speed.
 */
public final class KernelWarmUp {
    /**
     * A round at more than 1 GFLOP/s counts as compiled: C2's code runs it at 5-50, the interpreter and C1 at about
     * 0.1 (measured on AVX2 and AVX-512 machines, loaded and idle).
     */
    private static final double COMPILED_FLOPS_PER_NANO = 1.0;
    /** Fast rounds that count as compiled (not necessarily consecutive: another process may preempt one). */
    private static final int FAST_ROUNDS = 50;
    /** Floating-point operations of one {@link #round}. */
    private static final long ROUND_FLOPS = 4 * (2L * 17 * 40 * 24 + 2L * 48 * 24);
    /** Give up waiting for the JIT after this long and switch anyway. */
    private static final long MAX_NANOS = 5_000_000_000L;

    private KernelWarmUp() {
    }

    /** Starts the warm-up of {@code kernel} in a daemon thread; {@code onReady} runs in it when done. */
    public static void inBackground(GemmKernel kernel, Runnable onReady) {
        Thread thread = new Thread(() -> {
            warmUp(kernel);
            onReady.run();
        }, "neuralj-gemm-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs rounds of small products until {@link #FAST_ROUNDS} of them ran at compiled speed; returns the rounds. */
    static int warmUp(GemmKernel kernel) {
        float[] a = new float[48 * 40], b = new float[48 * 40], c = new float[48 * 40];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7) * 0.25f;
            b[i] = (i % 5) * 0.5f;
        }
        long start = System.nanoTime();
        int rounds = 0;
        for (int fast = 0; fast < FAST_ROUNDS && System.nanoTime() - start < MAX_NANOS; rounds++) {
            long t0 = System.nanoTime();
            round(kernel, a, b, c);
            if ((System.nanoTime() - t0) * COMPILED_FLOPS_PER_NANO < ROUND_FLOPS) {
                fast++;
            }
        }
        return rounds;
    }

    /** One product of each form the kernel has a path for. */
    private static void round(GemmKernel kernel, float[] a, float[] b, float[] c) {
        for (int form = 0; form < 4; form++) {
            boolean transA = (form & 1) != 0, transB = (form & 2) != 0;
            // 17 × 40: full and edge register tiles; k = 24.
            kernel.gemm(transA, transB, 17, 40, 24, a, 0, transA ? 17 : 24, b, 0, transB ? 24 : 40, c, 0, 40,
                    form == 0);
            // One row: the unpacked path.
            kernel.gemm(transA, transB, 1, 48, 24, a, 0, transA ? 1 : 24, b, 0, transB ? 24 : 48, c, 0, 48,
                    form == 1);
        }
    }
}
