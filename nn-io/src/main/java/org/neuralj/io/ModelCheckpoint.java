package org.neuralj.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neuralj.core.EpochResult;
import org.neuralj.core.Monitor;
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
 * FitOptions.of(loss, optimizer).epochs(30).listener(new ModelCheckpoint(Path.of("best.ckpt")).keepBest(Monitor.VAL_LOSS))
 * }</pre>
 *
 * Each write is atomic, so a crash mid-write keeps the previous checkpoint. An I/O failure stops training with an
 * {@link UncheckedIOException} naming the file.
 */
public final class ModelCheckpoint implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCheckpoint.class);

    private final Path file;
    private final List<EpochResult> previous = new ArrayList<>();
    private Monitor monitor;
    private double best = Double.NaN;

    /** Checkpoints every epoch to {@code file}. */
    public ModelCheckpoint(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("ModelCheckpoint needs a file");
        }
        this.file = file;
    }

    /** Writes only when {@code monitor} improves on the best value so far ({@link Monitor#improves}). */
    public ModelCheckpoint keepBest(Monitor monitor) {
        if (monitor == null) {
            throw new IllegalArgumentException("keepBest needs a monitor, e.g. Monitor.VAL_LOSS");
        }
        this.monitor = monitor;
        return this;
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
        if (monitor != null) {
            for (EpochResult r : previous) {
                best = monitor.improves(monitor.of(r), best, 0) ? monitor.of(r) : best;
            }
        }
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingContext context) {
        if (monitor != null) {
            double value = monitor.of(result);
            if (Double.isNaN(value)) {
                throw new IllegalStateException("ModelCheckpoint monitors " + monitor + " but epoch " + result.epoch()
                        + " has none; val_loss and val_accuracy need validation data");
            }
            if (!monitor.improves(value, best, 0)) {
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
}
