package org.neuralj.optim;

/**
 * RMSProp (Hinton): divides by a running root mean square of recent gradients.
 *
 * <pre>s ← ρ s + (1 − ρ) g²,   θ ← θ − η g / (√s + ε)</pre>
 */
public final class RMSProp extends GradientOptimizer {
    private static final String[] STATE = {"mean_square"};
    private final float rho;
    private final float epsilon;

    /** ρ = 0.9, ε = 1e-8. */
    public RMSProp(double learningRate) {
        this(learningRate, 0.9, 1e-8);
    }

    public RMSProp(double learningRate, double rho, double epsilon) {
        super(learningRate);
        this.rho = (float) requireInUnitInterval("rho", rho);
        this.epsilon = (float) requirePositive("epsilon", epsilon);
    }

    @Override
    protected void addSettings(java.util.Map<String, Object> settings) {
        settings.put("rho", (double) rho);
        settings.put("epsilon", (double) epsilon);
    }

    @Override
    protected String[] stateNames() {
        return STATE;
    }

    @Override
    protected void update(float[] w, float[] g, float[][] state, int from, int to, float lr, long t) {
        float[] s = state[0];
        float a = (float) (1 - (double) rho);
        for (int i = from; i < to; i++) {
            s[i] = rho * s[i] + a * g[i] * g[i];
            w[i] -= lr * g[i] / ((float) Math.sqrt(s[i]) + epsilon);
        }
    }

    @Override
    public String toString() {
        return "RMSProp(lr=" + learningRate() + ", rho=" + rho + ")";
    }
}
