package org.neuralj.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.userlayers.Affine;
import com.example.userlayers.PlainSgd;
import com.example.userlayers.SquaredError;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralj.core.Dataset;
import org.neuralj.core.FitOptions;
import org.neuralj.core.History;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.core.Trainer;

/** The pictures and the progress bar a user's program can draw: each checked by what it puts on screen or disk. */
class VizTest {
    @TempDir
    Path dir;

    private static Dataset regression(int n) {
        Rng rng = new Rng(4);
        Tensor x = Tensor.randn(rng, n, 2);
        return new Dataset(x, x.sliceRows(0, n).scale(0.5f));
    }

    private static Sequential affine() {
        return Sequential.builder().input(2).add(new Affine(2)).seed(1).build();
    }

    @Test
    void trainingCurvesWriteALossAndAnAccuracyChart() throws IOException {
        History h = Trainer.fit(affine(), regression(40), FitOptions.of(new SquaredError(), new PlainSgd(0.1))
                .epochs(4).validationSplit(0.25).quiet());
        List<Path> files = TrainingCurves.write(h, "regression", dir);
        assertThat(files).containsExactly(dir.resolve("regression-loss.png"), dir.resolve("regression-accuracy.png"));
        for (Path f : files) {
            BufferedImage image = ImageIO.read(f.toFile());
            assertThat(image.getWidth()).isEqualTo(800);
            assertThat(image.getHeight()).isEqualTo(500);
        }
        assertThatThrownBy(() -> TrainingCurves.write(new History(), "empty", dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no epoch");
        // files named by the name, charts titled by the title
        assertThat(TrainingCurves.write(h, "mnist", "Fashion-MNIST", dir)).containsExactly(
                dir.resolve("mnist-loss.png"), dir.resolve("mnist-accuracy.png"));
    }

    @Test
    void axisNumbersKeepTheirLeadingZero() {
        org.knowm.xchart.style.XYStyler styler = new org.knowm.xchart.XYChartBuilder().build().getStyler();
        ChartStyle.leadingZero(styler);
        assertThat(styler.getXAxisDecimalPattern()).isEqualTo(ChartStyle.DECIMALS);
        assertThat(styler.getYAxisDecimalPattern()).isEqualTo(ChartStyle.DECIMALS);
        java.text.DecimalFormat format = new java.text.DecimalFormat(ChartStyle.DECIMALS,
                java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT));
        assertThat(format.format(0.05)).isEqualTo("0.05");
        assertThat(format.format(1.0)).isEqualTo("1");
        assertThat(format.format(-2.5)).isEqualTo("-2.5");
    }

    @Test
    void theDecisionBoundaryColoursEachSideByTheClassTheNetworkPredicts() throws IOException {
        // one output y = x0: class 1 (orange) to the right of x0 = 0.5, class 0 (blue) to its left
        Sequential net = Sequential.builder().input(2).add(new Affine(1)).seed(1).build();
        Tensor w = net.parameters().get(0).value();
        w.set(0, 0, 1f);
        w.set(1, 0, 0f);
        net.parameters().get(1).value().fill(0f);
        Dataset points = new Dataset(Tensor.of(new float[] {-2, -2, 3, 2}, 2, 2), Tensor.of(new float[] {0, 1}, 2, 1));
        Path file = dir.resolve("boundary.png");
        DecisionBoundary.write(net, points, file);
        BufferedImage image = ImageIO.read(file.toFile());
        Color left = new Color(image.getRGB(20, image.getHeight() / 2));
        Color right = new Color(image.getRGB(image.getWidth() - 20, image.getHeight() / 2));
        assertThat(left.getBlue()).as("left of the boundary: class 0, blue").isGreaterThan(left.getRed());
        assertThat(right.getRed()).as("right of the boundary: class 1, orange").isGreaterThan(right.getBlue());
        Sequential threeOutputs = Sequential.builder().input(2).add(new Affine(3)).seed(1).build();
        assertThatThrownBy(() -> DecisionBoundary.write(threeOutputs, regression(3), file))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 or 2 outputs");
    }

    @Test
    void weightImagesDrawPositiveWeightsRedAndNegativeBlue() throws IOException {
        Tensor weights = Tensor.of(new float[] {1, -1, 1, -1, 1, -1, 1, -1}, 4, 2); // unit 0 all +1, unit 1 all -1
        Path file = dir.resolve("weights.png");
        WeightImages.write(weights, 2, file);
        BufferedImage image = ImageIO.read(file.toFile());
        Color first = new Color(image.getRGB(10, 10)), second = new Color(image.getRGB(10 + 96 + 6, 10));
        assertThat(first).isEqualTo(WeightImages.diverging(1f)).isEqualTo(Color.RED);
        assertThat(second).isEqualTo(Color.BLUE);
        assertThatThrownBy(() -> WeightImages.write(weights, 3, file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 inputs").hasMessageContaining("3x3");
    }

    @Test
    void theProgressBarShowsEachEpochWithItsLossAndTimeLeft() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Trainer.fit(affine(), regression(64), FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(2)
                .batchSize(8).quiet().listener(new ProgressBarListener(new PrintStream(bytes, true,
                        StandardCharsets.UTF_8))));
        String drawn = bytes.toString(StandardCharsets.UTF_8);
        assertThat(drawn).contains("Epoch 1/2").contains("Epoch 2/2").contains("8/8").containsPattern("loss \\d\\.\\d{4}")
                .contains("left");
    }

    @Test
    void convolutionFiltersBecomeOneTilePerFilterAndChannel() throws IOException {
        Tensor filters = Tensor.zeros(2, 1, 3, 3);
        filters.fill(-1f);
        for (int i = 0; i < 9; i++) {
            filters.data()[i] = 1f;   // filter 0 all positive, filter 1 all negative
        }
        Path file = dir.resolve("filters.png");
        ConvolutionImages.writeFilters(filters, file);
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(new Color(image.getRGB(10, 10))).isEqualTo(Color.RED);
        assertThat(ConvolutionImages.writeFeatureMaps(Tensor.zeros(1, 2, 3, 4), dir.resolve("maps.png")))
                .as("maps that are not square are not drawn").isFalse();
        assertThat(ConvolutionImages.writeFeatureMaps(Tensor.zeros(1, 2, 4, 4), dir.resolve("maps.png"))).isTrue();
    }
}
