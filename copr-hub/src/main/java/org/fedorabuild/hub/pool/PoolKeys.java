package org.fedorabuild.hub.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.fedorabuild.compat.profile.ConfigValues;
import org.fedorabuild.compat.profile.IniFile;

/**
 * The keys of {@code [pool NAME]} sections, each declared once with its default and parser (as
 * {@code [retention]} does). Unknown keys are errors; every problem is collected, none thrown alone.
 */
public final class PoolKeys {
    public static final String PREFIX = "pool ";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,40}");
    private static final String REQUIRED = "\0required";

    private record Key(String defaultValue, Function<String, Object> parse) {
    }

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("cmd_new", new Key(REQUIRED, PoolKeys::command));
        KEYS.put("cmd_delete", new Key(REQUIRED, PoolKeys::command));
        KEYS.put("cmd_check", new Key("", String::strip));
        KEYS.put("arches", new Key(REQUIRED, s -> {
            List<String> a = List.of(s.strip().split("[\\s,]+"));
            if (a.get(0).isEmpty() || a.stream().anyMatch(x -> !x.matches("[a-z0-9_]+"))) {
                throw new IllegalArgumentException("expected arch names such as x86_64 aarch64, got '" + s.strip() + "'");
            }
            return a;
        }));
        KEYS.put("capacity", new Key("2", s -> {
            double v = Double.parseDouble(s.strip());
            if (!(v > 0 && v <= 1000)) {
                throw new IllegalArgumentException(s.strip() + " is out of range (0, 1000]");
            }
            return v;
        }));
        KEYS.put("max", new Key("4", s -> count(s, 1, 10_000)));
        KEYS.put("min_idle", new Key("0", s -> count(s, 0, 10_000)));
        KEYS.put("max_builds", new Key("0", s -> count(s, 0, 1_000_000)));
        KEYS.put("idle_timeout", new Key("15m", PoolKeys::duration));
        KEYS.put("start_timeout", new Key("10m", s -> positive(s)));
        KEYS.put("host_key", new Key("known_hosts", s -> {
            String v = s.strip().toLowerCase(Locale.ROOT);
            if (!v.equals("known_hosts") && !v.equals("trust-on-start")) {
                throw new IllegalArgumentException("expected known_hosts or trust-on-start, got '" + s.strip() + "'");
            }
            return v.equals("trust-on-start");
        }));
        KEYS.put("backend", new Key("", s -> {
            String v = s.strip().toLowerCase(Locale.ROOT);
            if (!v.isEmpty() && !List.of("auto", "mock", "rpmbuild").contains(v)) {
                throw new IllegalArgumentException("expected auto, mock or rpmbuild, got '" + s.strip() + "'");
            }
            return v;
        }));
        KEYS.put("check_interval", new Key("1m", s -> positive(s)));
        KEYS.put("dead_after", new Key("2m", s -> positive(s)));
        KEYS.put("backoff", new Key("10s", s -> positive(s)));
        KEYS.put("command_timeout", new Key("5m", s -> positive(s)));
    }

    private PoolKeys() {
    }

    public static List<String> keys() {
        return List.copyOf(KEYS.keySet());
    }

    /**
     * The one duration syntax of both daemons ({@link ConfigValues#parseDuration}: {@code 30s}, {@code 15m}, {@code 2h},
     * {@code 1d}, {@code 500ms}; a bare number is seconds), under this section's own wording of the error.
     */
    public static Duration duration(String s) {
        try {
            return ConfigValues.parseDuration(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected a duration such as 30s, 15m or 2h, got '" + s.strip() + "'");
        }
    }

    private static Duration positive(String s) {
        Duration d = duration(s);
        if (d.isZero()) {
            throw new IllegalArgumentException("must be longer than 0s");
        }
        return d;
    }

    private static String command(String s) {
        if (s.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return s.strip();
    }

    private static int count(String s, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s.strip() + "' is not an integer");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(v + " is out of range " + min + ".." + max);
        }
        return v;
    }

    /** Whether {@code section} is a pool section ({@code pool NAME}). */
    public static boolean isPoolSection(String section) {
        return section.toLowerCase(Locale.ROOT).startsWith(PREFIX);
    }

    /** Every {@code [pool NAME]} section of the file (none: an empty list); problems are added to {@code problems}. */
    public static List<PoolSettings> load(IniFile ini, List<String> problems) {
        List<PoolSettings> pools = new ArrayList<>();
        if (ini == null) {
            return pools;
        }
        for (String section : ini.sectionNames()) {
            if (!isPoolSection(section)) {
                continue;
            }
            String name = section.substring(PREFIX.length()).strip();
            String where = ini.source() + ": [" + section + "]";
            if (!NAME.matcher(name).matches()) {
                problems.add(where + ": invalid pool name '" + name + "' (letters, digits, . _ -; at most 41 characters)");
                continue;
            }
            if (pools.stream().anyMatch(p -> p.name().equals(name))) {
                problems.add(where + ": pool " + name + " is defined twice");
                continue;
            }
            PoolSettings p = section(ini, section, name, problems);
            if (p != null) {
                pools.add(p);
            }
        }
        return pools;
    }

    private static PoolSettings section(IniFile ini, String section, String name, List<String> problems) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        KEYS.forEach((k, v) -> {
            values.put(k, v.defaultValue());
            origin.put(k, ini.source() + ": [" + section + "]");
        });
        for (IniFile.Entry e : ini.section(section).values()) {
            String key = e.key().strip().toLowerCase(Locale.ROOT);
            if (!KEYS.containsKey(key)) {
                problems.add(ini.source() + ":" + e.line() + ": unknown config option: " + e.key() + " (in [" + section
                        + "]; known: " + String.join(" ", KEYS.keySet()) + ")");
            } else {
                values.put(key, e.value());
                origin.put(key, ini.source() + ":" + e.line());
            }
        }
        Map<String, Object> v = new LinkedHashMap<>();
        int before = problems.size();
        for (String k : KEYS.keySet()) {
            if (REQUIRED.equals(values.get(k))) {
                problems.add(origin.get(k) + ": " + k + ": required in a pool section");
                continue;
            }
            try {
                v.put(k, KEYS.get(k).parse().apply(values.get(k)));
            } catch (IllegalArgumentException e) {
                String why = e instanceof NumberFormatException ? "'" + values.get(k).strip() + "' is not a number" : e.getMessage();
                problems.add(origin.get(k) + ": " + k + ": " + why);
            }
        }
        if (problems.size() > before) {
            return null;
        }
        int max = (Integer) v.get("max");
        if ((Integer) v.get("min_idle") > max) {
            problems.add(origin.get("min_idle") + ": min_idle: " + v.get("min_idle") + " is above max " + max);
            return null;
        }
        String check = (String) v.get("cmd_check");
        String backend = (String) v.get("backend");
        @SuppressWarnings("unchecked")
        List<String> arches = (List<String>) v.get("arches");
        return new PoolSettings(name, (String) v.get("cmd_new"), (String) v.get("cmd_delete"), check.isEmpty() ? null : check,
                arches, (Double) v.get("capacity"), max, (Integer) v.get("min_idle"), (Integer) v.get("max_builds"),
                (Duration) v.get("idle_timeout"), (Duration) v.get("start_timeout"), (Boolean) v.get("host_key"),
                backend.isEmpty() ? null : backend, (Duration) v.get("check_interval"), (Duration) v.get("dead_after"),
                (Duration) v.get("backoff"), (Duration) v.get("command_timeout"));
    }
}
