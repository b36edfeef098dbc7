package org.neuralj.examples;

import java.util.List;
import org.neuralj.core.Parameter;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Initializer;
import org.neuralj.layers.Sigmoid;
import org.neuralj.layers.Softmax;

/**
 * The <i>Deep Learning from Scratch</i> TwoLayerNet on the framework's layers, with its two ways to a gradient.
 *
 * <pre>
 * predict:  y = softmax(σ(x W1 + b1) W2 + b2)         W1 [in, hidden], W2 [hidden, out] ~ N(0, 0.01²); b1, b2 = 0
 * loss:     L = −(1/B) Σ_b Σ_k t_bk log max(y_bk, 1e−7)   (the framework's {@link CrossEntropy})
 * </pre>
 *
 * <ul>
 *   <li>{@link #backpropagate}: the framework's backward pass in float32, {@code ∂L/∂z = (y − t)/B} on the logits,
 *       then through the layers.</li>
 *   <li>{@link #numericalGradient}: the lesson's own central differences
 *       {@code ∂L/∂θᵢ ≈ (L(θ + h eᵢ) − L(θ − h eᵢ)) / 2h} in double, one pair of forward passes over the batch per
 *       parameter: about {@code 2P} forward passes for P parameters, against roughly three for backpropagation.</li>
 * </ul>
 */
final class TwoLayerNet {
    /** The tutorial's names of the four parameter tensors, in {@link Sequential#parameters()} order. */
    static final List<String> NAMES = List.of("W1", "b1", "W2", "b2");
    /** The tutorial's weight scale. */
    static final double WEIGHT_STD = 0.01;

    private final Sequential network;
    private final CrossEntropy loss = new CrossEntropy();
    private final int inputs;
    private final int hidden;
    private final int outputs;
    private Tensor gradLogits;

    TwoLayerNet(int inputs, int hidden, int outputs, long seed) {
        this.inputs = inputs;
        this.hidden = hidden;
        this.outputs = outputs;
        network = Sequential.builder().input(inputs)
                .add(new Dense(hidden, Initializer.gaussian(WEIGHT_STD), Initializer.zeros())).add(new Sigmoid())
                .add(new Dense(outputs, Initializer.gaussian(WEIGHT_STD), Initializer.zeros())).add(new Softmax())
                .seed(seed).build();
    }

    Sequential network() {
        return network;
    }

    CrossEntropy loss() {
        return loss;
    }

    /** W1, b1, W2, b2. */
    List<Parameter> parameters() {
        return network.parameters();
    }

    /** Sets every parameter's gradient to ∂L/∂θ on the batch by backpropagation; returns the batch loss. */
    double backpropagate(Tensor x, Tensor t) {
        parameters().forEach(Parameter::zeroGrad);
        Tensor y = network.forward(x, true);
        double value = loss.value(y, t);
        gradLogits = Tensor.reuse(gradLogits, y.rows(), y.cols());
        loss.gradientWrtLogits(y, t, gradLogits);
        network.backwardParameters(network.layers().size() - 2, gradLogits);
        return value;
    }

    /**
     * ∂L/∂θ on the batch by central differences with step {@code h}, in double: the parameters are copied to double,
     * each entry moved by ±h in turn, and the loss evaluated by {@link #lossInDouble}. Returns one array per
     * parameter tensor, in the order of {@link #parameters()}.
     */
    double[][] numericalGradient(Tensor x, Tensor t, double h) {
        Batch batch = new Batch(x, t);
        double[][] theta = parametersInDouble();
        double[][] grad = new double[theta.length][];
        for (int p = 0; p < theta.length; p++) {
            grad[p] = new double[theta[p].length];
            for (int i = 0; i < theta[p].length; i++) {
                double original = theta[p][i];
                theta[p][i] = original + h;
                double plus = batch.loss(theta);
                theta[p][i] = original - h;
                double minus = batch.loss(theta);
                theta[p][i] = original;
                grad[p][i] = (plus - minus) / (2 * h);
            }
        }
        return grad;
    }

    /** The current parameters as double arrays, W1 and W2 row-major {@code [in, out]}. */
    double[][] parametersInDouble() {
        List<Parameter> ps = parameters();
        double[][] theta = new double[ps.size()][];
        for (int p = 0; p < theta.length; p++) {
            float[] v = ps.get(p).value().toArray();
            theta[p] = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                theta[p][i] = v[i];
            }
        }
        return theta;
    }

    /** The loss of the network with parameters {@code theta} (W1, b1, W2, b2) on the batch, computed in double. */
    double lossInDouble(double[][] theta, Tensor x, Tensor t) {
        return new Batch(x, t).loss(theta);
    }

    /**
     * A batch in double, each input row kept as its non-zero entries (images are mostly background, so the first
     * layer's products skip most of the work), with the double-precision forward pass and loss.
     */
    private final class Batch {
        private final int[][] nonZero;
        private final double[][] values;
        private final double[][] targets;
        private final double[] a = new double[hidden];
        private final double[] z = new double[outputs];

        Batch(Tensor x, Tensor t) {
            nonZero = new int[x.rows()][];
            values = new double[x.rows()][];
            targets = new double[x.rows()][outputs];
            for (int b = 0; b < x.rows(); b++) {
                int count = 0;
                for (int i = 0; i < inputs; i++) {
                    count += x.get(b, i) != 0 ? 1 : 0;
                }
                nonZero[b] = new int[count];
                values[b] = new double[count];
                for (int i = 0, c = 0; i < inputs; i++) {
                    if (x.get(b, i) != 0) {
                        nonZero[b][c] = i;
                        values[b][c++] = x.get(b, i);
                    }
                }
                for (int k = 0; k < outputs; k++) {
                    targets[b][k] = t.get(b, k);
                }
            }
        }

        /** {@code −(1/B) Σ t log max(softmax(σ(x W1 + b1) W2 + b2), 1e−7)}, the clamp as {@link CrossEntropy}'s. */
        double loss(double[][] theta) {
            double[] w1 = theta[0], b1 = theta[1], w2 = theta[2], b2 = theta[3];
            double sum = 0;
            for (int b = 0; b < nonZero.length; b++) {
                System.arraycopy(b1, 0, a, 0, hidden);
                int[] index = nonZero[b];
                double[] value = values[b];
                for (int c = 0; c < index.length; c++) {
                    double xi = value[c];
                    for (int j = 0, row = index[c] * hidden; j < hidden; j++) {
                        a[j] += xi * w1[row + j];
                    }
                }
                System.arraycopy(b2, 0, z, 0, outputs);
                for (int j = 0; j < hidden; j++) {
                    double s = 1 / (1 + Math.exp(-a[j]));
                    for (int k = 0, row = j * outputs; k < outputs; k++) {
                        z[k] += s * w2[row + k];
                    }
                }
                double max = Double.NEGATIVE_INFINITY, norm = 0;
                for (double v : z) {
                    max = Math.max(max, v);
                }
                for (double v : z) {
                    norm += Math.exp(v - max);
                }
                for (int k = 0; k < outputs; k++) {
                    if (targets[b][k] != 0) {
                        sum -= targets[b][k] * Math.log(Math.max(Math.exp(z[k] - max) / norm, 1e-7));
                    }
                }
            }
            return sum / nonZero.length;
        }
    }
}
