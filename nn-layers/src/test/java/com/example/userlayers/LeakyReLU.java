package com.example.userlayers;

import java.util.Map;
import org.neuralj.core.Activation;

/** A user's layer with a float setting: {@code f(x) = x} for x > 0, {@code αx} otherwise. */
public final class LeakyReLU extends Activation {
    private final float alpha;

    public LeakyReLU(float alpha) {
        this.alpha = alpha;
    }

    @Override
    protected float apply(float x) {
        return x > 0 ? x : alpha * x;
    }

    @Override
    protected float derivative(float x, float y) {
        return x > 0 ? 1 : alpha;
    }

    @Override
    public String name() {
        return "LeakyReLU(" + alpha + ")";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("alpha", alpha);
    }
}
