package org.neuralj.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralj.core.Predictor;
import org.neuralj.core.Preprocessing;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Softmax;

/** The preprocessing a model file keeps beside the network. */
class PreprocessingFileTest {
    @TempDir
    Path dir;

    private static Sequential net() {
        return Sequential.builder().input(3).add(new Dense(2)).add(new Softmax()).seed(5).build();
    }

    @Test
    void aPredictorRoundTripsWithItsScalingAndClassNames() throws Exception {
        Preprocessing p = Preprocessing.divide(255).standardize(new float[] {0.1f, 0.2f, 0.3f},
                new float[] {1.5f, 0.25f, 3f}).withClassNames(List.of("cat", "dog"));
        Predictor saved = new Predictor(net(), p);
        Path file = dir.resolve("model.safetensors");
        ModelFile.save(saved, file);

        Predictor loaded = ModelFile.loadPredictor(file);
        assertThat(loaded.preprocessing()).isEqualTo(p);
        Tensor raw = Tensor.row(12, 200, 255);
        assertThat(loaded.predict(raw).data()).containsExactly(saved.predict(raw).data());
        assertThat(loaded.className(1)).isEqualTo("dog");
        // a plain load still gives the network, which takes preprocessed inputs
        assertThat(ModelFile.load(file).predict(p.apply(raw)).data()).containsExactly(saved.predict(raw).data());
    }

    @Test
    void aFileWithoutPreprocessingLoadsWithNone() throws Exception {
        Path file = dir.resolve("plain.safetensors");
        ModelFile.save(net(), file);

        assertThat(ModelFile.loadPredictor(file).preprocessing()).isEqualTo(Preprocessing.NONE);
    }

    @Test
    void damagedOrMismatchedPreprocessingIsAModelFormatException() throws Exception {
        Path file = dir.resolve("bad.safetensors");
        ModelFile.save(net(), file, Map.of(), Map.of("preprocessing", "{\"divide_by\": \"x\"}"));
        assertThatThrownBy(() -> ModelFile.loadPredictor(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("needs a number \"divide_by\" and an array \"class_names\"");

        ModelFile.save(net(), file, Map.of(), Map.of("preprocessing", "{\"divide_by\": 0, \"class_names\": []}"));
        assertThatThrownBy(() -> ModelFile.loadPredictor(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("divisor must be finite and non-zero but was 0.0");

        ModelFile.save(net(), file, Map.of(), Map.of("preprocessing",
                "{\"divide_by\": 1, \"class_names\": [\"a\", \"b\", \"c\"]}"));
        assertThatThrownBy(() -> ModelFile.loadPredictor(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("does not fit the network: 3 class names [a, b, c] for a network of 2 classes");

        ModelFile.save(net(), file, Map.of("preprocessing.mean", Tensor.zeros(3)), Map.of("preprocessing",
                "{\"divide_by\": 1, \"class_names\": []}"));
        assertThatThrownBy(() -> ModelFile.loadPredictor(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("needs the vectors \"preprocessing.mean\" and \"preprocessing.std\"");
    }
}
