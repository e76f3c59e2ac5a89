package org.fedorabuild.hub.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * A database row (as {@code Db.query} returns it) with typed getters for templates, which cannot print a
 * bare {@code Object}. Values are printed through the template engine, so they are escaped there.
 */
public record Row(Map<String, Object> values) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    public static java.util.List<Row> of(java.util.List<Map<String, Object>> rows) {
        return rows.stream().map(Row::new).toList();
    }

    /** A nested list a page attached to this row (e.g. a build's chroots). */
    @SuppressWarnings("unchecked")
    public java.util.List<Row> rows(String key) {
        Object v = values.get(key);
        return v == null ? java.util.List.of() : (java.util.List<Row>) v;
    }

    /** Attaches a value for the template (rows come from {@code Db.query} as mutable maps). */
    public Row with(String key, Object value) {
        values.put(key, value);
        return this;
    }

    /** An attached value of any type (templates name the type: {@code r.<Row>obj("build")}). */
    @SuppressWarnings("unchecked")
    public <T> T obj(String key) {
        return (T) values.get(key);
    }

    public boolean has(String key) {
        return values.get(key) != null;
    }

    /** The value as text; "" for null. */
    public String s(String key) {
        Object v = values.get(key);
        return v == null ? "" : v.toString();
    }

    public int i(String key) {
        Object v = values.get(key);
        return v == null ? 0 : ((Number) v).intValue();
    }

    public long l(String key) {
        Object v = values.get(key);
        return v == null ? 0 : ((Number) v).longValue();
    }

    public double d(String key) {
        Object v = values.get(key);
        return v == null ? 0 : ((Number) v).doubleValue();
    }

    public boolean b(String key) {
        return Boolean.TRUE.equals(values.get(key));
    }

    /** A time column as "2026-01-02 03:04:05 UTC"; "" for null. */
    public String time(String key) {
        Object v = values.get(key);
        return v instanceof Instant t ? TIME.format(t) : "";
    }

    /** The ISO form of a time column, for {@code <time datetime>}. */
    public String iso(String key) {
        Object v = values.get(key);
        return v instanceof Instant t ? t.toString() : "";
    }

    /** How long ago a time column was, e.g. "3 min"; "" for null. */
    public String age(String key) {
        Object v = values.get(key);
        return v instanceof Instant t ? Durations.words(Duration.between(t, Instant.now())) : "";
    }

    /** Time from {@code from} to {@code to} (or now when {@code to} is null), e.g. "1 min 20 s"; "" without a start. */
    public String span(String from, String to) {
        Object a = values.get(from);
        Object b = values.get(to);
        if (!(a instanceof Instant start)) {
            return "";
        }
        return Durations.words(Duration.between(start, b instanceof Instant end ? end : Instant.now()));
    }
}
