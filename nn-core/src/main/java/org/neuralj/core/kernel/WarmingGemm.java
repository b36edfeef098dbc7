package org.neuralj.core.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs products on a stand-in kernel that is fast from its first call until a target kernel that needs a JIT warm-up
 * (the Vector API kernel) is ready, then on the target; and starts that warm-up only when it can pay off.
 *
 * <p>The warm-up costs about a second of one core. A program that only multiplies tiny matrices (digits at batch 10:
 * 0.4 GFLOP in all) is done before it would finish, and on a 2-core machine it would take the core the JIT needs
 * for the program itself. So the warm-up starts at the first product of at least {@code largeFlops} floating-point
 * operations ({@code 2·m·n·k}), or once the stand-in has done {@code budgetFlops} in all (the program has run long
 * enough that it likely runs as long again). Until then, and while it runs, products stay on the stand-in, on the
 * calling thread only, leaving the other cores to the JIT and the warm-up.
 *
 * <p>All kernels give bit-identical results ({@link GemmKernel}), so when the switch happens changes speed only.
 */
public final class WarmingGemm implements GemmKernel {

    /** Starts compiling a kernel in the background and runs {@code onReady} once it is compiled. */
    @FunctionalInterface
    public interface WarmUp {
        void start(Runnable onReady);
    }

    private final GemmKernel standIn;
    private final GemmKernel target;
    private final long largeFlops;
    private final long budgetFlops;
    private final WarmUp warmUp;
    private final AtomicLong standInFlops = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean ready;

    /**
     * @param standIn     the kernel used until the target is ready (the portable one, on one thread)
     * @param target      the kernel used once it is ready
     * @param largeFlops  a product of at least this many floating-point operations starts the warm-up
     * @param budgetFlops the stand-in's work, in floating-point operations, after which the warm-up starts anyway
     * @param warmUp      how to get the target compiled ({@link KernelWarmUp#inBackground} in production)
     */
    public WarmingGemm(GemmKernel standIn, GemmKernel target, long largeFlops, long budgetFlops, WarmUp warmUp) {
        if (largeFlops < 0 || budgetFlops < 0) {
            throw new IllegalArgumentException("WarmingGemm needs largeFlops >= 0 and budgetFlops >= 0 but got "
                    + "largeFlops " + largeFlops + ", budgetFlops " + budgetFlops);
        }
        this.standIn = standIn;
        this.target = target;
        this.largeFlops = largeFlops;
        this.budgetFlops = budgetFlops;
        this.warmUp = warmUp;
    }

    /** The target's name: the kernel this one stands for. */
    @Override
    public String name() {
        return target.name();
    }

    /** Whether products now run on the target kernel. */
    public boolean isReady() {
        return ready;
    }

    /** Whether the warm-up of the target has been started. */
    public boolean isWarmingUp() {
        return started.get();
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                     float[] c, int cOffset, int ldc, boolean accumulate) {
        if (ready) {
            target.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
            return;
        }
        if (!started.get()) {
            long flops = 2L * m * n * k;
            boolean due = flops >= largeFlops || standInFlops.addAndGet(flops) >= budgetFlops;
            if (due && started.compareAndSet(false, true)) {
                warmUp.start(() -> ready = true);
            }
        }
        standIn.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
    }
}
