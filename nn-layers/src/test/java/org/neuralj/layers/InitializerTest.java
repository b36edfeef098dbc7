package org.neuralj.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.neuralj.core.Rng;
import org.neuralj.core.Tensor;

class InitializerTest {
    private static final int FAN_IN = 200, FAN_OUT = 300;

    private static double[] meanAndStd(Initializer init) {
        Tensor w = Tensor.zeros(FAN_IN, FAN_OUT);
        init.initialize(w, FAN_IN, FAN_OUT, new Rng(1));
        double mean = w.mean();
        double var = w.map(x -> x * x).mean() - mean * mean;
        return new double[] {mean, Math.sqrt(var)};
    }

    private static void assertStd(Initializer init, double expectedStd) {
        double[] ms = meanAndStd(init);
        assertThat(ms[0]).as("%s mean", init).isCloseTo(0, within(0.02 * expectedStd + 1e-3));
        assertThat(ms[1]).as("%s std", init).isCloseTo(expectedStd, within(0.02 * expectedStd));
    }

    @Test
    void varianceScalingSchemesHaveTheirPublishedStandardDeviations() {
        assertStd(Initializer.gaussian(), 1.0);
        assertStd(Initializer.gaussian(0.01), 0.01);
        assertStd(Initializer.xavierNormal(), Math.sqrt(2.0 / (FAN_IN + FAN_OUT)));
        assertStd(Initializer.xavierUniform(), Math.sqrt(6.0 / (FAN_IN + FAN_OUT)) / Math.sqrt(3));
        assertStd(Initializer.heNormal(), Math.sqrt(2.0 / FAN_IN));
        assertStd(Initializer.heUniform(), Math.sqrt(6.0 / FAN_IN) / Math.sqrt(3));
        assertStd(Initializer.lecunNormal(), Math.sqrt(1.0 / FAN_IN));
        Tensor c = Tensor.zeros(3);
        Initializer.constant(0.5).initialize(c, 1, 1, new Rng(1));
        assertThat(c.toArray()).containsOnly(0.5f);
    }

    @Test
    void seededAndRoundTripsThroughItsConfig() {
        for (Initializer init : new Initializer[] {Initializer.zeros(), Initializer.constant(2), Initializer.gaussian(),
                Initializer.gaussian(0.01), Initializer.xavierUniform(), Initializer.xavierNormal(),
                Initializer.heUniform(), Initializer.heNormal(), Initializer.lecunNormal()}) {
            Tensor a = Tensor.zeros(5, 4), b = Tensor.zeros(5, 4);
            init.initialize(a, 5, 4, new Rng(9));
            Initializer.fromConfig(init.config()).initialize(b, 5, 4, new Rng(9));
            assertThat(b.contentEquals(a)).as("%s", init).isTrue();
        }
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> Initializer.gaussian(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("std").hasMessageContaining("-1");
        assertThatThrownBy(() -> Initializer.fromConfig(java.util.Map.of("type", "orthogonal")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("orthogonal");
    }
}
