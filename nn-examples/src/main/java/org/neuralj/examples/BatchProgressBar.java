package org.neuralj.examples;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.neuralj.core.EpochResult;
import org.neuralj.core.TrainingContext;
import org.neuralj.core.TrainingListener;

/** A console progress bar over the batches of each epoch, showing the running mean loss; for long runs. */
final class BatchProgressBar implements TrainingListener {
    private ProgressBar bar;
    private double lossSum;

    @Override
    public void onEpochBegin(int epoch, TrainingContext context) {
        lossSum = 0;
        bar = new ProgressBarBuilder().setTaskName("Epoch " + epoch + "/" + context.epochs())
                .setInitialMax(context.batchesPerEpoch()).setStyle(ProgressBarStyle.ASCII).setUnit(" batches", 1)
                .setUpdateIntervalMillis(250).continuousUpdate().build();
    }

    @Override
    public void onBatchEnd(int epoch, int batch, double loss, TrainingContext context) {
        lossSum += loss;
        bar.step();
        if (batch % 50 == 0) {
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", lossSum / (batch + 1)));
        }
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingContext context) {
        bar.close();
    }
}
