package org.neuralj.bench;

import org.neuralj.core.Dataset;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.layers.Conv2D;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Flatten;
import org.neuralj.layers.Initializer;
import org.neuralj.layers.MaxPool2D;
import org.neuralj.layers.Padding;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Softmax;

/**
 * The networks of the Fashion-MNIST workloads: C's 784-256-128-10, ReLU, softmax output, He-uniform weights and zero
 * biases; and the {@code cnn} workload's LeNet-5.
 */
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

    /**
     * The network of workload {@code cnn}, LeNet-5 as the PyTorch peer's {@code lenet()} ({@code mnist --model cnn}
     * builds the same): Conv2D(6, 5x5, same) ReLU MaxPool2D(2) Conv2D(16, 5x5) ReLU MaxPool2D(2) Flatten
     * Dense(120) ReLU Dense(84) ReLU Dense(10) Softmax; He-normal weights, zero biases.
     */
    static Sequential leNet(long seed) {
        return Sequential.builder()
                .input(1, 28, 28)
                .add(new Conv2D(6, 5, Padding.SAME)).add(new ReLU()).add(new MaxPool2D(2))
                .add(new Conv2D(16, 5)).add(new ReLU()).add(new MaxPool2D(2))
                .add(new Flatten())
                .add(new Dense(120, Initializer.heNormal())).add(new ReLU())
                .add(new Dense(84, Initializer.heNormal())).add(new ReLU())
                .add(new Dense(CLASSES, Initializer.heNormal())).add(new Softmax())
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
