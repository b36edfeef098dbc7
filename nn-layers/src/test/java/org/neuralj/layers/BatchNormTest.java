package org.neuralj.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.neuralj.core.BuildContext;
import org.neuralj.core.Dataset;
import org.neuralj.core.GradientCheck;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;
import org.neuralj.testkit.LayerConformance;

/** BatchNorm's statistics, running averages, inference mode and gradients. */
class BatchNormTest {

    private static BatchNorm built(Shape shape) {
        BatchNorm bn = new BatchNorm();
        bn.build(shape, BuildContext.of(new Rng(1)));
        return bn;
    }

    @Test
    void normalisesEachChannelOverTheBatchAndAllPositions() {
        // two images of 2 channels of 2 positions: channel 0 holds 1, 2, 3, 4; channel 1 holds 10, 10, 30, 30
        Tensor x = Tensor.of(new float[] {1, 2, 10, 10, 3, 4, 30, 30}, 2, 2, 1, 2);
        BatchNorm bn = built(Shape.of(2, 1, 2));
        Tensor y = bn.forward(x, true);
        double s0 = Math.sqrt(1.25 + 1e-5), s1 = Math.sqrt(100 + 1e-5);
        assertThat(y.toArray()).containsExactly(new float[] {(float) (-1.5 / s0), (float) (-0.5 / s0),
                (float) (-10 / s1), (float) (-10 / s1), (float) (0.5 / s0), (float) (1.5 / s0), (float) (10 / s1),
                (float) (10 / s1)}, within(1e-6f));
        // running statistics: momentum 0.1 towards the mean and the unbiased variance (m = 4)
        assertThat(bn.buffers().get(0).name()).isEqualTo("running_mean");
        assertThat(bn.buffers().get(0).value().toArray()).containsExactly(new float[] {0.25f, 2f}, within(1e-6f));
        assertThat(bn.buffers().get(1).value().toArray())
                .containsExactly(new float[] {0.9f + 0.1f * 1.25f * 4 / 3, 0.9f + 0.1f * 100f * 4 / 3}, within(1e-5f));
        // inference uses the running statistics, not the batch's
        Tensor inference = bn.forward(x, false);
        assertThat(inference.get(0)).isCloseTo((float) ((1 - 0.25) / Math.sqrt(0.9 + 0.1 * 1.25 * 4 / 3 + 1e-5)),
                within(1e-6f));
        assertThat(bn.parameters()).extracting(p -> p.name()).containsExactly("gamma", "beta");
        String summary = Sequential.builder().input(2, 1, 2).add(new BatchNorm()).build().summary();
        assertThat(summary).contains("Total params: 4").contains("Non-trainable buffers: 4");
        assertThat(Sequential.builder().input(2).add(new Tanh()).build().summary()).doesNotContain("buffers");
    }

    @Test
    void gradientsAgreeInTrainingAndInInferenceMode() {
        for (Shape shape : new Shape[] {Shape.of(4), Shape.of(3, 3, 2)}) {
            GradientCheck.Report training = GradientCheck.check(new BatchNorm(), shape, 5, new Rng(2));
            assertThat(training.max()).as(training.toString()).isLessThan(GradientCheck.TOLERANCE);
            BatchNorm bn = built(shape);
            bn.forward(LayerConformance.randomInput(6, shape, new Rng(3)), true); // running statistics away from 0, 1
            Tensor x = LayerConformance.randomInput(5, shape, new Rng(4));
            Tensor y = bn.forward(x, false).copy();
            Tensor g = Tensor.randn(new Rng(5), 5, shape.size()).reshape(y.shape());
            Tensor gx = bn.backward(g);
            // inference is a fixed affine map per channel: ∂L/∂x = G·γ/√(running_var + ε) with γ = 1
            float[] rv = bn.buffers().get(1).value().toArray();
            int positions = shape.size() / shape.dim(0);
            for (int i = 0; i < gx.size(); i++) {
                int c = (i % shape.size()) / positions;
                assertThat(gx.get(i)).isCloseTo((float) (g.get(i) / Math.sqrt(rv[c] + 1e-5)), within(1e-5f));
            }
        }
    }

    @Test
    void aConvolutionalNetworkWithBatchNormBackpropagatesCorrectly() {
        Sequential net = Sequential.builder().input(2, 6, 6)
                // smooth activations: a shift of β moves a whole channel, which would cross some ReLU kink
                .add(new Conv2D(3, 3, 1, Padding.SAME, false, Initializer.heNormal())).add(new BatchNorm())
                .add(new Tanh()).add(new AvgPool2D(2)).add(new Flatten())
                // after a nonlinearity: a Dense bias right before BatchNorm has a zero gradient (the mean absorbs it)
                .add(new Dense(4, Initializer.heNormal())).add(new Tanh()).add(new BatchNorm())
                .add(new Dense(3, Initializer.xavierNormal())).add(new Softmax()).seed(3).build();
        Rng rng = new Rng(7);
        Tensor x = LayerConformance.randomInput(6, net.inputShape(), rng);
        GradientCheck.Report r = GradientCheck.check(net, new CrossEntropy(), x,
                Dataset.oneHot(new int[] {0, 1, 2, 0, 1, 2}, 3), rng);
        assertThat(r.max()).as(r.toString()).isLessThan(GradientCheck.TOLERANCE);
    }

    @Test
    void refusesWhatItCannotNormalise() {
        assertThatThrownBy(() -> Sequential.builder().input(4, 4).add(new BatchNorm()).build())
                .hasMessageContaining("layer 0").hasMessageContaining("[4, 4]").hasMessageContaining("rank 2");
        assertThatThrownBy(() -> new BatchNorm(0, 1e-5)).hasMessageContaining("momentum").hasMessageContaining("0");
        assertThatThrownBy(() -> new BatchNorm(0.1, -1)).hasMessageContaining("epsilon").hasMessageContaining("-1");
        BatchNorm bn = built(Shape.of(3));
        assertThatThrownBy(() -> bn.forward(Tensor.zeros(1, 3), true)).hasMessageContaining("more than one value")
                .hasMessageContaining("[1, 3]");
        assertThat(bn.forward(Tensor.zeros(1, 3), false).toArray()).containsOnly(0f); // inference takes one sample
    }
}
