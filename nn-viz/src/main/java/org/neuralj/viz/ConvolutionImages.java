package org.neuralj.viz;

import java.io.IOException;
import java.nio.file.Path;
import org.neuralj.core.Tensor;

/**
 * Pictures of a convolutional network, drawn as {@link WeightImages} tiles: the filters of a convolution (what each
 * one looks for) and the feature maps of one image (where each filter found it).
 */
public final class ConvolutionImages {

    private ConvolutionImages() {
    }

    /** Filter weights {@code [F, C, k, k]}: one {@code k x k} tile per filter and input channel. */
    public static void writeFilters(Tensor weights, Path file) throws IOException {
        int f = weights.dim(0), c = weights.dim(1), k = weights.dim(2);
        WeightImages.write(tiles(weights.toArray(), f * c, k * k), k, file);
    }

    /**
     * Feature maps {@code [1, F, H, W]}: one {@code H x W} tile per channel. Returns false, writing nothing, for
     * maps that are not square (the tiles are).
     */
    public static boolean writeFeatureMaps(Tensor maps, Path file) throws IOException {
        int f = maps.dim(1), h = maps.dim(2), w = maps.dim(3);
        if (h != w) {
            return false;
        }
        WeightImages.write(tiles(maps.data(), f, h * w), h, file);
        return true;
    }

    /** {@code count} consecutive blocks of {@code pixels} values as the columns of a {@code [pixels, count]} matrix. */
    private static Tensor tiles(float[] values, int count, int pixels) {
        Tensor t = Tensor.zeros(pixels, count);
        for (int j = 0; j < count; j++) {
            for (int i = 0; i < pixels; i++) {
                t.set(i, j, values[j * pixels + i]);
            }
        }
        return t;
    }
}
