package org.neuralj.examples;

import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts a command-line word such as {@code cross-entropy} to the enum constant whose {@code toString} it is. */
abstract class CliNames<E extends Enum<E>> implements ITypeConverter<E> {
    private final Class<E> type;

    CliNames(Class<E> type) {
        this.type = type;
    }

    @Override
    public E convert(String value) {
        for (E e : type.getEnumConstants()) {
            if (e.toString().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new TypeConversionException("'" + value + "' is not one of "
                + Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", ")));
    }

    static final class Activations extends CliNames<ActivationChoice> {
        Activations() {
            super(ActivationChoice.class);
        }
    }

    static final class Losses extends CliNames<LossChoice> {
        Losses() {
            super(LossChoice.class);
        }
    }

    static final class Optimizers extends CliNames<OptimizerChoice> {
        Optimizers() {
            super(OptimizerChoice.class);
        }
    }

    static final class Schedules extends CliNames<ScheduleChoice> {
        Schedules() {
            super(ScheduleChoice.class);
        }
    }

    static final class Inits extends CliNames<InitChoice> {
        Inits() {
            super(InitChoice.class);
        }
    }

    static final class Models extends CliNames<ModelChoice> {
        Models() {
            super(ModelChoice.class);
        }
    }
}
