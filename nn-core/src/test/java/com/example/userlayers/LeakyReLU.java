package com.example.userlayers;

import java.util.Map;
import org.neuralj.core.Activation;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;

/**
 * A user's element-wise layer with a setting, the shared test example of an {@link Activation}:
 * {@code f(x) = x} for x > 0, {@code αx} otherwise. Used by the tests of every module (through nn-core's test-jar).
 */
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

    /** Saved as {@code "com.example.LeakyReLU"} with its {@code alpha}. */
    public static final class Type extends LayerType<LeakyReLU> {
        public Type() {
            super("com.example.LeakyReLU", LeakyReLU.class);
        }

        @Override
        public Map<String, Object> config(LeakyReLU layer) {
            return Map.of("alpha", layer.alpha);
        }

        @Override
        public LeakyReLU create(LayerConfig config) {
            return new LeakyReLU(config.getFloat("alpha"));
        }
    }
}
