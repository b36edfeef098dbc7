package org.neuralj.layers;

import org.neuralj.core.Activation;

/** The rectifier {@code relu(x) = max(0, x)}, with derivative 1 for {@code x > 0} and 0 otherwise. */
public final class ReLU extends Activation {

    @Override
    protected float apply(float x) {
        return x > 0f ? x : 0f;
    }

    @Override
    protected float derivative(float x, float y) {
        return x > 0f ? 1f : 0f;
    }
}
