package com.example;

import org.neuralj.core.Evaluation;
import org.neuralj.core.FitOptions;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Trainer;
import org.neuralj.datasets.Digits;
import org.neuralj.datasets.Scaling;
import org.neuralj.datasets.Split;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Initializer;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Softmax;
import org.neuralj.optim.Adam;

/** Trains a digits classifier in a program of its own, printing a line per epoch. */
public final class TrainDigits {
    public static void main(String[] args) {
        Split data = Split.stratified(Scaling.divide(Digits.load(), 16), 0.2, new Rng(0));
        Sequential net = Sequential.builder().input(64)
                .add(new Dense(64, Initializer.heNormal())).add(new ReLU())
                .add(new Dense(10, Initializer.xavierNormal())).add(new Softmax())
                .seed(1).build();
        Trainer.fit(net, data.train(), FitOptions.of(new CrossEntropy(), new Adam(1e-3))
                .epochs(20).batchSize(32).validation(data.test()).printTo(System.out));
        Evaluation result = Trainer.evaluate(net, data.test());
        System.out.println("test: " + result);
    }
}
