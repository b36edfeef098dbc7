package org.neuralj.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neuralj.core.EarlyStopping;
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
 * A file name containing {@code {epoch}} (e.g. {@code run-{epoch}.ckpt}) gives every epoch its own file. A checkpoint
 * also holds the state of the run's {@link EarlyStopping} listener (add it before this one) and, with {@link #run},
 * the settings of the run. Each write is atomic, so a crash mid-write keeps the previous checkpoint. An I/O failure stops training with an
 * {@link UncheckedIOException} naming the file.
 */
public final class ModelCheckpoint implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCheckpoint.class);

    private final Path file;
    private final List<EpochResult> previous = new ArrayList<>();
    private Monitor monitor;
    private double best = Double.NaN;
    private Map<String, String> run = Map.of();

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
     * Records {@code run}, the settings that define the run (e.g. the command-line flags), in every checkpoint, so
     * that resuming needs nothing else ({@link Checkpoint#run()}).
     */
    public ModelCheckpoint run(Map<String, String> run) {
        this.run = Map.copyOf(java.util.Objects.requireNonNull(run, "run must not be null"));
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
        // the run's early stopping (if any) is part of where training stands; it must come before this listener
        EarlyStopping earlyStopping = null;
        for (TrainingListener l : context.listeners()) {
            if (l instanceof EarlyStopping es && earlyStopping == null) {
                earlyStopping = es;
            }
        }
        Path target = fileFor(result.epoch());
        try {
            Checkpoint.save(target, context.model(), context.optimizer(), history, earlyStopping, run);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + target + " after epoch " + result.epoch()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The file for {@code epoch}: {@code {epoch}} in the file name replaced by the epoch number. */
    private Path fileFor(int epoch) {
        String name = file.getFileName().toString();
        return name.contains("{epoch}") ? file.resolveSibling(name.replace("{epoch}", Integer.toString(epoch)))
                : file;
    }
}
