package org.neuralj.examples;

import org.neuralj.core.Optimizer;
import org.neuralj.optim.SGD;

/** The optimizers the examples offer; adding one is one more constant here. */
enum OptimizerChoice {
    SGD_PLAIN("sgd") {
        @Override
        Optimizer create(double learningRate) {
            return new SGD(learningRate);
        }
    };

    private final String cliName;

    OptimizerChoice(String cliName) {
        this.cliName = cliName;
    }

    /** A new optimizer with learning rate η. */
    abstract Optimizer create(double learningRate);

    @Override
    public String toString() {
        return cliName;
    }
}
