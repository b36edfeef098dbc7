package org.neuralj.examples;

import org.neuralj.optim.LearningRateSchedule;

/** Learning-rate schedules for {@code --schedule}, each starting from the {@code --learning-rate}. */
enum ScheduleChoice {
    CONSTANT("constant"),
    STEP("step"),
    EXPONENTIAL("exponential"),
    COSINE("cosine");

    private final String cliName;

    ScheduleChoice(String cliName) {
        this.cliName = cliName;
    }

    /** The schedule for a run of {@code epochs} epochs: step halves every quarter, exponential decays by 0.95. */
    LearningRateSchedule create(double rate, int epochs) {
        return switch (this) {
            case CONSTANT -> LearningRateSchedule.constant(rate);
            case STEP -> LearningRateSchedule.stepDecay(rate, Math.max(1, epochs / 4), 0.5);
            case EXPONENTIAL -> LearningRateSchedule.exponential(rate, 0.95);
            case COSINE -> LearningRateSchedule.cosine(rate, epochs, 0);
        };
    }

    @Override
    public String toString() {
        return cliName;
    }
}
