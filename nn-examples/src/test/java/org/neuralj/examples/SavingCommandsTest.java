package org.neuralj.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralj.core.Dataset;
import org.neuralj.core.Predictor;
import org.neuralj.core.Preprocessing;
import org.neuralj.core.Tensor;
import org.neuralj.datasets.Digits;
import org.neuralj.io.ModelFile;
import picocli.CommandLine;

/**
 * {@code --save}, {@code --export-onnx}, {@code --checkpoint}, {@code --resume} and {@code predict}, run as the command
 * line runs them.
 */
class SavingCommandsTest {
    @TempDir
    Path dir;

    /** Exit code and everything printed. */
    private record Run(int exitCode, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private String[] digits(String... more) {
        List<String> args = new ArrayList<>(List.of("digits", "--out", dir.toString(), "--show-mistakes", "0"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aResumedRunSavesTheSameBytesAsAnUninterruptedOne() throws IOException {
        Path checkpoint = dir.resolve("run.ckpt"), resumed = dir.resolve("resumed.safetensors");
        Path straight = dir.resolve("straight.safetensors");

        assertThat(run(digits("--epochs", "2", "--checkpoint", checkpoint.toString())).exitCode()).isZero();
        Run second = run(digits("--epochs", "3", "--resume", checkpoint.toString(), "--save", resumed.toString()));
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("resuming Sequential[Dense(30), Sigmoid, Dense(10), Sigmoid] from "
                + checkpoint + " after epoch 2").contains("Epoch 3: ").doesNotContain("Epoch 2: ")
                .contains("Saved the model to " + resumed);
        assertThat(run(digits("--epochs", "3", "--save", straight.toString())).exitCode()).isZero();

        assertThat(Files.mismatch(resumed, straight)).as("first differing byte").isEqualTo(-1);
    }

    @Test
    void exportOnnxWritesAModelThatOnnxRuntimeRunsOnRawPixelsLikeTheSavedOne() throws Exception {
        Path model = dir.resolve("digits.safetensors");
        Path onnx = dir.resolve("digits.onnx");
        Run training = run(digits("--epochs", "2", "--save", model.toString(), "--export-onnx", onnx.toString()));
        assertThat(training.exitCode()).as(training.err()).isZero();
        assertThat(training.out()).contains("Exported the model as ONNX (opset 13) to " + onnx);

        Predictor saved = ModelFile.loadPredictor(model);
        assertThat(saved.preprocessing()).isEqualTo(Preprocessing.divide(16));
        Tensor x = Digits.load().features();                // raw pixels 0..16: both apply the division
        float[] expected = saved.predict(x).data();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx.toString());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toArray()), new long[] {x.rows(), 64});
             OrtSession.Result result = session.run(Map.of("input", input))) {
            FloatBuffer actual = ((OnnxTensor) result.get("output").orElseThrow()).getFloatBuffer();
            assertThat(actual.remaining()).isEqualTo(expected.length);
            for (int i = 0; i < expected.length; i++) {
                assertThat((double) actual.get(i)).as("output %d", i).isCloseTo(expected[i], within(1e-5));
            }
        }
    }

    @Test
    void predictClassifiesTheRowsOfACsvFileWithASavedModel() throws IOException {
        Path model = dir.resolve("digits.safetensors");
        Run training = run(digits("--epochs", "3", "--save", model.toString()));
        assertThat(training.exitCode()).as(training.err()).isZero();

        Dataset digits = Digits.load();
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            for (float v : digits.features().sliceRows(i, i + 1).toArray()) {
                csv.append((int) v).append(',');
            }
            csv.append(digits.labels()[i]).append('\n');
        }
        Path file = Files.writeString(dir.resolve("digits.csv"), csv);

        Run predict = run("predict", "--model", model.toString(), "--csv", file.toString(), "--show", "3");
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        assertThat(predict.out()).contains("200 samples from " + file
                        + " (Preprocessing(divide by 16.0), from the model file)")
                .contains("sample 1: class ").contains("sample 3: class ").doesNotContain("sample 4: class ");
        Matcher m = Pattern.compile("Accuracy: (\\d+) / 200").matcher(predict.out());
        assertThat(m.find()).as(predict.out()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isGreaterThan(160);

        Run twice = run("predict", "--model", model.toString(), "--csv", file.toString(), "--divide-by", "16");
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).contains("--divide-by 16.0: " + model + " keeps the preprocessing it was trained"
                + " with, Preprocessing(divide by 16.0), and predict applies it; leave --divide-by out");
    }

    @Test
    void resumeRefusesACheckpointItCannotContinueWithAMessage() throws IOException {
        Path checkpoint = dir.resolve("run.ckpt"), model = dir.resolve("plain.safetensors");
        run(digits("--epochs", "2", "--checkpoint", checkpoint.toString(), "--save", model.toString()));

        Run done = run(digits("--epochs", "2", "--resume", checkpoint.toString()));
        assertThat(done.exitCode()).isEqualTo(2);
        assertThat(done.err()).contains("is at epoch 2 already; pass --epochs greater than 2");

        Run otherSeed = run(digits("--epochs", "4", "--seed", "5", "--resume", checkpoint.toString()));
        assertThat(otherSeed.exitCode()).isEqualTo(2);
        assertThat(otherSeed.err()).contains("--seed 5 contradicts the checkpoint " + checkpoint + ", whose run has"
                + " --seed 4");

        Run notACheckpoint = run(digits("--epochs", "4", "--resume", model.toString()));
        assertThat(notACheckpoint.err()).contains(model + ": this is a model file but not a checkpoint");

        Files.write(dir.resolve("junk"), "not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Run junk = run("predict", "--model", dir.resolve("junk").toString(), "--csv", model.toString());
        assertThat(junk.exitCode()).isEqualTo(2);
        assertThat(junk.err().toLowerCase(Locale.ROOT)).contains("junk: header length");
    }

    @Test
    void aDivergingRunExitsNonZeroWithOneLine() {
        for (String rate : new String[] {"1e4", "1e20"}) {
            Run diverged = run(digits("--epochs", "3", "--loss", "cross-entropy", "--lr", rate));
            assertThat(diverged.exitCode()).as(rate).isEqualTo(1);
            assertThat(diverged.err()).as(rate).startsWith("error: Training diverged: ")
                    .contains("smaller learning rate").doesNotContain("\tat ");
            assertThat(diverged.err().strip().lines()).as(rate).hasSize(1);
        }
    }

    @Test
    void impossibleFlagValuesAreRefusedWithExitCode2NamingTheFlag() {
        String[][] cases = {{"--dropout", "-0.5"}, {"--early-stopping", "-1"}, {"--epochs", "0"},
                {"--batch-size", "-3"}, {"--weight-decay", "-1"}, {"--learning-rate", "-0.1"}, {"--learning-rate", "fast"},
                {"--hidden", "30,0"}, {"--test-fraction", "1.5"}};
        for (String[] flag : cases) {
            Run r = run(digits(flag[0], flag[1]));
            assertThat(r.exitCode()).as("%s %s: %s", flag[0], flag[1], r.err()).isEqualTo(2);
            assertThat(r.err()).as("%s %s", flag[0], flag[1]).startsWith("error: ").contains(flag[0])
                    .contains(flag[1].split(",")[0]);
            assertThat(r.err().strip().lines()).as("one line").hasSize(1);
        }
    }

    @Test
    void predictRefusesALabelOutsideTheModelsClassesNamingTheRow() throws IOException {
        Path model = dir.resolve("digits.safetensors");
        assertThat(run(digits("--epochs", "1", "--save", model.toString())).exitCode()).isZero();
        String row = "0,".repeat(64);
        Path csv = Files.writeString(dir.resolve("bad.csv"), row + "3\n" + row + "11\n");
        Run predict = run("predict", "--model", model.toString(), "--csv", csv.toString());
        // bad data is a failed run (1), not a bad command line (2)
        assertThat(predict.exitCode()).as(predict.err()).isEqualTo(1);
        assertThat(predict.err()).contains(csv + ": row 2, column 65: label 11 is outside 0..9");
        Path narrow = Files.writeString(dir.resolve("narrow.csv"), "1,2,3\n");
        Run wrongWidth = run("predict", "--model", model.toString(), "--csv", narrow.toString());
        assertThat(wrongWidth.exitCode()).as(wrongWidth.err()).isEqualTo(2);
        assertThat(wrongWidth.err()).contains("expects 64 inputs per sample (64 columns, or 65 with the label last)"
                + " but the first row of " + narrow + " has 3 columns");
    }

    @Test
    void predictScoresRowsWithoutLabels() throws IOException {
        Path model = dir.resolve("digits.safetensors");
        assertThat(run(digits("--epochs", "2", "--save", model.toString())).exitCode()).isZero();
        Dataset digits = Digits.load();
        Tensor rows = digits.features().sliceRows(0, 5);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < rows.rows(); i++) {
            for (int j = 0; j < rows.cols(); j++) {
                csv.append(j == 0 ? "" : ",").append(j == 3 ? "\"" + (int) rows.get(i, j) + "\"" : (int) rows.get(i, j));
            }
            csv.append('\n');
        }
        Path file = Files.writeString(dir.resolve("unlabelled.csv"), csv);

        Run predict = run("predict", "--model", model.toString(), "--csv", file.toString());
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        assertThat(predict.out()).contains("5 samples from " + file).contains("; no labels)")
                .doesNotContain("Accuracy").doesNotContain("label ");
        Predictor saved = ModelFile.loadPredictor(model);
        int[] expected = saved.predictClasses(rows);
        for (int i = 0; i < 5; i++) {
            assertThat(predict.out()).contains("sample " + (i + 1) + ": class " + saved.className(expected[i])
                    + " (output ");
        }
    }

    @Test
    void resumeAloneContinuesTheRunBitForBitForEveryOptimizerScheduleAndEarlyStopping() throws IOException {
        String[] optimizers = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"};
        String[] schedules = {"constant", "step", "exponential", "cosine"};
        for (int i = 0; i < optimizers.length; i++) {
            // every optimizer, every schedule at least once, early stopping on and off for each schedule
            String schedule = schedules[i % schedules.length], patience = i % 2 == 0 ? "1" : "0";
            String what = optimizers[i] + ", " + schedule + ", early stopping " + patience;
            Path straight = dir.resolve("straight-" + i + ".safetensors"), resumed = dir.resolve("resumed-" + i
                    + ".safetensors"), checkpoints = dir.resolve("run-" + i + "-{epoch}.ckpt");
            Run first = run(digits("--epochs", "4", "--optimizer", optimizers[i], "--lr", "0.05", "--schedule",
                    schedule, "--early-stopping", patience, "--batch-size", "32", "--hidden", "16", "--dropout",
                    "0.1", "--checkpoint", checkpoints.toString(), "--save", straight.toString()));
            assertThat(first.exitCode()).as("%s: %s", what, first.err()).isZero();
            Run second = run(digits("--resume", dir.resolve("run-" + i + "-2.ckpt").toString(), "--save",
                    resumed.toString()));
            assertThat(second.exitCode()).as("%s: %s", what, second.err()).isZero();
            assertThat(Files.mismatch(resumed, straight)).as("%s: first differing byte", what).isEqualTo(-1);
        }
    }

    @Test
    void aFlagThatContradictsTheCheckpointIsRefusedNamingBothValues() throws IOException {
        Path checkpoint = dir.resolve("run.ckpt");
        assertThat(run(digits("--epochs", "2", "--optimizer", "momentum", "--checkpoint", checkpoint.toString()))
                .exitCode()).isZero();
        String[][] cases = {{"--batch-size", "32", "10"}, {"--loss", "mse", "quadratic"},
                {"--weight-decay", "0.01", "0.0"}, {"--test-fraction", "0.3", "0.2"}, {"--schedule", "cosine",
                "constant"}, {"--optimizer", "nesterov", "momentum"}, {"--learning-rate", "0.5", "auto"}, {"--hidden", "64",
                "30"}, {"--activation", "relu", "sigmoid"}, {"--dropout", "0.2", "0.0"}};
        for (String[] c : cases) {
            Run r = run(digits("--epochs", "3", "--resume", checkpoint.toString(), c[0], c[1]));
            assertThat(r.exitCode()).as("%s: %s", c[0], r.err()).isEqualTo(2);
            assertThat(r.err()).as(c[0]).contains(c[0] + " " + c[1] + " contradicts the checkpoint " + checkpoint
                    + ", whose run has " + c[0] + " " + c[2]);
        }
        // the same values as the checkpoint's are fine, and --epochs may extend the run
        Run same = run(digits("--epochs", "3", "--resume", checkpoint.toString(), "--optimizer", "momentum",
                "--batch-size", "10"));
        assertThat(same.exitCode()).as(same.err()).isZero();
        assertThat(same.out()).contains("Epoch 3: ").doesNotContain("Epoch 2: ");
    }

    @Test
    void predictRefusesInputsThatWouldExhaustMemoryWithOneLine() throws IOException {
        Path model = dir.resolve("digits.safetensors");
        assertThat(run(digits("--epochs", "1", "--save", model.toString())).exitCode()).isZero();
        // a gzip IDX file whose header declares 300 million pixels
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.util.zip.GZIPOutputStream(bytes))) {
            out.writeInt(0x803);
            out.writeInt(382_653);
            out.writeInt(28);
            out.writeInt(28);
            out.write(new byte[1 << 20]);
        }
        Path bomb = Files.write(dir.resolve("bomb-images.gz"), bytes.toByteArray());
        Path zero = Path.of("/dev/zero");
        for (String[] input : new String[][] {{"--images", bomb.toString(), "limit of 268,435,456"},
                {"--csv", zero.toString(), "longer than 4,194,304 characters"}}) {
            if (!Files.exists(Path.of(input[1]))) {
                continue;
            }
            Run r = run("predict", "--model", model.toString(), input[0], input[1]);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).startsWith("error: " + input[1] + ": ").contains(input[2]);
            assertThat(r.err().strip().lines()).hasSize(1);
        }
    }

    @Test
    void resumeTakesTheDataFlagsFromTheCheckpointToo() throws IOException {
        Path straight = dir.resolve("moons.safetensors"), resumed = dir.resolve("moons-resumed.safetensors");
        String checkpoints = dir.resolve("moons-{epoch}.ckpt").toString();
        Run first = run("moons", "--out", dir.toString(), "--epochs", "3", "--samples", "300", "--noise", "0.3",
                "--seed", "11", "--checkpoint", checkpoints, "--save", straight.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        Run second = run("moons", "--out", dir.toString(), "--resume", dir.resolve("moons-1.ckpt").toString(),
                "--save", resumed.toString());
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("240 training and 60 test samples");
        assertThat(Files.mismatch(resumed, straight)).isEqualTo(-1);
        Run otherDigits = run(digits("--resume", dir.resolve("moons-1.ckpt").toString()));
        assertThat(otherDigits.exitCode()).isEqualTo(2);
        assertThat(otherDigits.err()).contains("is a checkpoint of the moons command, not of digits");
        Run noise = run("moons", "--out", dir.toString(), "--resume", dir.resolve("moons-1.ckpt").toString(),
                "--noise", "0.2");
        assertThat(noise.err()).contains("--noise 0.2 contradicts").contains("--noise 0.3");
    }

    @Test
    void moonsRefusesImpossibleDataFlagsWithExitCode2() {
        for (String[] flag : new String[][] {{"--samples", "-5"}, {"--noise", "-0.1"}}) {
            Run r = run("moons", "--out", dir.toString(), flag[0], flag[1]);
            assertThat(r.exitCode()).as("%s %s: %s", flag[0], flag[1], r.err()).isEqualTo(2);
            assertThat(r.err()).startsWith("error: " + flag[0]).contains(flag[1]);
        }
    }
}
