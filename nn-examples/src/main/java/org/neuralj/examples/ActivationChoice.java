package org.neuralj.examples;

import org.neuralj.core.Layer;
import org.neuralj.layers.Initializer;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Sigmoid;
import org.neuralj.layers.Tanh;

/**
 * The hidden-layer activations the examples offer, each with the weight initialisation that suits it when
 * {@code --init auto} is chosen: the tutorials' N(0, 1) for sigmoid, He for ReLU, Xavier for tanh.
 */
enum ActivationChoice {
    SIGMOID("sigmoid") {
        @Override
        Layer create() {
            return new Sigmoid();
        }

        @Override
        Initializer suitableInit() {
            return Initializer.gaussian();
        }
    },
    RELU("relu") {
        @Override
        Layer create() {
            return new ReLU();
        }

        @Override
        Initializer suitableInit() {
            return Initializer.heNormal();
        }
    },
    TANH("tanh") {
        @Override
        Layer create() {
            return new Tanh();
        }

        @Override
        Initializer suitableInit() {
            return Initializer.xavierNormal();
        }
    };

    private final String cliName;

    ActivationChoice(String cliName) {
        this.cliName = cliName;
    }

    /** A new activation layer. */
    abstract Layer create();

    /** The initialiser used for weights feeding this activation under {@code --init auto}. */
    abstract Initializer suitableInit();

    @Override
    public String toString() {
        return cliName;
    }
}
