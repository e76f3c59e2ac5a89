package org.fedorabuild.compat.profile;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One INI section read against the keys declared for it: each value parsed by its {@link ConfigKey}, where it came
 * from remembered ({@code FILE:LINE}), and every problem collected in the daemons' one wording ({@code FILE:LINE:
 * unknown config option: X (in [S]; known: …)}, {@code FILE:LINE: key: why}), none thrown alone. Option names match
 * whatever their case, as Python's ConfigParser lower-cases them.
 */
public final class ConfigSection {
    private final Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, String> origin = new HashMap<>();
    private final String where;

    private ConfigSection(String where, List<ConfigKey<?>> declared) {
        this.where = where;
        declared.forEach(k -> keys.put(k.name().toLowerCase(Locale.ROOT), k));
    }

    /** Section {@code section} of {@code ini} (null, or no such section: every key at its default). */
    public static ConfigSection read(IniFile ini, String section, List<ConfigKey<?>> declared, List<String> problems) {
        ConfigSection s = new ConfigSection((ini == null ? "(defaults)" : ini.source()) + ": [" + section + "]", declared);
        if (ini == null) {
            return s;
        }
        for (IniFile.Entry e : ini.section(section).values()) {
            ConfigKey<?> key = s.keys.get(e.key().strip().toLowerCase(Locale.ROOT));
            if (key == null) {
                problems.add(ini.source() + ":" + e.line() + ": unknown config option: " + e.key() + " (in [" + section
                        + "]; known: " + String.join(" ", s.keys.keySet()) + ")");
            } else {
                s.set(key, e.value(), ini.source() + ":" + e.line(), problems);
            }
        }
        return s;
    }

    /** Gives {@code key} the value {@code text} found at {@code from} (a deprecated alias, say); a bad one is a problem. */
    public void set(ConfigKey<?> key, String text, String from, List<String> problems) {
        origin.put(key.name(), from);
        try {
            values.put(key.name(), key.parse(text));
        } catch (IllegalArgumentException e) {
            values.remove(key.name());
            problems.add(from + ": " + key.name() + ": " + e.getMessage());
        }
    }

    /** Whether the file (or {@link #set}) gave {@code key} a value, good or bad. */
    public boolean isSet(ConfigKey<?> key) {
        return origin.containsKey(key.name());
    }

    /** Where {@code key}'s value came from: {@code FILE:LINE}, or the section when it was not set. */
    public String origin(ConfigKey<?> key) {
        return origin.getOrDefault(key.name(), where);
    }

    /** A problem for each of {@code required} the section does not set; false when there was one. */
    public boolean require(List<ConfigKey<?>> required, String what, List<String> problems) {
        boolean ok = true;
        for (ConfigKey<?> k : required) {
            if (!isSet(k)) {
                problems.add(where + ": " + k.name() + ": required in " + what);
                ok = false;
            }
        }
        return ok;
    }

    /** The parsed value, or the key's default when unset or unparsable (the problem is reported already). */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        return values.containsKey(key.name()) ? (T) values.get(key.name()) : key.defaultValue();
    }
}
