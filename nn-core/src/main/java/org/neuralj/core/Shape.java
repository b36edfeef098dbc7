package org.neuralj.core;

import java.util.Arrays;

/**
 * The shape of one sample, without the batch dimension: {@code Shape.of(64)} is a vector of 64 features,
 * and a batch of such samples is a {@code [B, 64]} tensor. Images are channels first, as in PyTorch:
 * {@code Shape.of(1, 28, 28)} is one grey 28x28 image, a batch of them {@code [B, 1, 28, 28]}.
 */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    /** A sample shape; every dimension must be positive. */
    public static Shape of(int... dims) {
        if (dims.length == 0) {
            throw new IllegalArgumentException("Shape needs at least one dimension, got none");
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] <= 0) {
                throw new IllegalArgumentException(
                        "Shape dimension " + i + " must be positive but was " + dims[i] + " in " + Arrays.toString(dims));
            }
        }
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of values in one sample: the product of the dimensions. */
    public int size() {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /**
     * Whether {@code batch} is a batch of samples of this shape: either {@code [B, ...dims]} exactly, or flat
     * {@code [B, size()]} (one row per sample, row-major, as a data set or a {@code Dense} layer holds them). Any other
     * layout of the same size, e.g. channels-last images {@code [B, 28, 28, 1]} for a {@code (1, 28, 28)} input, is
     * not: it would be read in the wrong order without any error.
     */
    public boolean describesSamplesOf(Tensor batch) {
        if (batch.rank() == 2 && batch.dim(1) == size()) {
            return true;
        }
        if (batch.rank() != dims.length + 1) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) {
            if (batch.dim(i + 1) != dims[i]) {
                return false;
            }
        }
        return true;
    }

    /** Keras-style batch shape, e.g. {@code (None, 30)}. */
    public String toBatchString() {
        StringBuilder sb = new StringBuilder("(None");
        for (int d : dims) {
            sb.append(", ").append(d);
        }
        return sb.append(')').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
