package org.neuralj.layers;

import org.neuralj.core.Shape;

/**
 * Where a sliding window (a convolution's kernel, a pooling window) falls on a {@code [C, H, W]} sample: the padding
 * before each dimension and the output size by PyTorch's floor rule (see {@link Padding}). One rule for
 * {@link Conv2D}, {@link MaxPool2D} and {@link AvgPool2D}.
 */
record Window(int channels, int inH, int inW, int size, int stride, int padTop, int padLeft, int outH, int outW) {

    /**
     * The window {@code size × size} moved by {@code stride} over {@code input}.
     *
     * @throws IllegalArgumentException naming the layer, the shape and the rule when the input is not {@code [C, H, W]}
     *                                  or the window is larger than the padded input
     */
    static Window of(String layer, Shape input, int size, int stride, Padding padding) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException(layer + " expects images [channels, height, width] but got shape "
                    + input + " (rank " + input.rank() + "); e.g. input(1, 28, 28), or Reshape(1, 8, 8) for flat"
                    + " 64-pixel rows");
        }
        int[] ph = padding.amounts(input.dim(1), size, stride), pw = padding.amounts(input.dim(2), size, stride);
        int paddedH = input.dim(1) + ph[0] + ph[1], paddedW = input.dim(2) + pw[0] + pw[1];
        if (size > paddedH || size > paddedW) {
            throw new IllegalArgumentException(layer + ": window " + size + "x" + size + " is larger than the input "
                    + input + " padded to " + paddedH + "x" + paddedW + " (padding " + padding + "); the window must"
                    + " fit the padded image");
        }
        return new Window(input.dim(0), input.dim(1), input.dim(2), size, stride, ph[0], pw[0],
                (paddedH - size) / stride + 1, (paddedW - size) / stride + 1);
    }

    /** Refuses a non-positive size, naming the layer, the setting and the value: one rule for every window layer. */
    static void requirePositive(String layer, String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(layer + " " + what + " must be positive but was " + value);
        }
    }

    /** Values in one input channel. */
    int inPlane() {
        return inH * inW;
    }

    /** Values in one output channel. */
    int outPlane() {
        return outH * outW;
    }
}
