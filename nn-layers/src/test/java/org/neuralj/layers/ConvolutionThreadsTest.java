package org.neuralj.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralj.core.BuildContext;
import org.neuralj.core.Parallel;
import org.neuralj.core.Rng;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;
import org.neuralj.testkit.LayerConformance;

/**
 * Conv2D spreads blocks of images over threads: its output and gradients must be bit-identical whatever their number.
 * The one-thread run is a child JVM with {@code -Dneuralj.gemm.threads=1} (the setting is read once per JVM).
 */
class ConvolutionThreadsTest {
    @TempDir
    Path dir;

    /** Output, weight, bias and input gradients of a strided, padded convolution on a batch of 21 (3 blocks). */
    static float[] run() {
        Conv2D conv = new Conv2D(5, 3, 2, Padding.SAME);
        conv.build(Shape.of(3, 9, 8), BuildContext.of(new Rng(1)));
        Tensor x = LayerConformance.randomInput(21, Shape.of(3, 9, 8), new Rng(2));
        Tensor y = conv.forward(x, true).copy();
        Tensor gx = conv.backward(Tensor.randn(new Rng(3), 21, y.cols()).reshape(y.shape()));
        float[] gw = conv.parameters().get(0).grad().toArray(), gb = conv.parameters().get(1).grad().toArray();
        float[] all = Arrays.copyOf(y.toArray(), y.size() + gw.length + gb.length + gx.size());
        System.arraycopy(gw, 0, all, y.size(), gw.length);
        System.arraycopy(gb, 0, all, y.size() + gw.length, gb.length);
        System.arraycopy(gx.toArray(), 0, all, y.size() + gw.length + gb.length, gx.size());
        return all;
    }

    /** The child: writes {@link #run()}'s values as text to the file given. */
    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), Arrays.toString(run()));
    }

    @Test
    void resultsAreBitIdenticalOnOneThreadAndOnAll() throws Exception {
        Path out = dir.resolve("one-thread.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Dneuralj.gemm.threads=1", "-cp",
                System.getProperty("java.class.path"), ConvolutionThreadsTest.class.getName(), out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        assertThat(child.waitFor()).as(Files.readString(dir.resolve("child.log"))).isZero();
        assertThat(Files.readString(out)).isEqualTo(Arrays.toString(run()));
        assertThat(Parallel.threads()).as("threads here, to compare with the child's 1").isPositive();
    }
}
