package org.neuralj.examples;

/** The kinds of network the image commands build: Dense layers only, or convolutions first. */
enum ModelChoice {
    /** Fully connected: the sizes of {@code --hidden}, the {@code --activation}. */
    MLP("mlp"),
    /** Convolutional, the command's own (LeNet-5 for 28x28 images): images in {@code [N, 1, H, W]}. */
    CNN("cnn");

    private final String cliName;

    ModelChoice(String cliName) {
        this.cliName = cliName;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
