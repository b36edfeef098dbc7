package org.neuralj.core;

import java.util.List;
import java.util.Objects;

/**
 * One gradient computation: forward propagation of a batch in training mode, the loss, and backpropagation that
 * <em>adds</em> {@code weight · ∂L/∂θ} into the network's gradients, where {@code L} is the loss's mean over the
 * batch's rows. It does not zero the gradients and does not step.
 *
 * <p>The training loop is zero, {@code accumulate(x, y, 1)}, step. Data-parallel training splits a batch of B rows
 * into shares of {@code bᵢ} rows and accumulates each with weight {@code bᵢ / B}: the weighted sum of the shares' mean
 * gradients is the whole batch's mean gradient. When the last layer is a softmax and the loss a
 * {@link SoftmaxFusedLoss}, the gradient starts from the logits (the softmax's backward is skipped).
 *
 * <p>One instance per network: it keeps the output-gradient buffer between calls, so a step allocates nothing. Not
 * thread-safe; the caller holds the network's {@link Sequential#lock()} if others may use it.
 */
public final class BatchGradient {
    private final Sequential model;
    private final Loss loss;
    private final boolean fusedSoftmax;
    private Tensor gradBuffer;
    private Tensor output;

    /** A gradient computation of {@code loss} for {@code model}. */
    public BatchGradient(Sequential model, Loss loss) {
        this.model = Objects.requireNonNull(model, "model must not be null");
        this.loss = Objects.requireNonNull(loss, "loss must not be null");
        List<Layer> layers = model.layers();
        this.fusedSoftmax = layers.get(layers.size() - 1) instanceof SoftmaxOutput && loss instanceof SoftmaxFusedLoss;
    }

    /**
     * Adds {@code weight · ∂L/∂θ} of the batch {@code (x, y)} to every parameter's gradient and returns {@code L}, the
     * loss's mean over the rows of {@code x} (not weighted). Shapes are checked by the network and the loss.
     *
     * @throws IllegalArgumentException when {@code weight} is not finite
     */
    public double accumulate(Tensor x, Tensor y, double weight) {
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("weight must be finite but was " + weight);
        }
        output = model.forward(x, true);
        double value = loss.value(output, y);
        gradBuffer = Tensor.reuse(gradBuffer, output.rows(), output.cols());
        int last = model.layers().size() - 1;
        if (fusedSoftmax && last == 0) {
            return value; // the network is a lone softmax: nothing below it has parameters
        }
        if (fusedSoftmax) {
            ((SoftmaxFusedLoss) loss).gradientWrtLogits(output, y, gradBuffer);
            last--;
        } else {
            loss.gradient(output, y, gradBuffer);
        }
        if (weight != 1) {
            // every gradient is linear in ∂L/∂ŷ: scaling it here scales them all, on B × outputs values only
            gradBuffer.scaleInPlace((float) weight);
        }
        model.backwardParameters(last, gradBuffer);
        return value;
    }

    /** The network's output for the last batch: its last layer's buffer, valid until the network runs again. */
    public Tensor output() {
        return output;
    }
}
