package org.neuralj.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.neuralj.core.Dataset;
import org.neuralj.core.Layer;
import org.neuralj.core.Parameter;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.optim.SGD;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of workload C's network (784-256-128-10 ReLU, softmax + cross-entropy) on a batch of 128: the
 * same steps as the training loop — zero the gradients, forward, the fused softmax-CE gradient {@code (p − y)/B},
 * backward through every layer below the softmax (the first one computing parameter gradients only), an
 * optimizer step. Run with {@code -prof gc}: the
 * {@code gc.alloc.rate.norm} row is the bytes allocated per step (0 in steady state).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Thread)
public class TrainingStepBenchmark {
    private static final int BATCH = 128;

    private Sequential net;
    private List<Layer> layers;
    private List<Parameter> parameters;
    private Tensor x;
    private Tensor y;
    private Tensor grad;
    private final CrossEntropy loss = new CrossEntropy();
    private final SGD optimizer = new SGD(0.01);

    @Setup
    public void setUp() {
        net = FashionNetwork.build(1);
        layers = net.layers();
        parameters = net.parameters();
        Dataset batch = FashionNetwork.randomData(BATCH, 2);
        x = batch.features();
        y = batch.targets();
        grad = Tensor.zeros(BATCH, FashionNetwork.CLASSES);
    }

    @Benchmark
    public Tensor step() {
        for (Parameter p : parameters) {
            p.zeroGrad();
        }
        Tensor probabilities = net.forward(x, true);
        loss.gradientWrtLogits(probabilities, y, grad);
        Tensor g = grad;
        for (int i = layers.size() - 2; i > 0; i--) {
            g = layers.get(i).backward(g);
        }
        layers.get(0).backwardParametersOnly(g);
        optimizer.step(parameters);
        return probabilities;
    }
}
