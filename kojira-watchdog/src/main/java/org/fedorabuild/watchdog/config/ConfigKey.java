package org.fedorabuild.watchdog.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.fedorabuild.compat.profile.ConfigValues;

/**
 * One key of the {@code [kojira-watchdog]} section: its name, how its text is parsed, its default (null when
 * the key is optional and has none) and what it means. Every key is declared exactly once, in
 * {@link ConfigKeys}; the example config {@code etc/kojira-watchdog/kojira-watchdog.conf} lists the same keys.
 */
public record ConfigKey<T>(String name, Function<String, T> parser, T defaultValue, boolean secret, String help) {

    public T parse(String text) {
        return parser.apply(text);
    }

    static ConfigKey<Duration> duration(String name, String defaultText, String help) {
        return new ConfigKey<>(name, ConfigValues::parseDuration,
                defaultText == null ? null : ConfigValues.parseDuration(defaultText), false, help);
    }

    static ConfigKey<Boolean> bool(String name, boolean def, String help) {
        return new ConfigKey<>(name, ConfigValues::parseBoolean, def, false, help);
    }

    static ConfigKey<Integer> integer(String name, Integer def, int min, String help) {
        return new ConfigKey<>(name, text -> {
            int v;
            try {
                v = Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not an integer");
            }
            if (v < min) {
                throw new IllegalArgumentException(v + " is below the minimum " + min);
            }
            return v;
        }, def, false, help);
    }

    static ConfigKey<Double> fraction(String name, double def, String help) {
        return new ConfigKey<>(name, text -> {
            double v;
            try {
                v = Double.parseDouble(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a number");
            }
            if (!(v >= 0.0 && v <= 1.0)) {
                throw new IllegalArgumentException(text + " is not a fraction between 0 and 1");
            }
            return v;
        }, def, false, help);
    }

    static ConfigKey<String> string(String name, String def, String help) {
        return new ConfigKey<>(name, String::strip, def, false, help);
    }

    static ConfigKey<String> secret(String name, String help) {
        return new ConfigKey<>(name, String::strip, null, true, help);
    }

    static ConfigKey<Path> path(String name, String def, String help) {
        return new ConfigKey<>(name, text -> Path.of(text.strip()), def == null ? null : Path.of(def), false, help);
    }

    static ConfigKey<String> choice(String name, String def, List<String> allowed, String help) {
        return new ConfigKey<>(name, text -> {
            String v = text.strip().toLowerCase(Locale.ROOT);
            if (!allowed.contains(v)) {
                throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", allowed));
            }
            return v;
        }, def, false, help);
    }

    /** Comma- or whitespace-separated names. */
    static ConfigKey<List<String>> list(String name, String help) {
        return new ConfigKey<>(name, text -> Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isBlank()).toList(),
                List.of(), false, help);
    }
}
