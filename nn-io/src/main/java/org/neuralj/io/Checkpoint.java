package org.neuralj.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralj.core.EarlyStopping;
import org.neuralj.core.EpochResult;
import org.neuralj.core.FitOptions;
import org.neuralj.core.LayerRegistry;
import org.neuralj.core.Optimizer;
import org.neuralj.core.Parameter;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.core.Trainer;
import org.neuralj.core.TrainingListener;

/**
 * Training frozen after an epoch: the model (weights and random-generator state), the optimizer's state, the epoch
 * number and the history so far. Resuming from it continues bit for bit as if training had never stopped:
 *
 * <pre>{@code
 * Checkpoint cp = Checkpoint.load(Path.of("run.ckpt"));
 * Sequential net = cp.model();
 * Trainer.fit(net, train, cp.resume(FitOptions.of(new CrossEntropy(), new SGD(0.1)).epochs(30)));
 * }</pre>
 *
 * <p>The file is a {@link ModelFile} (so it also loads as a plain model) with two additions: tensors named
 * {@code optimizer.<parameter index>.<state name>} (and {@code early_stopping.<parameter index>}, the best weights)
 * and a {@code __metadata__} entry {@value #METADATA_KEY} holding JSON {@code {"checkpoint_version": 1, "epoch": n,
 * "optimizer": {"class": ..., "learning_rate": ..., "steps": ..., "settings": {...}}, "early_stopping": {...},
 * "run": {...}, "history": [...]}} ({@code early_stopping} and {@code run} only when saved with them). Written
 * atomically, like every model file.
 */
public final class Checkpoint {
    /** The metadata entry that makes a model file a checkpoint. */
    public static final String METADATA_KEY = "neuralj.checkpoint";
    private static final int VERSION = 1;
    private static final String OPTIMIZER_PREFIX = "optimizer.";
    private static final String EARLY_STOPPING_PREFIX = "early_stopping.";

    private final Sequential model;
    private final int epoch;
    private final List<EpochResult> history;
    private final String optimizerClass;
    private final double learningRate;
    private final long steps;
    private final Map<String, Tensor> optimizerState;
    private final Path file;
    /** The optimizer's settings when saved; null in checkpoints written before they were stored. */
    private Map<String, Object> optimizerSettings;
    /** Early stopping's settings and state when saved with one; null otherwise. */
    private Map<String, Object> earlyStoppingSettings;
    private EarlyStopping.State earlyStopping;
    private Map<String, String> run = Map.of();

    private Checkpoint(Path file, Sequential model, int epoch, List<EpochResult> history, String optimizerClass,
                       double learningRate, long steps, Map<String, Tensor> optimizerState) {
        this.file = file;
        this.steps = steps;
        this.optimizerState = optimizerState;
        this.model = model;
        this.epoch = epoch;
        this.history = history;
        this.optimizerClass = optimizerClass;
        this.learningRate = learningRate;
    }

    /**
     * Atomically writes a checkpoint of {@code model} and {@code optimizer} after the last epoch of {@code history}
     * (the epochs trained so far, in order, from the first).
     */
    public static void save(Path file, Sequential model, Optimizer optimizer, List<EpochResult> history)
            throws IOException {
        save(file, model, optimizer, history, null, Map.of());
    }

    /**
     * {@link #save(Path, Sequential, Optimizer, List)}, plus the state of {@code earlyStopping} (when not null: best
     * value, its epoch, the wait count, the best weights) and {@code run}, the settings that define the run (for the
     * example program, its flags), so that a resume needs nothing else and can refuse contradicting settings.
     */
    public static void save(Path file, Sequential model, Optimizer optimizer, List<EpochResult> history,
                            EarlyStopping earlyStopping, Map<String, String> run) throws IOException {
        java.util.Objects.requireNonNull(file, "file must not be null");
        java.util.Objects.requireNonNull(model, "model must not be null");
        java.util.Objects.requireNonNull(optimizer, "optimizer must not be null");
        java.util.Objects.requireNonNull(history, "history must not be null");
        java.util.Objects.requireNonNull(run, "run must not be null");
        if (history.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint is taken after an epoch, but the history is empty");
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("checkpoint_version", VERSION);
        state.put("epoch", history.get(history.size() - 1).epoch());
        state.put("optimizer", Map.of("class", optimizer.getClass().getName(),
                "learning_rate", optimizer.learningRate(), "steps", optimizer.steps(),
                "settings", optimizer.settings()));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        if (earlyStopping != null) {
            EarlyStopping.State es = earlyStopping.state();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("settings", earlyStopping.settings());
            m.put("best", finiteOrNull(es.best()));
            m.put("best_epoch", es.bestEpoch());
            m.put("wait", es.waited());
            m.put("best_weights", es.bestWeights() != null);
            state.put("early_stopping", m);
            List<Parameter> parameters = model.parameters();
            for (int i = 0; es.bestWeights() != null && i < parameters.size(); i++) {
                tensors.put(EARLY_STOPPING_PREFIX + i, Tensor.of(es.bestWeights()[i], parameters.get(i).value()
                        .shape()));
            }
        }
        if (!run.isEmpty()) {
            state.put("run", new java.util.TreeMap<>(run));
        }
        state.put("history", history.stream().map(Checkpoint::toJson).toList());
        List<Parameter> parameters = model.parameters();
        for (int i = 0; i < parameters.size(); i++) {
            for (Map.Entry<String, Tensor> e : optimizer.state(parameters.get(i)).entrySet()) {
                tensors.put(OPTIMIZER_PREFIX + i + "." + e.getKey(), e.getValue());
            }
        }
        ModelFile.save(model, file, tensors, Map.of(METADATA_KEY, Json.write(state)));
    }

    /**
     * Reads a checkpoint written by {@link #save}.
     *
     * @throws ModelFormatException naming the file when it is not a valid model file or lacks the checkpoint part
     */
    public static Checkpoint load(Path file) throws IOException {
        return load(file, ModelLimits.defaults());
    }

    /** {@link #load(Path)} under caller-chosen {@code limits} on the header and the tensor data. */
    public static Checkpoint load(Path file, ModelLimits limits) throws IOException {
        ModelFile.Contents contents = ModelFile.read(file, LayerRegistry.shared(), limits);
        String json = contents.metadata().get(METADATA_KEY);
        if (json == null) {
            throw new ModelFormatException(file, "this is a model file but not a checkpoint: __metadata__ has no \""
                    + METADATA_KEY + "\"");
        }
        JsonNode state = Json.parseObject(file, json, METADATA_KEY + " entry");
        JsonNode version = state.get("checkpoint_version");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt() || version.intValue() != VERSION) {
            throw new ModelFormatException(file, "checkpoint_version " + version + " is not supported; this version"
                    + " of neuralj reads version " + VERSION);
        }
        JsonNode entries = state.get("history");
        if (entries == null || !entries.isArray() || entries.isEmpty()) {
            throw new ModelFormatException(file, "the checkpoint's \"history\" must be a non-empty array but is "
                    + Json.abbreviate(entries));
        }
        List<EpochResult> history = new ArrayList<>();
        for (JsonNode e : entries) {
            history.add(fromJson(file, e));
        }
        JsonNode epochNode = state.get("epoch");
        int epoch = history.get(history.size() - 1).epoch();
        if (epochNode == null || !epochNode.isIntegralNumber() || !epochNode.canConvertToInt()
                || epochNode.intValue() != epoch) {
            throw new ModelFormatException(file, "checkpoint epoch " + epochNode + " does not end its history of "
                    + history.size() + " epochs");
        }
        JsonNode opt = state.get("optimizer");
        if (opt == null || !opt.path("class").isTextual() || !opt.path("learning_rate").isNumber()
                || !Double.isFinite(opt.get("learning_rate").doubleValue())
                || !opt.path("steps").isIntegralNumber() || !opt.get("steps").canConvertToLong()
                || opt.get("steps").longValue() < 0) {
            throw new ModelFormatException(file, "checkpoint optimizer needs a \"class\" string, a finite"
                    + " \"learning_rate\" and a non-negative integer \"steps\" but is " + Json.abbreviate(opt));
        }
        Map<String, Tensor> optimizerTensors = new LinkedHashMap<>();
        Map<String, Tensor> bestWeights = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> t : contents.extraTensors().entrySet()) {
            String name = t.getKey();
            if (name.startsWith(OPTIMIZER_PREFIX)) {
                optimizerTensors.put(name, t.getValue());
            } else if (name.startsWith(EARLY_STOPPING_PREFIX)) {
                bestWeights.put(name, t.getValue());
            } else {
                throw new ModelFormatException(file, "tensor \"" + name + "\" belongs to no layer and is neither"
                        + " optimizer state (" + OPTIMIZER_PREFIX + "<parameter>.<name>) nor early-stopping weights ("
                        + EARLY_STOPPING_PREFIX + "<parameter>)");
            }
        }
        Checkpoint cp = new Checkpoint(file, contents.model(), epoch, Collections.unmodifiableList(history),
                opt.get("class").textValue(), opt.get("learning_rate").doubleValue(), opt.get("steps").longValue(),
                optimizerTensors);
        if (opt.has("settings")) {
            cp.optimizerSettings = settings(file, opt.get("settings"), "optimizer settings");
        }
        JsonNode es = state.get("early_stopping");
        if (es != null) {
            cp.readEarlyStopping(es, bestWeights);
        } else if (!bestWeights.isEmpty()) {
            throw new ModelFormatException(file, "the checkpoint holds early-stopping weights but no early_stopping"
                    + " entry");
        }
        JsonNode run = state.get("run");
        if (run != null) {
            Map<String, String> m = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : settings(file, run, "run settings").entrySet()) {
                if (!(e.getValue() instanceof String v)) {
                    throw new ModelFormatException(file, "run setting \"" + e.getKey() + "\" must be a string");
                }
                m.put(e.getKey(), v);
            }
            cp.run = Collections.unmodifiableMap(m);
        }
        return cp;
    }

    /** A JSON object of numbers, booleans and strings, as Java values. */
    private static Map<String, Object> settings(Path file, JsonNode node, String what) throws ModelFormatException {
        if (!node.isObject()) {
            throw new ModelFormatException(file, "the checkpoint's " + what + " must be an object but is "
                    + Json.abbreviate(node));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            Object value = v.isNumber() ? (Object) v.doubleValue() : v.isBoolean() ? (Object) v.booleanValue()
                    : v.isTextual() ? v.textValue() : null;
            if (value == null) {
                throw new ModelFormatException(file, "the checkpoint's " + what + " \"" + f.getKey() + "\" must be a"
                        + " number, a boolean or a string but is " + Json.abbreviate(v));
            }
            m.put(f.getKey(), value);
        }
        return Collections.unmodifiableMap(m);
    }

    private void readEarlyStopping(JsonNode es, Map<String, Tensor> weights) throws ModelFormatException {
        if (!es.isObject() || !es.has("settings") || !isInt(es.get("best_epoch")) || !isInt(es.get("wait"))
                || !es.path("best_weights").isBoolean() || !(es.path("best").isNumber() || es.path("best").isNull())) {
            throw new ModelFormatException(file, "the checkpoint's early_stopping entry needs settings, best (a"
                    + " number or null), integers best_epoch and wait, and a boolean best_weights but is "
                    + Json.abbreviate(es));
        }
        earlyStoppingSettings = settings(file, es.get("settings"), "early-stopping settings");
        float[][] best = null;
        List<Parameter> parameters = model.parameters();
        if (es.get("best_weights").booleanValue()) {
            best = new float[parameters.size()][];
            for (int i = 0; i < parameters.size(); i++) {
                Tensor t = weights.get(EARLY_STOPPING_PREFIX + i);
                if (t == null || !java.util.Arrays.equals(t.shape(), parameters.get(i).value().shape())) {
                    throw new ModelFormatException(file, "the checkpoint has no early-stopping weights \""
                            + EARLY_STOPPING_PREFIX + i + "\" of shape "
                            + java.util.Arrays.toString(parameters.get(i).value().shape()));
                }
                best[i] = t.data();
            }
        }
        if ((best == null ? 0 : best.length) != weights.size()) {
            throw new ModelFormatException(file, "the checkpoint holds " + weights.size() + " early-stopping weight"
                    + " tensors but its model has " + parameters.size() + " parameters");
        }
        earlyStopping = new EarlyStopping.State(es.get("best").isNull() ? Double.NaN : es.get("best").doubleValue(),
                es.get("best_epoch").intValue(), es.get("wait").intValue(), best);
    }

    /**
     * The settings that defined the run, as saved by {@link #save(Path, Sequential, Optimizer, List, EarlyStopping,
     * Map)}; empty for a checkpoint saved without them.
     */
    public Map<String, String> run() {
        return run;
    }

    /** Whether the checkpoint holds an early-stopping state to continue from. */
    public boolean hasEarlyStopping() {
        return earlyStopping != null;
    }

    /**
     * Gives {@code listener} the state early stopping had when the checkpoint was taken, so the resumed run stops
     * (and restores the best weights) where the uninterrupted one would.
     *
     * @throws IllegalArgumentException when the checkpoint has no such state, or was taken with other settings
     */
    public void restoreEarlyStopping(EarlyStopping listener) {
        if (earlyStopping == null) {
            throw new IllegalArgumentException("checkpoint " + file + " was saved without early stopping");
        }
        requireSame("early stopping", earlyStoppingSettings, listener.settings());
        listener.restore(earlyStopping);
    }

    /** Refuses {@code given} settings that differ from the {@code saved} ones, naming the first that does. */
    private void requireSame(String what, Map<String, Object> saved, Map<String, Object> given) {
        for (Map.Entry<String, Object> e : given.entrySet()) {
            Object s = saved.get(e.getKey());
            Object g = e.getValue() instanceof Number n ? (Object) n.doubleValue() : e.getValue();
            if (!g.equals(s)) {
                throw new IllegalArgumentException("checkpoint " + file + " was saved with " + what + " "
                        + e.getKey() + " = " + s + " but the run to resume has " + e.getKey() + " = " + e.getValue());
            }
        }
    }

    /** The network as it was after {@link #epoch()}, generator state included. */
    public Sequential model() {
        return model;
    }

    /** The number of epochs trained when the checkpoint was taken. */
    public int epoch() {
        return epoch;
    }

    /** The results of epochs 1 to {@link #epoch()}. */
    public List<EpochResult> history() {
        return history;
    }

    /**
     * Gives {@code optimizer} (a fresh instance of the checkpointed optimizer's class, for {@link #model()}'s
     * parameters) the state it had when the checkpoint was taken.
     *
     * @throws IllegalArgumentException when the optimizer is of another class than the checkpointed one
     */
    public void restoreOptimizer(Optimizer optimizer) {
        if (!optimizer.getClass().getName().equals(optimizerClass)) {
            throw new IllegalArgumentException("checkpoint " + file + " holds the state of a " + optimizerClass
                    + " but the optimizer to resume is a " + optimizer.getClass().getName());
        }
        List<Parameter> parameters = model.parameters();
        int restored = 0;
        for (int i = 0; i < parameters.size(); i++) {
            for (Map.Entry<String, Tensor> e : optimizer.state(parameters.get(i)).entrySet()) {
                String name = OPTIMIZER_PREFIX + i + "." + e.getKey();
                Tensor saved = optimizerState.get(name);
                if (saved == null || !java.util.Arrays.equals(saved.shape(), e.getValue().shape())) {
                    throw new IllegalArgumentException("checkpoint " + file + " has no optimizer state \"" + name
                            + "\" of shape " + java.util.Arrays.toString(e.getValue().shape())
                            + (saved == null ? "" : " (it has " + java.util.Arrays.toString(saved.shape()) + ")"));
                }
                e.getValue().copyFrom(saved);
                restored++;
            }
        }
        if (restored != optimizerState.size()) {
            throw new IllegalArgumentException("checkpoint " + file + " holds " + optimizerState.size()
                    + " optimizer state tensors but the optimizer uses " + restored);
        }
        if (optimizerSettings != null) {
            requireSame("optimizer " + optimizerClass, optimizerSettings, optimizer.settings());
        }
        optimizer.setLearningRate(learningRate);
        optimizer.setSteps(steps);
    }

    /**
     * Prepares {@code options} to continue this run: restores its optimizer's state ({@link #restoreOptimizer}), the
     * state of its {@link EarlyStopping} listener when the checkpoint has one ({@link #restoreEarlyStopping}), and
     * sets {@link FitOptions#initialEpoch} to {@link #epoch()}. Train {@link #model()} with the result.
     */
    public FitOptions resume(FitOptions options) {
        restoreOptimizer(options.optimizer());
        for (TrainingListener l : options.listeners()) {
            if (l instanceof EarlyStopping es && earlyStopping != null) {
                restoreEarlyStopping(es);
            }
        }
        return options.initialEpoch(epoch);
    }

    private static Map<String, Object> toJson(EpochResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", r.epoch());
        m.put("loss", finiteOrNull(r.loss()));
        m.put("train_accuracy", finiteOrNull(r.trainAccuracy()));
        m.put("validation_loss", finiteOrNull(r.validationLoss()));
        m.put("validation_accuracy", finiteOrNull(r.validationAccuracy()));
        m.put("validation_correct", r.validationCorrect());
        m.put("validation_count", r.validationCount());
        m.put("learning_rate", finiteOrNull(r.learningRate()));
        m.put("millis", r.millis());
        return m;
    }

    /** JSON has no NaN; an absent validation value (NaN) is stored as null. */
    private static Double finiteOrNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static EpochResult fromJson(Path file, JsonNode e) throws ModelFormatException {
        if (!e.isObject() || !isInt(e.get("epoch")) || !e.path("millis").isIntegralNumber()
                || !e.get("millis").canConvertToLong() || !isInt(e.get("validation_correct"))
                || !isInt(e.get("validation_count"))) {
            throw new ModelFormatException(file, "a checkpoint history entry needs integers \"epoch\", \"millis\","
                    + " \"validation_correct\" and \"validation_count\" but is " + Json.abbreviate(e));
        }
        return new EpochResult(e.get("epoch").intValue(), number(file, e, "loss"), number(file, e, "train_accuracy"),
                number(file, e, "validation_loss"), number(file, e, "validation_accuracy"),
                e.get("validation_correct").intValue(), e.get("validation_count").intValue(),
                number(file, e, "learning_rate"), e.get("millis").longValue());
    }

    private static boolean isInt(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToInt();
    }

    /** A number, or null for a value that was absent (NaN) when saved; anything else is refused. */
    private static double number(Path file, JsonNode e, String key) throws ModelFormatException {
        JsonNode v = e.get(key);
        if (v != null && v.isNumber()) {
            return v.doubleValue();
        }
        if (v != null && v.isNull()) {
            return Double.NaN;
        }
        throw new ModelFormatException(file, "checkpoint history entry " + e.path("epoch") + ": \"" + key
                + "\" must be a number or null but is " + v);
    }
}
