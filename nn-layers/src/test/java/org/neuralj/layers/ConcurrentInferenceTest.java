package org.neuralj.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;

/** 8 threads × 1000 predictions give exactly the sequential results, on one shared network and on copies. */
class ConcurrentInferenceTest {
    private static final int THREADS = 8;
    private static final int PREDICTIONS = 1000;

    private static final Sequential NET = Sequential.builder().input(16)
            .add(new Dense(32)).add(new Tanh()).add(new Dense(10)).add(new Softmax()).seed(4).build();

    /** A distinct input batch per (thread, prediction), of 1 to 8 rows so that layer buffers change size. */
    private static Tensor input(int thread, int i) {
        return Tensor.randn(new Rng(thread * 10_000L + i), 1 + (thread + i) % 8, 16);
    }

    private static float[][][] sequentialResults() {
        float[][][] expected = new float[THREADS][PREDICTIONS][];
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < PREDICTIONS; i++) {
                expected[t][i] = NET.predict(input(t, i)).toArray();
            }
        }
        return expected;
    }

    private static void runConcurrently(IntFunction<Sequential> modelOfThread) throws Exception {
        float[][][] expected = sequentialResults();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Sequential model = modelOfThread.apply(thread);
                results.add(pool.submit((Callable<Integer>) () -> {
                    int mismatches = 0;
                    for (int i = 0; i < PREDICTIONS; i++) {
                        float[] got = model.predict(input(thread, i)).toArray();
                        mismatches += java.util.Arrays.equals(got, expected[thread][i]) ? 0 : 1;
                    }
                    return mismatches;
                }));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get()).as("predictions differing from the sequential ones").isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oneSharedNetworkIsSafeFromEightThreads() throws Exception {
        runConcurrently(thread -> NET);
    }

    @Test
    void onePrivateCopyPerThreadRunsInParallelWithTheSameResults() throws Exception {
        runConcurrently(thread -> NET.copy());
    }
}
