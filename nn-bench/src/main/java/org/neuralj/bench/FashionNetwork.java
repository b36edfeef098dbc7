package org.neuralj.bench;

import org.neuralj.core.Dataset;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Initializer;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Softmax;

/** The network of workload C: 784-256-128-10, ReLU, softmax output, He-uniform weights and zero biases. */
final class FashionNetwork {
    static final int INPUTS = 784;
    static final int CLASSES = 10;

    private FashionNetwork() {
    }

    static Sequential build(long seed) {
        return Sequential.builder()
                .input(INPUTS)
                .add(new Dense(256, Initializer.heUniform())).add(new ReLU())
                .add(new Dense(128, Initializer.heUniform())).add(new ReLU())
                .add(new Dense(CLASSES, Initializer.heUniform())).add(new Softmax())
                .seed(seed)
                .build();
    }

    /** {@code rows} random images (pixels uniform in [0, 1)) with random labels: timing does not need real data. */
    static Dataset randomData(int rows, long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.uniform(rng, 0f, 1f, rows, INPUTS);
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = (int) (rng.nextFloat() * CLASSES);
        }
        return Dataset.ofLabels(x, labels, CLASSES);
    }
}
