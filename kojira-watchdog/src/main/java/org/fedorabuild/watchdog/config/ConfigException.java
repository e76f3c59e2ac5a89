package org.fedorabuild.watchdog.config;

import java.util.List;

/** Every problem found in a config file, each naming the file (and line where there is one). */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super("invalid configuration:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
