package org.neuralj.core;

import java.util.Map;

/**
 * A named kind of {@link Layer} that can be recreated from its {@link Layer#config()}: what a saved model stores
 * for each layer, so that loading can build the same network again.
 *
 * <p>A layer type is found with {@link java.util.ServiceLoader}: list the implementing class (public, with a public
 * no-argument constructor) in {@code META-INF/services/org.neuralj.core.LayerType}, one line per type. The built-in
 * layers register themselves that way, and a user layer does the same from its own jar:
 *
 * <pre>{@code
 * public final class LeakyReLUType implements LayerType {
 *     public String name() { return "com.example.LeakyReLU"; }
 *     public Class<? extends Layer> layerClass() { return LeakyReLU.class; }
 *     public Layer create(Map<String, Object> config) { return new LeakyReLU(LayerType.floatArg(config, "alpha")); }
 * }
 * }</pre>
 *
 * Type names are stored in model files, so they must stay stable; qualify user names (e.g. with a package) to
 * avoid clashes with the built-in ones. See {@link LayerRegistry} for the lookup.
 */
public interface LayerType {

    /** The stable name stored in model files, e.g. {@code "Dense"}. */
    String name();

    /** The exact class of the layers this type creates; saving looks the type up by it. */
    Class<? extends Layer> layerClass();

    /**
     * A new, unbuilt layer equal to the one whose {@link Layer#config()} was {@code config}. The map comes from a
     * file: numbers may arrive as any {@link Number} subclass (use {@link #intArg} etc.), and a bad value must be
     * rejected with an {@link IllegalArgumentException} naming the key, the value and the expectation.
     */
    Layer create(Map<String, Object> config);

    /**
     * How many float values the parameters of a layer with this {@code config} take when built for one sample of
     * {@code inputShape}, or {@code -1} when the type cannot tell without building. A model loader compares it with
     * the weights actually stored in the file <em>before</em> building, so that a corrupt configuration cannot make
     * {@link Layer#build} allocate more memory than the file justifies. Types whose layers allocate parameters should
     * override it; the default suits layers that allocate nothing at build time.
     */
    default long parameterCount(Map<String, Object> config, Shape inputShape) {
        return -1;
    }

    /** The integer under {@code key}: an integral number within the {@code int} range. */
    static int intArg(Map<String, Object> config, String key) {
        Object v = config.get(key);
        // compared as doubles: exact for every int, and immune to longValue()'s wrap-around of huge BigIntegers
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && n.doubleValue() >= Integer.MIN_VALUE && n.doubleValue() <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        throw new IllegalArgumentException("config \"" + key + "\" must be an integer but was " + describe(v));
    }

    /** The finite number under {@code key}, as a double. */
    static double doubleArg(Map<String, Object> config, String key) {
        Object v = config.get(key);
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("config \"" + key + "\" must be a finite number but was " + describe(v));
    }

    /** The finite number under {@code key}, as a float (exact for a value that was a float when saved). */
    static float floatArg(Map<String, Object> config, String key) {
        double d = doubleArg(config, key);
        if (Math.abs(d) > Float.MAX_VALUE) {
            throw new IllegalArgumentException("config \"" + key + "\" must fit a float but was " + d);
        }
        return (float) d;
    }

    /** The nested configuration (a JSON object) under {@code key}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> mapArg(Map<String, Object> config, String key) {
        Object v = config.get(key);
        if (v instanceof Map<?, ?> m && m.keySet().stream().allMatch(k -> k instanceof String)) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("config \"" + key + "\" must be an object but was " + describe(v));
    }

    private static String describe(Object v) {
        return v == null ? "missing" : v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }
}
