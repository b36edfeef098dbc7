package org.neuralj.core;

/**
 * An element-wise activation {@code y = f(x)} with no parameters; its backward pass is
 * {@code ∂L/∂x = ∂L/∂y ⊙ f'(x)}.
 *
 * <p>A subclass states the function and its derivative side by side; this class does the batched loops and keeps
 * reusable buffers. The derivative receives both {@code x} and {@code y = f(x)} because many are cheapest in terms
 * of the output (σ' = y(1 − y), tanh' = 1 − y²).
 */
public abstract class Activation extends AbstractLayer {
    private Tensor input;
    private Tensor output;
    private Tensor gradInput;

    /** The function, {@code f(x)}. */
    protected abstract float apply(float x);

    /** The derivative {@code f'(x)}, given {@code x} and {@code y = f(x)}. */
    protected abstract float derivative(float x, float y);

    /** Any input shape; the output has the same shape. */
    @Override
    protected Shape build(Shape inputShape) {
        return inputShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        output = Tensor.reuse(output, x.rows(), inputShape());
        float[] in = x.data(), out = output.data();
        for (int i = 0, n = x.size(); i < n; i++) {
            out[i] = apply(in[i]);
        }
        input = x;
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        checkGradient(gradOutput, output);
        gradInput = Tensor.reuse(gradInput, gradOutput.rows(), inputShape());
        float[] x = input.data(), y = output.data(), g = gradOutput.data(), gi = gradInput.data();
        for (int i = 0, n = gradOutput.size(); i < n; i++) {
            gi[i] = g[i] * derivative(x[i], y[i]);
        }
        return gradInput;
    }
}
