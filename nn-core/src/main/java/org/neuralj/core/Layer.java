package org.neuralj.core;

import java.util.List;

/**
 * One stage of a network: {@code y = f(x; θ)} on a whole mini-batch at once.
 *
 * <p>The life of a layer: {@link #build} once, when the network is assembled, to check the input shape, create the
 * parameters and return the output shape; then, for each batch, {@link #forward} keeps what the derivative needs and
 * {@link #backward} turns {@code ∂L/∂y} into {@code ∂L/∂x}, adding {@code ∂L/∂θ} into each parameter's gradient.
 *
 * <p>A layer is stateful and not thread-safe: tensors it returns are its own buffers, valid until its next call
 * (copy what you keep). Extend {@link AbstractLayer} (or {@link Activation} for an element-wise function) to add a
 * layer; it then works in the builder, the summary, training and {@link GradientCheck} without any other change,
 * and a nested {@link LayerType} makes it saveable.
 */
public interface Layer {

    /**
     * Checks the shape of one input sample, creates parameters with {@link BuildContext#parameter} and initialises
     * them from {@link BuildContext#rng()}, and returns the shape of one output sample. Called once, by
     * {@link Sequential.Builder#build()}.
     *
     * @throws IllegalArgumentException naming the layer, the shape and the expectation when the input does not fit
     */
    Shape build(Shape inputShape, BuildContext context);

    /**
     * Computes the output of a batch {@code [B, ...inputShape]}. With {@code training} set, the layer keeps what
     * {@link #backward} needs (and e.g. dropout is active); without it, it is a pure inference step.
     */
    Tensor forward(Tensor input, boolean training);

    /**
     * Given {@code ∂L/∂y} for the last training forward pass, adds {@code ∂L/∂θ} into the parameters' gradients and
     * returns {@code ∂L/∂x}, of the input's shape.
     */
    Tensor backward(Tensor gradOutput);

    /**
     * The backward pass of the network's first layer during training, where nobody reads {@code ∂L/∂x}: only adds
     * {@code ∂L/∂θ} into the parameters' gradients. By default it is {@link #backward}; a layer overrides it when
     * skipping {@code ∂L/∂x} saves work (for {@code Dense}, the product {@code G·Wᵀ}).
     */
    default void backwardParametersOnly(Tensor gradOutput) {
        backward(gradOutput);
    }

    /** The trainable parameters, in a fixed order; empty for layers without any. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * State that is not trained but belongs to the model, in a fixed order: tensors the layer updates itself and
     * needs at inference, such as batch normalisation's running mean and variance. Saved, loaded and copied with the
     * parameters, never given to an optimizer (their {@code grad} is unused). Empty for most layers.
     */
    default List<Parameter> buffers() {
        return List.of();
    }

    /** A short display name for summaries and messages, e.g. {@code Dense(30)}. */
    default String name() {
        return getClass().getSimpleName();
    }
}
