package org.neuralj.core;

import java.util.Arrays;
import org.neuralj.core.kernel.Finite;

/**
 * An n-dimensional float32 array, stored contiguously in row-major order.
 *
 * <p>Most of the framework works on matrices {@code [rows, cols]}: a mini-batch is {@code [B, features]}. For a
 * tensor of higher rank, {@link #rows()} is the first dimension and {@link #cols()} the product of the others.
 *
 * <p>The hot operations come in two forms: one that returns a new tensor (for clarity) and one that writes into a
 * caller-owned output (for speed: layers reuse their buffers between batches). The backing array may be longer than
 * {@link #size()} when a buffer is reused for a smaller batch (see {@link #reuse}); only the first {@code size()}
 * values belong to the tensor.
 *
 * <p>A tensor may also be a <em>view</em> that starts at {@link #offset()} of a larger array: a network's
 * {@link Parameter}s are views of its one {@link ParameterBuffer}, so that the optimizer, gradient sums across workers
 * and transfers run over a single array. Code that indexes {@link #data()} of a parameter therefore starts at
 * {@code offset()}; every other tensor (inputs, outputs, gradients a layer receives or allocates) starts at 0.
 */
public final class Tensor {
    // not final: a parameter's tensor moves, once, into its network's ParameterBuffer (see moveTo)
    private float[] data;
    private int offset;
    private final int[] shape;
    private final int size;

    private Tensor(float[] data, int[] shape) {
        this(data, 0, shape);
    }

    private Tensor(float[] data, int offset, int[] shape) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.size = product(shape);
    }

    // ---------------------------------------------------------------- factories

    /** A tensor of zeros; every dimension must be non-negative. */
    public static Tensor zeros(int... shape) {
        int[] s = checkShape(shape);
        return new Tensor(new float[product(s)], s);
    }

    /** A batch of zeros: {@code rows} samples of shape {@code sample}, i.e. {@code [rows, ...sample]}. */
    public static Tensor zeros(int rows, Shape sample) {
        return zeros(batchShape(rows, sample));
    }

    /** A tensor with every value equal to {@code value}. */
    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** Wraps {@code data} (not copied) as a tensor of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        java.util.Objects.requireNonNull(data, "data must not be null");
        int[] s = checkShape(shape);
        if (data.length != product(s)) {
            throw new IllegalArgumentException("Tensor.of: data has " + data.length + " values but shape "
                    + Arrays.toString(s) + " needs " + product(s));
        }
        return new Tensor(data, s);
    }

    /** A view of {@code data[offset ..]} (not copied) with the given shape; for {@link ParameterBuffer#view}. */
    static Tensor view(float[] data, int offset, int... shape) {
        return new Tensor(data, offset, checkShape(shape));
    }

    /** A {@code [rows.length, cols]} matrix copied from a rectangular array. */
    public static Tensor fromRows(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        Tensor t = zeros(rows.length, cols);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("Tensor.fromRows: row " + i + " has " + rows[i].length
                        + " values but row 0 has " + cols);
            }
            for (int j = 0; j < cols; j++) {
                t.data[i * cols + j] = (float) rows[i][j];
            }
        }
        return t;
    }

    /** A {@code [1, n]} row vector. */
    public static Tensor row(float... values) {
        return of(values.clone(), 1, values.length);
    }

    /** Values drawn from the standard normal N(0, 1), like numpy's {@code np.random.randn}. */
    public static Tensor randn(Rng rng, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.size; i++) {
            t.data[i] = (float) rng.nextGaussian();
        }
        return t;
    }

    /** Values drawn uniformly from [low, high). */
    public static Tensor uniform(Rng rng, float low, float high, int... shape) {
        Tensor t = zeros(shape);
        for (int i = 0; i < t.size; i++) {
            t.data[i] = low + (high - low) * rng.nextFloat();
        }
        return t;
    }

    /**
     * Returns a {@code [rows, cols]} tensor for a layer's reusable buffer: {@code buffer} itself when it already has
     * that shape, a new view on its array when the array is large enough (e.g. the last, smaller batch of an
     * epoch), and a freshly allocated tensor otherwise. Values are not cleared.
     */
    public static Tensor reuse(Tensor buffer, int rows, int cols) {
        if (buffer != null && buffer.shape.length == 2 && buffer.shape[0] == rows && buffer.shape[1] == cols) {
            return buffer;
        }
        return reuseArray(buffer, new int[] {rows, cols});
    }

    /**
     * {@link #reuse(Tensor, int, int)} for a batch of {@code rows} samples of shape {@code sample}: a
     * {@code [rows, ...sample]} tensor, e.g. {@code [B, C, H, W]} for images.
     */
    public static Tensor reuse(Tensor buffer, int rows, Shape sample) {
        if (buffer != null && buffer.shape.length == sample.rank() + 1 && buffer.shape[0] == rows) {
            boolean same = true;
            for (int i = 0; i < sample.rank() && same; i++) {
                same = buffer.shape[i + 1] == sample.dim(i);
            }
            if (same) {
                return buffer;
            }
        }
        return reuseArray(buffer, batchShape(rows, sample));
    }

    private static int[] batchShape(int rows, Shape sample) {
        int[] shape = new int[sample.rank() + 1];
        shape[0] = rows;
        for (int i = 0; i < sample.rank(); i++) {
            shape[i + 1] = sample.dim(i);
        }
        return shape;
    }

    /** A view of {@code shape} on the buffer's array when it is large enough, else a new tensor. */
    private static Tensor reuseArray(Tensor buffer, int[] shape) {
        int[] s = checkShape(shape);
        // a view (a parameter) is never a layer's scratch buffer: its array belongs to the whole network
        return buffer != null && buffer.offset == 0 && buffer.data.length >= product(s) ? new Tensor(buffer.data, s)
                : new Tensor(
                new float[product(s)], s);
    }

    // ---------------------------------------------------------------- shape and access

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    /** Number of values. */
    public int size() {
        return size;
    }

    /** The first dimension (the batch dimension of a mini-batch). */
    public int rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** The product of all dimensions but the first: the width of one row. */
    public int cols() {
        int c = 1;
        for (int i = 1; i < shape.length; i++) {
            c *= shape[i];
        }
        return c;
    }

    /**
     * The backing array, for kernels and I/O: value {@code i} (row-major) is {@code data()[offset() + i]}, for
     * {@code i < size()}. Writing to it changes the tensor.
     */
    public float[] data() {
        return data;
    }

    /**
     * Where this tensor's values start in {@link #data()}: 0, except for a parameter of a built network, which is a
     * view of the network's {@link ParameterBuffer}.
     */
    public int offset() {
        return offset;
    }

    /**
     * Moves this tensor's values to {@code array} from {@code at} and makes it a view there; the old array is no
     * longer used. Only {@link ParameterBuffer} does this, once per parameter, while a network is built.
     */
    void moveTo(float[] array, int at) {
        System.arraycopy(data, offset, array, at, size);
        data = array;
        offset = at;
    }

    public float get(int i) {
        checkIndex(i);
        return data[offset + i];
    }

    public float get(int row, int col) {
        return data[offset + index(row, col)];
    }

    public void set(int row, int col, float value) {
        data[offset + index(row, col)] = value;
    }

    public void set(int i, float value) {
        checkIndex(i);
        data[offset + i] = value;
    }

    /** The same values under another shape with the same number of values; shares the array. */
    public Tensor reshape(int... newShape) {
        int[] s = checkShape(newShape);
        if (product(s) != size) {
            throw new IllegalArgumentException("Cannot reshape " + Arrays.toString(shape) + " (" + size
                    + " values) to " + Arrays.toString(s) + " (" + product(s) + " values)");
        }
        return new Tensor(data, offset, s);
    }

    /**
     * The same values as a batch of {@link #rows()} samples of shape {@code sample}, {@code [rows, ...sample]};
     * shares the array. The sample must hold {@link #cols()} values.
     */
    public Tensor reshapeBatch(Shape sample) {
        return reshape(batchShape(rows(), sample));
    }

    /** A deep copy (the array is trimmed to {@link #size()}). */
    public Tensor copy() {
        return new Tensor(Arrays.copyOfRange(data, offset, offset + size), shape.clone());
    }

    /** Copies {@code source}'s values into this tensor; shapes must match. */
    public Tensor copyFrom(Tensor source) {
        requireSameShape("copyFrom", source);
        System.arraycopy(source.data, source.offset, data, offset, size);
        return this;
    }

    public Tensor fill(float value) {
        Arrays.fill(data, offset, offset + size, value);
        return this;
    }

    /** A new {@code [to - from, cols]} tensor holding a copy of rows {@code from} (inclusive) to {@code to}. */
    public Tensor sliceRows(int from, int to) {
        if (from < 0 || to > rows() || from > to) {
            throw new IllegalArgumentException("sliceRows(" + from + ", " + to + ") is outside 0.." + rows()
                    + " rows of " + Arrays.toString(shape));
        }
        int[] s = shape.clone();
        s[0] = to - from;
        int c = cols();
        return new Tensor(Arrays.copyOfRange(data, offset + from * c, offset + to * c), s);
    }

    /**
     * Copies rows {@code indices[from..to)} of this tensor into the rows of {@code out}, in order: how a shuffled
     * mini-batch is gathered without allocating.
     */
    public void gatherRows(int[] indices, int from, int to, Tensor out) {
        int c = cols();
        if (out.cols() != c || out.rows() != to - from) {
            throw new IllegalArgumentException("gatherRows: output " + Arrays.toString(out.shape) + " must be ["
                    + (to - from) + ", " + c + "]");
        }
        for (int r = from; r < to; r++) {
            System.arraycopy(data, offset + indices[r] * c, out.data, out.offset + (r - from) * c, c);
        }
    }

    /** True when every value is finite (no NaN, no infinity); one branch-free pass ({@link Finite}). */
    public boolean isFinite() {
        return Finite.all(data, offset, offset + size);
    }

    /** Flat index of the first NaN or infinite value, or -1 if all are finite ({@link Finite#first}). */
    public int firstNonFinite() {
        int at = Finite.first(data, offset, offset + size);
        return at < 0 ? -1 : at - offset;
    }

    // ---------------------------------------------------------------- matrix products

    /** The matrix product {@code this · b}: {@code [m, k] · [k, n] -> [m, n]}. */
    public Tensor matmul(Tensor b) {
        Tensor out = zeros(rows(), b.cols());
        mult(this, b, out);
        return out;
    }

    /** {@code out = a · b}: {@code [m, k] · [k, n] -> [m, n]}. */
    public static void mult(Tensor a, Tensor b, Tensor out) {
        product(false, false, a, b, out, false);
    }

    /** {@code out += a · b}. */
    public static void multAdd(Tensor a, Tensor b, Tensor out) {
        product(false, false, a, b, out, true);
    }

    /** {@code out = aᵀ · b}: {@code [k, m]ᵀ · [k, n] -> [m, n]}. */
    public static void multTransA(Tensor a, Tensor b, Tensor out) {
        product(true, false, a, b, out, false);
    }

    /** {@code out += aᵀ · b}: how a layer adds a weight gradient {@code Xᵀ·G}. */
    public static void multAddTransA(Tensor a, Tensor b, Tensor out) {
        product(true, false, a, b, out, true);
    }

    /** {@code out = a · bᵀ}: {@code [m, k] · [n, k]ᵀ -> [m, n]} (an input gradient {@code G·Wᵀ}). */
    public static void multTransB(Tensor a, Tensor b, Tensor out) {
        product(false, true, a, b, out, false);
    }

    /** {@code out += a · bᵀ}. */
    public static void multAddTransB(Tensor a, Tensor b, Tensor out) {
        product(false, true, a, b, out, true);
    }

    /** The one shape check and kernel call behind the six named products. */
    private static void product(boolean transA, boolean transB, Tensor a, Tensor b, Tensor out, boolean add) {
        int m = transA ? a.cols() : a.rows(), k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows(), n = transB ? b.rows() : b.cols();
        if (kb != k || out.rows() != m || out.cols() != n) {
            throw productMismatch((add ? "multAdd" : "mult") + (transA ? "TransA" : transB ? "TransB" : ""),
                    (transA ? "aᵀ" : "a") + " · " + (transB ? "bᵀ" : "b"), a, b, out, m, n);
        }
        Gemm.gemm(transA, transB, m, n, k, a.data, a.offset, a.cols(), b.data, b.offset, b.cols(), out.data, out.offset,
                n, add);
    }

    private static IllegalArgumentException productMismatch(String op, String formula, Tensor a, Tensor b,
                                                            Tensor out, int m, int n) {
        return new IllegalArgumentException(op + ": shapes do not fit " + formula + ": a " + Arrays.toString(a.shape)
                + ", b " + Arrays.toString(b.shape) + ", out " + Arrays.toString(out.shape)
                + " (out must be [" + m + ", " + n + "] and the inner dimensions must agree)");
    }

    // ---------------------------------------------------------------- element-wise

    /** A new tensor {@code this + other}. */
    public Tensor add(Tensor other) {
        return copy().addInPlace(other);
    }

    /** A new tensor {@code this - other}. */
    public Tensor sub(Tensor other) {
        return copy().subInPlace(other);
    }

    /** A new tensor, the element-wise (Hadamard) product {@code this ⊙ other}. */
    public Tensor mul(Tensor other) {
        return copy().mulInPlace(other);
    }

    /** A new tensor {@code alpha · this}. */
    public Tensor scale(float alpha) {
        return copy().scaleInPlace(alpha);
    }

    public Tensor addInPlace(Tensor other) {
        requireSameShape("add", other);
        for (int i = 0; i < size; i++) {
            data[offset + i] += other.data[other.offset + i];
        }
        return this;
    }

    public Tensor subInPlace(Tensor other) {
        requireSameShape("sub", other);
        for (int i = 0; i < size; i++) {
            data[offset + i] -= other.data[other.offset + i];
        }
        return this;
    }

    public Tensor mulInPlace(Tensor other) {
        requireSameShape("mul", other);
        for (int i = 0; i < size; i++) {
            data[offset + i] *= other.data[other.offset + i];
        }
        return this;
    }

    public Tensor scaleInPlace(float alpha) {
        for (int i = 0; i < size; i++) {
            data[offset + i] *= alpha;
        }
        return this;
    }

    /** {@code this += alpha · other} (BLAS {@code axpy}): the core of every gradient step. */
    public Tensor addScaledInPlace(Tensor other, float alpha) {
        requireSameShape("addScaled", other);
        for (int i = 0; i < size; i++) {
            data[offset + i] += alpha * other.data[other.offset + i];
        }
        return this;
    }

    /** A new tensor with {@code f} applied to every value. */
    public Tensor map(FloatFunction f) {
        Tensor out = zeros(shape);
        mapInto(f, out);
        return out;
    }

    /** {@code out[i] = f(this[i])}; {@code out} may be this tensor. */
    public Tensor mapInto(FloatFunction f, Tensor out) {
        requireSameShape("map", out);
        for (int i = 0; i < size; i++) {
            out.data[out.offset + i] = f.apply(data[offset + i]);
        }
        return out;
    }

    public Tensor mapInPlace(FloatFunction f) {
        return mapInto(f, this);
    }

    /** Broadcasts a bias row over every row: {@code this[i, j] += bias[j]}. */
    public Tensor addRowVectorInPlace(Tensor bias) {
        int c = cols();
        if (bias.size != c) {
            throw new IllegalArgumentException("addRowVector: bias " + Arrays.toString(bias.shape) + " has "
                    + bias.size + " values but rows of " + Arrays.toString(shape) + " have " + c);
        }
        int r = rows();
        for (int i = 0; i < r; i++) {
            int o = offset + i * c;
            for (int j = 0; j < c; j++) {
                data[o + j] += bias.data[bias.offset + j];
            }
        }
        return this;
    }

    /** {@code out[j] = Σ_i this[i, j]}. */
    public void sumColumns(Tensor out) {
        requireColumnsOf("sumColumns", out);
        out.fill(0f);
        addColumnSums(out);
    }

    /** {@code out[j] += Σ_i this[i, j]}: how a layer adds a bias gradient. */
    public void sumColumnsAdd(Tensor out) {
        requireColumnsOf("sumColumnsAdd", out);
        addColumnSums(out);
    }

    private void requireColumnsOf(String op, Tensor out) {
        if (out.size != cols()) {
            throw new IllegalArgumentException(op + ": output " + Arrays.toString(out.shape) + " has "
                    + out.size + " values but " + Arrays.toString(shape) + " has " + cols() + " columns");
        }
    }

    private void addColumnSums(Tensor out) {
        int r = rows(), c = cols();
        for (int i = 0; i < r; i++) {
            int o = offset + i * c;
            for (int j = 0; j < c; j++) {
                out.data[out.offset + j] += data[o + j];
            }
        }
    }

    /** A new {@code [cols]} tensor of column sums. */
    public Tensor sumColumns() {
        Tensor out = zeros(cols());
        sumColumns(out);
        return out;
    }

    /** Sum of all values, accumulated in double. */
    public double sum() {
        double s = 0;
        for (int i = 0; i < size; i++) {
            s += data[offset + i];
        }
        return s;
    }

    /** Mean of all values. */
    public double mean() {
        if (size == 0) {
            throw new IllegalStateException("mean of an empty tensor " + Arrays.toString(shape));
        }
        return sum() / size;
    }

    /** The values as a new array of exactly {@link #size()} floats. */
    public float[] toArray() {
        return Arrays.copyOfRange(data, offset, offset + size);
    }

    /** Throws an {@link IllegalArgumentException} naming both shapes unless {@code other} has this shape. */
    public void requireSameShape(String op, Tensor other) {
        if (!Arrays.equals(shape, other.shape)) {
            throw new IllegalArgumentException(op + ": shape mismatch " + Arrays.toString(shape) + " vs "
                    + Arrays.toString(other.shape));
        }
    }

    /** True when {@code other} has the same shape and bit-identical values. */
    public boolean contentEquals(Tensor other) {
        return Arrays.equals(shape, other.shape)
                && Arrays.equals(data, offset, offset + size, other.data, other.offset, other.offset + other.size);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Arrays.toString(shape)).append(' ');
        int shown = Math.min(size, 8);
        sb.append('[');
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(data[offset + i]);
        }
        return sb.append(size > shown ? ", ...]" : "]").toString();
    }

    // ---------------------------------------------------------------- helpers

    /** A function from float to float, for {@link #map}. */
    @FunctionalInterface
    public interface FloatFunction {
        float apply(float x);
    }

    private int index(int row, int col) {
        int c = cols();
        if (row < 0 || row >= rows() || col < 0 || col >= c) {
            throw new IndexOutOfBoundsException("(" + row + ", " + col + ") is outside " + Arrays.toString(shape));
        }
        return row * c + col;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("index " + i + " is outside 0.." + size + " of " + Arrays.toString(shape));
        }
    }

    private static int[] checkShape(int[] shape) {
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("Tensor dimension " + i + " must be non-negative but was "
                        + shape[i] + " in " + Arrays.toString(shape));
            }
        }
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("Tensor shape " + Arrays.toString(shape) + " has more than "
                        + (Integer.MAX_VALUE - 8) + " values");
            }
        }
        return shape.clone();
    }

    private static int product(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
