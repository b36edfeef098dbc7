package org.neuralj.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per epoch through SLF4J at INFO ({@link EpochResult#summary()}), in the tutorials' spirit:
 * {@code Epoch 3: loss 0.0412, train 98.1%, test 1398 / 1437 (97.3%), 84 ms}. On by default in {@link Trainer#fit};
 * it shows wherever the application's SLF4J provider writes. A program without a provider sees nothing: give it
 * one (e.g. {@code slf4j-simple}) or print to a stream with {@link FitOptions#printTo}.
 */
public final class EpochLogger implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(EpochLogger.class);

    @Override
    public void onEpochEnd(EpochResult r, TrainingContext context) {
        if (LOG.isInfoEnabled()) {
            LOG.info("{}", r.summary());
        }
    }
}
