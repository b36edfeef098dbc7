package org.neuralj.layers;

/**
 * How many zeros a convolution adds around each image: {@link #VALID} (none), {@link #SAME} (enough that the output
 * is {@code ⌈in / stride⌉}, as Keras' {@code "same"}) or {@link #explicit} (the same number on every side, as
 * PyTorch's {@code padding=p}).
 *
 * <p>The output size is always PyTorch's floor rule, {@code out = ⌊(in + before + after − kernel) / stride⌋ + 1}: when
 * the stride does not divide {@code in + before + after − kernel}, the last rows and columns that a window would only
 * partly cover are left out. {@code SAME} splits an odd total as PyTorch and TensorFlow do, the extra zero after
 * (bottom, right).
 */
public final class Padding {
    /** No padding: {@code out = ⌊(in − kernel) / stride⌋ + 1}. */
    public static final Padding VALID = new Padding(-1);
    /** {@code out = ⌈in / stride⌉}; total padding {@code max((out − 1)·stride + kernel − in, 0)}. */
    public static final Padding SAME = new Padding(-2);

    private final int amount;

    private Padding(int amount) {
        this.amount = amount;
    }

    /** {@code p} zeros on each of the four sides; {@code p >= 0}. */
    public static Padding explicit(int p) {
        if (p < 0) {
            throw new IllegalArgumentException("padding must be non-negative but was " + p);
        }
        return new Padding(p);
    }

    /**
     * The padding in its config form: {@code "valid"}, {@code "same"} or a number of zeros per side.
     *
     * @throws IllegalArgumentException naming the value when it is none of these
     */
    public static Padding of(Object config) {
        if ("valid".equals(config)) {
            return VALID;
        }
        if ("same".equals(config)) {
            return SAME;
        }
        if (config instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() >= 0
                && n.doubleValue() <= Integer.MAX_VALUE) {
            return explicit(n.intValue());
        }
        throw new IllegalArgumentException("padding must be \"valid\", \"same\" or a non-negative integer but was "
                + (config instanceof String s ? "\"" + s + "\"" : config));
    }

    /** The config form: {@code "valid"}, {@code "same"} or the number of zeros per side. */
    public Object config() {
        return this == VALID ? "valid" : this == SAME ? "same" : (Object) amount;
    }

    /** Zeros {@code {before, after}} along one dimension of size {@code in}, for a window {@code kernel} and step. */
    int[] amounts(int in, int kernel, int stride) {
        if (this == VALID) {
            return new int[] {0, 0};
        }
        if (this == SAME) {
            int out = (in + stride - 1) / stride;
            int total = Math.max((out - 1) * stride + kernel - in, 0);
            return new int[] {total / 2, total - total / 2};
        }
        return new int[] {amount, amount};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Padding p && p.amount == amount;
    }

    @Override
    public int hashCode() {
        return amount;
    }

    @Override
    public String toString() {
        return String.valueOf(config());
    }
}
