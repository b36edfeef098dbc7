package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.userlayers.FeatureGain;
import com.example.userlayers.TanhAffine;
import org.junit.jupiter.api.Test;

class SequentialTest {

    /** A layer that only accepts 3 features: to see that build() reports which layer refused which shape. */
    private static final class NeedsThree extends Activation {
        @Override
        protected Shape build(Shape inputShape) {
            if (inputShape.size() != 3) {
                throw new IllegalArgumentException("NeedsThree expects 3 features but got " + inputShape);
            }
            return inputShape;
        }

        @Override
        protected float apply(float x) {
            return x;
        }

        @Override
        protected float derivative(float x, float y) {
            return 1;
        }
    }

    @Test
    void buildInfersShapesAndSummaryListsEveryLayer() {
        Sequential net = Sequential.builder().input(4).add(new FeatureGain()).add(new FeatureGain()).seed(1).build();
        assertThat(net.outputShape()).isEqualTo(Shape.of(4));
        assertThat(net.parameterCount()).isEqualTo(8);
        assertThat(net.summary())
                .contains("Layer (type)", "Output Shape", "Param #", "(None, 4)", "FeatureGain", "Total params: 8");
        assertThat(net.summary().lines().filter(l -> l.startsWith("FeatureGain"))).hasSize(2);
    }

    @Test
    void builderRejectsIncompleteOrInconsistentNetworks() {
        assertThatThrownBy(() -> Sequential.builder().add(new FeatureGain()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("input");
        assertThatThrownBy(() -> Sequential.builder().input(3).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least one layer");
        assertThatThrownBy(() -> Sequential.builder().input(3).add(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
        FeatureGain s = new FeatureGain();
        assertThatThrownBy(() -> Sequential.builder().input(3).add(s).add(s))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already added");
        assertThatThrownBy(() -> Sequential.builder().input(4).add(new FeatureGain()).add(new NeedsThree()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 1").hasMessageContaining("3 features").hasMessageContaining("[4]");
        assertThatThrownBy(() -> Shape.of(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }

    @Test
    void forwardRejectsTheWrongInputWidthNamingBoth() {
        Sequential net = Sequential.builder().input(64).add(new FeatureGain()).build();
        assertThatThrownBy(() -> net.forward(Tensor.zeros(2, 65), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64").hasMessageContaining("65");
    }

    @Test
    void sameSeedSameWeights() {
        Sequential a = Sequential.builder().input(5).add(new FeatureGain()).seed(9).build();
        Sequential b = Sequential.builder().input(5).add(new FeatureGain()).seed(9).build();
        Sequential c = Sequential.builder().input(5).add(new FeatureGain()).seed(10).build();
        assertThat(b.parameters().get(0).value().contentEquals(a.parameters().get(0).value())).isTrue();
        assertThat(c.parameters().get(0).value().contentEquals(a.parameters().get(0).value())).isFalse();
    }

    @Test
    void gradientCheckCatchesAWrongDerivative() {
        Activation wrong = new Activation() {
            @Override
            protected float apply(float x) {
                return x * x;
            }

            @Override
            protected float derivative(float x, float y) {
                return x; // should be 2x
            }
        };
        GradientCheck.Report report = GradientCheck.check(wrong, Shape.of(3), 4, new Rng(1));
        assertThat(report.max()).isGreaterThan(0.3);
        assertThat(report.maxRelativeError()).containsKey("input");
    }

    /** A layer implementing {@link Layer} directly, without AbstractLayer's own built check: it doubles its input. */
    private static final class Doubler implements Layer {
        private Tensor out;

        @Override
        public Shape build(Shape inputShape, BuildContext context) {
            return inputShape;
        }

        @Override
        public Tensor forward(Tensor input, boolean training) {
            out = Tensor.reuse(out, input.rows(), input.cols());
            for (int i = 0; i < input.size(); i++) {
                out.data()[i] = 2 * input.data()[i];
            }
            return out;
        }

        @Override
        public Tensor backward(Tensor gradOutput) {
            return gradOutput.scale(2);
        }
    }

    @Test
    void aLayerInstanceAlreadyInANetworkIsRefusedByTheNextBuild() {
        Doubler shared = new Doubler();
        Sequential.builder().input(3).add(shared).build();
        assertThatThrownBy(() -> Sequential.builder().input(5).add(new FeatureGain()).add(shared).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 1 (Doubler) already belongs to another network");
        FeatureGain gain = new FeatureGain();
        Sequential.builder().input(3).add(gain).build();
        assertThatThrownBy(() -> Sequential.builder().input(3).add(gain).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer 0 (FeatureGain)");
    }

    @Test
    void nullArgumentsAreNamed() {
        Sequential net = Sequential.builder().input(3).add(new FeatureGain()).build();
        assertThatThrownBy(() -> net.predict(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("input must not be null");
        assertThatThrownBy(() -> net.predictClasses(null)).hasMessage("input must not be null");
        assertThatThrownBy(() -> Sequential.builder().input((Shape) null)).hasMessage("input shape must not be null");
        assertThatThrownBy(() -> Trainer.fit(net, null, null)).hasMessage("training data must not be null");
        assertThatThrownBy(() -> Trainer.fit(null, null, null)).hasMessage("model must not be null");
        assertThatThrownBy(() -> Trainer.evaluate(net, null)).hasMessage("data must not be null");
        assertThatThrownBy(() -> Dataset.ofLabels(Tensor.zeros(2, 3), null, 2)).hasMessage("labels must not be null");
        assertThatThrownBy(() -> Tensor.of(null, 2)).hasMessage("data must not be null");
    }

    @Test
    void aLargeInputIsPredictedInChunksWithTheSameResult() {
        Sequential net = Sequential.builder().input(4).add(new FeatureGain()).add(new TanhAffine(3)).seed(2).build();
        Tensor x = Tensor.uniform(new Rng(1), -1, 1, 2500, 4); // two full chunks of 1024 and one of 452
        Tensor whole = net.forward(x, false).copy();
        Tensor chunked = net.predict(x);
        assertThat(chunked.shape()).containsExactly(2500, 3);
        assertThat(chunked.contentEquals(whole)).isTrue();
        assertThat(net.predictClasses(x)).containsExactly(Classes.of(whole));
        assertThatThrownBy(() -> net.predict(Tensor.zeros(2000, 5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("width 4");
    }
}
