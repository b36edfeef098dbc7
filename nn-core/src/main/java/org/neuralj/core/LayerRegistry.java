package org.neuralj.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@link LayerType}s found by {@link ServiceLoader}, looked up by name (when loading a model) and by layer class
 * (when saving one). Immutable once built, so safe to share between threads.
 */
public final class LayerRegistry {
    private static volatile LayerRegistry shared;

    private final Map<String, LayerType<?>> byName;
    private final Map<Class<? extends Layer>, LayerType<?>> byClass;

    private LayerRegistry(Iterable<? extends LayerType<?>> types) {
        Map<String, LayerType<?>> names = new LinkedHashMap<>();
        Map<Class<? extends Layer>, LayerType<?>> classes = new LinkedHashMap<>();
        for (LayerType<?> t : types) {
            String name = t.name();
            LayerType<?> clash = names.putIfAbsent(name, t);
            if (clash != null && clash.getClass() != t.getClass()) {
                throw new IllegalStateException("layer type name \"" + name + "\" is registered twice, by "
                        + clash.getClass().getName() + " and " + t.getClass().getName() + "; give one another name");
            }
            classes.putIfAbsent(t.layerClass(), t);
        }
        this.byName = Collections.unmodifiableMap(names);
        this.byClass = Collections.unmodifiableMap(classes);
    }

    /**
     * The types registered on the class path, found once (through the context class loader, falling back to this
     * class's) and then cached.
     */
    public static LayerRegistry shared() {
        LayerRegistry r = shared;
        if (r == null) {
            synchronized (LayerRegistry.class) {
                r = shared;
                if (r == null) {
                    ClassLoader loader = Thread.currentThread().getContextClassLoader();
                    r = load(loader != null ? loader : LayerRegistry.class.getClassLoader());
                    shared = r;
                }
            }
        }
        return r;
    }

    /** The types registered through {@code loader}'s {@code META-INF/services/org.neuralj.core.LayerType} files. */
    public static LayerRegistry load(ClassLoader loader) {
        try {
            List<LayerType<?>> types = new ArrayList<>();
            for (LayerType<?> t : ServiceLoader.load(LayerType.class, loader)) {
                types.add(t);
            }
            return new LayerRegistry(types);
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("a layer type listed in META-INF/services/" + LayerType.class.getName()
                    + " could not be loaded: " + e.getMessage(), e);
        }
    }

    /** A registry of exactly {@code types}, e.g. for tests. */
    public static LayerRegistry of(LayerType<?>... types) {
        return new LayerRegistry(List.of(types));
    }

    /**
     * The type named {@code name}.
     *
     * @throws IllegalArgumentException naming the unknown type and the registered ones
     */
    public LayerType<?> byName(String name) {
        LayerType<?> t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("unknown layer type \"" + name + "\"; registered types are "
                    + names() + ". A layer's jar registers its type in META-INF/services/"
                    + LayerType.class.getName());
        }
        return t;
    }

    /**
     * The type that creates layers of exactly {@code layerClass}.
     *
     * @throws IllegalArgumentException naming the class when no type is registered for it
     */
    public LayerType<?> byClass(Class<? extends Layer> layerClass) {
        LayerType<?> t = byClass.get(layerClass);
        if (t == null) {
            throw new IllegalArgumentException("layer class " + layerClass.getName() + " has no registered layer"
                    + " type, so its layers cannot be saved or copied; give it a nested class extending "
                    + LayerType.class.getName() + " and list that class in META-INF/services/"
                    + LayerType.class.getName());
        }
        return t;
    }

    /**
     * The type of {@code layer}: {@link #byClass} of its class.
     *
     * @throws IllegalArgumentException naming the layer and its class when no type is registered for it
     */
    public LayerType<?> forLayer(Layer layer) {
        try {
            return byClass(layer.getClass());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("layer " + layer.name() + ": " + e.getMessage(), e);
        }
    }

    /** A fresh, unbuilt layer equal to {@code layer}: its type's {@code create(config(layer))}. */
    public Layer recreate(Layer layer) {
        LayerType<?> type = forLayer(layer);
        return type.create(type.configOf(layer));
    }

    /** The registered type names, sorted. */
    public Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(byName.keySet()));
    }
}
