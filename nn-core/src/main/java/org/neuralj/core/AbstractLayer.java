package org.neuralj.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The bookkeeping every layer shares, so that a layer is its math plus a few lines: the built flag, the input and
 * output sample shapes, the parameter list, the network's generator, and the shape checks with messages that name
 * the layer, the expected and the actual shape.
 *
 * <p>A subclass implements {@link #build(Shape)} (check the input shape, create parameters with
 * {@link #addParameter}, return the output shape), {@link #forward} and {@link #backward}. In {@code forward} it
 * calls {@link #checkInput} first; in {@code backward}, {@link #checkGradient}. Both allocate nothing unless they
 * fail, so a training step stays allocation-free.
 */
public abstract class AbstractLayer implements Layer {
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<Parameter> view = Collections.unmodifiableList(parameters);
    private final List<Parameter> buffers = new ArrayList<>();
    private final List<Parameter> buffersView = Collections.unmodifiableList(buffers);
    private BuildContext context;
    private Rng rng;
    private Shape inputShape;
    private Shape outputShape;

    /**
     * Checks one input sample's shape, creates the parameters with {@link #addParameter} and initialises them from
     * {@link #rng()}, and returns one output sample's shape.
     *
     * @throws IllegalArgumentException when the input shape does not suit the layer (the builder adds the layer's
     *                                  index and name)
     */
    protected abstract Shape build(Shape inputShape);

    @Override
    public final Shape build(Shape inputShape, BuildContext context) {
        if (this.inputShape != null) {
            throw new IllegalStateException(name() + " is already built (for input " + this.inputShape + "); a layer"
                    + " belongs to one network: create a new instance for each");
        }
        this.context = context;
        this.rng = context.rng();
        try {
            Shape out = build(inputShape);
            this.inputShape = inputShape;
            this.outputShape = out;
            return out;
        } catch (RuntimeException e) {
            parameters.clear();
            buffers.clear();
            throw e;
        } finally {
            this.context = null;
        }
    }

    /** A new parameter of zeros of shape {@code dims}, added to {@link #parameters()}; only during {@link #build}. */
    protected final Parameter addParameter(String name, int... dims) {
        return add(parameters, "addParameter", name, dims);
    }

    /**
     * A new buffer of zeros of shape {@code dims} (state that is saved but not trained, see {@link Layer#buffers()}),
     * added to {@link #buffers()}; only during {@link #build}. Names are unique across parameters and buffers.
     */
    protected final Parameter addBuffer(String name, int... dims) {
        return add(buffers, "addBuffer", name, dims);
    }

    private Parameter add(List<Parameter> list, String method, String name, int... dims) {
        if (context == null) {
            throw new IllegalStateException(name() + ": " + method + "(\"" + name + "\") outside build");
        }
        for (List<Parameter> existing : List.of(parameters, buffers)) {
            for (Parameter p : existing) {
                if (p.name().equals(name)) {
                    throw new IllegalStateException(name() + " already has a parameter or buffer named \"" + name
                            + "\"");
                }
            }
        }
        Parameter p = context.parameter(name, dims);
        list.add(p);
        return p;
    }

    /** The network's generator, set when the layer is built. */
    protected final Rng rng() {
        requireBuiltOrBuilding();
        return rng;
    }

    /** One input sample's shape; the layer must be built. */
    public final Shape inputShape() {
        requireBuilt();
        return inputShape;
    }

    /** One output sample's shape; the layer must be built. */
    public final Shape outputShape() {
        requireBuilt();
        return outputShape;
    }

    public final boolean isBuilt() {
        return inputShape != null;
    }

    @Override
    public final List<Parameter> parameters() {
        return view;
    }

    @Override
    public final List<Parameter> buffers() {
        return buffersView;
    }

    /**
     * Checks that the layer is built and that {@code x} is a batch {@code [B, ...inputShape]} (flattened per sample:
     * its width is the input sample's size).
     *
     * @throws IllegalStateException    when the layer is not built
     * @throws IllegalArgumentException naming the layer, the expected and the actual shape
     */
    protected final void checkInput(Tensor x) {
        requireBuilt();
        if (x.rank() < 1 || x.cols() != inputShape.size()) {
            throw new IllegalArgumentException(name() + " expects input width " + inputShape.size() + " (sample shape "
                    + inputShape + ") but got " + (x.rank() < 1 ? 0 : x.cols()) + " (input shape "
                    + Arrays.toString(x.shape()) + ")");
        }
    }

    /**
     * Checks that a forward pass came first ({@code output}, its result, is not null) and that {@code gradOutput} has
     * {@code output}'s shape.
     */
    protected final void checkGradient(Tensor gradOutput, Tensor output) {
        if (output == null) {
            throw new IllegalStateException(name() + ".backward called before forward");
        }
        if (gradOutput.rows() != output.rows() || gradOutput.cols() != output.cols()) {
            gradOutput.requireSameShape(name() + ".backward", output);
        }
    }

    private void requireBuilt() {
        if (inputShape == null) {
            throw new IllegalStateException(name() + " is not built yet: add it to a Sequential and build()");
        }
    }

    private void requireBuiltOrBuilding() {
        if (rng == null) {
            requireBuilt();
        }
    }

    /** The layer's {@link #name()}, e.g. {@code Dense(30)}, so that printing a layer says what it is. */
    @Override
    public String toString() {
        return name();
    }
}
