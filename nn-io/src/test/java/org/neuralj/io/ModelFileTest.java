package org.neuralj.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.userlayers.FeatureGain;
import com.example.userlayers.LeakyReLU;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralj.core.Layer;
import org.neuralj.core.LayerRegistry;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.layers.AvgPool2D;
import org.neuralj.layers.BatchNorm;
import org.neuralj.layers.Conv2D;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Flatten;
import org.neuralj.layers.GlobalAvgPool2D;
import org.neuralj.layers.Initializer;
import org.neuralj.layers.MaxPool2D;
import org.neuralj.layers.Padding;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Reshape;
import org.neuralj.layers.Sigmoid;
import org.neuralj.layers.Softmax;
import org.neuralj.layers.Tanh;

/** Saving and loading: bit-identical round trips of every registered layer, and the file's exact byte layout. */
class ModelFileTest {
    /** An independent reader for checking what was written: plain Jackson, not the model file's own. */
    private static final com.fasterxml.jackson.databind.ObjectMapper PLAIN_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @TempDir
    Path dir;

    static Sequential allBuiltIns(long seed) {
        return Sequential.builder().input(6)
                .add(new Dense(8)).add(new Tanh())
                .add(new Dense(7, Initializer.heNormal())).add(new ReLU())
                .add(new Dense(5, Initializer.xavierUniform(), Initializer.constant(0.1))).add(new Sigmoid())
                .add(new Dense(3, Initializer.gaussian(0.01))).add(new Softmax())
                .seed(seed).build();
    }

    static Tensor input(int rows, int cols, long seed) {
        return Tensor.randn(new Rng(seed), rows, cols).scale(3f);
    }

    private static void assertSameNetwork(Sequential loaded, Sequential original) {
        assertThat(loaded.toString()).isEqualTo(original.toString());
        assertThat(loaded.summary()).isEqualTo(original.summary());
        assertThat(loaded.seed()).isEqualTo(original.seed());
        assertThat(loaded.rng().state()).isEqualTo(original.rng().state());
        for (int i = 0; i < original.parameters().size(); i++) {
            assertThat(loaded.parameters().get(i).value().toArray())
                    .as("parameter %d", i).isEqualTo(original.parameters().get(i).value().toArray());
        }
        Tensor x = input(50, original.inputShape().size(), 11);
        float[] expected = original.predict(x).toArray();
        float[] actual = loaded.predict(x).toArray();
        for (int i = 0; i < expected.length; i++) {
            assertThat(Float.floatToRawIntBits(actual[i])).as("output %d", i)
                    .isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }

    @Test
    void everyBuiltInLayerRoundTripsWithBitIdenticalPredictions() throws IOException {
        Sequential net = allBuiltIns(7);
        net.rng().nextGaussian(); // a generator mid-stream, spare Gaussian pending, must come back as it was
        Path file = dir.resolve("net.safetensors");
        ModelFile.save(net, file);
        assertSameNetwork(ModelFile.load(file), net);
    }

    @Test
    void aTrainedConvolutionalNetworkRoundTripsWithItsRunningStatistics() throws IOException {
        Sequential net = Sequential.builder().input(1, 6, 6)
                .add(new Conv2D(3, 3, 2, Padding.SAME, false, Initializer.heNormal())).add(new BatchNorm())
                .add(new ReLU()).add(new AvgPool2D(2, 1)).add(new Conv2D(2, 1)).add(new GlobalAvgPool2D())
                .add(new Reshape(2, 1, 1)).add(new MaxPool2D(1)).add(new Flatten()).add(new Softmax())
                .seed(5).build();
        Tensor x = input(8, 36, 3).reshape(8, 1, 6, 6);
        net.forward(x, true); // moves the running statistics away from their initial 0 and 1
        float[] runningMean = net.layers().get(1).buffers().get(0).value().toArray();
        assertThat(runningMean).isNotEqualTo(new float[3]);
        Path file = dir.resolve("cnn.safetensors");
        ModelFile.save(net, file);
        Sequential loaded = ModelFile.load(file);
        assertThat(loaded.layers().get(1).buffers().get(0).value().toArray()).isEqualTo(runningMean);
        assertThat(loaded.layers().get(1).buffers().get(1).value().toArray())
                .isEqualTo(net.layers().get(1).buffers().get(1).value().toArray());
        assertThat(loaded.parameters().get(0).value().shape()).containsExactly(3, 1, 3, 3);
        assertSameNetwork(loaded, net);
        assertThat(net.copy().predict(x).contentEquals(net.predict(x))).isTrue();
    }

    @Test
    void userLayersFromOutsideTheFrameworkRoundTripThroughTheirRegisteredTypes() throws IOException {
        Sequential net = Sequential.builder().input(4)
                .add(new FeatureGain())
                .add(new Dense(6)).add(new LeakyReLU(0.1f))
                .add(new Dense(2)).add(new LeakyReLU(0.3f))
                .seed(3).build();
        Path file = dir.resolve("user.safetensors");
        ModelFile.save(net, file);
        Sequential loaded = ModelFile.load(file);
        assertThat(loaded.layers().get(0)).isInstanceOf(FeatureGain.class);
        assertThat(loaded.layers().get(4).name()).isEqualTo("LeakyReLU(0.3)");
        assertSameNetwork(loaded, net);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyConcreteLayerClassOfTheModuleHasARegisteredType() throws Exception {
        Path classes = Path.of(Dense.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> unregistered = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = classes.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name);
                if (Layer.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())
                        && Modifier.isPublic(c.getModifiers())) {
                    try {
                        LayerRegistry.shared().byClass((Class<? extends Layer>) c);
                    } catch (IllegalArgumentException e) {
                        unregistered.add(name);
                    }
                }
            }
        }
        assertThat(unregistered).as("layer classes without a LayerType in META-INF/services").isEmpty();
    }

    @Test
    void aLayerWithoutRegisteredTypeIsRefusedBeforeAnyFileIsWritten() {
        Layer anonymous = new org.neuralj.core.Activation() {
            @Override
            protected float apply(float x) {
                return x;
            }

            @Override
            protected float derivative(float x, float y) {
                return 1;
            }
        };
        Sequential net = Sequential.builder().input(2).add(new Dense(2)).add(anonymous).build();
        Path file = dir.resolve("never.safetensors");
        assertThatThrownBy(() -> ModelFile.save(net, file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no registered layer type");
        assertThat(file).doesNotExist();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void theFileIsPlainSafetensorsLittleEndianF32WithTheArchitectureInTheMetadata() throws IOException {
        Sequential net = Sequential.builder().input(3).add(new Dense(2)).add(new Sigmoid()).seed(5).build();
        Path file = dir.resolve("layout.safetensors");
        ModelFile.save(net, file);

        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long n = bytes.getLong(0);
        assertThat(n % 8).as("header padded to 8 bytes").isZero();
        JsonNode header = PLAIN_JSON.readTree(new String(bytes.array(), 8, (int) n, StandardCharsets.UTF_8));
        assertThat(header.get("0.weights").get("dtype").asText()).isEqualTo("F32");
        assertThat(header.get("0.weights").get("shape").toString()).isEqualTo("[3,2]");
        assertThat(header.get("0.weights").get("data_offsets").toString()).isEqualTo("[0,24]");
        assertThat(header.get("0.bias").get("shape").toString()).isEqualTo("[2]");
        assertThat(header.get("0.bias").get("data_offsets").toString()).isEqualTo("[24,32]");
        assertThat(bytes.capacity()).isEqualTo(8 + n + 32);
        float[] w = net.parameters().get(0).value().toArray();
        for (int i = 0; i < w.length; i++) {
            assertThat(bytes.getFloat((int) (8 + n + 4 * i))).isEqualTo(w[i]);
        }
        JsonNode meta = header.get("__metadata__");
        assertThat(meta.get("format").asText()).isEqualTo("neuralj.Sequential");
        assertThat(meta.get("format_version").asText()).isEqualTo("1");
        JsonNode arch = PLAIN_JSON.readTree(meta.get("architecture").asText());
        assertThat(arch.get("input_shape").toString()).isEqualTo("[3]");
        assertThat(arch.get("layers").get(0).get("type").asText()).isEqualTo("Dense");
        assertThat(arch.get("layers").get(0).get("config").get("units").asInt()).isEqualTo(2);
        assertThat(arch.get("layers").get(0).get("parameters").get(1).get("tensor").asText()).isEqualTo("0.bias");
        assertThat(arch.get("layers").get(1).get("type").asText()).isEqualTo("Sigmoid");
    }

    @Test
    void extraTensorsAndMetadataTravelWithTheModel() throws IOException {
        Sequential net = Sequential.builder().input(2).add(new Dense(2)).build();
        Path file = dir.resolve("extra.safetensors");
        Tensor velocity = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        ModelFile.save(net, file, Map.of("optimizer.0.velocity", velocity), Map.of("epoch", "7"));
        ModelFile.Contents c = ModelFile.read(file, LayerRegistry.shared());
        assertThat(c.extraTensors()).containsOnlyKeys("optimizer.0.velocity");
        assertThat(c.extraTensors().get("optimizer.0.velocity").contentEquals(velocity)).isTrue();
        assertThat(c.metadata()).containsEntry("epoch", "7").containsEntry("format_version", "1");

        assertThatThrownBy(() -> ModelFile.save(net, file, Map.of("0.bias", velocity), Map.of()))
                .hasMessageContaining("extra tensor \"0.bias\" clashes");
        assertThatThrownBy(() -> ModelFile.save(net, file, Map.of(), Map.of("architecture", "{}")))
                .hasMessageContaining("\"architecture\" is reserved");
    }
}
