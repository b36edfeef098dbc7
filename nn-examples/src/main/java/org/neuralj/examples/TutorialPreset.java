package org.neuralj.examples;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * A tutorial's own settings for a training command, behind its {@code --tutorial} flag: values for the command's
 * options, applied to each option that was not given on the command line (a flag given explicitly still wins, e.g.
 * {@code moons --tutorial --epochs 30}).
 *
 * @param tutorial which tutorial the settings follow, as printed
 * @param values   option name (as declared) to its value, typed as the option's field
 */
record TutorialPreset(String tutorial, Map<String, Object> values) {

    /**
     * The moons tutorial ("From principle to implementation", Nielsen's {@code Network} on
     * {@code make_moons(200, noise=0.20)}): sizes [2, 10, 2], sigmoid, quadratic cost, N(0, 1) weights and biases,
     * {@code SGD(epochs=5, mini_batch_size=10, eta=0.1)}.
     */
    static final TutorialPreset MOONS = new TutorialPreset("the moons tutorial ('From principle to implementation')",
            ordered("--samples", 200, "--noise", 0.2, "--hidden", List.of(10), "--activation",
                    ActivationChoice.SIGMOID, "--loss", LossChoice.QUADRATIC, "--init", InitChoice.GAUSSIAN,
                    "--optimizer", OptimizerChoice.SGD_PLAIN, "--learning-rate", "0.1", "--batch-size", 10, "--epochs", 5));

    /**
     * The digits tutorial ("Analysing how a neural network works"): 64 inputs, one sigmoid hidden layer, 10 outputs,
     * N(0, 1) weights and biases, quadratic cost, SGD. It leaves the sizes to its caller; these are those of
     * Nielsen's {@code network.py} ("Neural network notes"): 30 hidden units, 30 epochs, batches of 10, η = 3.0.
     */
    static final TutorialPreset DIGITS = new TutorialPreset("the digits tutorial ('Analysing how a neural network"
            + " works', with network.py's 30 hidden units, 30 epochs, batch 10, lr 3.0)",
            ordered("--hidden", List.of(30), "--activation", ActivationChoice.SIGMOID, "--loss", LossChoice.QUADRATIC,
                    "--init", InitChoice.GAUSSIAN, "--optimizer", OptimizerChoice.SGD_PLAIN, "--learning-rate", "3.0",
                    "--batch-size", 10, "--epochs", 30));

    /**
     * Sets each preset option that the command line did not give, and prints which settings the run takes from
     * the tutorial and which flags override it.
     */
    void apply(CommandSpec spec, PrintWriter out) {
        ParseResult given = spec.commandLine().getParseResult();
        List<String> applied = new ArrayList<>(), kept = new ArrayList<>();
        values.forEach((name, value) -> {
            OptionSpec option = spec.findOption(name);
            if (option == null) {
                throw new IllegalStateException("the preset of " + tutorial + " names no option of "
                        + spec.name() + ": " + name);
            }
            if (given != null && given.hasMatchedOption(name)) {
                kept.add(name + " " + option.getValue());
            } else {
                option.setValue(value);
                applied.add(name + " " + (value instanceof List<?> l
                        ? l.stream().map(String::valueOf).collect(Collectors.joining(",")) : value));
            }
        });
        out.println("--tutorial: the settings of " + tutorial + ": " + String.join(" ", applied)
                + (kept.isEmpty() ? "" : "; given on the command line instead: " + String.join(" ", kept)));
        out.flush();
    }

    private static Map<String, Object> ordered(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
