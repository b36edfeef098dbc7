package org.neuralj.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neuralj.core.BuildContext;
import org.neuralj.core.Dataset;
import org.neuralj.core.GradientCheck;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;
import org.neuralj.testkit.LayerConformance;

/** Conv2D and the pooling layers against direct definitions, their gradients, shapes and refusals. */
class ConvolutionTest {

    /** The definition, Y[n,f,i,j] = b[f] + Σ_c,u,v W[f,c,u,v]·X̃[n,c,i·s+u−pt, j·s+v−pl], in double. */
    private static double[] directConvolution(Tensor x, Tensor w, Tensor b, int stride, int padTop, int padLeft,
                                              int outH, int outW) {
        int batch = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3), f = w.dim(0), k = w.dim(2);
        double[] y = new double[batch * f * outH * outW];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < f; o++) {
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        double s = b.get(o);
                        for (int ch = 0; ch < c; ch++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    int ih = i * stride + u - padTop, iw = j * stride + v - padLeft;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < wd) {
                                        s += (double) w.get(((o * c + ch) * k + u) * k + v)
                                                * x.get(((n * c + ch) * h + ih) * wd + iw);
                                    }
                                }
                            }
                        }
                        y[((n * f + o) * outH + i) * outW + j] = s;
                    }
                }
            }
        }
        return y;
    }

    @ParameterizedTest(name = "k={0} stride={1} padding={2} on {3}x{4}")
    @CsvSource({
            "3, 1, valid, 6, 5, 0, 0, 4, 3",
            "5, 1, same, 7, 7, 2, 2, 7, 7",
            "4, 1, same, 6, 6, 1, 1, 6, 6",   // even kernel: total 3, one zero before, two after
            "3, 2, same, 7, 6, 1, 0, 4, 3",   // ⌈7/2⌉ = 4 needs 2 zeros (1 before), ⌈6/2⌉ = 3 needs 1 (0 before)
            "3, 2, 1, 7, 6, 1, 1, 4, 3",      // floor rule: (6 + 2 − 3)/2 = 2.5 → 3 columns
            "2, 3, 0, 8, 7, 0, 0, 3, 2"})
    void matchesTheDefinitionOfConvolution(int k, int stride, String padding, int h, int w, int padTop,
                                           int padLeft, int outH, int outW) {
        Padding p = padding.matches("\\d+") ? Padding.explicit(Integer.parseInt(padding)) : Padding.of(padding);
        Conv2D conv = new Conv2D(3, k, stride, p, true, Initializer.heNormal());
        assertThat(conv.build(Shape.of(2, h, w), BuildContext.of(new Rng(1)))).isEqualTo(Shape.of(3, outH, outW));
        conv.parameters().get(1).value().copyFrom(Tensor.of(new float[] {0.5f, -0.25f, 1f}, 3));
        Tensor x = LayerConformance.randomInput(2, Shape.of(2, h, w), new Rng(2));
        Tensor y = conv.forward(x, false);
        assertThat(y.shape()).containsExactly(2, 3, outH, outW);
        double[] expected = directConvolution(x, conv.weights().value(), conv.parameters().get(1).value(), stride,
                padTop, padLeft, outH, outW);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) y.get(i)).as("output %d", i).isCloseTo(expected[i],
                    org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.abs(expected[i]))));
        }
    }

    @ParameterizedTest(name = "k={0} stride={1} padding={2}")
    @CsvSource({"3, 2, same", "3, 2, 1", "2, 1, valid", "3, 1, same", "5, 3, 2"})
    void gradientsAgreeWithCentralDifferences(int k, int stride, String padding) {
        Padding p = padding.matches("\\d+") ? Padding.explicit(Integer.parseInt(padding)) : Padding.of(padding);
        GradientCheck.Report r = GradientCheck.check(new Conv2D(4, k, stride, p), Shape.of(3, 7, 8), 3, new Rng(9));
        assertThat(r.maxRelativeError()).containsKeys("input");
        assertThat(r.max()).as(r.toString()).isLessThan(GradientCheck.TOLERANCE);
    }

    @Test
    void gradientsWithoutBiasAndThroughPoolingLayers() {
        assertThat(GradientCheck.check(new Conv2D(2, 3, 1, Padding.SAME, false, Initializer.xavierUniform()),
                Shape.of(2, 5, 5), 2, new Rng(4)).max()).isLessThan(GradientCheck.TOLERANCE);
        assertThat(GradientCheck.check(new MaxPool2D(3, 2), Shape.of(2, 7, 7), 2, new Rng(5)).max())
                .isLessThan(GradientCheck.TOLERANCE);
        assertThat(GradientCheck.check(new AvgPool2D(2, 1), Shape.of(2, 5, 4), 2, new Rng(6)).max())
                .isLessThan(GradientCheck.TOLERANCE);
    }

    @Test
    void aLeNetShapedNetworkBackpropagatesCorrectly() {
        Sequential net = Sequential.builder().input(1, 10, 10)
                .add(new Conv2D(3, 3, Padding.SAME)).add(new ReLU()).add(new MaxPool2D(2))
                .add(new Conv2D(4, 3)).add(new Tanh()).add(new AvgPool2D(3))
                .add(new Flatten()).add(new Dense(3, Initializer.xavierNormal())).add(new Softmax())
                .seed(8).build();
        assertThat(net.outputShape(3)).isEqualTo(Shape.of(4, 3, 3));
        Rng rng = new Rng(10);
        Tensor x = LayerConformance.randomInput(3, net.inputShape(), rng);
        GradientCheck.Report r = GradientCheck.check(net, new CrossEntropy(), x,
                Dataset.oneHot(new int[] {0, 2, 1}, 3), rng);
        assertThat(r.max()).as(r.toString()).isLessThan(GradientCheck.TOLERANCE);
    }

    @Test
    void poolingComputesMaximaAndMeansOfWindows() {
        // one 1x4x5 image 0..19; 2x2 windows, stride 2: the last column is left out (floor rule)
        float[] v = new float[20];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        Tensor x = Tensor.of(v, 1, 1, 4, 5);
        MaxPool2D max = new MaxPool2D(2);
        max.build(Shape.of(1, 4, 5), BuildContext.of(new Rng(1)));
        assertThat(max.forward(x, true).toArray()).containsExactly(6, 8, 16, 18);
        Tensor gx = max.backward(Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
        assertThat(gx.get(6)).isEqualTo(1);
        assertThat(gx.get(18)).isEqualTo(4);
        assertThat(gx.sum()).isEqualTo(10);
        AvgPool2D avg = new AvgPool2D(2);
        avg.build(Shape.of(1, 4, 5), BuildContext.of(new Rng(1)));
        assertThat(avg.forward(x, true).toArray()).containsExactly(3, 5, 13, 15);
        GlobalAvgPool2D global = new GlobalAvgPool2D();
        global.build(Shape.of(1, 4, 5), BuildContext.of(new Rng(1)));
        assertThat(global.forward(x, true).toArray()).containsExactly(9.5f);
        assertThat(global.backward(Tensor.of(new float[] {2}, 1, 1)).toArray()).containsOnly(0.1f);
    }

    @Test
    void summaryShowsImageShapesAndFlattenFeedsDense() {
        Sequential net = Sequential.builder().input(1, 28, 28)
                .add(new Conv2D(6, 5, Padding.SAME)).add(new ReLU()).add(new MaxPool2D(2))
                .add(new Conv2D(16, 5)).add(new ReLU()).add(new MaxPool2D(2))
                .add(new Flatten()).add(new Dense(120, Initializer.heNormal())).add(new ReLU())
                .add(new Dense(84, Initializer.heNormal())).add(new ReLU())
                .add(new Dense(10, Initializer.xavierNormal())).add(new Softmax()).build();
        assertThat(net.summary()).contains("(None, 1, 28, 28)", "(None, 6, 28, 28)", "(None, 6, 14, 14)",
                "(None, 16, 10, 10)", "(None, 16, 5, 5)", "(None, 400)", "Total params: 61,706");
        Tensor images = LayerConformance.randomInput(3, net.inputShape(), new Rng(1));
        Tensor flat = images.reshape(3, 784);
        assertThat(net.predict(images).contentEquals(net.predict(flat))).isTrue();
        assertThatThrownBy(() -> net.predict(images.reshape(3, 28, 28, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 28, 28, 1]")
                .hasMessageContaining("(None, 1, 28, 28)");
    }

    @Test
    void badShapesAreRefusedAtBuildNamingTheLayerTheShapeAndTheRule() {
        assertThatThrownBy(() -> Sequential.builder().input(1, 4, 4).add(new Conv2D(2, 5)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer 0")
                .hasMessageContaining("5x5").hasMessageContaining("[1, 4, 4]").hasMessageContaining("fit");
        // padding 1 makes 4x4 into 6x6: a 5x5 kernel fits
        assertThat(Sequential.builder().input(1, 4, 4).add(new Conv2D(2, 5, 1, Padding.explicit(1))).build()
                .outputShape()).isEqualTo(Shape.of(2, 2, 2));
        assertThatThrownBy(() -> Sequential.builder().input(64).add(new Dense(4)).add(new Conv2D(2, 3)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer 1")
                .hasMessageContaining("[channels, height, width]").hasMessageContaining("[4]");
        assertThatThrownBy(() -> Sequential.builder().input(2, 3, 3).add(new MaxPool2D(2)).add(new MaxPool2D(2))
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer 1")
                .hasMessageContaining("[2, 1, 1]");
        assertThatThrownBy(() -> Sequential.builder().input(1, 8, 8).add(new Dense(3)).build())
                .hasMessageContaining("layer 0").hasMessageContaining("Flatten");
        assertThatThrownBy(() -> Sequential.builder().input(10).add(new Flatten()).build())
                .hasMessageContaining("layer 0").hasMessageContaining("flat already");
        assertThatThrownBy(() -> Sequential.builder().input(10).add(new Reshape(3, 3)).build())
                .hasMessageContaining("layer 0").hasMessageContaining("9 values").hasMessageContaining("[10]");
        assertThatThrownBy(() -> new Conv2D(0, 3)).hasMessageContaining("filters").hasMessageContaining("0");
        assertThatThrownBy(() -> new Conv2D(2, -1)).hasMessageContaining("kernel").hasMessageContaining("-1");
        assertThatThrownBy(() -> new Conv2D(2, 3, 0, Padding.VALID)).hasMessageContaining("stride");
        assertThatThrownBy(() -> new MaxPool2D(0)).hasMessageContaining("size");
        assertThatThrownBy(() -> new AvgPool2D(2, -2)).hasMessageContaining("stride").hasMessageContaining("-2");
        assertThatThrownBy(() -> Padding.explicit(-1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> Padding.of("full")).hasMessageContaining("\"full\"");
    }

    @Test
    void stepsAllocateNoNewBuffersOnceWarm() {
        Conv2D conv = new Conv2D(3, 3, 2, Padding.SAME);
        conv.build(Shape.of(2, 6, 6), BuildContext.of(new Rng(1)));
        Tensor x = LayerConformance.randomInput(4, Shape.of(2, 6, 6), new Rng(2));
        Tensor y = conv.forward(x, true);
        Tensor g = conv.backward(y);
        assertThat(conv.forward(x, true)).isSameAs(y);
        assertThat(conv.backward(y)).isSameAs(g);
        Flatten flatten = new Flatten();
        flatten.build(Shape.of(3, 3, 3), BuildContext.of(new Rng(1)));
        Tensor f = flatten.forward(y, true);
        assertThat(f.shape()).containsExactly(4, 27);
        assertThat(flatten.forward(y, true)).isSameAs(f);
        assertThat(flatten.backward(f).shape()).containsExactly(4, 3, 3, 3);
    }
}
