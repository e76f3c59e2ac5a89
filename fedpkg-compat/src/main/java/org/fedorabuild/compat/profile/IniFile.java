package org.fedorabuild.compat.profile;

import java.io.IOException;
import java.io.StringReader;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An INI file read the way Python's ConfigParser reads Koji's {@code hub.conf}, {@code kojira.conf} and the
 * client profiles in {@code ~/.koji/config.d}: {@code [section]} headers, {@code key = value} or
 * {@code key: value}, {@code #}/{@code ;} comment lines, indented continuation lines, keys case-insensitive.
 * Syntax errors are collected with their line numbers rather than thrown one at a time, so a config
 * loader can report every problem at once.
 */
public final class IniFile {
    private final String source;
    private final Map<String, Map<String, Entry>> sections = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();

    /** A value and the line it came from, for messages that point at the file. */
    public record Entry(String key, String value, int line) {
    }

    private IniFile(String source) {
        this.source = source;
    }

    public static IniFile read(Path file) throws IOException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    public static IniFile parse(String source, String text) {
        IniFile ini = new IniFile(source);
        try (BufferedReader r = new BufferedReader(new StringReader(text))) {
            ini.load(r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return ini;
    }

    private void load(BufferedReader r) throws IOException {
        Map<String, Entry> current = null;
        String lastKey = null;
        int n = 0;
        for (String line; (line = r.readLine()) != null; ) {
            n++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0)) && current != null && lastKey != null) {
                Entry prev = current.get(lastKey);
                current.put(lastKey, new Entry(prev.key(), prev.value().isEmpty() ? trimmed : prev.value() + "\n" + trimmed,
                        prev.line()));
                continue;
            }
            if (trimmed.startsWith("[")) {
                if (!trimmed.endsWith("]") || trimmed.length() < 3) {
                    errors.add(source + ":" + n + ": malformed section header: " + trimmed);
                    current = null;
                    continue;
                }
                String name = trimmed.substring(1, trimmed.length() - 1).strip();
                current = sections.computeIfAbsent(name, k -> new LinkedHashMap<>());
                lastKey = null;
                continue;
            }
            int eq = indexOfSeparator(trimmed);
            if (eq <= 0) {
                errors.add(source + ":" + n + ": expected 'key = value', got: " + trimmed);
                continue;
            }
            if (current == null) {
                errors.add(source + ":" + n + ": key outside any [section]: " + trimmed);
                continue;
            }
            String key = trimmed.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
            String value = trimmed.substring(eq + 1).strip();
            if (current.containsKey(key)) {
                errors.add(source + ":" + n + ": duplicate key '" + key + "' (first on line " + current.get(key).line() + ")");
            }
            current.put(key, new Entry(key, value, n));
            lastKey = key;
        }
    }

    private static int indexOfSeparator(String s) {
        int eq = s.indexOf('=');
        int colon = s.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    public String source() {
        return source;
    }

    /** Syntax problems, each with file and line. */
    public List<String> errors() {
        return Collections.unmodifiableList(errors);
    }

    public boolean hasSection(String name) {
        return sections.containsKey(name);
    }

    public List<String> sectionNames() {
        return List.copyOf(sections.keySet());
    }

    /** The entries of a section in file order (empty when the section is absent). */
    public Map<String, Entry> section(String name) {
        return Collections.unmodifiableMap(sections.getOrDefault(name, Map.of()));
    }
}
