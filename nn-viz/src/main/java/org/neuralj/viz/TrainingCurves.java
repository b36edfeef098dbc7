package org.neuralj.viz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.neuralj.core.History;

/**
 * A {@link History} as two PNG line charts drawn with XChart: loss per epoch and accuracy per epoch, training and
 * test (the test series only when the run had validation data). One call after training:
 *
 * <pre>{@code TrainingCurves.write(history, "digits", Path.of("out"));   // out/digits-loss.png, out/digits-accuracy.png}</pre>
 */
public final class TrainingCurves {

    private TrainingCurves() {
    }

    /**
     * Writes {@code <name>-loss.png} and {@code <name>-accuracy.png} into {@code dir} (created if needed), titled with
     * {@code name}; returns both paths.
     *
     * @throws IllegalArgumentException when the history is empty
     */
    public static List<Path> write(History history, String name, Path dir) throws IOException {
        return write(history, name, name, dir);
    }

    /**
     * As {@link #write(History, String, Path)}, the charts titled with {@code title} instead (e.g. files
     * {@code mnist-loss.png} titled "Fashion-MNIST: loss per epoch").
     *
     * @throws IllegalArgumentException when the history is empty
     */
    public static List<Path> write(History history, String name, String title, Path dir) throws IOException {
        if (history.size() == 0) {
            throw new IllegalArgumentException("TrainingCurves: the history of \"" + name + "\" has no epoch to draw");
        }
        Files.createDirectories(dir);
        double[] epochs = new double[history.size()];
        for (int i = 0; i < epochs.length; i++) {
            epochs[i] = i + 1;
        }
        XYChart loss = chart(title + ": loss per epoch", "loss", Styler.LegendPosition.InsideNE);
        loss.addSeries("training (mean over batches)", epochs, history.loss()).setMarker(SeriesMarkers.NONE);
        boolean validation = history.last().hasValidation();
        if (validation) {
            loss.addSeries("test", epochs, history.validationLoss()).setMarker(SeriesMarkers.NONE);
        }

        XYChart accuracy = chart(title + ": accuracy per epoch", "accuracy (%)", Styler.LegendPosition.InsideSE);
        accuracy.addSeries("training (during the epoch)", epochs, percent(history.trainAccuracy()))
                .setMarker(SeriesMarkers.NONE);
        if (validation) {
            accuracy.addSeries("test", epochs, percent(history.validationAccuracy())).setMarker(SeriesMarkers.NONE);
        }

        Path lossFile = dir.resolve(name + "-loss.png");
        Path accuracyFile = dir.resolve(name + "-accuracy.png");
        BitmapEncoder.saveBitmap(loss, lossFile.toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(accuracy, accuracyFile.toString(), BitmapEncoder.BitmapFormat.PNG);
        return List.of(lossFile, accuracyFile);
    }

    private static XYChart chart(String title, String yLabel, Styler.LegendPosition legend) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("epoch")
                .yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(legend);
        ChartStyle.leadingZero(chart.getStyler()).setXAxisDecimalPattern("0"); // whole epochs
        return chart;
    }

    private static double[] percent(double[] fractions) {
        double[] p = new double[fractions.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = 100 * fractions[i];
        }
        return p;
    }
}
