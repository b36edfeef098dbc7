package org.neuralj.examples;

import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Per-command defaults for the shared {@link NetworkOptions}: each command declares its own table, keyed by the
 * option's long name, and {@code --help} shows them.
 */
abstract class CommandDefaults implements IDefaultValueProvider {
    private final Map<String, String> defaults;

    CommandDefaults(Map<String, String> defaults) {
        this.defaults = defaults;
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (argSpec instanceof OptionSpec option) {
            return defaults.get(option.longestName());
        }
        return null;
    }
}
