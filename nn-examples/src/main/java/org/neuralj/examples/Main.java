package org.neuralj.examples;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The neuralj example programs: {@code bin/neuralj <command> [options]} (or {@code java -jar nn-examples.jar}), with
 * the commands {@code digits}, {@code moons}, {@code mnist}, {@code neuron}, {@code predict}, the lessons
 * {@code perceptron}, {@code gradient-descent} and {@code two-layer-net}, and the web {@code playground}; each has
 * {@code --help}. Exit codes: 0 success, 1 a failed run, 2 a wrong command line.
 */
@Command(name = "neuralj", mixinStandardHelpOptions = true, version = "neuralj examples 0.1.0",
        description = "Neural networks from the tutorials: run a command, see what the network learned.",
        subcommands = {DigitsCommand.class, MoonsCommand.class, MnistCommand.class, NeuronCommand.class,
                PredictCommand.class, PerceptronCommand.class, GradientDescentCommand.class,
                TwoLayerNetCommand.class, PlaygroundCommand.class},
        synopsisSubcommandLabel = "COMMAND",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the run failed: missing or malformed data, an I/O error, divergence",
                "2:the command line is wrong: no or unknown command or flag, a value out of range, flags that"
                        + " contradict each other or the model or checkpoint they name"})
public final class Main implements Callable<Integer> {
    /** The heading of every command's example, its footer. */
    static final String EXAMPLE = "%nExample:%n";
    /** The exit code of a command line that cannot run as given (picocli's {@code ExitCode.USAGE}). */
    static final int USAGE = CommandLine.ExitCode.USAGE;
    /** The exit code of a run that failed (picocli's {@code ExitCode.SOFTWARE}). */
    static final int FAILED = CommandLine.ExitCode.SOFTWARE;

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
            code = FAILED;
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
            return USAGE;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // bad data or a bad combination of settings: the message says what and where, a stack trace would not
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
                commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + e.getMessage()));
                return FAILED;
            }
            throw e; // a bug: picocli prints the stack trace and returns 1 as well
        });
        return cl;
    }

    /** No command: the usage, on standard error as for any other usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }
}
