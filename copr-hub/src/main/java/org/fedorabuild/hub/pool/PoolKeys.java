package org.fedorabuild.hub.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.fedorabuild.compat.profile.ConfigKey;
import org.fedorabuild.compat.profile.ConfigSection;
import org.fedorabuild.compat.profile.ConfigValues;
import org.fedorabuild.compat.profile.IniFile;

/**
 * The keys of {@code [pool NAME]} sections, each declared once as a {@link ConfigKey} with its default and parser,
 * read by the daemons' one section reader ({@link ConfigSection}). Unknown keys are errors; every problem is
 * collected, none thrown alone.
 */
public final class PoolKeys {
    public static final String PREFIX = "pool ";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,40}");

    static final ConfigKey<String> CMD_NEW = ConfigKey.checked("cmd_new", null, PoolKeys::command,
            "command that starts a builder and prints USER@HOST[:PORT] as its last line");
    static final ConfigKey<String> CMD_DELETE = ConfigKey.checked("cmd_delete", null, PoolKeys::command,
            "command that retires a builder");
    static final ConfigKey<String> CMD_CHECK = ConfigKey.string("cmd_check", "", "liveness probe (optional)");
    static final ConfigKey<List<String>> ARCHES = new ConfigKey<>("arches", PoolKeys::arches, null, false,
            "arches of the pool's builders, the first one announced");
    static final ConfigKey<Double> CAPACITY = new ConfigKey<>("capacity", PoolKeys::capacity, 2.0, false,
            "Koji capacity of each builder");
    static final ConfigKey<Long> MAX = ConfigKey.range("max", 4, 1, 10_000, "builders at most, starting ones included");
    static final ConfigKey<Long> MIN_IDLE = ConfigKey.range("min_idle", 0, 0, 10_000, "idle builders kept warm");
    static final ConfigKey<Long> MAX_BUILDS = ConfigKey.range("max_builds", 0, 0, 1_000_000,
            "builds per builder before it is replaced (0: no limit)");
    static final ConfigKey<Duration> IDLE_TIMEOUT = new ConfigKey<>("idle_timeout", PoolKeys::duration, Duration.ofMinutes(15),
            false, "idle time after which a builder is retired");
    static final ConfigKey<Duration> START_TIMEOUT = positive("start_timeout", Duration.ofMinutes(10), "time cmd_new may take");
    static final ConfigKey<Boolean> HOST_KEY = new ConfigKey<>("host_key", PoolKeys::hostKey, false, false,
            "known_hosts, or trust-on-start (the first connection's key)");
    static final ConfigKey<String> BACKEND = ConfigKey.checked("backend", "", PoolKeys::backend, "auto, mock or rpmbuild");
    static final ConfigKey<Duration> CHECK_INTERVAL = positive("check_interval", Duration.ofMinutes(1), "cmd_check interval");
    static final ConfigKey<Duration> DEAD_AFTER = positive("dead_after", Duration.ofMinutes(2),
            "failing checks for this long retire a builder");
    static final ConfigKey<Duration> BACKOFF = positive("backoff", Duration.ofSeconds(10), "first wait after a failed start");
    static final ConfigKey<Duration> COMMAND_TIMEOUT = positive("command_timeout", Duration.ofMinutes(5),
            "time cmd_delete and cmd_check may take");
    private static final List<ConfigKey<?>> KEYS = List.of(CMD_NEW, CMD_DELETE, CMD_CHECK, ARCHES, CAPACITY, MAX, MIN_IDLE,
            MAX_BUILDS, IDLE_TIMEOUT, START_TIMEOUT, HOST_KEY, BACKEND, CHECK_INTERVAL, DEAD_AFTER, BACKOFF, COMMAND_TIMEOUT);

    private PoolKeys() {
    }

    public static List<String> keys() {
        return KEYS.stream().map(ConfigKey::name).toList();
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

    private static ConfigKey<Duration> positive(String name, Duration def, String help) {
        return new ConfigKey<>(name, text -> {
            Duration d = duration(text);
            if (d.isZero()) {
                throw new IllegalArgumentException("must be longer than 0s");
            }
            return d;
        }, def, false, help);
    }

    private static List<String> arches(String s) {
        List<String> a = List.of(s.strip().split("[\\s,]+"));
        if (a.get(0).isEmpty() || a.stream().anyMatch(x -> !x.matches("[a-z0-9_]+"))) {
            throw new IllegalArgumentException("expected arch names such as x86_64 aarch64, got '" + s.strip() + "'");
        }
        return a;
    }

    private static double capacity(String s) {
        double v;
        try {
            v = Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s.strip() + "' is not a number");
        }
        if (!(v > 0 && v <= 1000)) {
            throw new IllegalArgumentException(s.strip() + " is out of range (0, 1000]");
        }
        return v;
    }

    private static boolean hostKey(String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        if (!v.equals("known_hosts") && !v.equals("trust-on-start")) {
            throw new IllegalArgumentException("expected known_hosts or trust-on-start, got '" + s.strip() + "'");
        }
        return v.equals("trust-on-start");
    }

    private static String backend(String s) {
        String v = s.toLowerCase(Locale.ROOT);
        if (!v.isEmpty() && !List.of("auto", "mock", "rpmbuild").contains(v)) {
            throw new IllegalArgumentException("expected auto, mock or rpmbuild, got '" + s + "'");
        }
        return v;
    }

    private static String command(String s) {
        if (s.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return s.strip();
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
        int before = problems.size();
        ConfigSection v = ConfigSection.read(ini, section, KEYS, problems);
        v.require(List.of(CMD_NEW, CMD_DELETE, ARCHES), "a pool section", problems);
        if (problems.size() > before) {
            return null;
        }
        int max = v.get(MAX).intValue();
        if (v.get(MIN_IDLE) > max) {
            problems.add(v.origin(MIN_IDLE) + ": min_idle: " + v.get(MIN_IDLE) + " is above max " + max);
            return null;
        }
        String check = v.get(CMD_CHECK);
        String backend = v.get(BACKEND);
        return new PoolSettings(name, v.get(CMD_NEW), v.get(CMD_DELETE), check.isEmpty() ? null : check, v.get(ARCHES),
                v.get(CAPACITY), max, v.get(MIN_IDLE).intValue(), v.get(MAX_BUILDS).intValue(), v.get(IDLE_TIMEOUT),
                v.get(START_TIMEOUT), v.get(HOST_KEY), backend.isEmpty() ? null : backend, v.get(CHECK_INTERVAL),
                v.get(DEAD_AFTER), v.get(BACKOFF), v.get(COMMAND_TIMEOUT));
    }
}
