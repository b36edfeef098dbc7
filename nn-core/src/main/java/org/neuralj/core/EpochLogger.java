package org.neuralj.core;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per epoch through SLF4J, in the tutorials' spirit:
 * {@code Epoch 3: loss 0.0412, train 98.1%, test 1398 / 1437 (97.3%)}.
 */
public final class EpochLogger implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(EpochLogger.class);

    @Override
    public void onEpochEnd(EpochResult r, TrainingContext context) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Epoch %d: loss %.4f, train %.1f%%",
                r.epoch(), r.loss(), 100 * r.trainAccuracy()));
        if (r.hasValidation()) {
            line.append(String.format(Locale.ROOT, ", test %d / %d (%.1f%%)", r.validationCorrect(),
                    r.validationCount(), 100 * r.validationAccuracy()));
        }
        LOG.info("{}", line);
    }
}
