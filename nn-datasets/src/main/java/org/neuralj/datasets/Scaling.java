package org.neuralj.datasets;

import org.neuralj.core.Dataset;
import org.neuralj.core.Preprocessing;
import org.neuralj.core.Tensor;

/**
 * Feature scaling. {@link #divide} maps raw values to a unit range (pixels 0..16 or 0..255 to 0..1);
 * {@link #standardize} fits {@code z = (x − μ) / σ} per feature on the training part only — fitting on test data
 * would leak it into training — and applies the same μ, σ to every part. Both compute as {@link Preprocessing}, which a
 * model file keeps so that predicting applies the same scaling to raw inputs.
 */
public final class Scaling {

    private Scaling() {
    }

    /** A copy of {@code data} with every feature divided by {@code divisor}: {@code Preprocessing.divide(divisor)}. */
    public static Dataset divide(Dataset data, float divisor) {
        return new Dataset(Preprocessing.divide(divisor).apply(data.features()), data.targets());
    }

    /** Per-feature mean and standard deviation fitted on training features; a constant feature gets σ = 1. */
    public record Standardizer(float[] mean, float[] std) {

        public static Standardizer fit(Dataset train) {
            Tensor x = train.features();
            int n = x.rows(), d = x.cols();
            if (n == 0) {
                throw new IllegalArgumentException("cannot fit a Standardizer on an empty data set");
            }
            // two passes (mean, then squared deviations): E[x²] − E[x]² would cancel badly for large offsets
            double[] sum = new double[d], squares = new double[d];
            float[] v = x.data();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    sum[j] += v[i * d + j];
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    double dev = v[i * d + j] - sum[j] / n;
                    squares[j] += dev * dev;
                }
            }
            float[] mean = new float[d], std = new float[d];
            for (int j = 0; j < d; j++) {
                double s = Math.sqrt(squares[j] / n);
                mean[j] = (float) (sum[j] / n);
                std[j] = s > 1e-12 ? (float) s : 1f;
            }
            return new Standardizer(mean, std);
        }

        /** A copy of {@code data} with {@code (x − μ) / σ} applied to every feature. */
        public Dataset apply(Dataset data) {
            return new Dataset(preprocessing().apply(data.features()), data.targets());
        }

        /** This standardiser as a {@link Preprocessing}, to keep in a model file. */
        public Preprocessing preprocessing() {
            return Preprocessing.NONE.standardize(mean, std);
        }
    }

    /** Fits a {@link Standardizer} on {@code train}. */
    public static Standardizer standardize(Dataset train) {
        return Standardizer.fit(train);
    }
}
