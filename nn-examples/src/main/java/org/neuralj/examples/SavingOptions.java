package org.neuralj.examples;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The flags that keep what training produced: the final model (neuralj and ONNX files), a checkpoint per epoch, and
 * resuming from one.
 */
final class SavingOptions {

    @Option(names = "--save", paramLabel = "FILE",
            description = "After training, save the model (architecture and weights, safetensors format) to FILE,"
                    + " for `predict --model FILE`.")
    Path save;

    @Option(names = "--export-onnx", paramLabel = "FILE",
            description = "After training, export the model as ONNX (opset 13: input \"input\" [N, features], output"
                    + " \"output\" [N, classes]) to FILE, for ONNX Runtime and other ONNX tools.")
    Path exportOnnx;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "After every epoch, save a checkpoint (model, optimizer and early-stopping state, the run's"
                    + " settings, history) to FILE; {epoch} in the name gives each epoch its own file.")
    Path checkpoint;

    @Option(names = "--resume", paramLabel = "CHECKPOINT",
            description = "Continue the run saved by --checkpoint, bit for bit as if it had never stopped. Every"
                    + " setting comes from the checkpoint; a flag that contradicts it is refused, except --epochs,"
                    + " which may extend the run.")
    Path resume;
}
