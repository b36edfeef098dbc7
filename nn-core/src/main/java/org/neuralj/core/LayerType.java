package org.neuralj.core;

import java.util.Map;

/**
 * How one kind of {@link Layer} is saved and recreated: its stable name in model files, the settings that describe
 * a layer ({@link #config}) and the way back ({@link #create}). Writing and reading sit side by side, in the layer's
 * own file, as a nested class:
 *
 * <pre>{@code
 * public final class LeakyReLU extends Activation {
 *     ...
 *     public static final class Type extends LayerType<LeakyReLU> {
 *         public Type() { super("com.example.LeakyReLU", LeakyReLU.class); }
 *         @Override public Map<String, Object> config(LeakyReLU layer) { return Map.of("alpha", layer.alpha); }
 *         @Override public LeakyReLU create(LayerConfig config) { return new LeakyReLU(config.getFloat("alpha")); }
 *     }
 * }
 * }</pre>
 *
 * plus one registration line, {@code com.example.LeakyReLU$Type}, in {@code META-INF/services/org.neuralj.core.LayerType}
 * ({@link java.util.ServiceLoader} finds it; the class needs a public no-argument constructor). Built-in layers do
 * exactly the same. Names are stored in model files, so they must never change; qualify a user layer's name (e.g.
 * with its package) to keep clear of the built-in ones. See {@link LayerRegistry} for the lookup.
 *
 * @param <L> the exact class of the layers this type saves and creates
 */
public abstract class LayerType<L extends Layer> {
    private final String name;
    private final Class<L> layerClass;

    protected LayerType(String name, Class<L> layerClass) {
        if (name == null || name.isBlank() || layerClass == null) {
            throw new IllegalArgumentException("a layer type needs a name and a layer class but got " + name + ", "
                    + layerClass);
        }
        this.name = name;
        this.layerClass = layerClass;
    }

    /** The stable name stored in model files, e.g. {@code "Dense"}. */
    public final String name() {
        return name;
    }

    /** The exact class of the layers this type creates; saving looks the type up by it. */
    public final Class<L> layerClass() {
        return layerClass;
    }

    /**
     * The settings that recreate {@code layer} (not its weights): numbers, strings, booleans, lists and maps of them.
     * None by default, which suits a layer whose constructor takes no arguments.
     */
    public Map<String, Object> config(L layer) {
        return Map.of();
    }

    /**
     * A new, unbuilt layer equal to the one whose {@link #config} was {@code config}. The config may come from a
     * damaged file: a bad value must be refused with an {@link IllegalArgumentException} naming the key, the value
     * and the expectation (the {@link LayerConfig} getters do that).
     */
    public abstract L create(LayerConfig config);

    /** {@link #config} of {@code layer}, checked and in canonical form. */
    public final LayerConfig configOf(Layer layer) {
        return LayerConfig.of(config(layerClass.cast(layer)));
    }

    @Override
    public String toString() {
        return "LayerType(" + name + ", " + layerClass.getName() + ")";
    }
}
