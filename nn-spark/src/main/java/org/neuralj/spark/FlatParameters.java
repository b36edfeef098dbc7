package org.neuralj.spark;

import java.util.List;
import org.neuralj.core.Layer;
import org.neuralj.core.Loss;
import org.neuralj.core.Parameter;
import org.neuralj.core.Sequential;
import org.neuralj.core.SoftmaxFusedLoss;
import org.neuralj.core.SoftmaxOutput;
import org.neuralj.core.Tensor;

/**
 * A network's parameters and gradients as one float array each, layer by layer in {@link Sequential#parameters()}
 * order: what a training round sends and adds.
 */
final class FlatParameters {
    private FlatParameters() {
    }

    /** How many floats the parameters hold. */
    static int length(Sequential net) {
        return net.parameterCount();
    }

    /** A copy of every parameter value. */
    static float[] values(Sequential net) {
        float[] out = new float[length(net)];
        int at = 0;
        for (Parameter p : net.parameters()) {
            float[] v = p.value().data();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }

    /** Sets every parameter value from {@code values}. */
    static void setValues(Sequential net, float[] values) {
        int at = 0;
        for (Parameter p : net.parameters()) {
            float[] v = p.value().data();
            System.arraycopy(values, at, v, 0, v.length);
            at += v.length;
        }
    }

    /** A copy of every gradient. */
    static float[] gradients(Sequential net) {
        float[] out = new float[length(net)];
        int at = 0;
        for (Parameter p : net.parameters()) {
            float[] g = p.grad().data();
            System.arraycopy(g, 0, out, at, g.length);
            at += g.length;
        }
        return out;
    }

    /** Sets every gradient from {@code gradients}. */
    static void setGradients(Sequential net, float[] gradients) {
        int at = 0;
        for (Parameter p : net.parameters()) {
            float[] g = p.grad().data();
            System.arraycopy(gradients, at, g, 0, g.length);
            at += g.length;
        }
    }

    static void zeroGradients(Sequential net) {
        for (Parameter p : net.parameters()) {
            p.zeroGrad();
        }
    }

    /**
     * Adds {@code weight · ∂(mean loss over x's rows)/∂θ} to the gradients, which must be zero on entry, as
     * {@code Trainer.fit}'s step computes it (forward in training mode, the fused softmax gradient when the loss and
     * last layer allow it); returns the mean loss over {@code x}.
     */
    static double accumulateGradients(Sequential net, Tensor x, Tensor y, Loss loss, double weight) {
        Tensor output = net.forward(x, true);
        double value = loss.value(output, y);
        Tensor grad = Tensor.zeros(output.rows(), output.cols());
        List<Layer> layers = net.layers();
        int last = layers.size() - 1;
        boolean fused = layers.get(last) instanceof SoftmaxOutput && loss instanceof SoftmaxFusedLoss;
        if (fused && last == 0) {
            return value; // a lone softmax has no parameters below it
        } else if (fused) {
            ((SoftmaxFusedLoss) loss).gradientWrtLogits(output, y, grad);
            net.backwardParameters(last - 1, grad);
        } else {
            loss.gradient(output, y, grad);
            net.backwardParameters(last, grad);
        }
        if (weight != 1) {
            for (Parameter p : net.parameters()) {
                p.grad().scaleInPlace((float) weight);
            }
        }
        return value;
    }
}
