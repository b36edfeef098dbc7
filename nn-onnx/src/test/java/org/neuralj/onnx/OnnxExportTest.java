package org.neuralj.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.example.onnx.ScaledTanh;
import com.example.userlayers.LeakyReLU;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralj.core.AbstractLayer;
import org.neuralj.core.Classes;
import org.neuralj.core.Dataset;
import org.neuralj.core.FitOptions;
import org.neuralj.core.Layer;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerRegistry;
import org.neuralj.core.LayerType;
import org.neuralj.core.OnnxGraph;
import org.neuralj.core.OnnxMapping;
import org.neuralj.core.Parameter;
import org.neuralj.core.Predictor;
import org.neuralj.core.Preprocessing;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;
import org.neuralj.core.Trainer;
import org.neuralj.datasets.Digits;
import org.neuralj.datasets.Scaling;
import org.neuralj.datasets.Split;
import org.neuralj.datasets.ToyData;
import org.neuralj.layers.AvgPool2D;
import org.neuralj.layers.BatchNorm;
import org.neuralj.layers.Conv2D;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Dropout;
import org.neuralj.layers.Flatten;
import org.neuralj.layers.GlobalAvgPool2D;
import org.neuralj.layers.Initializer;
import org.neuralj.layers.MaxPool2D;
import org.neuralj.layers.Padding;
import org.neuralj.layers.QuadraticCost;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Reshape;
import org.neuralj.layers.Sigmoid;
import org.neuralj.layers.Softmax;
import org.neuralj.layers.Step;
import org.neuralj.layers.Tanh;
import org.neuralj.optim.Adam;
import org.neuralj.optim.SGD;

/** Every exported model runs in ONNX Runtime and gives {@code predict}'s outputs, within {@link #TOLERANCE}. */
class OnnxExportTest {
    /** The largest difference allowed between ONNX Runtime's output and {@code Sequential.predict}'s. */
    static final double TOLERANCE = 1e-5;

    @TempDir
    Path dir;

    /** One network per built-in layer type (input shape, layer factory), plus the user layer with a mapping. */
    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("Dense", Shape.of(7), (Supplier<Layer>) () -> new Dense(5)),
                Arguments.of("Dense (He init)", Shape.of(64), (Supplier<Layer>) () -> new Dense(30,
                        Initializer.heNormal())),
                Arguments.of("Sigmoid", Shape.of(2, 3), (Supplier<Layer>) Sigmoid::new),
                Arguments.of("Tanh", Shape.of(6), (Supplier<Layer>) Tanh::new),
                Arguments.of("ReLU", Shape.of(3, 2, 2), (Supplier<Layer>) ReLU::new),
                Arguments.of("Softmax", Shape.of(10), (Supplier<Layer>) Softmax::new),
                Arguments.of("Dropout", Shape.of(5), (Supplier<Layer>) () -> new Dropout(0.5)),
                Arguments.of("Step", Shape.of(8), (Supplier<Layer>) Step::new),
                Arguments.of("ScaledTanh (user layer)", Shape.of(4), (Supplier<Layer>) () -> new ScaledTanh(2.5f)),
                Arguments.of("Flatten", Shape.of(2, 7, 6), (Supplier<Layer>) Flatten::new),
                Arguments.of("Reshape", Shape.of(24), (Supplier<Layer>) () -> new Reshape(2, 3, 4)),
                Arguments.of("Reshape (images to rows)", Shape.of(2, 3, 4), (Supplier<Layer>) () -> new Reshape(6, 4)),
                Arguments.of("Conv2D", Shape.of(2, 7, 6), (Supplier<Layer>) () -> new Conv2D(3, 3)),
                Arguments.of("Conv2D (same, stride 2)", Shape.of(2, 7, 6),
                        (Supplier<Layer>) () -> new Conv2D(4, 3, 2, Padding.SAME)),
                Arguments.of("Conv2D (same, even kernel)", Shape.of(3, 6, 5),
                        (Supplier<Layer>) () -> new Conv2D(2, 4, 1, Padding.SAME)),
                Arguments.of("Conv2D (explicit 1, stride 2, floor)", Shape.of(2, 8, 7),
                        (Supplier<Layer>) () -> new Conv2D(3, 3, 2, Padding.explicit(1))),
                Arguments.of("Conv2D (no bias)", Shape.of(1, 5, 5),
                        (Supplier<Layer>) () -> new Conv2D(2, 2, 1, Padding.VALID, false, Initializer.heNormal())),
                Arguments.of("MaxPool2D", Shape.of(2, 7, 6), (Supplier<Layer>) () -> new MaxPool2D(2)),
                Arguments.of("MaxPool2D (3, stride 2)", Shape.of(3, 8, 7), (Supplier<Layer>) () -> new MaxPool2D(3, 2)),
                Arguments.of("AvgPool2D", Shape.of(2, 7, 6), (Supplier<Layer>) () -> new AvgPool2D(2)),
                Arguments.of("AvgPool2D (3, stride 1)", Shape.of(2, 6, 5), (Supplier<Layer>) () -> new AvgPool2D(3, 1)),
                Arguments.of("GlobalAvgPool2D", Shape.of(4, 5, 3), (Supplier<Layer>) GlobalAvgPool2D::new),
                Arguments.of("BatchNorm (features)", Shape.of(6), (Supplier<Layer>) BatchNorm::new),
                Arguments.of("BatchNorm (images)", Shape.of(3, 4, 5), (Supplier<Layer>) () -> new BatchNorm(0.1,
                        1e-3)));
    }

    /**
     * The built-in layers the exporter cannot express yet: each would be refused by name. Empty since the
     * convolutional family got its mappings; a layer added without one must be listed here (and is checked to have
     * none) or fail the test below.
     */
    static final java.util.Set<String> NOT_YET_EXPORTABLE = java.util.Set.of();

    /** So that a layer added to nn-layers without an ONNX mapping (or a case above) fails here. */
    @Test
    void everyBuiltInLayerTypeHasAMappingAndACaseAbove() {
        LayerRegistry registry = LayerRegistry.shared();
        List<String> builtIn = registry.names().stream()
                .filter(n -> registry.byName(n).layerClass().getPackageName().equals("org.neuralj.layers"))
                .filter(n -> !NOT_YET_EXPORTABLE.contains(n)).toList();
        assertThat(builtIn).isNotEmpty().allSatisfy(n -> assertThat(registry.byName(n)).as(n)
                .isInstanceOf(OnnxMapping.class));
        List<String> tested = layers().map(a -> ((Supplier<?>) a.get()[2]).get().getClass().getSimpleName()).toList();
        assertThat(tested).containsAll(builtIn.stream().map(n -> registry.byName(n).layerClass().getSimpleName())
                .toList());
        for (String n : NOT_YET_EXPORTABLE) {
            assertThat(registry.byName(n)).as("%s has a mapping now: take it out of NOT_YET_EXPORTABLE", n)
                    .isNotInstanceOf(OnnxMapping.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void eachLayerTypeMatchesOnnxRuntime(String name, Shape input, Supplier<Layer> layer) throws Exception {
        Sequential net = Sequential.builder().input(input).add(layer.get()).seed(3).build();
        Rng rng = new Rng(11);
        if (!net.layers().get(0).buffers().isEmpty()) {
            // running statistics (BatchNorm) start at 0 and 1: give them, and the parameters, values worth checking
            for (Parameter p : net.layers().get(0).buffers()) {
                p.value().copyFrom(Tensor.uniform(rng, 0.5f, 2f, p.value().shape()));
            }
            for (Parameter p : net.layers().get(0).parameters()) {
                p.value().copyFrom(Tensor.uniform(rng, -1f, 1f, p.value().shape()));
            }
        }
        double diff = 0;
        for (int rows : new int[] {1, 17}) {
            Tensor x = Tensor.randn(rng, batchShape(rows, input)).scaleInPlace(2);
            diff = Math.max(diff, assertMatches(net, x, name + ", " + rows + " rows"));
        }
        System.out.printf("%s: max |ONNX Runtime - predict| = %.3g%n", name, diff);
    }

    @Test
    void leNetLikeCnnMatchesOnDigits() throws Exception {
        Split data = Split.stratified(Scaling.divide(Digits.load(), 16), 0.2, new Rng(3));
        Sequential net = Sequential.builder().input(64).add(new Reshape(1, 8, 8))
                .add(new Conv2D(6, 3, Padding.SAME)).add(new ReLU()).add(new MaxPool2D(2))
                .add(new Conv2D(16, 3)).add(new ReLU()).add(new Flatten())
                .add(new Dense(10, Initializer.heNormal())).add(new Softmax()).seed(4).build();
        Trainer.fit(net, data.train(), FitOptions.of(new CrossEntropy(), new Adam(1e-3)).epochs(2).quiet());
        double diff = assertMatches(net, data.test().features(), "LeNet-like CNN");
        Tensor random = Tensor.uniform(new Rng(5), 0, 1, 20, 64);
        diff = Math.max(diff, assertMatches(net, random, "LeNet-like CNN, random inputs"));
        assertThat(runClasses(net, data.test().features())).containsExactly(net.predictClasses(data.test()
                .features()));
        System.out.printf("LeNet-like CNN on digits: max |ONNX Runtime - predict| = %.3g%n", diff);
    }

    @Test
    void cnnWithBatchNormMatchesOnDigitsAfterTraining() throws Exception {
        Split data = Split.stratified(Scaling.divide(Digits.load(), 16), 0.2, new Rng(6));
        Sequential net = Sequential.builder().input(1, 8, 8)
                .add(new Conv2D(8, 3, 1, Padding.SAME, false, Initializer.heNormal())).add(new BatchNorm())
                .add(new ReLU()).add(new AvgPool2D(2))
                .add(new Conv2D(8, 3, 2, Padding.SAME, false, Initializer.heNormal())).add(new BatchNorm())
                .add(new ReLU()).add(new GlobalAvgPool2D())
                .add(new Dense(16, Initializer.heNormal())).add(new BatchNorm()).add(new ReLU())
                .add(new Dense(10, Initializer.heNormal())).add(new Softmax()).seed(8).build();
        Trainer.fit(net, data.train(), FitOptions.of(new CrossEntropy(), new Adam(3e-3)).epochs(2).quiet());
        assertThat(((BatchNorm) net.layers().get(1)).buffers().get(0).value().data()[0]).as("running mean moved")
                .isNotZero();
        double diff = assertMatches(net, data.test().features(), "CNN with BatchNorm");
        Tensor random = Tensor.uniform(new Rng(7), 0, 1, 20, 1, 8, 8);
        diff = Math.max(diff, assertMatches(net, random, "CNN with BatchNorm, random inputs"));
        System.out.printf("CNN with BatchNorm on digits: max |ONNX Runtime - predict| = %.3g%n", diff);
    }

    @Test
    void stepIsZeroAtZeroAndOneAbove() throws Exception {
        Sequential net = Sequential.builder().input(4).add(new Step()).build();
        Tensor x = Tensor.row(-1, 0, 1e-30f, 3);
        assertThat(runOnnx(Onnx.toBytes(net), x, net)).containsExactly(0, 0, 1, 1);
        assertThat(net.predict(x).data()).containsExactly(0, 0, 1, 1);
    }

    @Test
    void digitsNetworkOfTheTutorialsMatchesOnTheTestSet() throws Exception {
        Split data = Split.stratified(Scaling.divide(Digits.load(), 16), 0.2, new Rng(0));
        Sequential net = Sequential.builder().input(64).add(new Dense(30)).add(new Sigmoid())
                .add(new Dense(10)).add(new Sigmoid()).seed(42).build();
        Trainer.fit(net, data.train(), FitOptions.of(new QuadraticCost(), new SGD(3.0)).epochs(3).batchSize(10)
                .quiet());
        double diff = assertMatches(net, data.test().features(), "digits 64-30-10 sigmoid");
        assertThat(runClasses(net, data.test().features())).containsExactly(net.predictClasses(data.test()
                .features()));
        System.out.printf("digits 64-30-10 sigmoid: max |ONNX Runtime - predict| = %.3g%n", diff);
    }

    @Test
    void moonsNetworkMatchesOnItsPoints() throws Exception {
        Rng rng = new Rng(7);
        Split data = Split.trainTest(ToyData.moons(1000, 0.2, rng), 0.2, rng);
        Sequential net = Sequential.builder().input(2).add(new Dense(16, Initializer.xavierNormal())).add(new Tanh())
                .add(new Dense(16, Initializer.xavierNormal())).add(new Tanh())
                .add(new Dense(2, Initializer.xavierNormal())).add(new Softmax()).seed(7).build();
        Trainer.fit(net, data.train(), FitOptions.of(new CrossEntropy(), new SGD(0.3)).epochs(20).batchSize(16)
                .quiet());
        double diff = assertMatches(net, data.test().features(), "moons 2-16-16-2 tanh/softmax");
        System.out.printf("moons 2-16-16-2 tanh: max |ONNX Runtime - predict| = %.3g%n", diff);
    }

    @Test
    void reluSoftmaxMlpWithDropoutMatchesOnDigits() throws Exception {
        Split data = Split.stratified(Scaling.divide(Digits.load(), 16), 0.2, new Rng(1));
        Sequential net = Sequential.builder().input(64)
                .add(new Dense(128, Initializer.heNormal())).add(new ReLU()).add(new Dropout(0.2))
                .add(new Dense(64, Initializer.heNormal())).add(new ReLU())
                .add(new Dense(10, Initializer.heNormal())).add(new Softmax()).seed(5).build();
        Trainer.fit(net, data.train(), FitOptions.of(new CrossEntropy(), new Adam(1e-3)).epochs(5).quiet());
        double diff = assertMatches(net, data.test().features(), "ReLU/softmax MLP");
        Tensor random = Tensor.uniform(new Rng(2), 0, 1, 50, 64);
        diff = Math.max(diff, assertMatches(net, random, "ReLU/softmax MLP, random inputs"));
        System.out.printf("ReLU/softmax 64-128-64-10 MLP: max |ONNX Runtime - predict| = %.3g%n", diff);
    }

    @Test
    void aPredictorIsExportedWithItsScalingSoOnnxRuntimeTakesRawPixels() throws Exception {
        Dataset raw = Digits.load();
        Dataset scaled = Scaling.divide(raw, 16);
        Scaling.Standardizer standardizer = Scaling.standardize(scaled);
        List<String> names = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
        Sequential net = Sequential.builder().input(64).add(new Dense(30, Initializer.heNormal())).add(new ReLU())
                .add(new Dense(10, Initializer.heNormal())).add(new Softmax()).seed(9).build();
        Trainer.fit(net, standardizer.apply(scaled), FitOptions.of(new CrossEntropy(), new Adam(1e-3)).epochs(2)
                .quiet());
        Predictor predictor = new Predictor(net, Preprocessing.divide(16)
                .standardize(standardizer.mean(), standardizer.std()).withClassNames(names));
        byte[] model = Onnx.toBytes(predictor);

        float[] expected = predictor.predict(raw.features()).data();
        float[] actual = runOnnx(model, raw.features(), net);
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
        }
        System.out.printf("digits predictor (raw pixels in): max |ONNX Runtime - predict| = %.3g%n", max);
        assertThat(max).isLessThanOrEqualTo(TOLERANCE);
        assertThat(ModelProto.parseFrom(model).getMetadataProps(0).getKey()).isEqualTo("class_names");
        assertThat(ModelProto.parseFrom(model).getMetadataProps(0).getValue())
                .isEqualTo("[\"zero\",\"one\",\"two\",\"three\",\"four\",\"five\",\"six\",\"seven\",\"eight\","
                        + "\"nine\"]");
        assertThat(ModelProto.parseFrom(model).getGraph().getNodeList()).extracting(n -> n.getOpType())
                .startsWith("Mul", "Sub", "Div", "Gemm");
    }

    @Test
    void exportWritesAModelOfOpset13WithASymbolicBatch() throws Exception {
        Sequential net = Sequential.builder().input(3).add(new Dense(2)).add(new Softmax()).build();
        Path file = dir.resolve("small.onnx");
        Onnx.export(net, file);

        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(file));
        assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(13);
        assertThat(model.getIrVersion()).isEqualTo(7);
        assertThat(model.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam())
                .isEqualTo("N");
        assertThat(model.getGraph().getInitializerList()).extracting(t -> t.getName())
                .containsExactly("0.weights", "0.bias");
        assertThat(model.getGraph().getNodeList()).extracting(n -> n.getOpType())
                .containsExactly("Gemm", "Softmax", "Identity");
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(file.toString())) {
            assertThat(session.getInputNames()).containsExactly("input");
            assertThat(session.getOutputNames()).containsExactly("output");
        }
    }

    @Test
    void aLayerWithoutMappingIsRefusedByIndexAndNameBeforeAnyFileIsWritten() {
        Sequential net = Sequential.builder().input(4).add(new Dense(3)).add(new LeakyReLU(0.1f)).build();
        Path file = dir.resolve("refused.onnx");

        assertThatThrownBy(() -> Onnx.export(net, file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 1 (LeakyReLU(0.1))")
                .hasMessageContaining("com.example.LeakyReLU")
                .hasMessageContaining("OnnxMapping");
        assertThat(file).doesNotExist();
    }

    @Test
    void aLayerWithoutRegisteredTypeIsRefusedByIndex() {
        Sequential net = Sequential.builder().input(2).add(new Tanh()).add(new Unregistered()).build();

        assertThatThrownBy(() -> Onnx.toBytes(net))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot export layer 1")
                .hasMessageContaining("Unregistered");
    }

    @Test
    void mappingsThatMisuseTheGraphAreNamed() {
        Sequential net = Sequential.builder().input(2).add(new Tanh()).add(new GraphSpy()).build();
        assertThatThrownBy(() -> Onnx.model(net, LayerRegistry.of(new Tanh.Type(),
                new GraphSpy.Type(g -> g.node("Relu", "nowhere")))))
                .hasMessage("layer 1: input \"nowhere\" of Relu is not a value of the graph; pass the mapping's"
                        + " input or a name returned by constant or node");
        assertThatThrownBy(() -> Onnx.model(net, LayerRegistry.of(new Tanh.Type(),
                new GraphSpy.Type(g -> g.node("Relu", Map.of("alpha", List.of(1)), "0.Tanh")))))
                .hasMessageStartingWith("layer 1: attribute \"alpha\" of Relu is a java.util.");
        assertThatThrownBy(() -> Onnx.model(net, LayerRegistry.of(new Tanh.Type(),
                new GraphSpy.Type(g -> "made-up"))))
                .hasMessage("layer 1 (GraphSpy): its ONNX mapping returned \"made-up\", which is not a value of the"
                        + " graph");
    }

    // ---------------------------------------------------------------- helpers

    /** {@code [rows, ...sample]}: a batch of samples of their real rank. */
    static int[] batchShape(int rows, Shape sample) {
        int[] shape = new int[sample.rank() + 1];
        shape[0] = rows;
        System.arraycopy(sample.dims(), 0, shape, 1, sample.rank());
        return shape;
    }

    /** Asserts ONNX Runtime's output on {@code x} equals {@code net.predict(x)} within the tolerance; returns the max. */
    static double assertMatches(Sequential net, Tensor x, String what) throws OrtException {
        float[] expected = net.predict(x).data();
        float[] actual = runOnnx(Onnx.toBytes(net), x, net);
        assertThat(actual).as(what + ": output size").hasSize(expected.length);
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
        }
        assertThat(max).as(what + ": max |ONNX Runtime - predict|").isLessThanOrEqualTo(TOLERANCE);
        return max;
    }

    static int[] runClasses(Sequential net, Tensor x) throws OrtException {
        float[] out = runOnnx(Onnx.toBytes(net), x, net);
        return Classes.of(Tensor.of(out, x.rows(), net.outputShape().size()));
    }

    /** Runs {@code model} in ONNX Runtime on {@code x}, reshaped to {@code [rows, ...net.inputShape()]}. */
    static float[] runOnnx(byte[] model, Tensor x, Sequential net) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = new long[net.inputShape().rank() + 1];
        shape[0] = x.rows();
        for (int i = 0; i < net.inputShape().rank(); i++) {
            shape[i + 1] = net.inputShape().dim(i);
        }
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toArray()), shape);
             OrtSession.Result result = session.run(Map.of(Onnx.INPUT, input))) {
            OnnxTensor output = (OnnxTensor) result.get(Onnx.OUTPUT).orElseThrow();
            long[] expectedShape = new long[net.outputShape().rank() + 1];
            expectedShape[0] = x.rows();
            for (int i = 0; i < net.outputShape().rank(); i++) {
                expectedShape[i + 1] = net.outputShape().dim(i);
            }
            assertThat(output.getInfo().getShape()).as("ONNX output shape").containsExactly(expectedShape);
            FloatBuffer values = output.getFloatBuffer();
            float[] out = new float[values.remaining()];
            values.get(out);
            return out;
        }
    }

    /** A layer no type is registered for. */
    static final class Unregistered extends AbstractLayer {
        @Override
        protected Shape build(Shape inputShape) {
            return inputShape;
        }

        @Override
        public Tensor forward(Tensor x, boolean training) {
            return x;
        }

        @Override
        public Tensor backward(Tensor gradOutput) {
            return gradOutput;
        }
    }

    /** A layer whose mapping is given by the test, to misuse the graph. */
    static final class GraphSpy extends AbstractLayer {
        @Override
        protected Shape build(Shape inputShape) {
            return inputShape;
        }

        @Override
        public Tensor forward(Tensor x, boolean training) {
            return x;
        }

        @Override
        public Tensor backward(Tensor gradOutput) {
            return gradOutput;
        }

        @Override
        public String name() {
            return "GraphSpy";
        }

        static final class Type extends LayerType<GraphSpy>
                implements OnnxMapping<GraphSpy> {
            private final Function<OnnxGraph, String> mapping;

            Type(Function<OnnxGraph, String> mapping) {
                super("GraphSpy", GraphSpy.class);
                this.mapping = mapping;
            }

            @Override
            public GraphSpy create(LayerConfig config) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String toOnnx(GraphSpy layer, OnnxGraph graph, String input) {
                return mapping.apply(graph);
            }
        }
    }
}
