package org.neuralj.core;

import java.io.PrintStream;

/**
 * Prints one line per epoch ({@link EpochResult#summary()}) to a stream the program chooses, Keras' {@code verbose}
 * for a program that has no logging set up: {@code FitOptions.of(loss, optimizer).printTo(System.out)}. The
 * library itself never picks a console; without this listener, epoch lines go through SLF4J ({@link EpochLogger}).
 */
public final class ProgressPrinter implements TrainingListener {
    private final PrintStream out;

    public ProgressPrinter(PrintStream out) {
        if (out == null) {
            throw new IllegalArgumentException("ProgressPrinter needs a stream, e.g. System.out");
        }
        this.out = out;
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingContext context) {
        out.println(result.summary());
        out.flush();
    }
}
