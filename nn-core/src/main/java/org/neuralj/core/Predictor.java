package org.neuralj.core;

/**
 * A trained network and the {@link Preprocessing} it was trained with: {@link #predict} takes raw inputs (pixels
 * 0..255, unscaled features) and preprocesses them exactly as training did, so a deployed model cannot be fed raw
 * inputs by mistake. nn-io's {@code ModelFile.save(Predictor, Path)} and {@code ModelFile.loadPredictor(Path)} keep the
 * two in one file.
 *
 * @param network       the network, which takes preprocessed inputs
 * @param preprocessing what turns a raw input into the network's input, and the class names
 */
public record Predictor(Sequential network, Preprocessing preprocessing) {

    /**
     * @throws IllegalArgumentException when the standardiser's width is not the network's input width, or the class
     *                                  names are not one per class ({@link Classes}: two for a single output)
     */
    public Predictor {
        if (network == null || preprocessing == null) {
            throw new IllegalArgumentException("a Predictor needs a network and a preprocessing but got " + network
                    + ", " + preprocessing);
        }
        int inputs = network.inputShape().size();
        if (preprocessing.standardizes() && preprocessing.mean().length != inputs) {
            throw new IllegalArgumentException("the standardiser has " + preprocessing.mean().length + " features but"
                    + " the network takes " + inputs + " inputs");
        }
        int outputs = network.outputShape().size();
        int classes = outputs == 1 ? 2 : outputs;
        int names = preprocessing.classNames().size();
        if (names != 0 && names != classes) {
            throw new IllegalArgumentException(names + " class names " + preprocessing.classNames() + " for a network"
                    + " of " + classes + " classes");
        }
    }

    /** The network's output for raw inputs {@code [rows, features]}: {@code network.predict(preprocessing.apply(raw))}. */
    public Tensor predict(Tensor raw) {
        return network.predict(preprocessing.apply(raw));
    }

    /** The predicted class of each raw input row ({@link Classes}). */
    public int[] predictClasses(Tensor raw) {
        return network.predictClasses(preprocessing.apply(raw));
    }

    /** The name of class {@code k} ({@link Preprocessing#className}). */
    public String className(int k) {
        return preprocessing.className(k);
    }
}
