package org.neuralj.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Supplier;
import org.neuralj.core.GradientCheck;
import org.neuralj.core.Layer;
import org.neuralj.core.Parameter;
import org.neuralj.core.Rng;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;

/**
 * The checks every layer goes through, built-in or user-defined: output shape, parameter count, gradient check,
 * inference determinism and the bad-shape message. Use it from a test of your own layer:
 *
 * <pre>{@code LayerConformance.verify(new LayerConformance.Case("LeakyReLU", () -> new LeakyReLU(0.1), Shape.of(5), 0));}</pre>
 *
 * (The class is in nn-core's test-jar: depend on {@code nn-core} with {@code <type>test-jar</type>}.)
 */
public final class LayerConformance {
    /** Largest norm-wise relative gradient error accepted in float32 with {@link GradientCheck#STEP}. */
    public static final double GRADIENT_TOLERANCE = 1e-2;

    private LayerConformance() {
    }

    /**
     * One layer to check: a factory (each call a fresh, unbuilt layer), the input sample shape, and the parameter
     * count the layer must report for that shape.
     */
    public record Case(String name, Supplier<Layer> factory, Shape inputShape, int expectedParameters) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Runs every check on {@code c}; fails with an AssertJ error naming the layer. */
    public static void verify(Case c) {
        int batch = 4;
        Rng rng = new Rng(7);
        Layer layer = c.factory().get();
        Shape out = layer.build(c.inputShape(), rng);

        // output shape: what build promises is what forward delivers, for a full and a 1-row batch
        for (int rows : new int[] {batch, 1}) {
            Tensor x = randomInput(rows, c.inputShape(), new Rng(rows));
            Tensor y = layer.forward(x, false);
            assertThat(y.rows()).as("%s: output rows for %d input rows", c.name(), rows).isEqualTo(rows);
            assertThat(y.cols()).as("%s: output width vs. build's shape %s", c.name(), out).isEqualTo(out.size());
        }

        // parameter count
        List<Parameter> ps = layer.parameters();
        int count = ps.stream().mapToInt(Parameter::size).sum();
        assertThat(count).as("%s: parameter count", c.name()).isEqualTo(c.expectedParameters());
        for (Parameter p : ps) {
            assertThat(p.grad().shape()).as("%s: gradient shape of %s", c.name(), p.name()).isEqualTo(p.value().shape());
            assertThat(p.value().isFinite()).as("%s: initial %s finite", c.name(), p.name()).isTrue();
        }

        // inference determinism: same input, same output, twice; same seed, same initial parameters
        Tensor x = randomInput(batch, c.inputShape(), new Rng(11));
        Tensor first = layer.forward(x, false).copy();
        Tensor second = layer.forward(x, false).copy();
        assertThat(second.contentEquals(first)).as("%s: inference is deterministic", c.name()).isTrue();
        Layer twin = c.factory().get();
        twin.build(c.inputShape(), new Rng(7));
        for (int i = 0; i < ps.size(); i++) {
            assertThat(twin.parameters().get(i).value().contentEquals(ps.get(i).value()))
                    .as("%s: same seed gives the same %s", c.name(), ps.get(i).name()).isTrue();
        }

        // gradient check against central differences
        GradientCheck.Report report = GradientCheck.check(c.factory().get(), c.inputShape(), batch, new Rng(3));
        assertThat(report.max()).as("%s: %s", c.name(), report).isLessThanOrEqualTo(GRADIENT_TOLERANCE);

        // the bad-shape message names the expected and the actual width
        int width = c.inputShape().size();
        Tensor wrong = Tensor.zeros(batch, width + 1);
        assertThatThrownBy(() -> layer.forward(wrong, false))
                .as("%s: wrong input width", c.name())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(width))
                .hasMessageContaining(String.valueOf(width + 1));
    }

    /** Uniform values in ±[0.1, 1]: away from zero, where ReLU-like layers have a kink. */
    public static Tensor randomInput(int rows, Shape shape, Rng rng) {
        Tensor x = Tensor.zeros(rows, shape.size());
        for (int i = 0; i < x.size(); i++) {
            float v = 0.1f + 0.9f * rng.nextFloat();
            x.data()[i] = rng.nextFloat() < 0.5f ? -v : v;
        }
        return x;
    }
}
