package org.neuralj.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher distribution that {@code mvn package} builds (target/neuralj): {@code bin/neuralj} runs the program
 * with no flag from the user, and the Vector API kernel is on (the program logs a line when it falls back to the
 * scalar kernel). Runs after {@code package}, as a Failsafe integration test.
 */
class LauncherIT {
    @TempDir
    Path work;

    @Test
    void binNeuraljRunsTheProgramWithTheVectorKernel() throws IOException, InterruptedException {
        assumeTrue(java.io.File.separatorChar == '/', "bin/neuralj is a POSIX shell script (bin/neuralj.bat on Windows)");
        Path launcher = Path.of("target", "neuralj", "bin", "neuralj").toAbsolutePath();
        assertThat(Files.isExecutable(launcher)).as("%s is built and executable", launcher).isTrue();
        Path out = work.resolve("out.txt"), err = work.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "neuron").directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("exit code; stderr: %s", stderr).isZero();
        assertThat(stdout).contains("sigmoid(7) = 0.99908894");
        assertThat(stderr).as("no scalar-kernel fallback").doesNotContain("scalar kernel");
    }

    @Test
    void binNeuraljPlaygroundServesThePage() throws IOException, InterruptedException {
        assumeTrue(java.io.File.separatorChar == '/', "bin/neuralj is a POSIX shell script (bin/neuralj.bat on Windows)");
        Path launcher = Path.of("target", "neuralj", "bin", "neuralj").toAbsolutePath();
        Path err = work.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "playground", "--port", "0")
                .directory(work.toFile()).redirectError(err.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = lines.readLine();
            assertThat(line).as("stderr: %s", Files.exists(err) ? Files.readString(err) : "")
                    .startsWith("Playground: http://127.0.0.1:");
            String url = line.split(" ")[1];
            var http = java.net.http.HttpClient.newHttpClient();
            for (String path : new String[] {"", "chart.js", "playground.js"}) {
                var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + path)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(url + path).isEqualTo(200);
            }
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped by SIGTERM").isTrue();
        }
    }
}
