package org.neuralj.core;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings that recreate a layer (Keras' {@code get_config}), as a {@link LayerType} writes and reads them.
 *
 * <p>Values are JSON's: numbers, strings, booleans, lists and nested maps of them; keys are sorted, so equal layers
 * give equal files. {@link #of} checks that rule once for everyone (saving, copying, the conformance kit). A float
 * is stored as the double of the same value, so it comes back exactly. Getters name the key, the value and the
 * expectation when a value is missing or wrong, which is what a loader reports for a corrupt file.
 */
public final class LayerConfig {
    private static final LayerConfig EMPTY = new LayerConfig(Map.of());
    private final Map<String, Object> values;

    private LayerConfig(Map<String, Object> values) {
        this.values = values;
    }

    /** No settings. */
    public static LayerConfig empty() {
        return EMPTY;
    }

    /**
     * The checked, canonical form of {@code values}.
     *
     * @throws IllegalArgumentException naming the key when a value is not a JSON value or a number is not finite
     */
    public static LayerConfig of(Map<String, ?> values) {
        return new LayerConfig(canonicalMap("config", values));
    }

    /** The settings as a sorted, unmodifiable map of JSON values. */
    public Map<String, Object> asMap() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The integer under {@code key}: an integral number within the {@code int} range. */
    public int getInt(String key) {
        Object v = values.get(key);
        if (v instanceof Number n && isInt(n)) {
            return n.intValue();
        }
        throw bad(key, v, "an integer");
    }

    /** Compared as doubles: exact for every int, and immune to longValue()'s wrap-around of huge BigIntegers. */
    private static boolean isInt(Number n) {
        double d = n.doubleValue();
        return d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE;
    }

    /** The list of integers under {@code key}, each an integral number within the {@code int} range. */
    public int[] getIntList(String key) {
        if (values.get(key) instanceof List<?> list) {
            int[] out = new int[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Number n && isInt(n))) {
                    throw bad(key, list, "a list of integers");
                }
                out[i] = ((Number) list.get(i)).intValue();
            }
            return out;
        }
        throw bad(key, values.get(key), "a list of integers");
    }

    /** The finite number under {@code key}. */
    public double getDouble(String key) {
        Object v = values.get(key);
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw bad(key, v, "a finite number");
    }

    /** The finite number under {@code key} as a float (exact for a value that was a float when saved). */
    public float getFloat(String key) {
        double d = getDouble(key);
        if (Math.abs(d) > Float.MAX_VALUE) {
            throw bad(key, d, "a number that fits a float");
        }
        return (float) d;
    }

    public boolean getBoolean(String key) {
        if (values.get(key) instanceof Boolean b) {
            return b;
        }
        throw bad(key, values.get(key), "true or false");
    }

    public String getString(String key) {
        if (values.get(key) instanceof String s) {
            return s;
        }
        throw bad(key, values.get(key), "a string");
    }

    /** The nested settings (a JSON object) under {@code key}. */
    @SuppressWarnings("unchecked")
    public LayerConfig getConfig(String key) {
        if (values.get(key) instanceof Map<?, ?> m) {
            return new LayerConfig((Map<String, Object>) m); // canonical already: built by of()
        }
        throw bad(key, values.get(key), "an object");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerConfig c && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }

    private static IllegalArgumentException bad(String key, Object v, String expected) {
        String value = v == null ? "missing" : v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
        return new IllegalArgumentException("config \"" + key + "\" must be " + expected + " but was " + value);
    }

    private static Map<String, Object> canonicalMap(String where, Map<?, ?> m) {
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException(where + " has a non-string key " + e.getKey());
            }
            out.put(key, canonical(where + "." + key, e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Object canonical(String where, Object value) {
        if (value instanceof Float f) {
            return canonical(where, f.doubleValue());
        }
        if (value instanceof Double d && !Double.isFinite(d)) {
            throw new IllegalArgumentException(where + " holds " + d + ", which JSON cannot store");
        }
        if (value instanceof Number || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Map<?, ?> m) {
            return canonicalMap(where, m);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> canonical(where + "[]", v)).toList();
        }
        throw new IllegalArgumentException(where + " holds " + (value == null ? "null" : "a "
                + value.getClass().getName()) + "; a config may hold only numbers, strings, booleans, lists and maps"
                + " of them");
    }
}
