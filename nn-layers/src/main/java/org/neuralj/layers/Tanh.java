package org.neuralj.layers;

import org.neuralj.core.Activation;

/** The hyperbolic tangent {@code tanh(x)}, with derivative {@code 1 − tanh²(x)}. */
public final class Tanh extends Activation {

    @Override
    protected float apply(float x) {
        return (float) Math.tanh(x);
    }

    @Override
    protected float derivative(float x, float y) {
        return 1f - y * y;
    }
}
