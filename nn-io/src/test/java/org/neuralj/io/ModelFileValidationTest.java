package org.neuralj.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralj.core.Sequential;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Sigmoid;

/** Every way a file can be wrong is refused with a {@link ModelFormatException} that names the file and the fault. */
class ModelFileValidationTest {
    /** An independent reader for checking what was written: plain Jackson, not the model file's own. */
    private static final com.fasterxml.jackson.databind.ObjectMapper PLAIN_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @TempDir
    Path dir;
    private Path file;
    private ObjectNode header;
    private ObjectNode architecture;
    private byte[] data;

    /** A valid file of Dense(2) on 3 inputs + Sigmoid, taken apart into its header, architecture and data. */
    @BeforeEach
    void validFile() throws IOException {
        Sequential net = Sequential.builder().input(3).add(new Dense(2)).add(new Sigmoid()).seed(5).build();
        file = dir.resolve("model.safetensors");
        ModelFile.save(net, file);
        byte[] bytes = Files.readAllBytes(file);
        int n = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        header = (ObjectNode) PLAIN_JSON.readTree(new String(bytes, 8, n, StandardCharsets.UTF_8));
        architecture = (ObjectNode) PLAIN_JSON.readTree(header.get("__metadata__").get("architecture").asText());
        data = Arrays.copyOfRange(bytes, 8 + n, bytes.length);
    }

    private void write(byte[] headerBytes, byte[] dataBytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + headerBytes.length + dataBytes.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerBytes.length).put(headerBytes).put(dataBytes);
        Files.write(file, b.array());
    }

    /** Rewrites the file after {@code change} edits the header (and the architecture inside it). */
    private void rewrite(Consumer<ObjectNode> change) throws IOException {
        change.accept(header);
        if (header.get("__metadata__") instanceof ObjectNode metadata) {
            metadata.put("architecture", architecture.toString());
        }
        write(header.toString().getBytes(StandardCharsets.UTF_8), data);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> loading() {
        return assertThatThrownBy(() -> ModelFile.load(file))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(file + ": ");
    }

    private ObjectNode layer(int i) {
        return (ObjectNode) architecture.get("layers").get(i);
    }

    @Test
    void theValidFileLoads() throws IOException {
        rewrite(h -> { });
        assertThat(ModelFile.load(file).parameterCount()).isEqualTo(8);
    }

    @Test
    void tooShortForTheLengthField() throws IOException {
        Files.write(file, new byte[] {1, 2, 3});
        loading().hasMessageContaining("3 bytes, too few for the 8-byte header length");
    }

    @Test
    void headerLengthBeyondTheFileOrTheCapOrNegative() throws IOException {
        for (long length : new long[] {1_000, 200_000_000L, -1L, 0}) {
            ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
            Files.write(file, b.array());
            loading().hasMessageContaining("header length " + Long.toUnsignedString(length) + " is impossible")
                    .hasMessageContaining("(at byte 0)")
                    .satisfies(e -> assertThat(((ModelFormatException) e).offset()).isZero());
        }
    }

    @Test
    void headerNotUtf8NotJsonNotAnObjectOrWithDuplicateKeys() throws IOException {
        write(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, new byte[0]);
        loading().hasMessageContaining("not valid UTF-8");
        write("{\"a\": [1, 2".getBytes(StandardCharsets.UTF_8), new byte[0]);
        loading().hasMessageContaining("header is not well-formed JSON");
        write("[1, 2, 3]".getBytes(StandardCharsets.UTF_8), new byte[0]);
        loading().hasMessageContaining("header must be a JSON object but is ARRAY");
        write("{\"a\": 1, \"a\": 2}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        loading().hasMessageContaining("not well-formed JSON").hasMessageContaining("Duplicate field 'a'");
        write("{} {}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        loading().hasMessageContaining("not well-formed JSON");
        write(("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8), new byte[0]);
        loading().hasMessageContaining("not well-formed JSON").hasMessageContaining("nesting depth");
    }

    @Test
    void unknownAndUnsupportedDtypes() throws IOException {
        rewrite(h -> ((ObjectNode) h.get("0.bias")).put("dtype", "F99"));
        loading().hasMessageContaining("tensor \"0.bias\" has unknown dtype \"F99\"");
        rewrite(h -> ((ObjectNode) h.get("0.bias")).put("dtype", "F16"));
        loading().hasMessageContaining("tensor \"0.bias\" has dtype F16, which this reader does not read");
    }

    @Test
    void offsetsOutsideTheFileOverlappingLeavingGapsOrTrailingBytes() throws IOException {
        rewrite(h -> ((ArrayNode) h.get("0.bias").get("data_offsets")).removeAll().add(24).add(1L << 40));
        loading().hasMessageContaining("data_offsets [24, 1099511627776] lie outside the 32 data bytes");
        validFile();
        rewrite(h -> ((ArrayNode) h.get("0.bias").get("data_offsets")).removeAll().add(16).add(24));
        loading().hasMessageContaining("tensor \"0.bias\" (data bytes 16..24) overlaps tensor \"0.weights\"");
        validFile();
        rewrite(h -> {
            ((ObjectNode) h.get("0.weights")).putArray("shape").add(2).add(2);
            ((ArrayNode) h.get("0.weights").get("data_offsets")).removeAll().add(0).add(16);
        });
        loading().hasMessageContaining("data bytes 16..24 belong to no tensor");
        validFile();
        data = Arrays.copyOf(data, data.length + 4);
        rewrite(h -> { });
        loading().hasMessageContaining("the tensors cover 32 data bytes but the file holds 36");
    }

    @Test
    void shapeThatDisagreesWithItsBytesOrIsNotADimensionList() throws IOException {
        rewrite(h -> ((ObjectNode) h.get("0.bias")).putArray("shape").add(3));
        loading().hasMessageContaining("tensor \"0.bias\" shape [3] needs 12 bytes of F32 but data_offsets [24, 32]"
                + " hold 8");
        validFile();
        rewrite(h -> ((ObjectNode) h.get("0.bias")).putArray("shape").add(-2));
        loading().hasMessageContaining("has dimension -2");
        validFile();
        rewrite(h -> ((ObjectNode) h.get("0.bias")).putArray("shape").add(1 << 20).add(1 << 20));
        loading().hasMessageContaining("has more than 2147483647 values");
    }

    @Test
    void metadataMustBeStringsAndTheFormatOursAndSupported() throws IOException {
        rewrite(h -> ((ObjectNode) h.get("__metadata__")).put("epoch", 3));
        loading().hasMessageContaining("__metadata__ value \"epoch\" must be a string but is NUMBER");
        validFile();
        rewrite(h -> h.remove("__metadata__"));
        loading().hasMessageContaining("not a neuralj model").hasMessageContaining("plain safetensors");
        validFile();
        rewrite(h -> ((ObjectNode) h.get("__metadata__")).put("format_version", "2"));
        loading().hasMessageContaining("format_version \"2\" is not supported; this version of neuralj reads"
                + " version 1");
        validFile();
        ((ObjectNode) header.get("__metadata__")).put("architecture", "{\"layers\": [");
        write(header.toString().getBytes(StandardCharsets.UTF_8), data);
        loading().hasMessageContaining("the architecture is not well-formed JSON");
    }

    @Test
    void unknownLayerTypeIsNamedWithTheRegisteredOnes() throws IOException {
        rewrite(h -> layer(1).put("type", "Conv9D"));
        loading().hasMessageContaining("layer 1 (Conv9D): unknown layer type \"Conv9D\"")
                .hasMessageContaining("Dense").hasMessageContaining("com.example.LeakyReLU");
    }

    @Test
    void configsThatTheTypeRejects() throws IOException {
        rewrite(h -> ((ObjectNode) layer(0).get("config")).put("units", "two"));
        loading().hasMessageContaining("layer 0 (Dense): the config")
                .hasMessageContaining("config \"units\" must be an integer but was \"two\"");
        validFile();
        rewrite(h -> ((ObjectNode) layer(0).get("config")).putObject("weightInit").put("type", "magic"));
        loading().hasMessageContaining("unknown initializer type \"magic\"");
    }

    @Test
    void aHugeLayerIsRefusedBeforeItsWeightsAreAllocated() throws IOException {
        // Dense(2_000_000_000) on 3 inputs would allocate 24 GB when built; the stored 8 values give it away first
        rewrite(h -> {
            ((ObjectNode) layer(0).get("config")).put("units", 2_000_000_000);
            layer(0).putArray("output_shape").add(2_000_000_000);
        });
        loading().hasMessageContaining("layer 0 (Dense(2000000000)): parameter \"weights\" of shape [3, 2000000000]"
                + " brings the layer's parameters to 6000000000 values but the file stores 8");
    }

    @Test
    void parametersAndShapesMustMatchTheArchitecture() throws IOException {
        rewrite(h -> ((ObjectNode) layer(0).get("parameters").get(1)).put("tensor", "0.gone"));
        loading().hasMessageContaining("parameter \"bias\" refers to tensor \"0.gone\", which the file does not hold");
        validFile();
        rewrite(h -> ((ObjectNode) layer(0).get("parameters").get(1)).put("tensor", "0.weights"));
        loading().hasMessageContaining("tensor \"0.weights\" is already used by another parameter");
        validFile();
        rewrite(h -> layer(1).putArray("output_shape").add(5));
        loading().hasMessageContaining("layer 1 (Sigmoid) outputs shape [2] but the architecture records [5]");
        validFile();
        rewrite(h -> architecture.putArray("input_shape").add(4));
        loading().hasMessageContaining("layer 0 (Dense(2)): parameter \"bias\" of shape [2] brings the layer's"
                + " parameters to 10 values but the file stores 8");
        validFile();
        rewrite(h -> ((ObjectNode) h.get("0.weights")).putArray("shape").add(2).add(3));
        loading().hasMessageContaining("layer 0 (Dense(2)) parameter 0 is \"weights\" [3, 2] but the file stores"
                + " \"weights\" as tensor \"0.weights\" [2, 3]");
        validFile();
        rewrite(h -> architecture.putArray("rng_state").add(0).add(0).add(0).add(0).add(0).add(0));
        loading().hasMessageContaining("the architecture does not build: Rng state words must not all be zero");
    }

    @Test
    void aFlippedBitInTheWeightsIsReportedNamingTheTensor() throws IOException {
        data[13] ^= 0x04; // inside "0.weights" (data bytes 0..24)
        rewrite(h -> { });
        loading().hasMessageContaining("tensor \"0.weights\" (data bytes 0..24) has CRC32C")
                .hasMessageContaining("damaged");
    }

    @Test
    void aFileWithoutChecksumsStillLoads() throws IOException {
        assertThat(header.get("__metadata__").has(SafeTensors.CHECKSUM_KEY)).isTrue();
        rewrite(h -> ((ObjectNode) h.get("__metadata__")).remove(SafeTensors.CHECKSUM_KEY));
        assertThat(ModelFile.load(file).parameterCount()).isEqualTo(8);
    }

    @Test
    void aChecksumEntryThatDoesNotCoverEveryTensorIsRefused() throws IOException {
        rewrite(h -> ((ObjectNode) h.get("__metadata__")).put(SafeTensors.CHECKSUM_KEY, "{\"0.weights\":\"00000000\"}"));
        loading().hasMessageContaining("no checksum for tensor \"0.bias\"");
        rewrite(h -> ((ObjectNode) h.get("__metadata__")).put(SafeTensors.CHECKSUM_KEY,
                "{\"0.weights\":\"xyz\",\"0.bias\":\"00000000\"}"));
        loading().hasMessageContaining("8 lower-case hex digits");
    }
}
