package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import com.example.userlayers.TanhAffine;
import com.example.userlayers.TanhAffine.Position;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GradientCheck} with {@link GradientCheck#TOLERANCE} catches a gradient that is off by 1% in any one tensor
 * (input gradient, weights, bias; inside a network; a loss), and passes the same code without the error, with margin.
 */
class GradientCheckTest {
    private static final double PERCENT = 0.01;

    /** {@code L = (1/B) Σ log(1 + (ŷ − y)²)}; its gradient is scaled by (1 + e). */
    private static final class LogCauchyLoss implements Loss {
        private final double factor;

        LogCauchyLoss(double e) {
            this.factor = 1 + e;
        }

        @Override
        public double value(Tensor predicted, Tensor target) {
            double s = 0;
            for (int i = 0; i < predicted.size(); i++) {
                double d = predicted.data()[i] - target.data()[i];
                s += Math.log1p(d * d);
            }
            return s / predicted.rows();
        }

        @Override
        public void gradient(Tensor predicted, Tensor target, Tensor out) {
            for (int i = 0; i < predicted.size(); i++) {
                double d = predicted.data()[i] - target.data()[i];
                out.data()[i] = (float) (factor * 2 * d / (1 + d * d) / predicted.rows());
            }
        }

        @Override
        public String name() {
            return "log-cauchy";
        }
    }

    static Stream<Arguments> plantedErrors() {
        return Stream.of(Position.INPUT, Position.WEIGHT, Position.BIAS)
                .flatMap(p -> Stream.of(Arguments.of(p, PERCENT), Arguments.of(p, -PERCENT)));
    }

    private static String key(Position p) {
        return switch (p) {
            case INPUT -> "input";
            case WEIGHT -> "TanhAffine(4).weight";
            case BIAS -> "TanhAffine(4).bias";
            case NONE -> throw new IllegalArgumentException();
        };
    }

    @Test
    void correctLayerPassesWithMargin() {
        for (long seed = 1; seed <= 10; seed++) {
            GradientCheck.Report r = GradientCheck.check(new TanhAffine(4), Shape.of(5), 4, new Rng(seed));
            assertThat(r.maxRelativeError()).containsOnlyKeys(key(Position.WEIGHT), key(Position.BIAS), "input");
            assertThat(r.passes()).as(r.toString()).isTrue();
            assertThat(r.max()).as(r.toString()).isLessThan(GradientCheck.TOLERANCE / 3);
        }
    }

    @ParameterizedTest(name = "{0} gradient off by {1}")
    @MethodSource("plantedErrors")
    void onePercentErrorInOneTensorOfALayerFails(Position p, double e) {
        for (long seed = 1; seed <= 10; seed++) {
            GradientCheck.Report r = GradientCheck.check(new TanhAffine(4, p, e), Shape.of(5), 4, new Rng(seed));
            assertThat(r.passes()).as(r.toString()).isFalse();
            r.maxRelativeError().forEach((tensor, error) -> {
                if (tensor.equals(key(p))) {
                    assertThat(error).as("planted in %s: %s", tensor, r).isGreaterThan(GradientCheck.TOLERANCE);
                } else {
                    assertThat(error).as("not planted in %s: %s", tensor, r)
                            .isLessThanOrEqualTo(GradientCheck.TOLERANCE);
                }
            });
        }
    }

    private static Sequential network(Layer middle, long seed) {
        return Sequential.builder().input(5)
                .add(new TanhAffine(6)).add(middle).add(new TanhAffine(3)).seed(seed).build();
    }

    @Test
    void correctNetworkPassesWithMargin() {
        for (long seed = 1; seed <= 10; seed++) {
            Rng rng = new Rng(100 + seed);
            Sequential net = network(new TanhAffine(4), seed);
            Tensor x = randomInput(4, net.inputShape(), rng);
            Tensor y = Tensor.uniform(rng, -1, 1, 4, 3);
            GradientCheck.Report r = GradientCheck.check(net, new LogCauchyLoss(0), x, y, rng);
            assertThat(r.maxRelativeError()).hasSize(7);
            assertThat(r.max()).as(r.toString()).isLessThan(GradientCheck.TOLERANCE / 3);
        }
    }

    @ParameterizedTest(name = "{0} gradient of the middle layer off by {1}")
    @MethodSource("plantedErrors")
    void onePercentErrorInsideANetworkFails(Position p, double e) {
        for (long seed = 1; seed <= 10; seed++) {
            Rng rng = new Rng(100 + seed);
            Sequential net = network(new TanhAffine(4, p, e), seed);
            Tensor x = randomInput(4, net.inputShape(), rng);
            Tensor y = Tensor.uniform(rng, -1, 1, 4, 3);
            GradientCheck.Report r = GradientCheck.check(net, new LogCauchyLoss(0), x, y, rng);
            assertThat(r.passes()).as(r.toString()).isFalse();
            // a wrong ∂L/∂x of the middle layer reaches everything below it: the first layer and the input
            String caught = p == Position.INPUT ? "input" : "1:" + key(p);
            assertThat(r.maxRelativeError().get(caught)).as(r.toString()).isGreaterThan(GradientCheck.TOLERANCE);
            assertThat(r.maxRelativeError().get("2:TanhAffine(3).weight")).as(r.toString())
                    .isLessThanOrEqualTo(GradientCheck.TOLERANCE);
        }
    }

    @Test
    void onePercentErrorInALossGradientFails() {
        for (long seed = 1; seed <= 10; seed++) {
            Rng rng = new Rng(200 + seed);
            Tensor predicted = Tensor.uniform(rng, -1, 1, 4, 3);
            Tensor target = Tensor.uniform(rng, -1, 1, 4, 3);
            GradientCheck.Report ok = GradientCheck.check(new LogCauchyLoss(0), predicted, target, rng);
            assertThat(ok.max()).as(ok.toString()).isLessThan(GradientCheck.TOLERANCE / 3);
            for (double e : new double[] {PERCENT, -PERCENT}) {
                GradientCheck.Report r = GradientCheck.check(new LogCauchyLoss(e), predicted, target, rng);
                assertThat(r.maxRelativeError().get("log-cauchy")).as(r.toString())
                        .isGreaterThan(GradientCheck.TOLERANCE);
                assertThat(r.passes()).isFalse();
            }
        }
    }

    /** A ReLU between the layers: perturbing a weight can move a pre-activation of the next one across the kink. */
    @Test
    void kinksFurtherDownTheNetworkDoNotFailACorrectGradient() {
        for (long seed = 1; seed <= 20; seed++) {
            Activation relu = new Activation() {
                @Override
                protected float apply(float x) {
                    return Math.max(x, 0);
                }

                @Override
                protected float derivative(float x, float y) {
                    return x > 0 ? 1 : 0;
                }
            };
            Rng rng = new Rng(300 + seed);
            Sequential net = Sequential.builder().input(5)
                    .add(new TanhAffine(8)).add(relu).add(new TanhAffine(3)).seed(seed).build();
            Tensor x = randomInput(6, net.inputShape(), rng);
            Tensor y = Tensor.uniform(rng, -1, 1, 6, 3);
            GradientCheck.Report r = GradientCheck.check(net, new LogCauchyLoss(0), x, y, rng);
            assertThat(r.passes()).as(r.toString()).isTrue();
        }
    }

    /** Uniform values in ±[0.1, 1], as {@link GradientCheck#check(Layer, Shape, int, Rng)} draws them. */
    private static Tensor randomInput(int rows, Shape shape, Rng rng) {
        Tensor x = Tensor.zeros(rows, shape.size());
        for (int i = 0; i < x.size(); i++) {
            float v = 0.1f + 0.9f * rng.nextFloat();
            x.data()[i] = rng.nextFloat() < 0.5f ? -v : v;
        }
        return x;
    }

    /** ReLU's kink at 0 and a derivative that is NaN everywhere: the two reasons a tensor's error can be NaN. */
    private static Activation activation(boolean nanDerivative) {
        return new Activation() {
            @Override
            protected float apply(float x) {
                return Math.max(0, x);
            }

            @Override
            protected float derivative(float x, float y) {
                return nanDerivative ? Float.NaN : x > 0 ? 1 : 0;
            }
        };
    }

    @Test
    void everyEntryAtAKinkIsUnresolvedNotAFailingGradient() {
        Activation relu = activation(false);
        relu.build(Shape.of(6), BuildContext.of(new Rng(1)));
        GradientCheck.Report r = GradientCheck.check(relu, Tensor.zeros(3, 6), new Rng(2)); // every input at the kink
        GradientCheck.TensorCheck input = r.tensors().get("input");
        assertThat(input.entries()).isEqualTo(18);
        assertThat(input.skipped()).isEqualTo(18);
        assertThat(input.resolved()).isFalse();
        assertThat(input.maxRelativeError()).isNaN();
        assertThat(r.passes()).isFalse();
        assertThat(r.toString()).contains("unresolved: all 18 entries at kinks");

        Tensor away = Tensor.zeros(3, 6).fill(0.5f);
        away.set(0, 0f); // one entry at the kink, the others well away from it
        GradientCheck.TensorCheck mostly = GradientCheck.check(relu, away, new Rng(2)).tensors().get("input");
        assertThat(mostly.skipped()).isEqualTo(1);
        assertThat(mostly.resolved()).isTrue();
        assertThat(mostly.maxRelativeError()).isLessThan(GradientCheck.TOLERANCE);
    }

    @Test
    void aNaNGradientIsResolvedAndFails() {
        Activation broken = activation(true);
        broken.build(Shape.of(6), BuildContext.of(new Rng(1)));
        GradientCheck.Report r = GradientCheck.check(broken, Tensor.zeros(3, 6).fill(0.5f), new Rng(2));
        GradientCheck.TensorCheck input = r.tensors().get("input");
        assertThat(input.resolved()).isTrue();
        assertThat(input.skipped()).isZero();
        assertThat(input.maxRelativeError()).isNaN();
        assertThat(r.passes()).isFalse();
    }
}
