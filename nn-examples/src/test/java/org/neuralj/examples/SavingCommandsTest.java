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
        assertThat(otherSeed.err()).contains("was trained with --seed 4; pass the same --seed");

        Run notACheckpoint = run(digits("--epochs", "4", "--resume", model.toString()));
        assertThat(notACheckpoint.err()).contains(model + ": this is a model file but not a checkpoint");

        Files.write(dir.resolve("junk"), "not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Run junk = run("predict", "--model", dir.resolve("junk").toString(), "--csv", model.toString());
        assertThat(junk.exitCode()).isEqualTo(2);
        assertThat(junk.err().toLowerCase(Locale.ROOT)).contains("junk: header length");
    }
}
