package org.neuralj.layers;

import java.util.Map;
import org.neuralj.core.Rng;
import org.neuralj.core.Tensor;

/**
 * How a weight tensor gets its first values. {@code fanIn} and {@code fanOut} are the numbers of inputs and outputs
 * of the layer; the variance-scaling schemes use them to keep activations at a steady scale through depth.
 */
public interface Initializer {

    /** Fills {@code weights} with initial values drawn from {@code rng}. */
    void initialize(Tensor weights, int fanIn, int fanOut, Rng rng);

    /** The name and arguments that recreate this initializer, e.g. {@code {"type": "gaussian", "std": 0.01}}. */
    Map<String, Object> config();

    /** All zeros. */
    static Initializer zeros() {
        return constant(0);
    }

    /** Every value equal to {@code value}. */
    static Initializer constant(double value) {
        return new Scheme("constant", value, (w, fanIn, fanOut, rng) -> w.fill((float) value));
    }

    /** N(0, 1), the tutorials' {@code np.random.randn}. */
    static Initializer gaussian() {
        return gaussian(1.0);
    }

    /** N(0, std²), e.g. 0.01 as in the tutorials' TwoLayerNet. */
    static Initializer gaussian(double std) {
        requirePositive("std", std);
        return new Scheme("gaussian", std, (w, fanIn, fanOut, rng) -> normal(w, std, rng));
    }

    /** Glorot/Xavier uniform: U(−a, a) with {@code a = √(6 / (fanIn + fanOut))}. */
    static Initializer xavierUniform() {
        return new Scheme("xavier_uniform", Double.NaN,
                (w, fanIn, fanOut, rng) -> uniform(w, Math.sqrt(6.0 / (fanIn + fanOut)), rng));
    }

    /** Glorot/Xavier normal: N(0, 2 / (fanIn + fanOut)). */
    static Initializer xavierNormal() {
        return new Scheme("xavier_normal", Double.NaN,
                (w, fanIn, fanOut, rng) -> normal(w, Math.sqrt(2.0 / (fanIn + fanOut)), rng));
    }

    /** He/Kaiming uniform, for ReLU: U(−a, a) with {@code a = √(6 / fanIn)}. */
    static Initializer heUniform() {
        return new Scheme("he_uniform", Double.NaN, (w, fanIn, fanOut, rng) -> uniform(w, Math.sqrt(6.0 / fanIn), rng));
    }

    /** He/Kaiming normal, for ReLU: N(0, 2 / fanIn). */
    static Initializer heNormal() {
        return new Scheme("he_normal", Double.NaN, (w, fanIn, fanOut, rng) -> normal(w, Math.sqrt(2.0 / fanIn), rng));
    }

    /** LeCun normal: N(0, 1 / fanIn). */
    static Initializer lecunNormal() {
        return new Scheme("lecun_normal", Double.NaN, (w, fanIn, fanOut, rng) -> normal(w, Math.sqrt(1.0 / fanIn), rng));
    }

    /**
     * The initializer named {@code type} (as in {@link #config()}): zeros, constant, gaussian, xavier_uniform,
     * xavier_normal, he_uniform, he_normal, lecun_normal.
     */
    static Initializer fromConfig(Map<String, ?> config) {
        Object type = config.get("type");
        Object arg = config.get("value");
        double value = arg instanceof Number num ? num.doubleValue() : Double.NaN;
        if (type == null) {
            throw new IllegalArgumentException("initializer config has no \"type\": " + config);
        }
        return switch (type.toString()) {
            case "zeros" -> zeros();
            case "constant" -> constant(value);
            case "gaussian" -> gaussian(Double.isNaN(value) ? 1.0 : value);
            case "xavier_uniform" -> xavierUniform();
            case "xavier_normal" -> xavierNormal();
            case "he_uniform" -> heUniform();
            case "he_normal" -> heNormal();
            case "lecun_normal" -> lecunNormal();
            default -> throw new IllegalArgumentException("unknown initializer type \"" + type + "\"; expected one of"
                    + " zeros, constant, gaussian, xavier_uniform, xavier_normal, he_uniform, he_normal, lecun_normal");
        };
    }

    private static void normal(Tensor w, double std, Rng rng) {
        float[] d = w.data();
        for (int i = w.offset(), end = i + w.size(); i < end; i++) {
            d[i] = (float) (std * rng.nextGaussian());
        }
    }

    private static void uniform(Tensor w, double limit, Rng rng) {
        float[] d = w.data();
        for (int i = w.offset(), end = i + w.size(); i < end; i++) {
            d[i] = (float) (limit * (2 * rng.nextDouble() - 1));
        }
    }

    private static void requirePositive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be positive and finite but was " + v);
        }
    }

    /** A named scheme with at most one numeric argument. */
    record Scheme(String type, double value, Fill fill) implements Initializer {
        @Override
        public void initialize(Tensor weights, int fanIn, int fanOut, Rng rng) {
            fill.apply(weights, fanIn, fanOut, rng);
        }

        @Override
        public Map<String, Object> config() {
            return Double.isNaN(value) ? Map.of("type", type) : Map.of("type", type, "value", value);
        }

        @Override
        public String toString() {
            return Double.isNaN(value) ? type : type + "(" + value + ")";
        }
    }

    /** The filling function of a {@link Scheme}. */
    @FunctionalInterface
    interface Fill {
        void apply(Tensor w, int fanIn, int fanOut, Rng rng);
    }
}
