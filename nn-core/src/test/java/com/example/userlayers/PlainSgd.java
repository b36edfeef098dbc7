package com.example.userlayers;

import java.util.List;
import org.neuralj.core.Optimizer;
import org.neuralj.core.Parameter;

/** A user's optimizer, the shared test example: plain gradient descent {@code θ ← θ − η ∂L/∂θ}. */
public final class PlainSgd implements Optimizer {
    private double learningRate;
    private long steps;

    public PlainSgd(double learningRate) {
        setLearningRate(learningRate);
    }

    @Override
    public void step(List<Parameter> parameters) {
        float lr = (float) learningRate;
        for (Parameter p : parameters) {
            float[] w = p.value().data(), g = p.grad().data();
            for (int i = 0, wo = p.value().offset(), go = p.grad().offset(); i < p.size(); i++) {
                w[wo + i] -= lr * g[go + i];
            }
        }
        steps++;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and non-negative but was " + learningRate);
        }
        this.learningRate = learningRate;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void setSteps(long steps) {
        this.steps = steps;
    }
}
