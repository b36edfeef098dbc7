package org.neuralj.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes the history as CSV, one line per epoch as it ends (flushed, so a crash keeps the epochs so far):
 * {@code epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds}. Validation columns are empty without validation.
 */
public final class CsvLogger implements TrainingListener {
    private final Path file;
    private Writer out;

    public CsvLogger(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        this.file = file;
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        try {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write("epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onEpochEnd(EpochResult r, TrainingContext context) {
        String val = r.hasValidation()
                ? String.format(Locale.ROOT, "%.6g,%.6g", r.validationLoss(), r.validationAccuracy()) : ",";
        try {
            out.write(String.format(Locale.ROOT, "%d,%.6g,%.6g,%s,%.6g,%.3f%n", r.epoch(), r.loss(), r.trainAccuracy(),
                    val, r.learningRate(), r.millis() / 1000.0));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onTrainEnd(History history, TrainingContext context) {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the training log " + file + ": " + e.getMessage(), e);
        }
    }
}
