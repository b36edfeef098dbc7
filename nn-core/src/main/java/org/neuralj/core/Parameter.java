package org.neuralj.core;

/**
 * A trainable tensor and the gradient of the loss with respect to it, of the same shape.
 *
 * <p>Layers create their parameters once, at build time; {@code backward} adds into {@link #grad()}, the training
 * loop zeroes it before each batch, and an {@link Optimizer} reads it to update {@link #value()}. Parameters compare
 * by identity, so optimizers can key per-parameter state on them.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor grad;

    public Parameter(String name, Tensor value) {
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

    @Override
    public String toString() {
        return "Parameter(" + name + ", " + java.util.Arrays.toString(value.shape()) + ")";
    }
}
