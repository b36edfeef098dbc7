package org.neuralj.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;

/** The byte-array forms of a model file: the same bytes as the file, the same predictions, the same checks. */
class ModelFileBytesTest {
    @TempDir
    Path dir;

    @Test
    void bytesAreTheFileAndLoadBackToTheSamePredictions() throws IOException {
        Sequential net = ModelFileTest.allBuiltIns(7);
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(net, file);

        byte[] bytes = ModelFile.toBytes(net);
        Sequential back = ModelFile.fromBytes(bytes);

        assertThat(bytes).isEqualTo(Files.readAllBytes(file));
        Tensor x = ModelFileTest.input(5, 6, 3);
        assertThat(back.predict(x).data()).isEqualTo(net.predict(x).data());
        assertThat(back.rng().state()).isEqualTo(net.rng().state());
    }

    @Test
    void damagedBytesAreRefusedAsAModelFormatError() throws IOException {
        byte[] bytes = ModelFile.toBytes(ModelFileTest.allBuiltIns(7));
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 9);

        assertThatThrownBy(() -> ModelFile.fromBytes(truncated)).isInstanceOf(ModelFormatException.class);
        assertThatThrownBy(() -> ModelFile.fromBytes(new byte[3])).isInstanceOf(ModelFormatException.class);
    }

    @Test
    void limitsApplyAsToAFile() throws IOException {
        byte[] bytes = ModelFile.toBytes(ModelFileTest.allBuiltIns(7));

        assertThatThrownBy(() -> ModelFile.fromBytes(bytes, ModelLimits.defaults().maxDataBytes(16)))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("16");
    }

    @Test
    void nullsAreRefusedByName() {
        assertThatThrownBy(() -> ModelFile.toBytes(null)).hasMessageContaining("model");
        assertThatThrownBy(() -> ModelFile.fromBytes(null)).hasMessageContaining("bytes");
    }
}
