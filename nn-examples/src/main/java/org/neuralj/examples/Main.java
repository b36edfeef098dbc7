package org.neuralj.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The neuralj example programs: {@code java -jar nn-examples.jar <command> [options]}, with the commands
 * {@code digits}, {@code moons}, {@code mnist}, {@code neuron} and {@code predict}; each has {@code --help}.
 */
@Command(name = "nn-examples", mixinStandardHelpOptions = true, version = "neuralj examples 0.1.0",
        description = "Neural networks from the seeds: run a command, see what the network learned.",
        subcommands = {DigitsCommand.class, MoonsCommand.class, MnistCommand.class, NeuronCommand.class,
                PredictCommand.class},
        synopsisSubcommandLabel = "COMMAND")
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // pictures are drawn off-screen; no display is needed
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand, as {@link #main} runs it. */
    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
