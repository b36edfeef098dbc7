package org.neuralj.layers;

import org.neuralj.core.SoftmaxFusedLoss;
import org.neuralj.core.Tensor;

/**
 * Categorical cross-entropy on probabilities: {@code L = −(1/B) Σ_b Σ_k y_bk log p_bk}, with p clamped to
 * {@code [1e-7, 1]} so that a confident wrong answer costs a large but finite loss. Its gradient on probabilities is
 * {@code −y / (B·p)}; after a {@link Softmax} output the training loop uses the fused, stable gradient on the logits
 * {@code ∂L/∂z = (p − y) / B}.
 */
public final class CrossEntropy implements SoftmaxFusedLoss {
    static final float EPSILON = 1e-7f;

    @Override
    public double value(Tensor predicted, Tensor target) {
        predicted.requireSameShape("CrossEntropy", target);
        float[] p = predicted.data(), t = target.data();
        double s = 0;
        for (int i = 0, n = predicted.size(); i < n; i++) {
            if (t[i] != 0f) {
                s -= t[i] * Math.log(Math.max(p[i], EPSILON));
            }
        }
        return s / predicted.rows();
    }

    @Override
    public void gradient(Tensor predicted, Tensor target, Tensor out) {
        predicted.requireSameShape("CrossEntropy", target);
        predicted.requireSameShape("CrossEntropy gradient output", out);
        float[] p = predicted.data(), t = target.data(), g = out.data();
        float invB = 1f / predicted.rows();
        for (int i = 0, n = predicted.size(); i < n; i++) {
            g[i] = p[i] > EPSILON ? -t[i] * invB / p[i] : -t[i] * invB / EPSILON;
        }
    }

    @Override
    public void gradientWrtLogits(Tensor probabilities, Tensor target, Tensor out) {
        probabilities.requireSameShape("CrossEntropy", target);
        probabilities.requireSameShape("CrossEntropy gradient output", out);
        float[] p = probabilities.data(), t = target.data(), g = out.data();
        float invB = 1f / probabilities.rows();
        for (int i = 0, n = probabilities.size(); i < n; i++) {
            g[i] = (p[i] - t[i]) * invB;
        }
    }

    /** {@code −log 1e-7 ≈ 16.12}: the cost of a sample whose true class got a probability at or below the clamp. */
    @Override
    public double ceiling() {
        return -Math.log(EPSILON);
    }

    @Override
    public String name() {
        return "cross-entropy";
    }
}
