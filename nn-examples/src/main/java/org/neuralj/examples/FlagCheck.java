package org.neuralj.examples;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Refuses a bad flag value as picocli refuses a malformed one: exit code 2 and a message naming the flag. */
final class FlagCheck {

    private FlagCheck() {
    }

    /** Throws a {@link ParameterException} with {@code message} unless {@code ok}. */
    static void require(CommandSpec spec, boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
