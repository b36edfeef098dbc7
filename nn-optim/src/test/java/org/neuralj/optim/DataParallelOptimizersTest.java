package org.neuralj.optim;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.userlayers.Affine;
import com.example.userlayers.LeakyReLU;
import com.example.userlayers.SquaredError;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralj.core.Blobs;
import org.neuralj.core.FitOptions;
import org.neuralj.core.Sequential;
import org.neuralj.core.Trainer;

/**
 * Every built-in optimizer under {@code FitOptions.workers(n)}, where each worker steps its own part of the parameter
 * buffer ({@code stepInParts}): the same model as one worker up to float rounding, and bit-identical run to run.
 */
class DataParallelOptimizersTest {

    static java.util.List<Supplier<GradientOptimizer>> optimizers() {
        return BufferStepTest.optimizers();
    }

    private static Sequential train(Supplier<GradientOptimizer> optimizer, int workers) {
        Sequential net = Sequential.builder().input(4).add(new Affine(24)).add(new LeakyReLU(0.1f)).add(new Affine(3))
                .seed(3).build();
        Trainer.fit(net, Blobs.of(150, 11), FitOptions.of(new SquaredError(), optimizer.get()).epochs(4).batchSize(16)
                .workers(workers).quiet());
        return net;
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void twoAndThreeWorkersStepTheSingleWorkerModelUpToRoundingAndRepeatBitForBit(Supplier<GradientOptimizer> make) {
        float[] one = train(make, 1).parameters().values();
        for (int workers : new int[] {2, 3}) {
            float[] many = train(make, workers).parameters().values();
            float largest = 0;
            for (int i = 0; i < one.length; i++) {
                largest = Math.max(largest, Math.abs(one[i] - many[i]));
            }
            assertThat(largest).as("largest difference to one worker with %d workers", workers).isLessThan(1e-5f);
            assertThat(train(make, workers).parameters().values()).as("a second run with %d workers", workers)
                    .isEqualTo(many);
        }
    }
}
