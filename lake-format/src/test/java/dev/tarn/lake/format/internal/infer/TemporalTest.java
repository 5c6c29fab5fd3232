package dev.tarn.lake.format.internal.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** The hand-written ISO-8601 parser agrees with java.time. */
class TemporalTest {
    private static long micros(Instant i) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, i);
    }

    @Test
    void datesMatchJavaTimeAcrossCenturies() {
        for (LocalDate d = LocalDate.of(1850, 1, 1);
                d.isBefore(LocalDate.of(2250, 1, 1));
                d = d.plusDays(13)) {
            assertEquals(d.toEpochDay(), Temporal.parseDate(d.toString()), d.toString());
        }
        assertEquals(Temporal.FAIL, Temporal.parseDate("2023-02-29"));
        assertEquals(LocalDate.of(2024, 2, 29).toEpochDay(), Temporal.parseDate("2024-02-29"));
    }

    @Test
    void timestampsWithAndWithoutOffsets() {
        assertEquals(
                micros(Instant.parse("2024-01-02T03:04:05.123456Z")),
                Temporal.parseTimestampTz("2024-01-02T03:04:05.123456Z"));
        assertEquals(
                micros(Instant.parse("2024-01-02T01:04:05Z")),
                Temporal.parseTimestampTz("2024-01-02T03:04:05+02:00"));
        assertEquals(
                micros(Instant.parse("2024-01-02T08:34:05Z")),
                Temporal.parseTimestampTz("2024-01-02 03:04:05-0530"));
        assertEquals(
                micros(Instant.parse("2024-01-02T01:04:00Z")),
                Temporal.parseTimestampTz("2024-01-02T03:04+02"));
        assertEquals(Temporal.FAIL, Temporal.parseTimestampTz("2024-01-02T03:04:05"));
        long local =
                LocalDateTime.of(2024, 1, 2, 3, 4, 5).toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
        assertEquals(local, Temporal.parseTimestampLocal("2024-01-02T03:04:05"));
        assertEquals(
                local - (3 * 3600 + 4 * 60 + 5) * 1_000_000L,
                Temporal.parseTimestampLocal("2024-01-02"));
        assertEquals(Temporal.FAIL, Temporal.parseTimestampLocal("2024-01-02T03:04:05Z"));
    }

    @Test
    void whatIsNotATimestamp() {
        for (String s :
                new String[] {
                    "2024-13-01",
                    "2024-01-32",
                    "2024-01-02T24:00:00",
                    "2024-01-02T03:04:60",
                    "2024-01-02T03:04:05.1234567",
                    "2024-01-02T03:04:05.",
                    "2024-01-02X03:04",
                    "2024-1-2",
                    "20240102",
                    "2024-01-02T03:04:05+2",
                    "hello world!"
                }) {
            assertEquals(Temporal.NONE, Temporal.classify(s), s);
        }
        assertEquals(Temporal.TS_TZ, Temporal.classify("2024-01-02T03:04:05.123456000Z"));
        assertEquals(Temporal.TS_LOCAL, Temporal.classify("2024-01-02 03:04"));
        assertEquals(Temporal.DATE, Temporal.classify("2024-01-02"));
    }
}
