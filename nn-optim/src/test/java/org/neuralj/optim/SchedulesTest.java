package org.neuralj.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.example.userlayers.Affine;
import com.example.userlayers.SquaredError;
import org.junit.jupiter.api.Test;
import org.neuralj.core.Dataset;
import org.neuralj.core.FitOptions;
import org.neuralj.core.History;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.core.Trainer;

class SchedulesTest {

    @Test
    void valuesAtChosenEpochs() {
        assertThat(LearningRateSchedule.constant(0.1).rate(7, 99)).isEqualTo(0.1);
        LearningRateSchedule step = LearningRateSchedule.stepDecay(0.1, 10, 0.5);
        assertThat(step.rate(1, 0)).isEqualTo(0.1);
        assertThat(step.rate(10, 0)).isEqualTo(0.1);
        assertThat(step.rate(11, 0)).isEqualTo(0.05);
        assertThat(step.rate(25, 0)).isCloseTo(0.025, within(1e-12));
        assertThat(LearningRateSchedule.exponential(1.0, 0.9).rate(3, 0)).isCloseTo(0.81, within(1e-12));
        LearningRateSchedule cos = LearningRateSchedule.cosine(1.0, 10, 0.1);
        assertThat(cos.rate(1, 0)).isCloseTo(1.0, within(1e-12));
        assertThat(cos.rate(6, 0)).isCloseTo(0.55, within(1e-12)); // halfway: the mean of 1.0 and 0.1
        assertThat(cos.rate(11, 0)).isEqualTo(0.1);
        LearningRateSchedule warm = LearningRateSchedule.warmup(4, LearningRateSchedule.constant(1.0));
        assertThat(warm.rate(1, 0)).isEqualTo(0.25);
        assertThat(warm.rate(1, 1)).isEqualTo(0.5);
        assertThat(warm.rate(2, 10)).isEqualTo(1.0);
    }

    private static History train(LearningRateSchedule schedule, int epochs) {
        Sequential net = Sequential.builder().input(2).add(new Affine(1)).seed(1).build();
        Dataset data = new Dataset(Tensor.of(new float[] {0, 1, 1, 0, 1, 1, 0, 0}, 4, 2), Tensor.zeros(4, 1));
        return Trainer.fit(net, data, FitOptions.of(new SquaredError(), new SGD(1.0)).epochs(epochs).batchSize(2)
                .listener(new LearningRateScheduler(schedule)).quiet());
    }

    @Test
    void theSchedulerSetsTheRateSeenInTheHistory() {
        History h = train(LearningRateSchedule.stepDecay(0.2, 2, 0.1), 4);
        assertThat(h.learningRate()[0]).isCloseTo(0.2, within(1e-12));
        assertThat(h.learningRate()[1]).isCloseTo(0.2, within(1e-12));
        assertThat(h.learningRate()[2]).isCloseTo(0.02, within(1e-12));
        // per-step schedules see the global step: 2 batches per epoch, step 5 is the last of epoch 3
        History w = train((epoch, step) -> step, 3);
        assertThat(w.learningRate()).containsExactly(1.0, 3.0, 5.0);
    }

    @Test
    void aScheduleReturningNaNOrANegativeRateStopsTraining() {
        assertThatThrownBy(() -> train((epoch, step) -> epoch == 2 ? Double.NaN : 0.1, 3))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("NaN")
                .hasMessageContaining("epoch 2").hasMessageContaining("step 2");
        assertThatThrownBy(() -> train((epoch, step) -> -0.5, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("-0.5");
    }
}
