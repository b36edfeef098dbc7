package org.neuralj.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import com.example.userlayers.Affine;
import com.example.userlayers.SquaredError;
import org.neuralj.core.Dataset;
import org.neuralj.core.FitOptions;
import org.neuralj.core.History;
import org.neuralj.core.Optimizer;
import org.neuralj.core.Parameter;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.core.Trainer;

/**
 * Each optimizer against its published update rule, written out here by hand in double precision for three steps on
 * a two-value parameter with fixed gradients.
 */
class OptimizersTest {
    private static final float[] START = {1.0f, -2.0f};
    private static final float[][] GRADS = {{0.5f, -1.0f}, {0.2f, 0.3f}, {-0.4f, 0.1f}};
    private static final double TOLERANCE = 1e-6;

    private static double[] run(Optimizer opt) {
        Parameter p = new Parameter("w", Tensor.of(START.clone(), 2));
        for (float[] g : GRADS) {
            p.grad().data()[0] = g[0];
            p.grad().data()[1] = g[1];
            opt.step(List.of(p));
        }
        return new double[] {p.value().get(0), p.value().get(1)};
    }

    private static void assertMatches(Optimizer opt, double[] expected) {
        double[] actual = run(opt);
        assertThat(actual[0]).as("%s value 0", opt).isCloseTo(expected[0], within(TOLERANCE));
        assertThat(actual[1]).as("%s value 1", opt).isCloseTo(expected[1], within(TOLERANCE));
    }

    @Test
    void sgd() {
        double lr = 0.1;
        double[] w = {START[0], START[1]};
        for (float[] g : GRADS) {
            for (int i = 0; i < 2; i++) {
                w[i] -= lr * g[i];
            }
        }
        assertMatches(new SGD(lr), w);
    }

    @Test
    void momentumAndNesterov() {
        double lr = 0.1, mu = 0.9;
        double[] w = {START[0], START[1]}, v = new double[2];
        double[] wn = {START[0], START[1]}, vn = new double[2];
        for (float[] g : GRADS) {
            for (int i = 0; i < 2; i++) {
                v[i] = mu * v[i] + g[i];
                w[i] -= lr * v[i];
                vn[i] = mu * vn[i] + g[i];
                wn[i] -= lr * (g[i] + mu * vn[i]);
            }
        }
        assertMatches(new SGD(lr, mu), w);
        assertMatches(new SGD(lr, mu, true), wn);
    }

    @Test
    void adaGrad() {
        double lr = 0.5, eps = 1e-8;
        double[] w = {START[0], START[1]}, sum = new double[2];
        for (float[] g : GRADS) {
            for (int i = 0; i < 2; i++) {
                sum[i] += g[i] * g[i];
                w[i] -= lr * g[i] / (Math.sqrt(sum[i]) + eps);
            }
        }
        assertMatches(new AdaGrad(lr), w);
    }

    @Test
    void rmsProp() {
        double lr = 0.01, rho = 0.9, eps = 1e-8;
        double[] w = {START[0], START[1]}, s = new double[2];
        for (float[] g : GRADS) {
            for (int i = 0; i < 2; i++) {
                s[i] = rho * s[i] + (1 - rho) * g[i] * g[i];
                w[i] -= lr * g[i] / (Math.sqrt(s[i]) + eps);
            }
        }
        assertMatches(new RMSProp(lr), w);
    }

    private static double[] adam(double lr, double decoupledDecay, double coupledDecay) {
        double b1 = 0.9, b2 = 0.999, eps = 1e-8;
        double[] w = {START[0], START[1]}, m = new double[2], v = new double[2];
        int t = 0;
        for (float[] g0 : GRADS) {
            t++;
            for (int i = 0; i < 2; i++) {
                double g = g0[i] + coupledDecay * w[i];
                w[i] -= lr * decoupledDecay * w[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.pow(b1, t)), vHat = v[i] / (1 - Math.pow(b2, t));
                w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
        return w;
    }

    @Test
    void adamWithBiasCorrection() {
        assertMatches(new Adam(0.1), adam(0.1, 0, 0));
        // after one step of bias-corrected Adam every value moves by about η, whatever the gradient's scale
        Parameter p = new Parameter("w", Tensor.of(new float[] {0, 0}, 2));
        p.grad().data()[0] = 1e-4f;
        p.grad().data()[1] = -300f;
        new Adam(0.01).step(List.of(p));
        assertThat(p.value().toArray()).containsExactly(new float[] {-0.01f, 0.01f}, within(1e-6f));
    }

    @Test
    void adamWDecaysTheWeightsDirectly() {
        assertMatches(new AdamW(0.1, 0.05), adam(0.1, 0.05, 0));
        assertMatches(new Adam(0.1).weightDecay(0.05), adam(0.1, 0, 0.05));
    }

    @Test
    void coupledWeightDecayAndClipping() {
        double lr = 0.1, lambda = 0.2;
        double[] w = {START[0], START[1]};
        for (float[] g : GRADS) {
            for (int i = 0; i < 2; i++) {
                w[i] -= lr * (g[i] + lambda * w[i]);
            }
        }
        assertMatches(new SGD(lr).weightDecay(lambda), w);

        double[] wc = {START[0], START[1]};
        for (float[] g : GRADS) {
            double norm = Math.hypot(g[0], g[1]);
            double scale = norm > 0.5 ? 0.5 / norm : 1;
            for (int i = 0; i < 2; i++) {
                wc[i] -= lr * g[i] * scale;
            }
        }
        assertMatches(new SGD(lr).clipNorm(0.5), wc);

        double[] wv = {START[0], START[1]};
        for (float[] g : GRADS) {
            for (int i = 0; i < 2; i++) {
                wv[i] -= lr * Math.max(-0.25, Math.min(0.25, g[i]));
            }
        }
        assertMatches(new SGD(lr).clipValue(0.25), wv);
        Parameter p = new Parameter("w", Tensor.of(new float[] {3, 4}, 2));
        assertThat(new SGD(lr).weightDecay(lambda).penalty(List.of(p))).isCloseTo(0.5 * lambda * 25, within(1e-9));
        assertThat(new SGD(lr).penalty(List.of(p))).isZero();
    }

    /** Minimises f from a start point by feeding the optimizer ∇f; returns the final point. */
    private static double[] minimise(Optimizer opt, double[] start, int steps,
                                     java.util.function.Function<double[], double[]> gradient) {
        Parameter p = new Parameter("xy", Tensor.of(new float[] {(float) start[0], (float) start[1]}, 2));
        for (int s = 0; s < steps; s++) {
            double[] g = gradient.apply(new double[] {p.value().get(0), p.value().get(1)});
            p.grad().data()[0] = (float) g[0];
            p.grad().data()[1] = (float) g[1];
            opt.step(List.of(p));
        }
        return new double[] {p.value().get(0), p.value().get(1)};
    }

    @Test
    void everyOptimizerMinimisesAConvexQuadratic() {
        // f(x, y) = (x − 3)² + 10 (y + 1)²
        for (Optimizer opt : new Optimizer[] {new SGD(0.04), new SGD(0.02, 0.9), new SGD(0.02, 0.9, true),
                new AdaGrad(0.5), new RMSProp(0.01), new Adam(0.05), new AdamW(0.05, 1e-4)}) {
            double[] xy = minimise(opt, new double[] {0, 0}, 3000, p -> new double[] {2 * (p[0] - 3), 20 * (p[1] + 1)});
            assertThat(xy[0]).as("%s x", opt).isCloseTo(3, within(0.02));
            assertThat(xy[1]).as("%s y", opt).isCloseTo(-1, within(0.02));
        }
    }

    @Test
    void adamAndMomentumDescendTheRosenbrockValley() {
        // f(x, y) = (1 − x)² + 10 (y − x²)², minimum at (1, 1)
        DoubleUnaryOperator sq = v -> v * v;
        java.util.function.Function<double[], double[]> grad = p -> new double[] {
                -2 * (1 - p[0]) - 40 * p[0] * (p[1] - p[0] * p[0]), 20 * (p[1] - p[0] * p[0])};
        for (Optimizer opt : new Optimizer[] {new Adam(0.02), new SGD(0.002, 0.9)}) {
            double[] xy = minimise(opt, new double[] {-1, 1}, 6000, grad);
            double f = sq.applyAsDouble(1 - xy[0]) + 10 * sq.applyAsDouble(xy[1] - xy[0] * xy[0]);
            assertThat(f).as("%s f at %s", opt, java.util.Arrays.toString(xy)).isLessThan(1e-3);
        }
    }

    @Test
    void stateIsExposedPerParameterAndStepsCount() {
        Adam adam = new Adam(0.1);
        Parameter p = new Parameter("w", Tensor.of(START.clone(), 2));
        p.grad().data()[0] = 0.5f;
        adam.step(List.of(p));
        assertThat(adam.steps()).isEqualTo(1);
        assertThat(adam.state(p)).containsOnlyKeys("m", "v");
        assertThat(adam.state(p).get("m").get(0)).isCloseTo(0.05f, within(1e-7f));
        assertThat(new SGD(0.1).state(p)).isEmpty();
        assertThat(new SGD(0.1, 0.9).state(p)).containsOnlyKeys("velocity");
    }

    @Test
    void badHyperparametersNameTheValue() {
        assertThatThrownBy(() -> new Adam(-0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learning rate").hasMessageContaining("-0.1");
        assertThatThrownBy(() -> new RMSProp(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> new SGD(0.1, 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("momentum").hasMessageContaining("[0, 1)").hasMessageContaining("1.0");
        assertThatThrownBy(() -> new SGD(0.1, -0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-0.5");
        assertThatThrownBy(() -> new SGD(0.1, 0, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Nesterov");
        assertThatThrownBy(() -> new Adam(0.1, 1.0, 0.999, 1e-8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beta1");
        assertThatThrownBy(() -> new Adam(0.1, 0.9, 0.999, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epsilon");
        assertThatThrownBy(() -> new SGD(0.1).weightDecay(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weight decay");
        assertThatThrownBy(() -> new SGD(0.1).setLearningRate(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @Test
    void weightDecayAddsTheL2PenaltyToTheReportedLoss() {
        Rng rng = new Rng(5);
        Dataset data = new Dataset(Tensor.randn(rng, 30, 4), Tensor.randn(rng, 30, 3));
        History plain = Trainer.fit(affine(), data, FitOptions.of(new SquaredError(), new SGD(0.01)).epochs(1)
                .batchSize(30).shuffle(false).quiet());
        Sequential net = affine();
        double penalty = new SGD(0.01).weightDecay(0.1).penalty(net.parameters());
        History decayed = Trainer.fit(net, data, FitOptions.of(new SquaredError(), new SGD(0.01).weightDecay(0.1))
                .epochs(1).batchSize(30).shuffle(false).quiet());
        assertThat(penalty).isPositive();
        assertThat(decayed.last().loss()).isCloseTo(plain.last().loss() + penalty, within(1e-9));
    }

    private static Sequential affine() {
        return Sequential.builder().input(4).add(new Affine(3)).seed(1).build();
    }

    @Test
    void everyOptimizerReportsTheParameterThatAStepMadeNonFinite() {
        for (GradientOptimizer opt : new GradientOptimizer[] {new SGD(1e30), new SGD(1e30, 0.9, true),
                new AdaGrad(1e30), new RMSProp(1e38), new Adam(1e38), new AdamW(1e38)}) {
            Parameter ok = new Parameter("ok", Tensor.of(new float[] {1, 2, 3, 4, 5}, 5));
            Parameter big = new Parameter("big", Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 3e38f}, 8));
            List<Parameter> ps = List.of(ok, big);
            big.grad().fill(-1e9f);
            opt.step(ps);
            assertThat(opt.firstNonFinite(ps)).as("%s", opt).isEqualTo(1);
            assertThat(opt.firstNonFinite(List.of(ok))).as("another list is scanned").isEqualTo(-1);
            List<Parameter> fresh = List.of(new Parameter("fresh", Tensor.of(new float[] {1, 2}, 2)));
            opt.step(fresh);
            assertThat(opt.firstNonFinite(fresh)).as("%s after a finite step", opt).isEqualTo(-1);
        }
    }

    @Test
    void trainingWithAGradientOptimizerStopsAtTheStepThatOverflowed() {
        Sequential net = Sequential.builder().input(2).add(new Affine(1)).seed(1).build();
        Dataset data = new Dataset(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), Tensor.of(new float[] {1, 0}, 2, 1));
        assertThatThrownBy(() -> Trainer.fit(net, data, FitOptions.of(new SquaredError(), new SGD(1e20)).epochs(2)
                .batchSize(2).quiet()))
                .isInstanceOf(org.neuralj.core.DivergenceException.class)
                .hasMessageContaining("after the update of epoch 2, batch 0, parameter \"weights\" of layer 0");
    }
}
