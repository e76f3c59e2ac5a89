package org.fedorabuild.compat.wire;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Koji's time conventions. The hub never sends {@code dateTime.iso8601}: a time travels as Python's
 * {@code isoformat(' ')} string (microseconds dropped when zero, offset always present) beside a double
 * {@code *_ts} epoch.
 */
public final class KojiTime {
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true).optionalEnd()
            .appendOffset("+HH:MM", "+00:00")
            .toFormatter();

    private static final DateTimeFormatter PARSE = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd[ ]['T']HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "+00:00").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "+0000").optionalEnd()
            .parseDefaulting(ChronoField.OFFSET_SECONDS, 0)
            .toFormatter();

    private KojiTime() {
    }

    /** {@code 2025-07-01 12:34:56.789012+00:00}, or without the fraction when it is zero. */
    public static String format(Instant instant) {
        OffsetDateTime t = instant.atOffset(ZoneOffset.UTC);
        if (t.getNano() / 1000 == 0) {
            t = t.withNano(0);
        } else {
            t = t.withNano(t.getNano() / 1000 * 1000);
        }
        String s = FORMAT.format(t);
        return t.getNano() == 0 ? s.replace(".000000", "") : s;
    }

    /** The double epoch Koji puts in {@code *_ts} fields (microsecond precision). */
    public static double epoch(Instant instant) {
        return instant.getEpochSecond() + (instant.getNano() / 1000) / 1_000_000.0;
    }

    public static Instant fromEpoch(double seconds) {
        long whole = (long) Math.floor(seconds);
        long micros = Math.round((seconds - whole) * 1_000_000.0);
        return Instant.ofEpochSecond(whole, micros * 1000);
    }

    /** Parses the hub's string form (and ISO forms with {@code T}); a missing offset means UTC. */
    public static Instant parse(String text) {
        return OffsetDateTime.parse(text.trim(), PARSE).toInstant();
    }
}
