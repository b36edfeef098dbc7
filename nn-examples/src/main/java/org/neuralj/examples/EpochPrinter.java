package org.neuralj.examples;

import java.io.PrintWriter;
import java.util.Locale;
import org.neuralj.core.EpochResult;
import org.neuralj.core.TrainingContext;
import org.neuralj.core.TrainingListener;

/** Prints one line per epoch in the tutorials' style: {@code Epoch 7: 349 / 360 (96.9%), training loss 0.0213, 12 ms}. */
final class EpochPrinter implements TrainingListener {
    private final PrintWriter out;

    EpochPrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onEpochEnd(EpochResult r, TrainingContext context) {
        // milliseconds: the tutorials' small networks train an epoch in well under a tenth of a second
        out.printf(Locale.ROOT, "Epoch %d: %d / %d (%.1f%%), training loss %.4f, %d ms%n", r.epoch(),
                r.validationCorrect(), r.validationCount(), 100 * r.validationAccuracy(), r.loss(), r.millis());
        out.flush();
    }
}
