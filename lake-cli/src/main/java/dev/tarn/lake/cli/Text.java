package dev.tarn.lake.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Formatting and parsing of sizes, times, durations and key/values for people. */
final class Text {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Text() {}

    /** 0 B, 999 B, 1.0 KiB, 12.3 MiB... */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    static String kv(Map<?, ?> m) {
        return m == null
                ? ""
                : m.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", "));
    }

    /**
     * Newlines and tabs become spaces so that a value stays on its line, and the characters that
     * could forge or disguise terminal output are shown escaped ({@link #visible}).
     */
    static String oneLine(String s) {
        return visible(s.replaceAll("[\\r\\n\\t]+", " "));
    }

    /**
     * A value from the lake (an original file name, a source, metadata) as it may be printed on a
     * terminal: control characters (a newline would start a forged output line, an escape sequence
     * could rewrite the screen) and the Unicode bidirectional controls (U+202E would show {@code
     * evil\u202Etxt.exe} as {@code evilexe.txt}) become {@code \\uXXXX}. Everything else, accented
     * and non-Latin letters included, is printed as it is.
     */
    static String visible(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean hide =
                    Character.isISOControl(c)
                            || (c >= '\u202a' && c <= '\u202e')
                            || (c >= '\u2066' && c <= '\u2069')
                            || c == '\u200e'
                            || c == '\u200f'
                            || c == '\u061c'
                            || c == '\u2028'
                            || c == '\u2029';
            if (hide && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (hide) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    /**
     * {@code 0s}, {@code 500ms}, {@code 10m}, {@code 1h}, {@code 2d}, {@code 1h30m}, or ISO-8601
     * {@code PT10M}.
     */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            try {
                Duration d = Duration.parse(text.trim());
                if (!d.isNegative()) {
                    return d;
                }
            } catch (DateTimeParseException e) {
                // fall through to the message below
            }
        } else if (!t.isEmpty()) {
            Matcher m = DURATION.matcher(t);
            Duration d = Duration.ZERO;
            int end = 0;
            try {
                while (m.find() && m.start() == end) {
                    long n = Long.parseLong(m.group(1));
                    d =
                            d.plus(
                                    switch (m.group(2)) {
                                        case "ms" -> Duration.ofMillis(n);
                                        case "s" -> Duration.ofSeconds(n);
                                        case "m" -> Duration.ofMinutes(n);
                                        case "h" -> Duration.ofHours(n);
                                        default -> Duration.ofDays(n);
                                    });
                    end = m.end();
                }
            } catch (NumberFormatException | ArithmeticException e) {
                end = -1;
            }
            if (end == t.length() && end > 0) {
                return d;
            }
        }
        throw new UsageException(
                "duration '" + text + "' is not valid; write e.g. 0s, 30s, 10m, 1h, 2d");
    }
}
