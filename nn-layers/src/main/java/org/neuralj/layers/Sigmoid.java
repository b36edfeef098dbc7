package org.neuralj.layers;

import org.neuralj.core.Activation;

/** The logistic function {@code σ(x) = 1 / (1 + e^−x)}, with derivative {@code σ'(x) = σ(x)(1 − σ(x))}. */
public final class Sigmoid extends Activation {

    @Override
    protected float apply(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    @Override
    protected float derivative(float x, float y) {
        return y * (1f - y);
    }
}
