package org.fedorabuild.hub.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.fedorabuild.compat.profile.ConfigKey;
import org.fedorabuild.compat.profile.IniFile;
import org.quartz.CronExpression;

/**
 * The keys of the {@code [retention]} section, each declared once with its default and parser (as Koji's
 * {@code config_map}). The same definitions validate per-project overrides, of which only
 * {@link #PROJECT_KEYS} are allowed. Unknown keys are errors; problems are collected, not thrown one by one.
 */
public final class RetentionKeys {
    public static final String SECTION = "retention";

    private record Key(String defaultValue, Function<String, Object> parse) {
    }

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();
    /** Keys a project may override. */
    public static final Set<String> PROJECT_KEYS = Set.of("keep_builds", "failed_days", "scratch_days", "logs");

    static {
        KEYS.put("keep_builds", new Key("0", s -> count(s, 100_000)));
        KEYS.put("failed_days", new Key("0", s -> count(s, 100_000)));
        KEYS.put("scratch_days", new Key("0", s -> count(s, 100_000)));
        KEYS.put("logs", new Key("compress", LogAction::parse));
        // the durations take the one duration syntax of both daemons; a bare number keeps the unit the name says
        KEYS.put("upload_hours", new Key("24", durationKey("upload_hours", "24", "h", Duration.ofHours(1), Duration.ofHours(100_000))));
        KEYS.put("schedule", new Key("", s -> {
            String c = s.strip();
            if (!c.isEmpty() && !CronExpression.isValidExpression(c)) {
                throw new IllegalArgumentException("'" + c + "' is not a Quartz cron expression (e.g. 0 30 3 * * ?)");
            }
            return c;
        }));
        KEYS.put("idle_builder_hours", new Key("0", durationKey("idle_builder_hours", "0", "h", Duration.ZERO,
                Duration.ofHours(100_000))));
        KEYS.put("decommission_hook", new Key("", s -> List.of(s.strip().isEmpty() ? new String[0] : s.strip().split("\\s+"))));
        KEYS.put("decommission_timeout", new Key("120", durationKey("decommission_timeout", "120", "s", Duration.ofSeconds(1),
                Duration.ofDays(1))));
    }

    private RetentionKeys() {
    }

    private static Function<String, Object> durationKey(String name, String def, String bareUnit, Duration min, Duration max) {
        ConfigKey<Duration> key = ConfigKey.duration(name, def, bareUnit, min, max, name);
        return key::parse;
    }

    private static int count(String s, int max) {
        int v;
        try {
            v = Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s.strip() + "' is not an integer");
        }
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(v + " is out of range 0.." + max);
        }
        return v;
    }

    public static Set<String> keys() {
        return KEYS.keySet();
    }

    public static String defaultValue(String key) {
        return KEYS.get(key).defaultValue();
    }

    /** Parses one value of a known key; throws IllegalArgumentException naming the problem. */
    public static Object parseValue(String key, String value) {
        Key k = KEYS.get(key);
        if (k == null) {
            throw new IllegalArgumentException("unknown retention key: " + key);
        }
        return k.parse().apply(value);
    }

    /**
     * Validates a project override; returns the problem, or null when {@code key=value} is acceptable.
     */
    public static String checkProjectOverride(String key, String value) {
        String k = key.strip().toLowerCase(Locale.ROOT);
        if (!PROJECT_KEYS.contains(k)) {
            return "unknown project retention key: " + key + " (one of " + String.join(", ", new java.util.TreeSet<>(PROJECT_KEYS)) + ")";
        }
        try {
            parseValue(k, value);
            return null;
        } catch (IllegalArgumentException e) {
            return k + ": " + e.getMessage();
        }
    }

    /**
     * The {@code [retention]} section (absent: all defaults). {@code legacyUploadMaxAge} is the deprecated
     * {@code [hub] UploadMaxAge} in hours when the file sets it (null otherwise): it is used when
     * {@code upload_hours} is not set; setting both is an error, so one value rules.
     */
    public static RetentionSettings load(IniFile ini, Long legacyUploadMaxAge, String legacyOrigin, List<String> problems) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        KEYS.forEach((k, v) -> {
            values.put(k, v.defaultValue());
            origin.put(k, "default");
        });
        if (ini != null) {
            for (IniFile.Entry e : ini.section(SECTION).values()) {
                String key = e.key().strip().toLowerCase(Locale.ROOT);
                if (!KEYS.containsKey(key)) {
                    problems.add(ini.source() + ":" + e.line() + ": unknown config option: " + e.key() + " (in [" + SECTION + "])");
                } else {
                    values.put(key, e.value());
                    origin.put(key, ini.source() + ":" + e.line());
                }
            }
        }
        if (legacyUploadMaxAge != null) {
            if (!origin.get("upload_hours").equals("default")) {
                problems.add(legacyOrigin + ": UploadMaxAge: deprecated, and [retention] upload_hours is set too ("
                        + origin.get("upload_hours") + "): keep only upload_hours");
            } else {
                values.put("upload_hours", String.valueOf(legacyUploadMaxAge));
                origin.put("upload_hours", legacyOrigin + " (UploadMaxAge, deprecated)");
            }
        }
        Map<String, Object> parsed = new LinkedHashMap<>();
        for (String k : KEYS.keySet()) {
            try {
                parsed.put(k, parseValue(k, values.get(k)));
            } catch (IllegalArgumentException e) {
                problems.add(origin.get(k) + ": " + k + ": " + e.getMessage());
            }
        }
        if (parsed.size() != KEYS.size()) {
            return null;
        }
        @SuppressWarnings("unchecked")
        List<String> hook = new ArrayList<>((List<String>) parsed.get("decommission_hook"));
        String schedule = (String) parsed.get("schedule");
        return new RetentionSettings(
                new Policy((Integer) parsed.get("keep_builds"), (Integer) parsed.get("failed_days"),
                        (Integer) parsed.get("scratch_days"), (LogAction) parsed.get("logs")),
                (Duration) parsed.get("upload_hours"), schedule.isEmpty() ? null : schedule,
                (Duration) parsed.get("idle_builder_hours"), List.copyOf(hook),
                (Duration) parsed.get("decommission_timeout"));
    }
}
