package org.neuralj.examples;

import java.io.PrintWriter;
import java.util.Locale;
import org.neuralj.core.EpochResult;
import org.neuralj.core.TrainingContext;
import org.neuralj.core.TrainingListener;

/** Prints one line per epoch in the tutorials' style: {@code Epoch 7: 349 / 360 (96.9%), loss 0.0213, 0.1 s}. */
final class EpochPrinter implements TrainingListener {
    private final PrintWriter out;

    EpochPrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onEpochEnd(EpochResult r, TrainingContext context) {
        out.printf(Locale.ROOT, "Epoch %d: %d / %d (%.1f%%), training loss %.4f, %.1f s%n", r.epoch(),
                r.validationCorrect(), r.validationCount(), 100 * r.validationAccuracy(), r.loss(),
                r.millis() / 1000.0);
        out.flush();
    }
}
