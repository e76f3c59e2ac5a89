package org.fedorabuild.compat.profile;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Value syntaxes shared by our INI configs: ConfigParser booleans and durations such as {@code 90}, {@code 30s}, {@code 15m}, {@code 2h}. */
public final class ConfigValues {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

    private ConfigValues() {
    }

    /**
     * ConfigParser's booleans: 1/yes/true/on and 0/no/false/off, any case.
     *
     * @throws IllegalArgumentException naming the value and what is accepted
     */
    public static boolean parseBoolean(String text) {
        switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "1": case "yes": case "true": case "on":
                return true;
            case "0": case "no": case "false": case "off":
                return false;
            default:
                throw new IllegalArgumentException("'" + text + "' is not a boolean (expected yes/no, true/false, on/off or 1/0)");
        }
    }

    /** A bare number means seconds, as in Koji's own options. */
    public static Duration parseDuration(String text) {
        return parseDuration(text, "s");
    }

    /**
     * The same syntax where a bare number means {@code bareUnit} (one of ms, s, m, h, d): keys that were counted in
     * minutes or hours before the unit suffixes existed keep reading old files the same way.
     */
    public static Duration parseDuration(String text, String bareUnit) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (expected " + unitName(bareUnit)
                    + ", or a number with s, m, h or d, e.g. 30s, 15m, 2h)");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? bareUnit : m.group(2);
        double millis = switch (unit) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 86_400_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    /**
     * {@code d} as it would be written in a config: a bare number when it is whole in {@code bareUnit} (the key's
     * historical unit), otherwise the largest unit suffix that states it exactly (90m, 1500ms).
     */
    public static String formatDuration(Duration d, String bareUnit) {
        long ms = d.toMillis();
        if (ms % unitMillis(bareUnit) == 0) {
            return String.valueOf(ms / unitMillis(bareUnit));
        }
        for (String u : new String[] {"d", "h", "m", "s"}) {
            if (ms % unitMillis(u) == 0) {
                return ms / unitMillis(u) + u;
            }
        }
        return ms + "ms";
    }

    private static long unitMillis(String unit) {
        return switch (unit) {
            case "ms" -> 1;
            case "s" -> 1000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            case "d" -> 86_400_000;
            default -> throw new IllegalArgumentException("unknown duration unit " + unit);
        };
    }

    /** The plural word of a unit suffix, for messages and key documentation. */
    public static String unitName(String unit) {
        return switch (unit) {
            case "ms" -> "milliseconds";
            case "s" -> "seconds";
            case "m" -> "minutes";
            case "h" -> "hours";
            case "d" -> "days";
            default -> throw new IllegalArgumentException("unknown duration unit " + unit);
        };
    }
}
