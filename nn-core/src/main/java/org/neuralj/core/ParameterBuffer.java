package org.neuralj.core;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * All trainable parameters of a network in two contiguous arrays, one of values and one of gradients, laid out layer
 * by layer in {@link Sequential#parameters()} order; each {@link Parameter}'s {@code value()} and {@code grad()} are
 * views of them ({@link Tensor#offset()} says where). This list is that buffer.
 *
 * <p>Why one buffer: an optimizer step over every parameter, zeroing the gradients, summing the gradients of several
 * workers and sending the weights to them are each one loop or one copy over one array, whatever the number of
 * layers.
 *
 * <pre>{@code
 * ParameterBuffer p = net.parameters();
 * float[] w = p.values();                 // w[p.offset(i) + j] is value j of parameter i
 * System.arraycopy(w, 0, copy.parameters().values(), 0, p.length());   // same architecture: same layout
 * }</pre>
 */
public final class ParameterBuffer extends AbstractList<Parameter> implements RandomAccess {
    private final List<Parameter> parameters;
    private final int[] offsets;
    private final float[] values;
    private final float[] gradients;
    /** Floats per 64-byte cache line: where {@link #partStart} may cut. */
    private static final int LINE = 16;

    /**
     * Moves {@code parameters}' values into a new buffer and makes each a view of it. A parameter can belong to one
     * buffer only.
     *
     * @throws IllegalArgumentException when a parameter is already in a buffer, or all of them hold more than
     *                                  {@link Integer#MAX_VALUE} values
     */
    ParameterBuffer(List<Parameter> parameters) {
        this.parameters = List.copyOf(parameters);
        this.offsets = new int[this.parameters.size() + 1];
        long length = 0;
        java.util.Set<Parameter> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < this.parameters.size(); i++) {
            Parameter p = this.parameters.get(i);
            if (p.buffer() != null || !seen.add(p)) {
                throw new IllegalArgumentException(p + " (parameter " + i + ") already belongs to "
                        + (p.buffer() != null ? "another network's" : "this") + " parameter buffer; a parameter"
                        + " can be in one place only");
            }
            offsets[i] = (int) length;
            length += p.size();
            if (length > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a network's parameters hold at most " + (Integer.MAX_VALUE - 8)
                        + " values, but these hold " + length + " or more");
            }
        }
        offsets[this.parameters.size()] = (int) length;
        this.values = new float[(int) length];
        this.gradients = new float[(int) length];
        for (int i = 0; i < this.parameters.size(); i++) {
            this.parameters.get(i).moveInto(this, offsets[i]);
        }
    }

    /** Every parameter value, parameter after parameter. Writing to it changes the network. */
    public float[] values() {
        return values;
    }

    /** Every gradient, in the layout of {@link #values()}. */
    public float[] gradients() {
        return gradients;
    }

    /** The number of values (and of gradients): the network's parameter count. */
    public int length() {
        return values.length;
    }

    /** Where parameter {@code index}'s values start in {@link #values()} and {@link #gradients()}. */
    public int offset(int index) {
        return offsets[index];
    }

    /** The index of the parameter that holds position {@code at} of the buffer. */
    public int indexAt(int at) {
        if (at < 0 || at >= values.length) {
            throw new IndexOutOfBoundsException("position " + at + " is outside 0.." + values.length);
        }
        int found = Arrays.binarySearch(offsets, 0, parameters.size(), at);
        if (found >= 0) {
            // parameters have at least one value, so offsets are strictly increasing and the match is unique
            return found;
        }
        return -found - 2;
    }

    /**
     * Parameter {@code index}'s part of {@code sameLayout}, an array laid out like {@link #values()} (an optimizer's
     * state, say), as a tensor of the parameter's shape; it shares the array.
     *
     * @throws IllegalArgumentException when the array's length is not {@link #length()}
     */
    public Tensor view(float[] sameLayout, int index) {
        if (sameLayout.length != values.length) {
            throw new IllegalArgumentException("view: the array has " + sameLayout.length + " values but the buffer's"
                    + " layout has " + values.length);
        }
        return Tensor.view(sameLayout, offsets[index], parameters.get(index).value().shape());
    }

    /**
     * Where part {@code part} begins when the buffer is cut into {@code parts} contiguous parts of near-equal length:
     * position {@code ⌊L·part/parts⌋} rounded down to a multiple of {@value #LINE} (and {@code L} for
     * {@code part = parts}); part {@code t} is {@code [partStart(t, parts), partStart(t + 1, parts))}. Parts begin on
     * a 64-byte cache line, so threads that each write their own part never write to the same line. The one rule
     * for the parts in which several threads sum and step a buffer ({@link Optimizer#stepInParts}).
     *
     * @throws IllegalArgumentException when {@code part} is outside {@code 0..parts}
     */
    public int partStart(int part, int parts) {
        if (part < 0 || part > parts) {
            throw new IllegalArgumentException("part " + part + " is outside 0.." + parts);
        }
        if (part == parts) {
            return values.length;
        }
        int start = (int) ((long) values.length * part / parts);
        return start - start % LINE;
    }

    /** Sets every gradient to 0: what the training loop does before each batch. */
    public void zeroGradients() {
        Arrays.fill(gradients, 0f);
    }

    @Override
    public Parameter get(int index) {
        return parameters.get(index);
    }

    @Override
    public int size() {
        return parameters.size();
    }
}
