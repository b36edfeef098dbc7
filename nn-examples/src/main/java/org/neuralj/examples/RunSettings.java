package org.neuralj.examples;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.neuralj.io.Checkpoint;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * The settings that define a training run, as a checkpoint stores them: every flag of the command in its command-line
 * form (network, loss, optimizer, learning rate, batch size, epochs, schedule, early stopping, dropout, seed, the data
 * split), the command's name, and the epochs the schedule spans. With them {@code --resume FILE} alone continues the
 * run, and a flag that contradicts the checkpoint is refused.
 */
final class RunSettings {
    /**
     * Flags not stored: where results go or how they are shown, not what is trained; and {@code --tutorial}, a preset
     * whose effect is already in the other flags' stored values (applied again, it would override them).
     */
    private static final Set<String> OUTPUT_FLAGS = Set.of("--out", "--save", "--checkpoint", "--resume", "--help",
            "--version", "--progress", "--show-mistakes", "--export-onnx", "--tutorial");
    /** The one flag a resume may change: how far to train (the schedule keeps the original span). */
    private static final String EPOCHS = "--epochs";
    private static final String COMMAND = "command";
    private static final String SCHEDULE_EPOCHS = "schedule-epochs";

    private RunSettings() {
    }

    /** The run's settings: each run-defining flag's current value, the command, the schedule's span. */
    static Map<String, String> of(CommandSpec spec, NetworkOptions network) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(COMMAND, spec.name());
        for (OptionSpec o : spec.options()) {
            if (!OUTPUT_FLAGS.contains(o.longestName())) {
                m.put(o.longestName(), render(o.getValue()));
            }
        }
        m.put(SCHEDULE_EPOCHS, Integer.toString(network.scheduleEpochs()));
        return m;
    }

    /**
     * Takes the run's settings from {@code checkpoint}: a flag not given gets the checkpoint's value; a flag given
     * with another value than the checkpoint's is refused, naming the flag and both values. A checkpoint saved
     * without settings (by an older version) changes nothing: the flags must then match the first run by hand.
     *
     * @throws ParameterException naming the flag, the checkpoint's value and the given one
     */
    static void apply(Checkpoint checkpoint, Path file, CommandSpec spec, NetworkOptions network) {
        Map<String, String> saved = checkpoint.run();
        if (saved.isEmpty()) {
            return;
        }
        CommandLine cl = spec.commandLine();
        if (!spec.name().equals(saved.get(COMMAND))) {
            throw new ParameterException(cl, "--resume: " + file + " is a checkpoint of the " + saved.get(COMMAND)
                    + " command, not of " + spec.name());
        }
        CommandLine.ParseResult parsed = cl.getParseResult();
        for (OptionSpec o : spec.options()) {
            String name = o.longestName();
            String value = saved.get(name);
            if (value == null || OUTPUT_FLAGS.contains(name)) {
                continue;
            }
            boolean given = parsed != null && parsed.hasMatchedOption(name);
            if (!given) {
                o.setValue(convert(spec, o, value));
            } else if (!name.equals(EPOCHS) && !render(o.getValue()).equals(value)) {
                throw new ParameterException(cl, name + " " + render(o.getValue()) + " contradicts the checkpoint "
                        + file + ", whose run has " + name + " " + value + "; leave the flag out to continue that run,"
                        + " or start a new run without --resume");
            }
        }
        String span = saved.get(SCHEDULE_EPOCHS);
        network.scheduleEpochs = span == null ? 0 : Integer.parseInt(span);
    }

    /** A value in command-line form: lists comma-separated, choices by their command-line names. */
    private static String render(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    /** {@code value} converted as the command line would convert it for {@code option}. */
    private static Object convert(CommandSpec spec, OptionSpec option, String value) {
        if (value.isEmpty()) {
            return null;
        }
        if (option.arity().max() == 0) {
            return Boolean.parseBoolean(value); // a switch takes no argument on the command line
        }
        CommandLine fresh = new CommandLine(spec.userObject().getClass());
        fresh.parseArgs(option.longestName(), value);
        return fresh.getCommandSpec().findOption(option.longestName()).getValue();
    }
}
