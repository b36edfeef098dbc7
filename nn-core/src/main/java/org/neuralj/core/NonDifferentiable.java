package org.neuralj.core;

/**
 * Marks a layer whose derivative carries no learning signal, such as the perceptron's step {@code 1[x > 0]}: its
 * true derivative is 0 wherever it exists and undefined at the jump, so {@code backward} can only pass zeros down
 * and gradient descent cannot train anything beneath it. Such a layer still computes forward passes (prediction,
 * rules of its own such as the perceptron learning rule).
 *
 * <p>{@link GradientCheck} refuses a marked layer, and a network containing one, with an
 * {@link IllegalArgumentException} rather than report that zeros agree with zeros; the conformance kit
 * ({@code org.neuralj.testkit.LayerConformance}) skips its gradient part for a marked layer.
 */
public interface NonDifferentiable extends Layer {
}
