package org.neuralj.core;

/**
 * Marks a layer whose output is the softmax of its input, {@code p = softmax(z)}, row by row. When such a layer is
 * the last one and the loss is a {@link SoftmaxFusedLoss}, training skips the layer's own backward pass and starts
 * from the fused gradient with respect to the logits {@code z}.
 */
public interface SoftmaxOutput extends Layer {
}
