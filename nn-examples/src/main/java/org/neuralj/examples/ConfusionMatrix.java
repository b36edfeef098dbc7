package org.neuralj.examples;

import java.util.Locale;

/**
 * Counts of (actual class, predicted class) pairs: row = the true class, column = the network's answer, so the
 * diagonal holds the correct answers and row {@code i} shows what class {@code i} was mistaken for.
 */
final class ConfusionMatrix {
    private final int[][] counts;

    private ConfusionMatrix(int[][] counts) {
        this.counts = counts;
    }

    static ConfusionMatrix of(int[] actual, int[] predicted, int classes) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException("confusion matrix needs as many predictions as labels but got "
                    + predicted.length + " predictions for " + actual.length + " labels");
        }
        int[][] counts = new int[classes][classes];
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] < 0 || actual[i] >= classes || predicted[i] < 0 || predicted[i] >= classes) {
                throw new IllegalArgumentException("sample " + i + ": actual " + actual[i] + ", predicted "
                        + predicted[i] + " must both be in 0.." + (classes - 1));
            }
            counts[actual[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(counts);
    }

    int count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    int total() {
        int n = 0;
        for (int[] row : counts) {
            for (int c : row) {
                n += c;
            }
        }
        return n;
    }

    int correct() {
        int n = 0;
        for (int k = 0; k < counts.length; k++) {
            n += counts[k][k];
        }
        return n;
    }

    double accuracy() {
        return (double) correct() / total();
    }

    /** A text table with class names down the side (actual) and across the top (predicted). */
    String format(String[] classNames) {
        int width = 5;
        for (String name : classNames) {
            width = Math.max(width, name.length() + 1);
        }
        int labelWidth = width;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%" + labelWidth + "s", "")).append("  predicted ->\n");
        sb.append(String.format(Locale.ROOT, "%" + labelWidth + "s", "actual"));
        for (String name : classNames) {
            sb.append(String.format(Locale.ROOT, "%" + width + "s", name));
        }
        sb.append('\n');
        for (int a = 0; a < counts.length; a++) {
            sb.append(String.format(Locale.ROOT, "%" + labelWidth + "s", classNames[a]));
            for (int p = 0; p < counts.length; p++) {
                String cell = counts[a][p] == 0 && a != p ? "." : String.valueOf(counts[a][p]);
                sb.append(String.format(Locale.ROOT, "%" + width + "s", cell));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Class names {@code "0".."k-1"}. */
    static String[] numbered(int classes) {
        String[] names = new String[classes];
        for (int i = 0; i < classes; i++) {
            names[i] = String.valueOf(i);
        }
        return names;
    }
}
