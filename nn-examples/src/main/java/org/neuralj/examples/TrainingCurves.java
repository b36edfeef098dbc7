package org.neuralj.examples;

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

/** Loss and accuracy per epoch, training and test, as two PNG line charts drawn with XChart. */
final class TrainingCurves {

    private TrainingCurves() {
    }

    /** Writes {@code <name>-loss.png} and {@code <name>-accuracy.png} into {@code dir}; returns both paths. */
    static List<Path> write(History history, String name, Path dir) throws IOException {
        Files.createDirectories(dir);
        double[] epochs = new double[history.size()];
        for (int i = 0; i < epochs.length; i++) {
            epochs[i] = i + 1;
        }
        XYChart loss = chart(name + ": loss per epoch", "loss", Styler.LegendPosition.InsideNE);
        loss.addSeries("training (mean over batches)", epochs, history.loss()).setMarker(SeriesMarkers.NONE);
        loss.addSeries("test", epochs, history.validationLoss()).setMarker(SeriesMarkers.NONE);

        XYChart accuracy = chart(name + ": accuracy per epoch", "accuracy (%)", Styler.LegendPosition.InsideSE);
        accuracy.addSeries("training (during the epoch)", epochs, percent(history.trainAccuracy()))
                .setMarker(SeriesMarkers.NONE);
        accuracy.addSeries("test", epochs, percent(history.validationAccuracy())).setMarker(SeriesMarkers.NONE);

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
        chart.getStyler().setXAxisDecimalPattern("0");
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
