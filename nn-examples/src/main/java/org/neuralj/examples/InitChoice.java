package org.neuralj.examples;

import org.neuralj.layers.Dense;
import org.neuralj.layers.Initializer;

/** Weight initialisation of the Dense layers; {@code auto} follows the hidden activation (see {@link ActivationChoice}). */
enum InitChoice {
    AUTO("auto"),
    GAUSSIAN("gaussian"),
    HE("he"),
    XAVIER("xavier");

    private final String cliName;

    InitChoice(String cliName) {
        this.cliName = cliName;
    }

    /**
     * A Dense layer of {@code units} initialised by this scheme. N(0, 1) weights come with N(0, 1) biases, as in the
     * tutorials; the fan-scaled schemes start biases at zero.
     */
    Dense dense(int units, ActivationChoice activation) {
        Initializer weights = switch (this) {
            case AUTO -> activation.suitableInit();
            case GAUSSIAN -> Initializer.gaussian();
            case HE -> Initializer.heNormal();
            case XAVIER -> Initializer.xavierNormal();
        };
        boolean tutorialStyle = this == GAUSSIAN || this == AUTO && activation == ActivationChoice.SIGMOID;
        return tutorialStyle ? new Dense(units, weights, Initializer.gaussian()) : new Dense(units, weights);
    }

    @Override
    public String toString() {
        return cliName;
    }
}
