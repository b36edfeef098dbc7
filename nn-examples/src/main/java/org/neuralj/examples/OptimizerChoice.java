package org.neuralj.examples;

import org.neuralj.core.Optimizer;
import org.neuralj.optim.AdaGrad;
import org.neuralj.optim.Adam;
import org.neuralj.optim.AdamW;
import org.neuralj.optim.GradientOptimizer;
import org.neuralj.optim.RMSProp;
import org.neuralj.optim.SGD;

/** The optimizers the examples offer; adding one is one more constant here. Momentum variants use μ = 0.9. */
enum OptimizerChoice {
    SGD_PLAIN("sgd"),
    MOMENTUM("momentum"),
    NESTEROV("nesterov"),
    ADAGRAD("adagrad"),
    RMSPROP("rmsprop"),
    ADAM("adam"),
    ADAMW("adamw");

    private final String cliName;

    OptimizerChoice(String cliName) {
        this.cliName = cliName;
    }

    /** A new optimizer with learning rate η and weight decay λ (decoupled for AdamW, L2 otherwise). */
    Optimizer create(double learningRate, double weightDecay) {
        GradientOptimizer o = switch (this) {
            case SGD_PLAIN -> new SGD(learningRate);
            case MOMENTUM -> new SGD(learningRate, 0.9);
            case NESTEROV -> new SGD(learningRate, 0.9, true);
            case ADAGRAD -> new AdaGrad(learningRate);
            case RMSPROP -> new RMSProp(learningRate);
            case ADAM -> new Adam(learningRate);
            case ADAMW -> new AdamW(learningRate);
        };
        return this == ADAMW && weightDecay == 0 ? o : o.weightDecay(weightDecay);
    }

    @Override
    public String toString() {
        return cliName;
    }
}
