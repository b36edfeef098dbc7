package org.neuralj.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.io.ModelFile;
import org.neuralj.io.ModelFormatException;
import org.neuralj.io.SafeTensors;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Dropout;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Softmax;
import org.neuralj.layers.Tanh;

/**
 * Loads the fixture written by {@code make_pytorch_fixture.py}: PyTorch's {@code state_dict} of
 * {@code nn.Sequential(Linear(4, 16), ReLU(), Dropout(0.2), Linear(16, 8), Tanh(), Linear(8, 3), Softmax(dim=1))}
 * and PyTorch's predictions on six inputs.
 */
class PyTorchWeightsTest {
    @TempDir
    Path dir;

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(PyTorchWeightsTest.class.getResource(name).toURI());
    }

    /** The neuralj twin of the PyTorch network: module i is layer i. */
    static Sequential twin() {
        return Sequential.builder().input(4)
                .add(new Dense(16)).add(new ReLU()).add(new Dropout(0.2))
                .add(new Dense(8)).add(new Tanh())
                .add(new Dense(3)).add(new Softmax()).seed(1).build();
    }

    @Test
    void predictsWhatPyTorchPredicted() throws Exception {
        List<String> lines = Files.readAllLines(fixture("pytorch-mlp.csv"));
        float[] x = new float[lines.size() * 4];
        float[] expected = new float[lines.size() * 3];
        for (int i = 0; i < lines.size(); i++) {
            String[] v = lines.get(i).split(",");
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = Float.parseFloat(v[j]);
            }
            for (int j = 0; j < 3; j++) {
                expected[i * 3 + j] = Float.parseFloat(v[4 + j]);
            }
        }
        Sequential net = twin();
        PyTorchWeights.load(fixture("pytorch-mlp.safetensors"), net);

        float[] actual = net.predict(Tensor.of(x, lines.size(), 4)).data();
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
        }
        System.out.printf("PyTorch fixture: max |predict - PyTorch| = %.3g%n", max);
        assertThat(max).isLessThanOrEqualTo(1e-6);
        // and the loaded network exports to ONNX like any other
        OnnxExportTest.assertMatches(net, Tensor.of(x, lines.size(), 4), "PyTorch fixture in ONNX Runtime");
    }

    @Test
    void linearWeightsAreTransposedAndBiasesCopied() throws Exception {
        Sequential net = Sequential.builder().input(3).add(new Dense(2)).build();
        Path file = dir.resolve("linear.safetensors");
        // PyTorch's Linear(3, 2): weight [out = 2, in = 3]
        SafeTensors.write(file, Map.of("0.weight", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3),
                "0.bias", Tensor.of(new float[] {10, 20}, 2)), Map.of("format", "pt"));
        PyTorchWeights.load(file, net);

        assertThat(net.layers().get(0).parameters().get(0).value().toArray()).containsExactly(1, 4, 2, 5, 3, 6);
        assertThat(net.predict(Tensor.row(1, 0, -1)).data()).containsExactly(1 - 3 + 10, 4 - 6 + 20);
    }

    @Test
    void permuteReordersAxesOfAnyRank() {
        float[] t = new float[24];
        for (int i = 0; i < t.length; i++) {
            t[i] = i;
        }
        // [2, 3, 4] -> axes {2, 0, 1}: result [4, 2, 3], result[a][b][c] = t[b][c][a]
        float[] p = PyTorchWeights.permute(t, new int[] {2, 3, 4}, new int[] {2, 0, 1});
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 2; b++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(p[a * 6 + b * 3 + c]).isEqualTo(t[b * 12 + c * 4 + a]);
                }
            }
        }
    }

    @Test
    void aMissingTensorIsNamedWithTheLayerItBelongsTo() throws Exception {
        Path file = write(Map.of("0.weight", new int[] {16, 4}, "0.bias", new int[] {16},
                "3.weight", new int[] {8, 16}, "3.bias", new int[] {8}, "5.weight", new int[] {3, 8}));
        Sequential net = twin();
        float[] before = net.parameters().get(0).value().toArray();

        assertThatThrownBy(() -> PyTorchWeights.load(file, net))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 5 (Dense(3)) parameter \"bias\" [3] expects tensor \"5.bias\" [3],"
                        + " which the file does not hold");
        assertThat(net.parameters().get(0).value().toArray()).containsExactly(before);
    }

    @Test
    void aMisshapenTensorIsNamedOnBothSides() throws Exception {
        Path file = write(Map.of("0.weight", new int[] {16, 4}, "0.bias", new int[] {16},
                "3.weight", new int[] {16, 8}, "3.bias", new int[] {8}, "5.weight", new int[] {3, 8},
                "5.bias", new int[] {3}));
        Sequential net = twin();
        float[] before = net.parameters().get(0).value().toArray();

        assertThatThrownBy(() -> PyTorchWeights.load(file, net))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 3 (Dense(8)) parameter \"weights\" [16, 8] expects tensor \"3.weight\""
                        + " of shape [8, 16] but the file stores [16, 8]");
        assertThat(net.parameters().get(0).value().toArray()).containsExactly(before);
    }

    @Test
    void anExtraTensorIsNamedWithTheNamesExpected() throws Exception {
        Path file = write(Map.of("0.weight", new int[] {16, 4}, "0.bias", new int[] {16},
                "3.weight", new int[] {8, 16}, "3.bias", new int[] {8}, "5.weight", new int[] {3, 8},
                "5.bias", new int[] {3}, "7.weight", new int[] {2, 3}));

        assertThatThrownBy(() -> PyTorchWeights.load(file, twin()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor \"7.weight\" [2, 3] matches no parameter of the network")
                .hasMessageContaining("it expects [0.weight, 0.bias, 3.weight, 3.bias, 5.weight, 5.bias]");
    }

    @Test
    void aModuleIndexShiftedByOneIsRefused() throws Exception {
        // the PyTorch network has no Dropout, so its second Linear is module 2, not 3
        Path file = write(Map.of("0.weight", new int[] {16, 4}, "0.bias", new int[] {16},
                "2.weight", new int[] {8, 16}, "2.bias", new int[] {8}, "4.weight", new int[] {3, 8},
                "4.bias", new int[] {3}));

        assertThatThrownBy(() -> PyTorchWeights.load(file, twin()))
                .hasMessageContaining("layer 3 (Dense(8)) parameter \"weights\" [16, 8] expects tensor \"3.weight\""
                        + " [8, 16], which the file does not hold; it holds {");
    }

    @Test
    void aNeuraljModelFileIsNotAPyTorchStateDict() throws Exception {
        Sequential net = twin();
        Path file = dir.resolve("neuralj.safetensors");
        ModelFile.save(net, file);

        assertThatThrownBy(() -> PyTorchWeights.load(file, twin()))
                .hasMessageContaining("expects tensor \"0.weight\"");
    }

    @Test
    void aDamagedFileIsAModelFormatException() throws Exception {
        Path file = dir.resolve("damaged.safetensors");
        Files.write(file, new byte[] {1, 2, 3});

        assertThatThrownBy(() -> PyTorchWeights.load(file, twin())).isInstanceOf(ModelFormatException.class);
    }

    /** A safetensors file of zero tensors of the given shapes. */
    private Path write(Map<String, int[]> shapes) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> tensors.put(name, Tensor.zeros(shape)));
        Path file = dir.resolve("state.safetensors");
        SafeTensors.write(file, tensors, Map.of());
        return file;
    }
}
