package org.neuralj.optim;

/**
 * Adam (Kingma and Ba, 2015): momentum on the gradient and on its square, with bias correction for their zero start.
 *
 * <pre>
 * m ← β₁ m + (1 − β₁) g          v ← β₂ v + (1 − β₂) g²
 * m̂ = m / (1 − β₁ᵗ)              v̂ = v / (1 − β₂ᵗ)
 * θ ← θ − η m̂ / (√v̂ + ε)
 * </pre>
 *
 * Defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8. With {@link #weightDecay} the decay is coupled (L2 in the gradient); for
 * decoupled decay use {@link AdamW}.
 */
public class Adam extends GradientOptimizer {
    private static final String[] STATE = {"m", "v"};
    private final double beta1;
    private final double beta2;
    private final float epsilon;

    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        super(learningRate);
        this.beta1 = requireInUnitInterval("beta1", beta1);
        this.beta2 = requireInUnitInterval("beta2", beta2);
        this.epsilon = (float) requirePositive("epsilon", epsilon);
    }

    @Override
    protected void addSettings(java.util.Map<String, Object> settings) {
        settings.put("beta1", beta1);
        settings.put("beta2", beta2);
        settings.put("epsilon", (double) epsilon);
        settings.put("decoupled_weight_decay", decoupledWeightDecay());
    }

    @Override
    protected String[] stateNames() {
        return STATE;
    }

    @Override
    protected void update(float[] w, float[] g, float[][] state, int from, int to, float lr, long t) {
        float[] m = state[0], v = state[1];
        // 1 − β in double: in float, 1 − 0.999f is off by 1e-5 relative
        float b1 = (float) beta1, b2 = (float) beta2, a1 = (float) (1 - beta1), a2 = (float) (1 - beta2);
        // bias corrections folded into the step size and ε: η m̂ / (√v̂ + ε) = η' m / (√v + ε')
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) (lr * Math.sqrt(c2) / c1);
        float eps = (float) (epsilon * Math.sqrt(c2));
        for (int i = from; i < to; i++) {
            float gi = g[i];
            m[i] = b1 * m[i] + a1 * gi;
            v[i] = b2 * v[i] + a2 * gi * gi;
            w[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) + eps);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(lr=" + learningRate() + ", beta1=" + beta1 + ", beta2=" + beta2 + ")";
    }
}
