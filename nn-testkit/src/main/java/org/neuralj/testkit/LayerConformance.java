package org.neuralj.testkit;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.neuralj.core.AbstractLayer;
import org.neuralj.core.BuildContext;
import org.neuralj.core.GradientCheck;
import org.neuralj.core.Layer;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerRegistry;
import org.neuralj.core.LayerType;
import org.neuralj.core.Loss;
import org.neuralj.core.NonDifferentiable;
import org.neuralj.core.Parameter;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;

/**
 * The checks every layer passes, built-in or your own. Call it from a test of your layer (add
 * {@code org.neuralj:nn-testkit} with test scope):
 *
 * <pre>{@code
 * @Test
 * void leakyReluConforms() {
 *     LayerConformance.verify(new LayerConformance.Case("LeakyReLU", () -> new LeakyReLU(0.1f), Shape.of(5), 0));
 * }
 * }</pre>
 *
 * It checks, for the case's input shape (of any rank, e.g. {@code Shape.of(2, 6, 6)} for images): the output shape
 * {@code build} promises is what {@code forward} delivers, as {@code [B, ...shape]} (for a full and a one-row batch); the parameter count, gradient shapes and finite initial values; inference is
 * deterministic and the same seed gives the same parameters and buffers; every gradient (input, each parameter) agrees with
 * {@link GradientCheck} within {@link GradientCheck#TOLERANCE}; placed in a network after another layer's
 * parameters (so its own are views of the network's buffer from a non-zero {@link Tensor#offset()}) it computes the
 * same output and correct gradients; a wrong input width is refused with a message naming
 * both widths; the layer shows in a network's summary; and it saves: a {@link LayerType} is registered for its class,
 * its config is a valid {@link LayerConfig}, and the layer recreated from that config builds the same parameters
 * and computes the same output. A {@link NonDifferentiable} layer (such as the perceptron's step, whose derivative
 * is zero wherever it exists) skips the gradient part, because {@link GradientCheck} refuses it: there is no gradient
 * to compare, and reporting that zeros equal zeros would pretend otherwise. Every other check still runs on it.
 * A failure is an {@link AssertionError} naming the layer and the check, so the kit
 * works with any test framework.
 */
public final class LayerConformance {
    private static final int BATCH = 4;

    private LayerConformance() {
    }

    /**
     * One layer to check: a factory (each call a fresh, unbuilt layer), the input sample shape, and the parameter
     * count the layer must have for that shape.
     */
    public record Case(String name, Supplier<Layer> factory, Shape inputShape, int expectedParameters) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Runs every check on {@code c}, with the layer types registered on the class path. */
    public static void verify(Case c) {
        verify(c, LayerRegistry.shared());
    }

    /** Runs every check on {@code c}, looking its layer type up in {@code registry}. */
    public static void verify(Case c, LayerRegistry registry) {
        Layer layer = c.factory().get();
        Shape out = layer.build(c.inputShape(), BuildContext.of(new Rng(7)));
        check(c, out != null, "build returned no output shape");

        // output shape: what build promises is what forward delivers, for a full and a 1-row batch
        for (int rows : new int[] {BATCH, 1}) {
            Tensor y = layer.forward(randomInput(rows, c.inputShape(), new Rng(rows)), false);
            check(c, y.rows() == rows, "forward of " + rows + " rows returned " + y.rows() + " rows");
            check(c, y.cols() == out.size(), "forward returned width " + y.cols() + " but build promised shape "
                    + out + " (" + out.size() + " values)");
            check(c, Arrays.equals(y.shape(), Tensor.zeros(rows, out).shape()), "forward returned shape "
                    + Arrays.toString(y.shape()) + " but build promised samples " + out + ": a batch must be [" + rows
                    + ", ...output shape]");
        }

        // parameters
        List<Parameter> ps = layer.parameters();
        int count = ps.stream().mapToInt(Parameter::size).sum();
        check(c, count == c.expectedParameters(), "has " + count + " parameter values but the case expects "
                + c.expectedParameters());
        for (Parameter p : ps) {
            check(c, Arrays.equals(p.grad().shape(), p.value().shape()), "gradient of " + p.name() + " has shape "
                    + Arrays.toString(p.grad().shape()) + " but the value " + Arrays.toString(p.value().shape()));
            check(c, p.value().isFinite(), "initial " + p.name() + " is not finite");
        }

        // determinism: same input, same output, twice; same seed, same initial parameters
        Tensor x = randomInput(BATCH, c.inputShape(), new Rng(11));
        Tensor first = layer.forward(x, false).copy();
        check(c, layer.forward(x, false).contentEquals(first), "inference gives different outputs for one input");
        Layer twin = c.factory().get();
        twin.build(c.inputShape(), BuildContext.of(new Rng(7)));
        check(c, twin.parameters().size() == ps.size(), "a second instance has another number of parameters");
        for (int i = 0; i < ps.size(); i++) {
            check(c, twin.parameters().get(i).value().contentEquals(ps.get(i).value()),
                    "the same seed gives a different initial " + ps.get(i).name());
        }
        List<Parameter> buffers = layer.buffers();
        check(c, twin.buffers().size() == buffers.size(), "a second instance has another number of buffers");
        for (int i = 0; i < buffers.size(); i++) {
            check(c, twin.buffers().get(i).value().contentEquals(buffers.get(i).value()),
                    "the same seed gives a different initial buffer " + buffers.get(i).name());
        }

        // gradients against numerical differentiation, skipped for a layer without a useful derivative
        if (!(layer instanceof NonDifferentiable)) {
            GradientCheck.Report report = GradientCheck.check(c.factory().get(), c.inputShape(), BATCH, new Rng(3));
            check(c, report.passes(), "gradients disagree with central differences beyond "
                    + GradientCheck.TOLERANCE + ": " + report);
        }

        // in a network after another layer's parameters, the layer's own are views of the network's buffer from a
        // non-zero offset: a layer that indexes their data() from 0 instead of offset() computes garbage there
        Sequential placed = Sequential.builder().input(c.inputShape()).add(new Shift()).add(c.factory().get())
                .build();
        Layer inPlace = placed.layers().get(1);
        for (int i = 0; i < ps.size(); i++) {
            inPlace.parameters().get(i).value().copyFrom(ps.get(i).value());
        }
        for (int i = 0; i < buffers.size(); i++) {
            inPlace.buffers().get(i).value().copyFrom(buffers.get(i).value());
        }
        check(c, placed.predict(x).contentEquals(first), "in a network, after another layer's parameters, it"
                + " computes another output: does forward index its parameters' data() from 0 instead of offset()?");
        if (!(layer instanceof NonDifferentiable)) {
            Tensor weights = Tensor.randn(new Rng(5), BATCH, out.size());
            GradientCheck.Report report = GradientCheck.check(placed, new Projection(), x, weights, new Rng(3));
            // the layer's own parameters ("1:...") and the input; not the shift's, whose gradient a layer that
            // subtracts a mean (BatchNorm) makes exactly zero, which relative errors cannot judge
            boolean ownPass = report.maxRelativeError().entrySet().stream()
                    .filter(e -> !e.getKey().startsWith("0:"))
                    .allMatch(e -> e.getValue() <= GradientCheck.TOLERANCE);
            check(c, ownPass, "in a network, after another layer's parameters, gradients disagree with"
                    + " central differences beyond " + GradientCheck.TOLERANCE + " (does backward index data() from"
                    + " 0 instead of offset()?): " + report);
        }

        // a wrong width is refused, naming the expected and the actual width
        int width = c.inputShape().size();
        try {
            layer.forward(Tensor.zeros(BATCH, width + 1), false);
            check(c, false, "accepted an input of width " + (width + 1) + " instead of " + width);
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            check(c, m.contains(String.valueOf(width)) && m.contains(String.valueOf(width + 1)),
                    "the wrong-width message should name " + width + " and " + (width + 1) + " but is: " + m);
        }

        // it shows in a network's summary
        Sequential net = Sequential.builder().input(c.inputShape()).add(c.factory().get()).build();
        check(c, net.summary().contains(net.layers().get(0).name()), "the summary does not list the layer");

        // it saves: registered type, valid config, and the recreated layer is the same layer
        LayerType<?> type;
        try {
            type = registry.forLayer(layer);
        } catch (IllegalArgumentException e) {
            throw new AssertionError(c.name() + ": cannot be saved: " + e.getMessage(), e);
        }
        LayerConfig config;
        try {
            config = type.configOf(layer);
        } catch (IllegalArgumentException e) {
            throw new AssertionError(c.name() + ": its config is not valid: " + e.getMessage(), e);
        }
        Layer copy = type.create(config);
        check(c, copy.getClass() == layer.getClass(), "type " + type.name() + " created a "
                + copy.getClass().getName());
        check(c, type.configOf(copy).equals(config), "the layer recreated from config " + config
                + " has another config: " + type.configOf(copy));
        check(c, out.equals(copy.build(c.inputShape(), BuildContext.of(new Rng(7)))),
                "the recreated layer has another output shape");
        for (int i = 0; i < ps.size(); i++) {
            check(c, copy.parameters().get(i).value().contentEquals(ps.get(i).value()),
                    "the layer recreated from its config " + config + " initialises " + ps.get(i).name()
                            + " differently: the config does not describe the layer fully");
        }
        check(c, copy.buffers().size() == buffers.size(), "the layer recreated from its config " + config
                + " has " + copy.buffers().size() + " buffers instead of " + buffers.size());
        for (int i = 0; i < buffers.size(); i++) {
            check(c, copy.buffers().get(i).value().contentEquals(buffers.get(i).value()),
                    "the layer recreated from its config " + config + " initialises buffer " + buffers.get(i).name()
                            + " differently");
        }
        check(c, copy.forward(x, false).contentEquals(first), "the layer recreated from its config " + config
                + " computes another output");
    }

    /**
     * A batch {@code [rows, ...shape]} of uniform values in ±[0.1, 1]: away from zero, where ReLU-like layers have
     * a kink.
     */
    public static Tensor randomInput(int rows, Shape shape, Rng rng) {
        Tensor x = Tensor.zeros(rows, shape);
        for (int i = 0; i < x.size(); i++) {
            float v = 0.1f + 0.9f * rng.nextFloat();
            x.data()[i] = rng.nextFloat() < 0.5f ? -v : v;
        }
        return x;
    }

    /**
     * {@code y = x + s} with {@code s} a parameter of zeros: the identity, placed before the layer under test so that
     * the layer's parameters start after it in the network's buffer.
     */
    private static final class Shift extends AbstractLayer {
        private Parameter shift;
        private Tensor output;

        @Override
        protected Shape build(Shape inputShape) {
            shift = addParameter("shift", inputShape.size());
            return inputShape;
        }

        @Override
        public Tensor forward(Tensor x, boolean training) {
            checkInput(x);
            output = Tensor.reuse(output, x.rows(), inputShape()).copyFrom(x.reshapeBatch(inputShape()));
            return output.addRowVectorInPlace(shift.value());
        }

        @Override
        public Tensor backward(Tensor gradOutput) {
            checkGradient(gradOutput, output);
            gradOutput.sumColumnsAdd(shift.grad());
            return gradOutput;
        }

        @Override
        public String name() {
            return "Shift";
        }
    }

    /** {@code L = Σ ŷ ⊙ w} for fixed weights {@code w} (the target): every output value reaches the loss. */
    private static final class Projection implements Loss {
        @Override
        public double value(Tensor predicted, Tensor weights) {
            double sum = 0;
            for (int i = 0; i < predicted.size(); i++) {
                sum += (double) predicted.get(i) * weights.get(i);
            }
            return sum;
        }

        @Override
        public void gradient(Tensor predicted, Tensor weights, Tensor out) {
            for (int i = 0; i < out.size(); i++) {
                out.set(i, weights.get(i));
            }
        }
    }

    private static void check(Case c, boolean ok, String problem) {
        if (!ok) {
            throw new AssertionError(c.name() + ": " + problem);
        }
    }
}
