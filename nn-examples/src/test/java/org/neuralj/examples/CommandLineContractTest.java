package org.neuralj.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What every command promises on the command line: exit code 0 on success, 1 when the run fails, 2 when the command
 * line is wrong; every numeric flag checked against its range, not only its type; {@code --help} with each default
 * and an example that parses.
 */
class CommandLineContractTest {
    /** Flags whose whole type is their range: any seed is a seed. */
    private static final Set<String> UNBOUNDED = Set.of("--seed");

    @TempDir
    Path dir;

    /** Exit code and everything printed. */
    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** For each command, one out-of-range value of each numeric flag. */
    private Map<String, String[][]> outOfRange() {
        String[][] network = {{"--hidden", "30,0"}, {"--epochs", "0"}, {"--batch-size", "0"},
                {"--learning-rate", "-0.1"}, {"--learning-rate", "Infinity"}, {"--weight-decay", "-1"},
                {"--dropout", "1"}, {"--early-stopping", "-1"}};
        Map<String, String[][]> m = new LinkedHashMap<>();
        m.put("digits", concat(network, new String[][] {{"--test-fraction", "0"}, {"--show-mistakes", "-1"}}));
        m.put("moons", concat(network, new String[][] {{"--samples", "9"}, {"--noise", "NaN"}}));
        m.put("mnist", concat(network, new String[][] {{"--limit", "0"}, {"--test-limit", "-5"}}));
        m.put("neuron", new String[][] {{"--epochs", "0"}, {"--learning-rate", "0"}, {"--learning-rate", "NaN"}});
        m.put("predict", new String[][] {{"--show", "-1"}, {"--divide-by", "0"}, {"--divide-by", "Infinity"}});
        m.put("perceptron", new String[][] {{"--weights", "8,NaN,1"}, {"--threshold", "Infinity"},
                {"--then-weights", "8,4,-Infinity"}, {"--learning-rate", "0"}, {"--max-epochs", "0"},
                {"--epochs", "0"}});
        m.put("gradient-descent", new String[][] {{"--start", "1,NaN"}, {"--learning-rate", "Infinity"},
                {"--steps", "0"}, {"--compare-rates", "10,-1"}, {"--h", "0"}});
        m.put("two-layer-net", new String[][] {{"--hidden", "0"}, {"--iterations", "0"}, {"--limit", "0"},
                {"--batch-size", "0"}, {"--learning-rate", "-1"}, {"--check-samples", "0"}});
        m.put("playground", new String[][] {{"--port", "65536"}, {"--port", "-1"}, {"--max-sessions", "0"},
                {"--max-sessions", "65"}});
        return m;
    }

    private static String[][] concat(String[][] a, String[][] b) {
        String[][] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** What a command needs besides the flag under test, so that only that flag is wrong. */
    private List<String> required(String command) {
        return switch (command) {
            case "predict" -> List.of("--model", dir.resolve("m.safetensors").toString(), "--csv",
                    dir.resolve("x.csv").toString());
            case "playground", "neuron" -> List.of();
            default -> List.of("--out", dir.toString());
        };
    }

    private static boolean numeric(OptionSpec o) {
        Class<?> type = o.type();
        if (List.class.isAssignableFrom(type)) {
            type = o.auxiliaryTypes()[0];
        }
        return type == int.class || type == long.class || type == float.class || type == double.class
                || Number.class.isAssignableFrom(type) || o.longestName().equals("--learning-rate");
    }

    @Test
    void everyNumericFlagOfEveryCommandIsCheckedAgainstItsRange() {
        Map<String, String[][]> cases = outOfRange();
        for (Map.Entry<String, CommandLine> sub : Main.commandLine().getSubcommands().entrySet()) {
            String command = sub.getKey();
            assertThat(cases).as("out-of-range cases for %s", command).containsKey(command);
            Set<String> tested = new java.util.HashSet<>();
            for (String[] c : cases.get(command)) {
                tested.add(c[0]);
            }
            for (OptionSpec o : sub.getValue().getCommandSpec().options()) {
                if (numeric(o) && !UNBOUNDED.contains(o.longestName())) {
                    assertThat(tested).as("%s %s has an out-of-range case", command, o.longestName())
                            .contains(o.longestName());
                }
            }
        }
        for (Map.Entry<String, String[][]> e : cases.entrySet()) {
            for (String[] c : e.getValue()) {
                List<String> args = new ArrayList<>(List.of(e.getKey(), c[0], c[1]));
                args.addAll(required(e.getKey()));
                Run r = run(args.toArray(String[]::new));
                String what = e.getKey() + " " + c[0] + " " + c[1];
                assertThat(r.exitCode()).as("%s: %s", what, r.err()).isEqualTo(2);
                assertThat(r.err()).as(what).startsWith("error: " + c[0]).contains(c[1].split(",")[0])
                        .contains("(see neuralj " + e.getKey() + " --help)");
                assertThat(r.err().strip().lines()).as(what).hasSize(1);
                assertThat(r.out()).as(what + ": nothing ran").isEmpty();
            }
        }
    }

    @Test
    void everyCommandsHelpShowsItsDefaultsAndAnExampleThatParses() {
        for (Map.Entry<String, CommandLine> sub : Main.commandLine().getSubcommands().entrySet()) {
            String command = sub.getKey();
            Run help = run(command, "--help");
            assertThat(help.exitCode()).as(command).isZero();
            String text = help.out();
            String flowing = text.replaceAll("\\s+", " "); // picocli wraps the descriptions
            assertThat(text).as(command).contains("Example:").contains("  neuralj " + command + " ");
            String example = text.substring(text.indexOf("  neuralj " + command + " ")).strip().lines().findFirst()
                    .orElseThrow();
            String[] args = Arrays.copyOfRange(example.split(" +"), 1, example.split(" +").length);
            CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args);
            assertThat(parsed.subcommand().commandSpec().name()).as(example).isEqualTo(command);

            CommandSpec spec = sub.getValue().getCommandSpec();
            for (OptionSpec o : spec.options()) {
                String defaultValue = o.defaultValue();
                if (defaultValue == null && spec.defaultValueProvider() != null) {
                    try {
                        defaultValue = spec.defaultValueProvider().defaultValue(o);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
                boolean isSwitch = o.arity().max() == 0 && !o.negatable();
                if (defaultValue != null && !isSwitch && !o.usageHelp() && !o.versionHelp()) {
                    assertThat(flowing).as("%s %s", command, o.longestName()).contains("default: " + defaultValue);
                }
            }
        }
    }

    @Test
    void exitCodeIs0OnSuccess1WhenTheRunFailsAnd2WhenTheCommandLineIsWrong() throws IOException {
        Run ok = run("neuron", "--epochs", "5");
        assertThat(ok.exitCode()).as(ok.err()).isZero();

        Path aFile = Files.writeString(dir.resolve("not-a-folder"), "x");
        Run failed = run("gradient-descent", "--out", aFile.toString());
        assertThat(failed.exitCode()).as(failed.err()).isEqualTo(1);
        assertThat(failed.err()).startsWith("error: ").contains(aFile.toString()).doesNotContain("\tat ");

        Path csv = Files.writeString(dir.resolve("bad.csv"), "1,2,0\n3,\"4\"x,1\n");
        Path model = dir.resolve("moons.safetensors");
        assertThat(run("moons", "--epochs", "1", "--out", dir.toString(), "--save", model.toString()).exitCode())
                .isZero();
        Run badData = run("predict", "--model", model.toString(), "--csv", csv.toString());
        assertThat(badData.exitCode()).as(badData.err()).isEqualTo(1);
        assertThat(badData.err()).startsWith("error: " + csv + ": row 2, column 2: ");

        Run none = run();
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("Usage: neuralj").contains("Exit codes:");
        assertThat(none.out()).isEmpty();
        assertThat(run("no-such-command").exitCode()).isEqualTo(2);
        for (String command : Main.commandLine().getSubcommands().keySet()) {
            List<String> unknownArgs = new ArrayList<>(List.of(command, "--no-such-flag"));
            unknownArgs.addAll(required(command));
            Run unknown = run(unknownArgs.toArray(String[]::new));
            assertThat(unknown.exitCode()).as(command).isEqualTo(2);
            assertThat(unknown.err()).as(command).contains("--no-such-flag");
            String numberFlag = switch (command) {
                case "predict" -> "--show";
                case "playground" -> "--port";
                default -> "--seed";
            };
            List<String> malformedArgs = new ArrayList<>(List.of(command, numberFlag, "ten"));
            malformedArgs.addAll(required(command));
            Run malformed = run(malformedArgs.toArray(String[]::new));
            assertThat(malformed.exitCode()).as(command).isEqualTo(2);
            assertThat(malformed.err()).as(command).contains(numberFlag).contains("ten");
        }
        assertThat(run("--help").exitCode()).isZero();
        assertThat(run("--version").exitCode()).isZero();
    }

    @Test
    void theMnistChartsSayWhichDataTheyShow() {
        for (String[] c : new String[][] {{"/usr/share/datasets/fashion-mnist", "Fashion-MNIST"},
                {"/data/MNIST", "MNIST"}, {"/data/kmnist", "kmnist"}}) {
            CommandLine cl = Main.commandLine();
            MnistCommand mnist = cl.parseArgs("mnist", "--data", c[0]).subcommand().commandSpec().commandLine()
                    .getCommand();
            assertThat(mnist.title("mnist")).as(c[0]).isEqualTo(c[1]);
        }
    }
}
