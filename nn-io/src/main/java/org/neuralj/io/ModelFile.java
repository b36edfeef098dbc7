package org.neuralj.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.neuralj.core.Layer;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerRegistry;
import org.neuralj.core.LayerType;
import org.neuralj.core.Parameter;
import org.neuralj.core.Predictor;
import org.neuralj.core.Sequential;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;

/**
 * Saves a {@link Sequential} network to one file and loads it back with bit-identical predictions.
 *
 * <pre>{@code
 * ModelFile.save(net, Path.of("digits.safetensors"));
 * Sequential same = ModelFile.load(Path.of("digits.safetensors"));
 * }</pre>
 *
 * <p>The file is a {@link SafeTensors} container: the weights are float32 tensors named {@code "<layer>.<param>"}
 * (e.g. {@code "0.weights"}, {@code "0.bias"}; {@code Dense} weights are {@code [in, out]}, {@code Conv2D} weights
 * {@code [out, in, kh, kw]} as PyTorch's), so Python's safetensors and PyTorch read them directly. The header's {@code __metadata__} holds {@code "format": "neuralj.Sequential"},
 * {@code "format_version": "1"} and {@code "architecture"}, a JSON document (as a string, since safetensors metadata
 * values are strings):
 *
 * <pre>{@code
 * {"input_shape": [64], "seed": 42, "rng_state": [6 integers],
 *  "layers": [{"type": "Dense", "config": {"units": 30, ...}, "output_shape": [30],
 *              "parameters": [{"name": "weights", "tensor": "0.weights"}, {"name": "bias", "tensor": "0.bias"}]},
 *             {"type": "BatchNorm", ..., "parameters": [gamma, beta],
 *              "buffers": [{"name": "running_mean", "tensor": "2.running_mean"}, ...running_var]},
 *             {"type": "Sigmoid", "config": {}, "output_shape": [30], "parameters": []}, ...]}
 * }</pre>
 *
 * A layer's buffers ({@link Layer#buffers()}: state that is saved but not trained, such as batch normalisation's
 * running statistics) are listed under {@code "buffers"}, present only for layers that have any, so files of models
 * without them are unchanged. Layer types are found by name in a {@link LayerRegistry}, so any layer whose type is registered round-trips,
 * user layers included. Saving is atomic ({@link AtomicFile}). Loading checks everything before building the
 * network — the container (see {@link SafeTensors#open}), the format version, every layer type, the shape chain and
 * each layer's parameter count against the stored tensors — and reports any problem as a
 * {@link ModelFormatException}.
 */
public final class ModelFile {
    /** The value of the {@code format} metadata entry. */
    public static final String FORMAT = "neuralj.Sequential";
    /** The format version this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private ModelFile() {
    }

    /**
     * A model file's network plus whatever else was stored with it (a checkpoint's optimizer state, for instance).
     *
     * @param extraTensors the tensors no layer refers to, by name
     * @param metadata     the whole {@code __metadata__}, including the model's own entries
     */
    public record Contents(Sequential model, Map<String, Tensor> extraTensors, Map<String, String> metadata) {
    }

    // ---------------------------------------------------------------- saving

    /** Atomically writes {@code model}'s architecture and weights to {@code file}. */
    public static void save(Sequential model, Path file) throws IOException {
        save(model, file, Map.of(), Map.of());
    }

    /**
     * Atomically writes {@code model} plus {@code extraTensors} (whose names must not clash with the model's) and
     * {@code extraMetadata} entries (whose keys must not be the model's own).
     *
     * @throws IllegalArgumentException before touching the disk, when a layer has no registered type, a config holds a
     *                                  value JSON cannot carry exactly, or a name clashes
     */
    public static void save(Sequential model, Path file, Map<String, Tensor> extraTensors,
                            Map<String, String> extraMetadata) throws IOException {
        save(model, file, extraTensors, extraMetadata, UnaryOperator.identity());
    }

    static void save(Sequential model, Path file, Map<String, Tensor> extraTensors, Map<String, String> extraMetadata,
                     UnaryOperator<OutputStream> wrap) throws IOException {
        java.util.Objects.requireNonNull(model, "model must not be null");
        java.util.Objects.requireNonNull(file, "file must not be null");
        model.lock().lock();
        try {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, Object> architecture = architecture(model, tensors);
            for (Map.Entry<String, Tensor> e : extraTensors.entrySet()) {
                if (tensors.putIfAbsent(e.getKey(), e.getValue()) != null) {
                    throw new IllegalArgumentException("extra tensor \"" + e.getKey() + "\" clashes with a model"
                            + " parameter of the same name");
                }
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("format", FORMAT);
            metadata.put("format_version", Integer.toString(FORMAT_VERSION));
            metadata.put("architecture", Json.write(architecture));
            for (Map.Entry<String, String> e : extraMetadata.entrySet()) {
                if (metadata.putIfAbsent(e.getKey(), e.getValue()) != null) {
                    throw new IllegalArgumentException("extra metadata key \"" + e.getKey() + "\" is reserved for"
                            + " the model");
                }
            }
            SafeTensors.write(file, tensors, metadata, wrap);
        } finally {
            model.lock().unlock();
        }
    }

    /** The architecture document; adds each parameter to {@code tensors} under the name it records. */
    private static Map<String, Object> architecture(Sequential model, Map<String, Tensor> tensors) {
        LayerRegistry registry = LayerRegistry.shared();
        List<Object> layers = new ArrayList<>();
        for (int i = 0; i < model.layers().size(); i++) {
            Layer layer = model.layers().get(i);
            LayerType<?> type = registry.forLayer(layer);
            LayerConfig config;
            try {
                config = type.configOf(layer);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + i + " (" + layer.name() + "): " + e.getMessage(), e);
            }
            Map<String, Object> entry = ordered("type", type.name(),
                    "config", config.asMap(),
                    "output_shape", model.outputShape(i).dims());
            entry.put("parameters", stored(i, layer, layer.parameters(), tensors));
            if (!layer.buffers().isEmpty()) {
                entry.put("buffers", stored(i, layer, layer.buffers(), tensors));
            }
            layers.add(entry);
        }
        Map<String, Object> a = ordered("input_shape", model.inputShape().dims(), "seed", model.seed(),
                "rng_state", model.rng().state());
        a.put("layers", layers);
        return a;
    }

    /** The {@code {name, tensor}} entries of layer {@code i}'s parameters or buffers, adding each to {@code tensors}. */
    private static List<Object> stored(int i, Layer layer, List<Parameter> list, Map<String, Tensor> tensors) {
        List<Object> entries = new ArrayList<>();
        for (Parameter p : list) {
            String tensor = i + "." + p.name();
            if (tensors.putIfAbsent(tensor, p.value()) != null) {
                throw new IllegalArgumentException("layer " + i + " (" + layer.name() + ") has two parameters or"
                        + " buffers named \"" + p.name() + "\"; their names must be unique within a layer");
            }
            entries.add(ordered("name", p.name(), "tensor", tensor));
        }
        return entries;
    }

    private static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    // ---------------------------------------------------------------- loading

    /** Loads the network saved in {@code file}, with the layer types registered on the class path. */
    public static Sequential load(Path file) throws IOException {
        return load(file, ModelLimits.defaults());
    }

    /** {@link #load(Path)} under caller-chosen {@code limits} on the header and the tensor data. */
    public static Sequential load(Path file, ModelLimits limits) throws IOException {
        return read(file, LayerRegistry.shared(), limits).model();
    }

    /**
     * Loads the network saved in {@code file} and everything stored with it, resolving layer types in
     * {@code registry}.
     *
     * @throws ModelFormatException naming the file and what is wrong with it, before anything is built
     */
    public static Contents read(Path file, LayerRegistry registry) throws IOException {
        return read(file, registry, ModelLimits.defaults());
    }

    /** {@link #read(Path, LayerRegistry)} under caller-chosen {@code limits} (see {@link ModelLimits}). */
    public static Contents read(Path file, LayerRegistry registry, ModelLimits limits) throws IOException {
        java.util.Objects.requireNonNull(file, "file must not be null");
        java.util.Objects.requireNonNull(registry, "registry must not be null");
        java.util.Objects.requireNonNull(limits, "limits must not be null");
        try {
            return readChecked(file, registry, limits);
        } catch (IOException e) {
            throw AtomicFile.namingFile(file, "cannot load", e);
        }
    }

    private static Contents readChecked(Path file, LayerRegistry registry, ModelLimits limits) throws IOException {
        try (SafeTensors st = SafeTensors.open(file, limits)) {
            Map<String, String> metadata = st.metadata();
            checkVersion(file, metadata);
            String json = metadata.get("architecture");
            if (json == null) {
                throw new ModelFormatException(file, "__metadata__ has no \"architecture\"");
            }
            List<LayerSpec> specs = new ArrayList<>();
            Blueprint blueprint = blueprint(file, Json.parse(file, -1, json, "architecture"), st, registry,
                    specs);
            Sequential model = build(file, blueprint, specs);
            Set<String> used = new HashSet<>();
            for (int i = 0; i < specs.size(); i++) {
                List<Parameter> values = stateOf(model.layers().get(i));
                for (int j = 0; j < values.size(); j++) {
                    SafeTensors.Entry e = specs.get(i).tensors().get(j);
                    Tensor into = values.get(j).value();
                    st.readInto(e, into.data(), into.offset());
                    used.add(e.name());
                }
            }
            Map<String, Tensor> extras = new LinkedHashMap<>();
            for (SafeTensors.Entry e : st.entries().values()) {
                if (!used.contains(e.name())) {
                    extras.put(e.name(), st.read(e));
                }
            }
            return new Contents(model, Collections.unmodifiableMap(extras), metadata);
        }
    }

    private static void checkVersion(Path file, Map<String, String> metadata) throws ModelFormatException {
        String format = metadata.get("format");
        String version = metadata.get("format_version");
        if (format == null || version == null) {
            throw new ModelFormatException(file, "not a neuralj model: __metadata__ has no \"format\" and"
                    + " \"format_version\" (a plain safetensors file holds weights but no architecture)");
        }
        if (!format.equals(FORMAT)) {
            throw new ModelFormatException(file, "format is \"" + format + "\" but this reader reads \"" + FORMAT
                    + "\"");
        }
        if (!version.equals(Integer.toString(FORMAT_VERSION))) {
            throw new ModelFormatException(file, "format_version \"" + version + "\" is not supported; this"
                    + " version of neuralj reads version " + FORMAT_VERSION);
        }
    }

    /** What the architecture says, checked, before anything is built. */
    private record Blueprint(Shape inputShape, long seed, long[] rngState) {
    }

    /**
     * One layer as the file describes it: created but not yet built. {@code names} and {@code tensors} list its
     * parameters, then its buffers, in the order of {@link #stateOf}; {@code buffers} is how many of them are buffers.
     */
    private record LayerSpec(Layer layer, Shape outputShape, List<String> names, List<SafeTensors.Entry> tensors,
                             int buffers, long storedValues) {
    }

    /** A layer's parameters followed by its buffers: every tensor the file stores for it, in the file's order. */
    private static List<Parameter> stateOf(Layer layer) {
        List<Parameter> all = new ArrayList<>(layer.parameters());
        all.addAll(layer.buffers());
        return all;
    }

    private static Blueprint blueprint(Path file, JsonNode a, SafeTensors st, LayerRegistry registry,
                                       List<LayerSpec> specs) throws ModelFormatException {
        if (!a.isObject()) {
            throw new ModelFormatException(file, "the architecture must be a JSON object but is " + a.getNodeType());
        }
        Shape input = shape(file, "input_shape", a.get("input_shape"));
        JsonNode seed = a.get("seed");
        if (seed == null || !seed.isIntegralNumber() || !seed.canConvertToLong()) {
            throw new ModelFormatException(file, "the architecture's \"seed\" must be a 64-bit integer but is " + seed);
        }
        JsonNode rng = a.get("rng_state");
        if (rng == null || !rng.isArray() || rng.size() != 6) {
            throw new ModelFormatException(file, "the architecture's \"rng_state\" must be 6 integers but is " + rng);
        }
        long[] rngState = new long[6];
        for (int i = 0; i < 6; i++) {
            if (!rng.get(i).isIntegralNumber() || !rng.get(i).canConvertToLong()) {
                throw new ModelFormatException(file, "rng_state[" + i + "] must be a 64-bit integer but is "
                        + rng.get(i));
            }
            rngState[i] = rng.get(i).longValue();
        }
        JsonNode layers = a.get("layers");
        if (layers == null || !layers.isArray() || layers.isEmpty()) {
            throw new ModelFormatException(file, "the architecture's \"layers\" must be a non-empty array");
        }
        Set<String> claimed = new HashSet<>();
        Shape shape = input;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec spec = layerSpec(file, i, layers.get(i), shape, st, registry, claimed);
            specs.add(spec);
            shape = spec.outputShape();
        }
        return new Blueprint(input, seed.longValue(), rngState);
    }

    private static LayerSpec layerSpec(Path file, int i, JsonNode node, Shape input, SafeTensors st,
                                       LayerRegistry registry, Set<String> claimed) throws ModelFormatException {
        String where = "layer " + i;
        if (!node.isObject() || !node.path("type").isTextual() || !node.path("config").isObject()
                || !node.path("parameters").isArray() || node.has("buffers") && !node.get("buffers").isArray()) {
            throw new ModelFormatException(file, where + " must be an object with a \"type\" string, a \"config\""
                    + " object, a \"parameters\" array and optionally a \"buffers\" array but is "
                    + Json.abbreviate(node));
        }
        String typeName = node.get("type").textValue();
        where += " (" + typeName + ")";
        LayerType<?> type;
        try {
            type = registry.byName(typeName);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, where + ": " + e.getMessage());
        }
        Shape output = shape(file, where + " output_shape", node.get("output_shape"));
        List<String> names = new ArrayList<>();
        List<SafeTensors.Entry> tensors = new ArrayList<>();
        long stored = 0;
        List<JsonNode> entries = new ArrayList<>();
        node.get("parameters").forEach(entries::add);
        int parameters = entries.size();
        node.path("buffers").forEach(entries::add);
        for (int k = 0; k < entries.size(); k++) {
            JsonNode p = entries.get(k);
            String kind = k < parameters ? "parameter" : "buffer";
            if (!p.path("name").isTextual() || !p.path("tensor").isTextual()) {
                throw new ModelFormatException(file, where + ": each " + kind + " needs a \"name\" and a \"tensor\""
                        + " string but one is " + Json.abbreviate(p));
            }
            String tensor = p.get("tensor").textValue();
            SafeTensors.Entry e = st.entries().get(tensor);
            if (e == null) {
                throw new ModelFormatException(file, where + ": " + kind + " \"" + p.get("name").textValue()
                        + "\" refers to tensor \"" + tensor + "\", which the file does not hold");
            }
            if (!claimed.add(tensor)) {
                throw new ModelFormatException(file, where + ": tensor \"" + tensor + "\" is already used by"
                        + " another parameter or buffer");
            }
            names.add(p.get("name").textValue());
            tensors.add(e);
            stored += e.size();
        }
        Layer layer;
        try {
            layer = type.create(LayerConfig.of(Json.toMap(node.get("config"))));
        } catch (RuntimeException e) {
            throw new ModelFormatException(file, where + ": the config " + Json.abbreviate(node.get("config"))
                    + " is not valid: " + e.getMessage(), e);
        }
        return new LayerSpec(layer, output, names, tensors, entries.size() - parameters, stored);
    }

    /** A sample shape: 1 to 8 positive dimensions whose product fits an int. */
    private static Shape shape(Path file, String what, JsonNode node) throws ModelFormatException {
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > 8) {
            throw new ModelFormatException(file, what + " must be an array of 1 to 8 dimensions but is " + node);
        }
        int[] dims = new int[node.size()];
        long size = 1;
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() <= 0) {
                throw new ModelFormatException(file, what + " " + node + " has dimension " + d
                        + "; dimensions must be positive integers");
            }
            dims[i] = d.intValue();
            size *= dims[i];
            if (size > Integer.MAX_VALUE) {
                throw new ModelFormatException(file, what + " " + node + " has more than " + Integer.MAX_VALUE
                        + " values per sample");
            }
        }
        return Shape.of(dims);
    }

    /** Builds the network and checks that every layer came out as the file describes it. */
    private static Sequential build(Path file, Blueprint b, List<LayerSpec> specs) throws ModelFormatException {
        Sequential model;
        try {
            Sequential.Builder builder = Sequential.builder().input(b.inputShape()).seed(b.seed());
            specs.forEach(s -> builder.add(s.layer()));
            // no layer may allocate more parameter values than the file stores for it
            model = builder.buildWithLimits(specs.stream().mapToLong(LayerSpec::storedValues).toArray());
            model.rng().restore(b.rngState());
        } catch (RuntimeException e) {
            throw new ModelFormatException(file, "the architecture does not build: " + e.getMessage(), e);
        }
        for (int i = 0; i < specs.size(); i++) {
            LayerSpec spec = specs.get(i);
            String where = "layer " + i + " (" + spec.layer().name() + ")";
            if (!model.outputShape(i).equals(spec.outputShape())) {
                throw new ModelFormatException(file, where + " outputs shape " + model.outputShape(i)
                        + " but the architecture records " + spec.outputShape());
            }
            int buffers = spec.layer().buffers().size(), params = spec.layer().parameters().size();
            if (params != spec.tensors().size() - spec.buffers() || buffers != spec.buffers()) {
                throw new ModelFormatException(file, where + " has " + params + " parameters and " + buffers
                        + " buffers but the file stores " + (spec.tensors().size() - spec.buffers()) + " and "
                        + spec.buffers());
            }
            List<Parameter> state = stateOf(spec.layer());
            for (int j = 0; j < state.size(); j++) {
                Parameter p = state.get(j);
                SafeTensors.Entry e = spec.tensors().get(j);
                if (!p.name().equals(spec.names().get(j)) || !Arrays.equals(p.value().shape(), e.shape())) {
                    throw new ModelFormatException(file, where + (j < params ? " parameter " + j : " buffer "
                            + (j - params)) + " is \"" + p.name() + "\" " + Arrays.toString(p.value().shape())
                            + " but the file stores \"" + spec.names().get(j) + "\" as tensor \"" + e.name() + "\" "
                            + Arrays.toString(e.shape()));
                }
            }
        }
        return model;
    }

    // ---------------------------------------------------------------- bytes

    /**
     * {@code model} as the bytes {@link #save(Sequential, Path)} would write: how a model travels where there is no
     * shared file system (a Spark broadcast, a message). Same checks as {@code save}, before anything is written.
     */
    public static byte[] toBytes(Sequential model) throws IOException {
        java.util.Objects.requireNonNull(model, "model must not be null");
        // SafeTensors reads and writes through a FileChannel, so the bytes pass through a private temporary file:
        // one code path, the file format's checks and limits included.
        Path file = java.nio.file.Files.createTempFile("neuralj-model", ".safetensors");
        try {
            save(model, file);
            return java.nio.file.Files.readAllBytes(file);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /** The network stored in {@code bytes} (from {@link #toBytes}), under the default {@link ModelLimits}. */
    public static Sequential fromBytes(byte[] bytes) throws IOException {
        return fromBytes(bytes, ModelLimits.defaults());
    }

    /**
     * {@link #fromBytes(byte[])} under caller-chosen {@code limits}: every check {@link #load(Path, ModelLimits)}
     * makes, reported as a {@link ModelFormatException}.
     */
    public static Sequential fromBytes(byte[] bytes, ModelLimits limits) throws IOException {
        java.util.Objects.requireNonNull(bytes, "bytes must not be null");
        java.util.Objects.requireNonNull(limits, "limits must not be null");
        Path file = java.nio.file.Files.createTempFile("neuralj-model", ".safetensors");
        try {
            java.nio.file.Files.write(file, bytes);
            return load(file, limits);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    // ---------------------------------------------------------------- preprocessing

    /**
     * Atomically writes {@code predictor}'s network, as {@link #save(Sequential, Path)} does, with its
     * {@link org.neuralj.core.Preprocessing}: the {@code "preprocessing"} metadata entry ({@code divide_by},
     * {@code class_names}) and, for a standardiser, the tensors {@code preprocessing.mean} and {@code preprocessing.std}.
     * {@link #load} still reads the network alone.
     */
    public static void save(Predictor predictor, Path file) throws IOException {
        java.util.Objects.requireNonNull(predictor, "predictor must not be null");
        save(predictor.network(), file, StoredPreprocessing.tensors(predictor.preprocessing()),
                StoredPreprocessing.metadata(predictor.preprocessing()));
    }

    /**
     * Loads the network saved in {@code file} with the preprocessing stored beside it, or
     * {@link org.neuralj.core.Preprocessing#NONE} for a file without one.
     *
     * @throws ModelFormatException when the stored preprocessing is damaged or does not fit the network
     */
    public static Predictor loadPredictor(Path file) throws IOException {
        Contents contents = read(file, LayerRegistry.shared());
        try {
            return new Predictor(contents.model(), StoredPreprocessing.read(file, contents.metadata(),
                    contents.extraTensors()));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "the stored preprocessing does not fit the network: "
                    + e.getMessage(), e);
        }
    }
}
