package org.fedorabuild.compat.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

class KojiTimeTest {
    @Test
    void formatsLikePythonIsoformatWithSpace() {
        assertEquals("2025-07-01 12:34:56.789012+00:00", KojiTime.format(Instant.parse("2025-07-01T12:34:56.789012Z")));
    }

    @Test
    void dropsAZeroFraction() {
        assertEquals("2025-07-01 12:34:56+00:00", KojiTime.format(Instant.parse("2025-07-01T12:34:56Z")));
        // below a microsecond counts as zero, as Python's datetime has no nanoseconds
        assertEquals("2025-07-01 12:34:56+00:00", KojiTime.format(Instant.parse("2025-07-01T12:34:56.000000999Z")));
    }

    @Test
    void keepsLeadingZerosOfTheFractionAndTruncatesNanos() {
        assertEquals("2025-07-01 12:34:56.000100+00:00", KojiTime.format(Instant.parse("2025-07-01T12:34:56.0001Z")));
        assertEquals("2025-07-01 12:34:56.123456+00:00", KojiTime.format(Instant.parse("2025-07-01T12:34:56.123456789Z")));
    }

    @Test
    void parsesTheHubsFormsBack() {
        Instant t = Instant.parse("2025-07-01T12:34:56.789012Z");
        assertEquals(t, KojiTime.parse("2025-07-01 12:34:56.789012+00:00"));
        assertEquals(Instant.parse("2025-07-01T12:34:56Z"), KojiTime.parse("2025-07-01 12:34:56+00:00"));
        assertEquals(Instant.parse("2025-07-01T10:34:56Z"), KojiTime.parse("2025-07-01 12:34:56+02:00"));
        assertEquals(Instant.parse("2025-07-01T12:34:56Z"), KojiTime.parse("2025-07-01 12:34:56"), "no offset: UTC");
        assertEquals(Instant.parse("2025-07-01T12:34:56.5Z"), KojiTime.parse("2025-07-01T12:34:56.5+00:00"));
        assertEquals(t, KojiTime.parse(KojiTime.format(t)));
        assertThrows(DateTimeParseException.class, () -> KojiTime.parse("yesterday"));
    }

    @Test
    void epochDoublesAtMicrosecondPrecision() {
        Instant t = Instant.parse("2026-11-25T16:35:44.120684Z");
        assertEquals(1795624544.120684, KojiTime.epoch(t));
        assertEquals(t, KojiTime.fromEpoch(1795624544.120684));
        assertEquals(Instant.parse("2026-11-24T13:26:12.545720Z"), KojiTime.fromEpoch(1795526772.54572));
        assertEquals(Instant.ofEpochSecond(-1, 500_000_000), KojiTime.fromEpoch(-0.5));
    }
}
