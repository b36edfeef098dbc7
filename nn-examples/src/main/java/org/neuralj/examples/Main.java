package org.neuralj.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The neuralj example programs: {@code java -jar nn-examples.jar <command> [options]}, with the commands
 * {@code digits}, {@code moons}, {@code mnist}, {@code neuron}, {@code predict}, the lessons {@code perceptron},
 * {@code gradient-descent} and {@code two-layer-net}, and the web {@code playground}; each has {@code --help}.
 */
@Command(name = "nn-examples", mixinStandardHelpOptions = true, version = "neuralj examples 0.1.0",
        description = "Neural networks from the tutorials: run a command, see what the network learned.",
        subcommands = {DigitsCommand.class, MoonsCommand.class, MnistCommand.class, NeuronCommand.class,
                PredictCommand.class, PerceptronCommand.class, GradientDescentCommand.class,
                TwoLayerNetCommand.class, PlaygroundCommand.class},
        synopsisSubcommandLabel = "COMMAND")
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // pictures are drawn off-screen; no display is needed
        System.setProperty("java.awt.headless", "true");
        int code;
        try {
            code = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            // the readers refuse what the heap cannot hold; should anything else still run out: one line, no trace
            System.err.println("error: out of memory (" + e.getMessage() + "); raise the heap with java -Xmx");
            code = 1;
        }
        System.exit(code);
    }

    /** The command line with every subcommand, as {@link #main} runs it. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // a bad flag: one line naming it and the value, exit code 2 (picocli's default adds the whole usage text)
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println(failed.getColorScheme().errorText("error: " + e.getMessage() + " (see "
                    + failed.getCommandSpec().qualifiedName() + " --help)"));
            return 2;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // bad data or a bad combination of settings: the message says what and where, a stack trace would not
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
                commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + e.getMessage()));
                return 1;
            }
            throw e;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
