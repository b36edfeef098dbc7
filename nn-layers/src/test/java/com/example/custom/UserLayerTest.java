package com.example.custom;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.userlayers.FeatureGain;
import com.example.userlayers.LeakyReLU;
import com.example.userlayers.PlainSgd;
import org.junit.jupiter.api.Test;
import org.neuralj.core.Dataset;
import org.neuralj.core.FitOptions;
import org.neuralj.core.GradientCheck;
import org.neuralj.core.History;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;
import org.neuralj.core.Trainer;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Initializer;
import org.neuralj.layers.Softmax;
import org.neuralj.testkit.LayerConformance;
import org.neuralj.testkit.LayerConformance.Case;

/** Layers defined outside the framework work in the builder, summary, training and gradient check unchanged. */
class UserLayerTest {

    @Test
    void userLayersPassTheConformanceFamily() {
        LayerConformance.verify(new Case("LeakyReLU", () -> new LeakyReLU(0.1f), Shape.of(5), 0));
        LayerConformance.verify(new Case("FeatureGain", FeatureGain::new, Shape.of(5), 5));
    }

    @Test
    void userLayersWorkInTheBuilderSummaryTrainingAndGradientCheck() {
        Sequential net = Sequential.builder().input(2)
                .add(new FeatureGain())
                .add(new Dense(16, Initializer.heNormal())).add(new LeakyReLU(0.1f))
                .add(new Dense(2, Initializer.xavierNormal())).add(new Softmax())
                .seed(1).build();
        assertThat(net.summary()).contains("FeatureGain", "LeakyReLU(0.1)", "Total params: 84");

        // two Gaussian blobs, generated here
        Rng rng = new Rng(2);
        int n = 200;
        Tensor x = Tensor.zeros(n, 2);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            x.set(i, 0, (float) (rng.nextGaussian() * 0.5 + (labels[i] == 0 ? -1 : 1)));
            x.set(i, 1, (float) (rng.nextGaussian() * 0.5 + (labels[i] == 0 ? 1 : -1)));
        }
        Dataset data = Dataset.ofLabels(x, labels, 2);
        History h = Trainer.fit(net, data, FitOptions.of(new CrossEntropy(), new PlainSgd(0.1)).epochs(20).batchSize(16).quiet());
        assertThat(h.last().trainAccuracy()).isGreaterThan(0.95);
        assertThat(h.loss()[h.size() - 1]).isLessThan(h.loss()[0]);

        GradientCheck.Report r = GradientCheck.check(net, new CrossEntropy(),
                LayerConformance.randomInput(4, net.inputShape(), rng), data.targets().sliceRows(0, 4), rng);
        assertThat(r.passes()).as(r.toString()).isTrue();
    }
}
