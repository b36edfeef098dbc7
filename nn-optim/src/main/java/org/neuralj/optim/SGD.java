package org.neuralj.optim;

import java.util.List;
import org.neuralj.core.Optimizer;
import org.neuralj.core.Parameter;

/**
 * Plain stochastic gradient descent: {@code θ ← θ − η ∂L/∂θ}. Because the loss is a batch mean, this is the seeds'
 * rule {@code w ← w − (η/m) Σ_x ∇C_x} over a mini-batch of m samples.
 */
public final class SGD implements Optimizer {
    private double learningRate;

    public SGD(double learningRate) {
        setLearningRate(learningRate);
    }

    @Override
    public void step(List<Parameter> parameters) {
        float eta = (float) learningRate;
        for (Parameter p : parameters) {
            p.value().addScaledInPlace(p.grad(), -eta);
        }
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite but was " + learningRate);
        }
        this.learningRate = learningRate;
    }

    @Override
    public String toString() {
        return "SGD(lr=" + learningRate + ")";
    }
}
