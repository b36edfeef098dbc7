package org.neuralj.datasets;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.neuralj.core.Dataset;

/**
 * scikit-learn's 8x8 handwritten digits, embedded in this jar: 1797 images of 64 pixels with values 0..16, labels
 * 0..9. From the UCI Machine Learning Repository, "Optical Recognition of Handwritten Digits" (E. Alpaydin,
 * C. Kaynak), CC BY 4.0; see {@code digits.NOTICE} beside the resource.
 *
 * <p>Loading reads only the resource, verifies its SHA-256 checksum, and returns raw pixel values: scale them
 * explicitly, e.g. {@code Scaling.divide(data, 16)}.
 */
public final class Digits {
    /** Number of samples. */
    public static final int SAMPLES = 1797;
    /** Features per sample: an 8x8 image. */
    public static final int FEATURES = 64;
    /** Height and width of an image. */
    public static final int SIDE = 8;
    /** Classes 0..9. */
    public static final int CLASSES = 10;
    static final String RESOURCE = "digits.csv.gz";
    static final String SHA256 = "46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a";

    private Digits() {
    }

    /** The 1797 digits: features {@code [1797, 64]} in 0..16 and one-hot targets {@code [1797, 10]}. */
    public static Dataset load() {
        byte[] bytes;
        try (InputStream in = Digits.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the nn-datasets jar");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
        }
        return parse(bytes);
    }

    /**
     * The 1797 digits as images: features {@code [1797, 1, 8, 8]} (one channel, channels first) in 0..16 and
     * one-hot targets {@code [1797, 10]}, for networks that start with {@code Conv2D}.
     */
    public static Dataset loadImages() {
        Dataset flat = load();
        return new Dataset(flat.features().reshape(SAMPLES, 1, SIDE, SIDE), flat.targets());
    }

    /** Verifies the checksum of the resource's bytes, then parses them. */
    static Dataset parse(byte[] bytes) {
        String actual = sha256(bytes);
        if (!actual.equals(SHA256)) {
            throw new DataFormatException("resource " + RESOURCE + " has SHA-256 " + actual + " but expected "
                    + SHA256 + ": the embedded data is corrupt");
        }
        Dataset data = Csv.read(new ByteArrayInputStream(bytes), RESOURCE,
                Csv.options().labelColumn(FEATURES).classes(CLASSES));
        if (data.size() != SAMPLES || data.features().cols() != FEATURES) {
            throw new DataFormatException(RESOURCE + " has " + data.size() + " rows of " + data.features().cols()
                    + " features but expected " + SAMPLES + " of " + FEATURES);
        }
        return data;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
