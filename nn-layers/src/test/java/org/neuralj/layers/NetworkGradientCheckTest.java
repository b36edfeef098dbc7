package org.neuralj.layers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.neuralj.core.Dataset;
import org.neuralj.core.GradientCheck;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.testkit.LayerConformance;

/** Backpropagation through whole networks agrees with central differences. */
class NetworkGradientCheckTest {
    private static final double TOLERANCE = GradientCheck.TOLERANCE;

    @Test
    void threeLayerSigmoidNetworkWithQuadraticCost() {
        Sequential net = Sequential.builder().input(5)
                .add(new Dense(7)).add(new Sigmoid())
                .add(new Dense(6)).add(new Tanh())
                .add(new Dense(3)).add(new Sigmoid())
                .seed(3).build();
        Rng rng = new Rng(4);
        Tensor x = LayerConformance.randomInput(4, net.inputShape(), rng);
        Tensor y = Tensor.uniform(rng, 0, 1, 4, 3);
        GradientCheck.Report r = GradientCheck.check(net, new QuadraticCost(), x, y, rng);
        assertThat(r.maxRelativeError()).hasSize(7); // 3 × (weights, bias) + input
        assertThat(r.max()).as(r.toString()).isLessThan(TOLERANCE);
    }

    @Test
    void threeLayerReluSoftmaxNetworkWithCrossEntropy() {
        Sequential net = Sequential.builder().input(6)
                .add(new Dense(8, Initializer.heNormal(), Initializer.constant(0.1))).add(new ReLU())
                .add(new Dense(8, Initializer.heNormal(), Initializer.constant(0.1))).add(new ReLU())
                .add(new Dense(4, Initializer.xavierNormal())).add(new Softmax())
                .seed(5).build();
        Rng rng = new Rng(6);
        Tensor x = LayerConformance.randomInput(5, net.inputShape(), rng);
        Tensor y = Dataset.oneHot(new int[] {0, 1, 2, 3, 1}, 4);
        GradientCheck.Report r = GradientCheck.check(net, new CrossEntropy(), x, y, rng);
        assertThat(r.max()).as(r.toString()).isLessThan(TOLERANCE);
    }
}
