package org.neuralj.optim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.neuralj.core.EpochResult;
import org.neuralj.core.TrainingContext;
import org.neuralj.core.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link Checkpoint} after every epoch (Keras' {@code ModelCheckpoint}): by default unconditionally, so
 * the file always holds the latest epoch to resume from; with {@link #keepBest} only when the monitored metric
 * improves, so the file holds the best epoch seen.
 *
 * <pre>{@code
 * FitOptions.of(loss, optimizer).epochs(30).listener(new ModelCheckpoint(Path.of("best.ckpt")).keepBest("val_loss"))
 * }</pre>
 *
 * Each write is atomic, so a crash mid-write keeps the previous checkpoint. An I/O failure stops training with an
 * {@link UncheckedIOException} naming the file.
 */
public final class ModelCheckpoint implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCheckpoint.class);

    private final Path file;
    private final List<EpochResult> previous = new ArrayList<>();
    private String monitor;
    private ToDoubleFunction<EpochResult> metric;
    private boolean higherIsBetter;
    private double best = Double.NaN;

    /** Checkpoints every epoch to {@code file}. */
    public ModelCheckpoint(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("ModelCheckpoint needs a file");
        }
        this.file = file;
    }

    /**
     * Writes only when {@code monitor} improves on the best value so far: {@code "loss"} and {@code "val_loss"}
     * (lower is better), {@code "accuracy"} and {@code "val_accuracy"} (higher is better).
     */
    public ModelCheckpoint keepBest(String monitor) {
        switch (monitor == null ? "" : monitor) {
            case "loss" -> set(monitor, EpochResult::loss, false);
            case "val_loss" -> set(monitor, EpochResult::validationLoss, false);
            case "accuracy" -> set(monitor, EpochResult::trainAccuracy, true);
            case "val_accuracy" -> set(monitor, EpochResult::validationAccuracy, true);
            default -> throw new IllegalArgumentException("keepBest monitor must be one of loss, val_loss, accuracy,"
                    + " val_accuracy but was " + monitor);
        }
        return this;
    }

    private void set(String name, ToDoubleFunction<EpochResult> f, boolean higher) {
        this.monitor = name;
        this.metric = f;
        this.higherIsBetter = higher;
    }

    /**
     * Continues the run saved in {@code checkpoint}: its epochs stay at the start of every later checkpoint's
     * history, and with {@link #keepBest} its best value is the one to beat.
     */
    public ModelCheckpoint continuing(Checkpoint checkpoint) {
        previous.clear();
        previous.addAll(checkpoint.history());
        return this;
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        best = Double.NaN;
        if (metric != null) {
            for (EpochResult r : previous) {
                best = better(metric.applyAsDouble(r), best) ? metric.applyAsDouble(r) : best;
            }
        }
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingContext context) {
        if (metric != null) {
            double value = metric.applyAsDouble(result);
            if (Double.isNaN(value)) {
                throw new IllegalStateException("ModelCheckpoint monitors " + monitor + " but epoch " + result.epoch()
                        + " has none; val_loss and val_accuracy need validation data");
            }
            if (!better(value, best)) {
                return;
            }
            LOG.info("Epoch {}: {} improved from {} to {}, saving {}", result.epoch(), monitor,
                    String.format(Locale.ROOT, "%.4f", best), String.format(Locale.ROOT, "%.4f", value), file);
            best = value;
        }
        List<EpochResult> history = new ArrayList<>(previous);
        history.addAll(context.history().epochs());
        try {
            Checkpoint.save(file, context.model(), context.optimizer(), history);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + file + " after epoch " + result.epoch(), e);
        }
    }

    private boolean better(double value, double current) {
        return Double.isNaN(current) || (higherIsBetter ? value > current : value < current);
    }
}
