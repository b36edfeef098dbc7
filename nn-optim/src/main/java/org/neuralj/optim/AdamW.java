package org.neuralj.optim;

import java.util.List;
import org.neuralj.core.Parameter;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019): the decay shrinks the weights directly instead of
 * entering the gradient, so Adam's normalisation does not weaken it.
 *
 * <pre>θ ← θ − η λ θ,   then the {@link Adam} update</pre>
 *
 * Default λ = 0.01, as in PyTorch.
 */
public final class AdamW extends Adam {

    public AdamW(double learningRate) {
        this(learningRate, 0.01);
    }

    public AdamW(double learningRate, double weightDecay) {
        super(learningRate);
        weightDecay(weightDecay);
    }

    @Override
    protected boolean decoupledWeightDecay() {
        return true;
    }

    @Override
    protected void update(float[] w, float[] g, float[][] state, int from, int to, float lr, long t) {
        float shrink = 1 - lr * (float) weightDecay();
        for (int i = from; i < to; i++) {
            w[i] *= shrink;
        }
        super.update(w, g, state, from, to, lr, t);
    }

    /** Decoupled decay is not a term of the loss, so nothing is added to the reported loss. */
    @Override
    public double penalty(List<Parameter> parameters) {
        return 0;
    }
}
