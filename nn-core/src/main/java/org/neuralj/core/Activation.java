package org.neuralj.core;

/**
 * An element-wise activation {@code y = f(x)} with no parameters; its backward pass is
 * {@code ∂L/∂x = ∂L/∂y ⊙ f'(x)}.
 *
 * <p>A subclass states the function and its derivative side by side; this class does the batched loops and keeps
 * reusable buffers. The derivative receives both {@code x} and {@code y = f(x)} because many are cheapest in terms
 * of the output (σ' = y(1 − y), tanh' = 1 − y²).
 */
public abstract class Activation implements Layer {
    private Tensor input;
    private Tensor output;
    private Tensor gradInput;
    private Shape shape;

    /** The function, {@code f(x)}. */
    protected abstract float apply(float x);

    /** The derivative {@code f'(x)}, given {@code x} and {@code y = f(x)}. */
    protected abstract float derivative(float x, float y);

    @Override
    public Shape build(Shape inputShape, Rng rng) {
        this.shape = inputShape;
        return inputShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        requireWidth(x);
        output = Tensor.reuse(output, x.rows(), x.cols());
        float[] in = x.data(), out = output.data();
        for (int i = 0, n = x.size(); i < n; i++) {
            out[i] = apply(in[i]);
        }
        input = x;
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (input == null) {
            throw new IllegalStateException(name() + ".backward called before forward");
        }
        if (gradOutput.rows() != output.rows() || gradOutput.cols() != output.cols()) {
            // The message is built only on failure: a training step allocates nothing.
            gradOutput.requireSameShape(name() + ".backward", output);
        }
        gradInput = Tensor.reuse(gradInput, gradOutput.rows(), gradOutput.cols());
        float[] x = input.data(), y = output.data(), g = gradOutput.data(), gi = gradInput.data();
        for (int i = 0, n = gradOutput.size(); i < n; i++) {
            gi[i] = g[i] * derivative(x[i], y[i]);
        }
        return gradInput;
    }

    private void requireWidth(Tensor x) {
        if (shape != null && x.cols() != shape.size()) {
            throw new IllegalArgumentException(name() + " expects input width " + shape.size() + " but got "
                    + x.cols() + " (input shape " + java.util.Arrays.toString(x.shape()) + ")");
        }
    }
}
