package org.neuralj.viz;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.neuralj.core.Tensor;

/**
 * Draws what the hidden units of a first layer respond to: column {@code j} of the weight matrix {@code W [in, units]}
 * is unit {@code j}'s weights, one per input pixel, shown as a {@code side x side} image. Each tile is scaled to its
 * own largest |w|: red for positive weights (the unit is excited by ink there), blue for negative (inhibited),
 * white for zero.
 *
 * <pre>{@code WeightImages.write(firstDense.parameters().get(0).value(), 8, Path.of("out/hidden-weights.png"));}</pre>
 */
public final class WeightImages {
    /** Tiles are about this many pixels wide, whatever the image side (8 for digits, 28 for MNIST). */
    private static final int TILE = 96;
    private static final int GAP = 6;

    private WeightImages() {
    }

    /**
     * Writes one {@code side x side} tile per column of {@code weights} ({@code [side·side, units]}) into the PNG
     * {@code file}.
     *
     * @throws IllegalArgumentException when the weights do not have {@code side²} rows
     */
    public static void write(Tensor weights, int side, Path file) throws IOException {
        int inputs = weights.rows(), units = weights.cols();
        if (inputs != side * side) {
            throw new IllegalArgumentException("first-layer weights have " + inputs + " inputs but a " + side + "x"
                    + side + " image needs " + side * side);
        }
        int columns = (int) Math.ceil(Math.sqrt(units * 1.5));
        int rows = (units + columns - 1) / columns;
        int cell = Math.max(1, TILE / side);
        int tile = side * cell;
        BufferedImage image = new BufferedImage(columns * (tile + GAP) + GAP, rows * (tile + GAP) + GAP,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x40, 0x40, 0x40));
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int u = 0; u < units; u++) {
            float max = 1e-12f;
            for (int i = 0; i < inputs; i++) {
                max = Math.max(max, Math.abs(weights.get(i, u)));
            }
            int x0 = GAP + (u % columns) * (tile + GAP), y0 = GAP + (u / columns) * (tile + GAP);
            for (int i = 0; i < inputs; i++) {
                g.setColor(diverging(weights.get(i, u) / max));
                g.fillRect(x0 + (i % side) * cell, y0 + (i / side) * cell, cell, cell);
            }
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    /** The colour scale of the tiles: −1 → blue, 0 → white, +1 → red (values clamped to [−1, 1]). */
    public static Color diverging(float v) {
        float t = Math.max(-1, Math.min(1, v));
        int fade = Math.round(255 * (1 - Math.abs(t)));
        return t >= 0 ? new Color(255, fade, fade) : new Color(fade, fade, 255);
    }
}
