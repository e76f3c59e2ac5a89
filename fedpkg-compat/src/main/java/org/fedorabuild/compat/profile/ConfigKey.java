package org.fedorabuild.compat.profile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One typed key of a daemon's INI configuration: its name, how its text is parsed (the shared syntaxes of
 * {@link ConfigValues}: one duration syntax, {@code 30s}, {@code 15m}, {@code 2h}, and ConfigParser's booleans), its
 * default (null when the key is optional and has none) and what it means. A daemon declares each of its keys exactly
 * once (kojira-watchdog: {@code ConfigKeys}); its example config in {@code etc/} lists the same keys.
 */
public record ConfigKey<T>(String name, Function<String, T> parser, T defaultValue, boolean secret, String help) {

    public T parse(String text) {
        return parser.apply(text);
    }

    public static ConfigKey<Duration> duration(String name, String defaultText, String help) {
        return new ConfigKey<>(name, ConfigValues::parseDuration,
                defaultText == null ? null : ConfigValues.parseDuration(defaultText), false, help);
    }

    /**
     * A duration in the one syntax, within {@code min..max}; a bare number means {@code bareUnit} (the key's historical
     * unit, so existing files load unchanged). The range is checked on the default too.
     */
    public static ConfigKey<Duration> duration(String name, String defaultText, String bareUnit, Duration min,
            Duration max, String help) {
        Function<String, Duration> parse = text -> {
            Duration d = ConfigValues.parseDuration(text, bareUnit);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException("'" + text.strip() + "' is out of range " + seconds(min) + " s .. "
                        + seconds(max) + " s");
            }
            return d;
        };
        return new ConfigKey<>(name, parse, parse.apply(defaultText), false,
                help + " (bare number: " + ConfigValues.unitName(bareUnit) + "; or 30s, 15m, 2h, 1d)");
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? String.valueOf(d.toSeconds()) : String.valueOf(d.toMillis() / 1000.0);
    }

    /** A whole number within {@code min..max}. */
    public static ConfigKey<Long> range(String name, long def, long min, long max, String help) {
        return new ConfigKey<>(name, text -> inRange(text, min, max), def, false, help + " (" + min + ".." + max + ")");
    }

    /** As {@link #range}, for keys whose values are ints. */
    public static ConfigKey<Integer> intRange(String name, int def, int min, int max, String help) {
        return new ConfigKey<>(name, text -> (int) inRange(text, min, max), def, false, help + " (" + min + ".." + max + ")");
    }

    private static long inRange(String text, long min, long max) {
        long v;
        try {
            v = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not an integer");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(v + " is out of range " + min + ".." + max);
        }
        return v;
    }

    /** Free text checked by {@code check} (which throws IllegalArgumentException naming the value and what was expected). */
    public static ConfigKey<String> checked(String name, String def, Function<String, String> check, String help) {
        return new ConfigKey<>(name, text -> check.apply(text.strip()), def, false, help);
    }

    /** This key marked secret: its value is never shown (--show-config, logs). */
    public ConfigKey<T> asSecret() {
        return new ConfigKey<>(name, parser, defaultValue, true, help);
    }

    public static ConfigKey<Boolean> bool(String name, boolean def, String help) {
        return new ConfigKey<>(name, ConfigValues::parseBoolean, def, false, help);
    }

    public static ConfigKey<Integer> integer(String name, Integer def, int min, String help) {
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

    public static ConfigKey<Double> fraction(String name, double def, String help) {
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

    public static ConfigKey<String> string(String name, String def, String help) {
        return new ConfigKey<>(name, String::strip, def, false, help);
    }

    public static ConfigKey<String> secret(String name, String help) {
        return new ConfigKey<>(name, String::strip, null, true, help);
    }

    public static ConfigKey<Path> path(String name, String def, String help) {
        return new ConfigKey<>(name, text -> Path.of(text.strip()), def == null ? null : Path.of(def), false, help);
    }

    public static ConfigKey<String> choice(String name, String def, List<String> allowed, String help) {
        return new ConfigKey<>(name, text -> {
            String v = text.strip().toLowerCase(Locale.ROOT);
            if (!allowed.contains(v)) {
                throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", allowed));
            }
            return v;
        }, def, false, help);
    }

    /** Comma- or whitespace-separated names. */
    public static ConfigKey<List<String>> list(String name, String help) {
        return new ConfigKey<>(name, text -> Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isBlank()).toList(),
                List.of(), false, help);
    }
}
