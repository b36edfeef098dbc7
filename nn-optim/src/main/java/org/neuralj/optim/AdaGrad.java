package org.neuralj.optim;

/**
 * AdaGrad (Duchi et al., 2011): each value's step shrinks with its accumulated squared gradients.
 *
 * <pre>G ← G + g²,   θ ← θ − η g / (√G + ε)</pre>
 */
public final class AdaGrad extends GradientOptimizer {
    private static final String[] STATE = {"sum_squares"};
    private final float epsilon;

    public AdaGrad(double learningRate) {
        this(learningRate, 1e-8);
    }

    public AdaGrad(double learningRate, double epsilon) {
        super(learningRate);
        this.epsilon = (float) requirePositive("epsilon", epsilon);
    }

    @Override
    protected void addSettings(java.util.Map<String, Object> settings) {
        settings.put("epsilon", (double) epsilon);
    }

    @Override
    protected String[] stateNames() {
        return STATE;
    }

    @Override
    protected void update(float[] w, float[] g, float[][] state, int from, int to, float lr, long t) {
        float[] sum = state[0];
        for (int i = from; i < to; i++) {
            sum[i] += g[i] * g[i];
            w[i] -= lr * g[i] / ((float) Math.sqrt(sum[i]) + epsilon);
        }
    }

    @Override
    public String toString() {
        return "AdaGrad(lr=" + learningRate() + ")";
    }
}
