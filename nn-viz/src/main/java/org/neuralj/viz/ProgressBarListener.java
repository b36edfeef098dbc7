package org.neuralj.viz;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.neuralj.core.EpochResult;
import org.neuralj.core.TrainingContext;
import org.neuralj.core.TrainingListener;

/**
 * A console progress bar over the batches of each epoch, with the running mean loss and the time left in the epoch;
 * for long runs: {@code FitOptions.of(loss, optimizer).listener(new ProgressBarListener(System.err))}.
 */
public final class ProgressBarListener implements TrainingListener {
    private final PrintStream out;
    private ProgressBar bar;
    private double lossSum;
    private long epochStart;

    /** A bar drawn on {@code out} (a terminal redraws it in place). */
    public ProgressBarListener(PrintStream out) {
        if (out == null) {
            throw new IllegalArgumentException("ProgressBarListener needs a stream, e.g. System.err");
        }
        this.out = out;
    }

    @Override
    public void onEpochBegin(int epoch, TrainingContext context) {
        lossSum = 0;
        epochStart = System.nanoTime();
        bar = new ProgressBarBuilder().setTaskName("Epoch " + epoch + "/" + context.epochs())
                .setInitialMax(context.batchesPerEpoch()).setStyle(ProgressBarStyle.ASCII).setUnit(" batches", 1)
                .setConsumer(new ConsoleProgressBarConsumer(out)).hideEta().setUpdateIntervalMillis(250)
                .continuousUpdate().build();
    }

    @Override
    public void onBatchEnd(int epoch, int batch, double loss, TrainingContext context) {
        lossSum += loss;
        bar.step();
        if (batch % 50 == 0) {
            // the bar's own estimate reads 0:00:00 for sub-second steps; ours extrapolates the epoch's pace so far
            long done = batch + 1, left = context.batchesPerEpoch() - done;
            Duration eta = Duration.ofNanos((System.nanoTime() - epochStart) / done * left);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f, %d:%02d left", lossSum / done,
                    eta.toMinutes(), eta.toSecondsPart()));
        }
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingContext context) {
        bar.close();
    }
}
