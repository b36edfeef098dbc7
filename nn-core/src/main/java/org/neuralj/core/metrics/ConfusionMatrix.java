package org.neuralj.core.metrics;

import java.util.Locale;

/**
 * Counts of (true class, predicted class) pairs, and the per-class scores derived from them:
 *
 * <pre>
 * precision_k = TP_k / (TP_k + FP_k)     of the samples predicted k, the share that are k
 * recall_k    = TP_k / (TP_k + FN_k)     of the samples that are k, the share predicted k
 * F1_k        = 2 · precision · recall / (precision + recall)
 * </pre>
 *
 * A score whose denominator is zero is 0, as in scikit-learn. Macro averages weigh every class equally; weighted
 * averages weigh each class by its support (its number of true samples).
 */
public final class ConfusionMatrix {
    private final int classes;
    private final long[][] counts;
    private long total;

    public ConfusionMatrix(int classes) {
        if (classes <= 0) {
            throw new IllegalArgumentException("classes must be positive but was " + classes);
        }
        this.classes = classes;
        this.counts = new long[classes][classes];
    }

    /** The matrix of {@code actual[i]} against {@code predicted[i]}. */
    public static ConfusionMatrix of(int[] actual, int[] predicted, int classes) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException("actual has " + actual.length + " labels but predicted has "
                    + predicted.length);
        }
        ConfusionMatrix m = new ConfusionMatrix(classes);
        for (int i = 0; i < actual.length; i++) {
            m.add(actual[i], predicted[i], i);
        }
        return m;
    }

    private void add(int actual, int predicted, int index) {
        if (actual < 0 || actual >= classes || predicted < 0 || predicted >= classes) {
            throw new IllegalArgumentException("sample " + index + ": actual " + actual + " / predicted " + predicted
                    + " is outside 0.." + (classes - 1));
        }
        counts[actual][predicted]++;
        total++;
    }

    public int classes() {
        return classes;
    }

    /** Samples of class {@code actual} predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    public long total() {
        return total;
    }

    /** Share of samples on the diagonal. */
    public double accuracy() {
        long diag = 0;
        for (int k = 0; k < classes; k++) {
            diag += counts[k][k];
        }
        return total == 0 ? 0 : (double) diag / total;
    }

    /** Number of samples whose true class is {@code k}. */
    public long support(int k) {
        long s = 0;
        for (int p = 0; p < classes; p++) {
            s += counts[k][p];
        }
        return s;
    }

    private long predictedAs(int k) {
        long s = 0;
        for (int a = 0; a < classes; a++) {
            s += counts[a][k];
        }
        return s;
    }

    public double precision(int k) {
        long p = predictedAs(k);
        return p == 0 ? 0 : (double) counts[k][k] / p;
    }

    public double recall(int k) {
        long s = support(k);
        return s == 0 ? 0 : (double) counts[k][k] / s;
    }

    public double f1(int k) {
        double p = precision(k), r = recall(k);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** A per-class score averaged over classes, unweighted. */
    public double macro(Score score) {
        double s = 0;
        for (int k = 0; k < classes; k++) {
            s += score.of(this, k);
        }
        return s / classes;
    }

    /** A per-class score averaged over classes, each weighted by its support. */
    public double weighted(Score score) {
        if (total == 0) {
            return 0;
        }
        double s = 0;
        for (int k = 0; k < classes; k++) {
            s += score.of(this, k) * support(k);
        }
        return s / total;
    }

    /** The per-class scores, for {@link #macro} and {@link #weighted}. */
    public enum Score {
        PRECISION, RECALL, F1;

        double of(ConfusionMatrix m, int k) {
            return switch (this) {
                case PRECISION -> m.precision(k);
                case RECALL -> m.recall(k);
                case F1 -> m.f1(k);
            };
        }
    }

    /** A text report in the layout of scikit-learn's {@code classification_report}. */
    public String classificationReport() {
        String[] names = new String[classes];
        for (int k = 0; k < classes; k++) {
            names[k] = String.valueOf(k);
        }
        return classificationReport(names);
    }

    /** The report with the given class names. */
    public String classificationReport(String[] names) {
        if (names.length != classes) {
            throw new IllegalArgumentException("need " + classes + " class names but got " + names.length);
        }
        int w = "weighted avg".length();
        for (String n : names) {
            w = Math.max(w, n.length());
        }
        String row = "%" + w + "s  %9.2f %9.2f %9.2f %9d%n";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%" + w + "s  %9s %9s %9s %9s%n%n", "",
                "precision", "recall", "f1-score", "support"));
        for (int k = 0; k < classes; k++) {
            sb.append(String.format(Locale.ROOT, row, names[k], precision(k), recall(k), f1(k), support(k)));
        }
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "%" + w + "s  %9s %9s %9.2f %9d%n", "accuracy", "", "", accuracy(), total));
        sb.append(String.format(Locale.ROOT, row, "macro avg", macro(Score.PRECISION), macro(Score.RECALL),
                macro(Score.F1), total));
        sb.append(String.format(Locale.ROOT, row, "weighted avg", weighted(Score.PRECISION), weighted(Score.RECALL),
                weighted(Score.F1), total));
        return sb.toString();
    }

    /** The matrix as text: rows are true classes, columns predicted classes. */
    @Override
    public String toString() {
        int w = Math.max(3, String.valueOf(total).length());
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%" + (w + 8) + "s", "predicted →"));
        sb.append('\n').append(String.format(Locale.ROOT, "%6s", "true"));
        for (int p = 0; p < classes; p++) {
            sb.append(String.format(Locale.ROOT, " %" + w + "d", p));
        }
        sb.append('\n');
        for (int a = 0; a < classes; a++) {
            sb.append(String.format(Locale.ROOT, "%6d", a));
            for (int p = 0; p < classes; p++) {
                sb.append(String.format(Locale.ROOT, " %" + w + "d", counts[a][p]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
