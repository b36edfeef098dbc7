package org.neuralj.optim;

/**
 * Stochastic gradient descent, with optional momentum μ and Nesterov momentum (PyTorch's formulation):
 *
 * <pre>
 * plain:     θ ← θ − η g                       (the tutorials' w ← w − (η/m) Σ ∇C_x, as g is a batch mean)
 * momentum:  v ← μ v + g,   θ ← θ − η v
 * Nesterov:  v ← μ v + g,   θ ← θ − η (g + μ v)
 * </pre>
 */
public final class SGD extends GradientOptimizer {
    private static final String[] NO_STATE = {};
    private static final String[] VELOCITY = {"velocity"};
    private final float momentum;
    private final boolean nesterov;

    /** Plain SGD with learning rate η. */
    public SGD(double learningRate) {
        this(learningRate, 0, false);
    }

    /** SGD with momentum μ in [0, 1). */
    public SGD(double learningRate, double momentum) {
        this(learningRate, momentum, false);
    }

    /** SGD with momentum μ in [0, 1), Nesterov's variant when {@code nesterov}. */
    public SGD(double learningRate, double momentum, boolean nesterov) {
        super(learningRate);
        this.momentum = (float) requireInUnitInterval("momentum", momentum);
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs a momentum > 0 but it was 0");
        }
        this.nesterov = nesterov;
    }

    @Override
    protected void addSettings(java.util.Map<String, Object> settings) {
        settings.put("momentum", (double) momentum);
        settings.put("nesterov", nesterov);
    }

    @Override
    protected String[] stateNames() {
        return momentum == 0 ? NO_STATE : VELOCITY;
    }

    @Override
    protected void update(float[] w, float[] g, float[][] state, int from, int to, float lr, long t) {
        if (momentum == 0) {
            for (int i = from; i < to; i++) {
                w[i] -= lr * g[i];
            }
            return;
        }
        float[] v = state[0];
        for (int i = from; i < to; i++) {
            v[i] = momentum * v[i] + g[i];
            w[i] -= lr * (nesterov ? g[i] + momentum * v[i] : v[i]);
        }
    }

    @Override
    public String toString() {
        return "SGD(lr=" + learningRate() + (momentum > 0 ? ", momentum=" + momentum : "")
                + (nesterov ? ", nesterov" : "") + ")";
    }
}
