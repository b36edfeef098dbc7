package org.neuralj.examples;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Refuses a flag value outside its range as picocli refuses a malformed one: a {@link ParameterException}, so exit
 * code 2 and one line naming the flag, the value and what it must be. Commands check before reading any data.
 */
final class FlagCheck {

    private FlagCheck() {
    }

    /** Throws a {@link ParameterException} with {@code message} unless {@code ok}. */
    static void require(CommandSpec spec, boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    /** {@code flag}'s {@code value} must be at least {@code min}. */
    static void atLeast(CommandSpec spec, String flag, long value, long min) {
        require(spec, value >= min, flag + " must be at least " + min + " but was " + value);
    }

    /** {@code flag}'s {@code value} must be a finite number greater than 0. */
    static void positive(CommandSpec spec, String flag, double value) {
        require(spec, value > 0 && Double.isFinite(value), flag + " must be a positive finite number but was "
                + value);
    }

    /** {@code flag}'s numbers must all be finite (not NaN, not infinite). */
    static void finite(CommandSpec spec, String flag, List<? extends Number> values) {
        require(spec, values.stream().allMatch(v -> Double.isFinite(v.doubleValue())), flag
                + " must be finite numbers but got " + values);
    }
}
