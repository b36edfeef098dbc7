package org.neuralj.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.neuralj.core.Dataset;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;

/**
 * The learned decision boundary of a two-input, two-class network: the background is the network's probability of
 * class 1 over a grid (blue for class 0, orange for class 1, pale near 0.5), a black line marks p = 0.5, and the
 * data points are drawn over it in their true class's colour. The picture the moons tutorial draws by hand.
 *
 * <pre>{@code DecisionBoundary.write(net, moons, Path.of("out/moons-decision-boundary.png"));}</pre>
 */
public final class DecisionBoundary {
    private static final int SIZE = 640;
    private static final int GRID = 160;
    private static final Color CLASS_0 = new Color(31, 119, 180);
    private static final Color CLASS_1 = new Color(255, 127, 14);

    private DecisionBoundary() {
    }

    /**
     * Draws {@code model}'s decision over the plane around {@code points} (two features; one sigmoid output or two
     * class probabilities) into the PNG {@code file}.
     *
     * @throws IllegalArgumentException when the network does not take 2 inputs and give 1 or 2 outputs
     */
    public static void write(Sequential model, Dataset points, Path file) throws IOException {
        if (model.inputShape().size() != 2 || model.outputShape().size() > 2 || points.features().cols() != 2) {
            throw new IllegalArgumentException("DecisionBoundary draws a network of 2 inputs and 1 or 2 outputs on"
                    + " 2-feature points, but the network is " + model.inputShape() + " -> " + model.outputShape()
                    + " and the points have " + points.features().cols() + " features");
        }
        Tensor x = points.features();
        float minX = Float.MAX_VALUE, maxX = -Float.MAX_VALUE, minY = Float.MAX_VALUE, maxY = -Float.MAX_VALUE;
        for (int i = 0; i < x.rows(); i++) {
            minX = Math.min(minX, x.get(i, 0));
            maxX = Math.max(maxX, x.get(i, 0));
            minY = Math.min(minY, x.get(i, 1));
            maxY = Math.max(maxY, x.get(i, 1));
        }
        float padX = 0.1f * (maxX - minX), padY = 0.1f * (maxY - minY);
        float x0 = minX - padX, x1 = maxX + padX, y0 = minY - padY, y1 = maxY + padY;

        Tensor grid = Tensor.zeros(GRID * GRID, 2);
        for (int r = 0; r < GRID; r++) {
            for (int c = 0; c < GRID; c++) {
                grid.set(r * GRID + c, 0, x0 + (x1 - x0) * (c + 0.5f) / GRID);
                grid.set(r * GRID + c, 1, y1 - (y1 - y0) * (r + 0.5f) / GRID);
            }
        }
        Tensor out = model.predict(grid);
        float[] p1 = new float[GRID * GRID];
        for (int i = 0; i < p1.length; i++) {
            float p = out.cols() == 1 ? out.get(i, 0) : out.get(i, 1) / (out.get(i, 0) + out.get(i, 1));
            // read as a probability: a linear or not-yet-trained output may leave [0, 1] (or be NaN: drawn as 0.5)
            p1[i] = Float.isNaN(p) ? 0.5f : Math.max(0f, Math.min(1f, p));
        }

        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        int cell = SIZE / GRID;
        for (int r = 0; r < GRID; r++) {
            for (int c = 0; c < GRID; c++) {
                float p = p1[r * GRID + c];
                g.setColor(blend(Color.WHITE, p >= 0.5f ? CLASS_1 : CLASS_0, 0.15f + 0.5f * Math.abs(2 * p - 1)));
                g.fillRect(c * cell, r * cell, cell, cell);
                boolean edge = c + 1 < GRID && (p >= 0.5f) != (p1[r * GRID + c + 1] >= 0.5f)
                        || r + 1 < GRID && (p >= 0.5f) != (p1[(r + 1) * GRID + c] >= 0.5f);
                if (edge) {
                    g.setColor(Color.BLACK);
                    g.fillRect(c * cell + cell / 2 - 1, r * cell + cell / 2 - 1, 3, 3);
                }
            }
        }
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setStroke(new BasicStroke(1f));
        int[] labels = points.labels();
        for (int i = 0; i < x.rows(); i++) {
            int px = Math.round((x.get(i, 0) - x0) / (x1 - x0) * SIZE);
            int py = Math.round((y1 - x.get(i, 1)) / (y1 - y0) * SIZE);
            g.setColor(labels[i] == 1 ? CLASS_1 : CLASS_0);
            g.fillOval(px - 4, py - 4, 8, 8);
            g.setColor(Color.BLACK);
            g.drawOval(px - 4, py - 4, 8, 8);
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private static Color blend(Color a, Color b, float t) {
        return new Color(Math.round(a.getRed() + t * (b.getRed() - a.getRed())),
                Math.round(a.getGreen() + t * (b.getGreen() - a.getGreen())),
                Math.round(a.getBlue() + t * (b.getBlue() - a.getBlue())));
    }
}
