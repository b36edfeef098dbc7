package org.neuralj.datasets;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.neuralj.core.Dataset;
import org.neuralj.core.Tensor;

/**
 * Reads the IDX format of MNIST, Fashion-MNIST and similar sets, plain or gzip-compressed (recognised by its magic
 * bytes). An IDX file is a big-endian header — two zero bytes, a type byte ({@code 0x08}: unsigned byte), the number
 * of dimensions — then one 32-bit size per dimension, then the values. Images are {@code 0x00000803}
 * ({@code [n, rows, cols]}), labels {@code 0x00000801} ({@code [n]}).
 *
 * <p>The reader checks the header before allocating (positive dimensions, at most {@link #MAX_VALUES} values) and
 * grows its buffer only as data actually arrives, so a lying header cannot exhaust memory. Errors name the file and
 * the byte offset in the (decompressed) data.
 */
public final class Idx {
    /** The largest number of values one file may declare (1 GiB of bytes). */
    public static final long MAX_VALUES = 1L << 30;
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private Idx() {
    }

    /** How images come out: one flat row per image, or one channels-first grey image per sample. */
    public enum Layout {
        /** {@code [n, rows·cols]}, for networks that start with {@code Dense}. */
        FLAT,
        /** {@code [n, 1, rows, cols]}: one channel, channels first, for networks that start with {@code Conv2D}. */
        IMAGES
    }

    /** Images as a {@code [n, rows·cols]} tensor of raw pixel values 0..255. */
    public static Tensor readImages(Path file) {
        return readImages(file, Layout.FLAT);
    }

    /** Images of raw pixel values 0..255, {@code [n, rows·cols]} or {@code [n, 1, rows, cols]}. */
    public static Tensor readImages(Path file, Layout layout) {
        return images(read(file, IMAGES_MAGIC), layout);
    }

    /**
     * Images from a stream (plain or gzip), refusing a header that declares more than {@code maxValues} pixels;
     * {@code source} names the stream in error messages. Does not close {@code in}.
     */
    public static Tensor readImages(InputStream in, String source, long maxValues) {
        return images(readStream(in, source, IMAGES_MAGIC, maxValues), Layout.FLAT);
    }

    /** Labels 0..255, one per item. */
    public static int[] readLabels(Path file) {
        return labels(read(file, LABELS_MAGIC));
    }

    /** Labels from a stream (plain or gzip), refusing a header that declares more than {@code maxValues} labels. */
    public static int[] readLabels(InputStream in, String source, long maxValues) {
        return labels(readStream(in, source, LABELS_MAGIC, maxValues));
    }

    private static Tensor images(Contents c, Layout layout) {
        int n = c.dims[0], pixels = c.dims[1] * c.dims[2];
        float[] values = new float[c.bytes.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = c.bytes[i] & 0xff;
        }
        return layout == Layout.FLAT ? Tensor.of(values, n, pixels) : Tensor.of(values, n, 1, c.dims[1], c.dims[2]);
    }

    private static int[] labels(Contents c) {
        int[] labels = new int[c.bytes.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = c.bytes[i] & 0xff;
        }
        return labels;
    }

    /** Images and labels as a data set; the number of classes is the largest label + 1. */
    public static Dataset read(Path images, Path labels) {
        return read(images, labels, -1);
    }

    /**
     * Images and labels as a data set with one-hot targets of {@code classes} columns.
     *
     * @throws DataFormatException when the two files hold different numbers of items or a label is out of range
     */
    public static Dataset read(Path images, Path labels, int classes) {
        return read(images, labels, classes, Layout.FLAT);
    }

    /** {@link #read(Path, Path, int)} with the images in {@code layout}. */
    public static Dataset read(Path images, Path labels, int classes, Layout layout) {
        Tensor x = readImages(images, layout);
        int[] y = readLabels(labels);
        if (x.rows() != y.length) {
            throw new DataFormatException(images + " holds " + x.rows() + " images but " + labels + " holds "
                    + y.length + " labels; they must agree");
        }
        int k = classes > 0 ? classes : Arrays.stream(y).max().orElse(0) + 1;
        for (int i = 0; i < y.length; i++) {
            if (y[i] >= k) {
                throw new DataFormatException(labels + ": label " + y[i] + " of item " + i + " (byte offset "
                        + (8 + i) + ") is outside 0.." + (k - 1));
            }
        }
        return Dataset.ofLabels(x, y, k);
    }

    /**
     * The training or test part of an MNIST-style folder: {@code train-images-idx3-ubyte[.gz]} and
     * {@code train-labels-idx1-ubyte[.gz]}, or {@code t10k-…} for the test part.
     */
    public static Dataset readFolder(Path dir, boolean train, int classes) {
        return readFolder(dir, train, classes, Layout.FLAT);
    }

    /** {@link #readFolder(Path, boolean, int)} with the images in {@code layout}, e.g. {@code [n, 1, 28, 28]}. */
    public static Dataset readFolder(Path dir, boolean train, int classes, Layout layout) {
        String prefix = train ? "train" : "t10k";
        return read(find(dir, prefix + "-images-idx3-ubyte"), find(dir, prefix + "-labels-idx1-ubyte"), classes,
                layout);
    }

    private static Path find(Path dir, String name) {
        for (String candidate : new String[] {name, name + ".gz"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new DataFormatException(dir + ": neither " + name + " nor " + name + ".gz is there"
                + (Files.isDirectory(dir) ? "" : " (the folder does not exist)"));
    }

    private record Contents(int[] dims, byte[] bytes) {
    }

    private static Contents read(Path file, int expectedMagic) {
        try (InputStream raw = Files.newInputStream(file)) {
            return readStream(raw, file.toString(), expectedMagic, MAX_VALUES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Contents readStream(InputStream raw, String source, int expectedMagic, long maxValues) {
        if (maxValues <= 0) {
            throw new IllegalArgumentException("maxValues must be positive but was " + maxValues);
        }
        try {
            return read(raw, source, expectedMagic, Math.min(maxValues, MAX_VALUES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /** Reads one IDX stream; {@code source} names it in messages. */
    private static Contents read(InputStream raw, String source, int expectedMagic, long maxValues)
            throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw);
        buffered.mark(2);
        int b0 = buffered.read(), b1 = buffered.read();
        buffered.reset();
        try (InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered, 1 << 16) : buffered) {
            int magic = readInt(in, source, 0);
            if (magic != expectedMagic) {
                throw new DataFormatException(String.format("%s: byte offset 0: magic number 0x%08x but expected "
                        + "0x%08x (%s)", source, magic, expectedMagic,
                        expectedMagic == IMAGES_MAGIC ? "unsigned-byte images [n, rows, cols]" : "unsigned-byte labels [n]"));
            }
            int rank = magic & 0xff;
            int[] dims = new int[rank];
            long total = 1;
            for (int d = 0; d < rank; d++) {
                dims[d] = readInt(in, source, 4 + 4 * d);
                if (dims[d] <= 0) {
                    throw new DataFormatException(source + ": byte offset " + (4 + 4 * d) + ": dimension " + d
                            + " is " + dims[d] + " but must be positive");
                }
                total *= dims[d];
                if (total > maxValues) {
                    throw new DataFormatException(source + ": byte offset " + (4 + 4 * d) + ": the header declares "
                            + "dimensions " + Arrays.toString(Arrays.copyOf(dims, d + 1)) + ", more than "
                            + maxValues + " values");
                }
            }
            long header = 4 + 4L * rank;
            byte[] bytes = readExactly(in, (int) total, source, header);
            if (in.read() != -1) {
                throw new DataFormatException(source + ": byte offset " + (header + total) + ": data continues past"
                        + " the " + total + " values the header declares " + Arrays.toString(dims));
            }
            return new Contents(dims, bytes);
        } catch (ZipException | EOFException e) {
            throw new DataFormatException(source + ": corrupt or truncated gzip data: " + e.getMessage(), e);
        }
    }

    /** Reads {@code n} bytes, growing the buffer only as data arrives. */
    private static byte[] readExactly(InputStream in, int n, String source, long offset) throws IOException {
        byte[] buf = new byte[Math.min(n, 1 << 20)];
        int filled = 0;
        while (filled < n) {
            if (filled == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(n, buf.length * 2L));
            }
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0) {
                throw new DataFormatException(source + ": truncated at byte offset " + (offset + filled)
                        + ": the header declares " + n + " values but only " + filled + " follow it");
            }
            filled += r;
        }
        return buf;
    }

    private static int readInt(InputStream in, String source, long offset) throws IOException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int b = in.read();
            if (b < 0) {
                throw new DataFormatException(source + ": truncated at byte offset " + (offset + i)
                        + " inside the header");
            }
            v = (v << 8) | b;
        }
        return v;
    }
}
