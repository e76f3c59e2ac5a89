package org.fedorabuild.hub.retention;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.fedorabuild.compat.profile.ConfigKey;
import org.fedorabuild.compat.profile.ConfigSection;
import org.fedorabuild.compat.profile.IniFile;
import org.quartz.CronExpression;

/**
 * The keys of the {@code [retention]} section, each declared once as a {@link ConfigKey} with its default and parser
 * (as Koji's {@code config_map}), read by the daemons' one section reader ({@link ConfigSection}). The same
 * definitions validate per-project overrides, of which only {@link #PROJECT_KEYS} are allowed. Unknown keys are
 * errors; problems are collected, not thrown one by one.
 */
public final class RetentionKeys {
    public static final String SECTION = "retention";

    static final ConfigKey<Integer> KEEP_BUILDS = count("keep_builds",
            "successful builds kept per package and chroot (0: never pruned by this rule)");
    static final ConfigKey<Integer> FAILED_DAYS = count("failed_days",
            "days failed or canceled builds keep their outputs (0: never pruned by this rule)");
    static final ConfigKey<Integer> SCRATCH_DAYS = count("scratch_days",
            "days scratch builds keep their outputs (0: never pruned by this rule)");
    static final ConfigKey<LogAction> LOGS = new ConfigKey<>("logs", LogAction::parse, LogAction.COMPRESS, false,
            "what happens to the logs of what is pruned: compress, remove or keep");
    // the durations take the one duration syntax of both daemons; a bare number keeps the unit the name says
    static final ConfigKey<Duration> UPLOAD_HOURS = ConfigKey.duration("upload_hours", "24", "h", Duration.ofHours(1),
            Duration.ofHours(100_000), "age at which an abandoned upload is removed");
    static final ConfigKey<String> SCHEDULE = ConfigKey.checked("schedule", "", c -> {
        if (!c.isEmpty() && !CronExpression.isValidExpression(c)) {
            throw new IllegalArgumentException("'" + c + "' is not a Quartz cron expression (e.g. 0 30 3 * * ?)");
        }
        return c;
    }, "when serve prunes, a Quartz cron expression (empty: no scheduled prune)");
    static final ConfigKey<Duration> IDLE_BUILDER_HOURS = ConfigKey.duration("idle_builder_hours", "0", "h", Duration.ZERO,
            Duration.ofHours(100_000), "idle time after which a builder is decommissioned (0: never)");
    static final ConfigKey<List<String>> DECOMMISSION_HOOK = new ConfigKey<>("decommission_hook",
            s -> List.of(s.strip().isEmpty() ? new String[0] : s.strip().split("\\s+")), List.of(), false,
            "command run for a decommissioned builder");
    static final ConfigKey<Duration> DECOMMISSION_TIMEOUT = ConfigKey.duration("decommission_timeout", "120", "s",
            Duration.ofSeconds(1), Duration.ofDays(1), "time the decommission hook may take");
    private static final List<ConfigKey<?>> KEYS = List.of(KEEP_BUILDS, FAILED_DAYS, SCRATCH_DAYS, LOGS, UPLOAD_HOURS, SCHEDULE,
            IDLE_BUILDER_HOURS, DECOMMISSION_HOOK, DECOMMISSION_TIMEOUT);
    /** Keys a project may override. */
    public static final Set<String> PROJECT_KEYS = Set.of("keep_builds", "failed_days", "scratch_days", "logs");

    private RetentionKeys() {
    }

    private static ConfigKey<Integer> count(String name, String help) {
        return ConfigKey.intRange(name, 0, 0, 100_000, help);
    }

    public static Set<String> keys() {
        Set<String> names = new LinkedHashSet<>();
        KEYS.forEach(k -> names.add(k.name()));
        return names;
    }

    /** Parses one value of a known key; throws IllegalArgumentException naming the problem. */
    public static Object parseValue(String key, String value) {
        for (ConfigKey<?> k : KEYS) {
            if (k.name().equals(key)) {
                return k.parse(value);
            }
        }
        throw new IllegalArgumentException("unknown retention key: " + key);
    }

    /**
     * Validates a project override; returns the problem, or null when {@code key=value} is acceptable (an empty
     * value of a project key removes the override).
     */
    public static String checkProjectOverride(String key, String value) {
        String k = key.strip().toLowerCase(Locale.ROOT);
        if (!PROJECT_KEYS.contains(k)) {
            return "unknown project retention key: " + key + " (one of " + String.join(", ", new java.util.TreeSet<>(PROJECT_KEYS)) + ")";
        }
        if (value.isBlank()) {
            return null;
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
        int before = problems.size();
        ConfigSection s = ConfigSection.read(ini, SECTION, KEYS, problems);
        if (legacyUploadMaxAge != null) {
            if (s.isSet(UPLOAD_HOURS)) {
                problems.add(legacyOrigin + ": UploadMaxAge: deprecated, and [retention] upload_hours is set too ("
                        + s.origin(UPLOAD_HOURS) + "): keep only upload_hours");
            } else {
                s.set(UPLOAD_HOURS, String.valueOf(legacyUploadMaxAge), legacyOrigin + " (UploadMaxAge, deprecated)", problems);
            }
        }
        if (problems.size() > before) {
            return null;
        }
        String schedule = s.get(SCHEDULE);
        return new RetentionSettings(new Policy(s.get(KEEP_BUILDS), s.get(FAILED_DAYS), s.get(SCRATCH_DAYS), s.get(LOGS)),
                s.get(UPLOAD_HOURS), schedule.isEmpty() ? null : schedule, s.get(IDLE_BUILDER_HOURS),
                List.copyOf(s.get(DECOMMISSION_HOOK)), s.get(DECOMMISSION_TIMEOUT));
    }
}
