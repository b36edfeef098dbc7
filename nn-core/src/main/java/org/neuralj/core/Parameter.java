package org.neuralj.core;

/**
 * A trainable tensor and the gradient of the loss with respect to it, of the same shape.
 *
 * <p>Layers create their parameters once, at build time; {@code backward} adds into {@link #grad()}, the training
 * loop zeroes it before each batch, and an {@link Optimizer} reads it to update {@link #value()}. Parameters compare
 * by identity, so optimizers can key per-parameter state on them.
 *
 * <p>When a network is built, its parameters move into its {@link ParameterBuffer}: from then on {@code value()} and
 * {@code grad()} are views that start at {@link Tensor#offset()} of the buffer's arrays (the tensor objects stay the
 * same, so a layer may keep them; it must not keep their arrays from before the move).
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor grad;
    private ParameterBuffer buffer;

    /**
     * A parameter holding {@code value} (not copied) and a zero gradient.
     *
     * @throws IllegalArgumentException when {@code value} is a view of another tensor's array (another parameter's)
     */
    public Parameter(String name, Tensor value) {
        if (value.offset() != 0) {
            throw new IllegalArgumentException("parameter \"" + name + "\": its value is a view at offset "
                    + value.offset() + " of another array; a parameter owns its values (pass a copy())");
        }
        this.name = name;
        this.value = value;
        this.grad = Tensor.zeros(value.shape());
    }

    /** The name within its layer, e.g. {@code "weights"} or {@code "bias"}. */
    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public Tensor grad() {
        return grad;
    }

    public int size() {
        return value.size();
    }

    public void zeroGrad() {
        grad.fill(0f);
    }

    /** The network buffer this parameter is a view of, or null before it joins a network. */
    public ParameterBuffer buffer() {
        return buffer;
    }

    /** Called by {@link ParameterBuffer} once: moves value and gradient to position {@code at} of its arrays. */
    void moveInto(ParameterBuffer into, int at) {
        value.moveTo(into.values(), at);
        grad.moveTo(into.gradients(), at);
        buffer = into;
    }

    @Override
    public String toString() {
        return "Parameter(" + name + ", " + java.util.Arrays.toString(value.shape()) + ")";
    }
}
