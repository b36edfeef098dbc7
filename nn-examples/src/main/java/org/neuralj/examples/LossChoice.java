package org.neuralj.examples;

import org.neuralj.core.Layer;
import org.neuralj.core.Loss;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.layers.MeanSquaredError;
import org.neuralj.layers.QuadraticCost;
import org.neuralj.layers.Sigmoid;
import org.neuralj.layers.Softmax;

/**
 * The losses the examples offer, each with the output layer it pairs with: cross-entropy reads a softmax's
 * probabilities (and trains through the fused, stable gradient), the squared-error costs read sigmoid outputs as
 * in the tutorials.
 */
enum LossChoice {
    QUADRATIC("quadratic") {
        @Override
        Loss create() {
            return new QuadraticCost();
        }
    },
    MSE("mse") {
        @Override
        Loss create() {
            return new MeanSquaredError();
        }
    },
    CROSS_ENTROPY("cross-entropy") {
        @Override
        Loss create() {
            return new CrossEntropy();
        }

        @Override
        Layer outputActivation() {
            return new Softmax();
        }
    };

    private final String cliName;

    LossChoice(String cliName) {
        this.cliName = cliName;
    }

    abstract Loss create();

    /** The layer after the last Dense: a sigmoid unless overridden. */
    Layer outputActivation() {
        return new Sigmoid();
    }

    @Override
    public String toString() {
        return cliName;
    }
}
