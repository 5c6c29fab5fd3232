package dev.tarn.lake.cli;

import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.format.ErrorBudget;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Typed option and argument values. A converter's {@link TypeConversionException} message is a
 * template: {@code %1$s} is the option's name and {@code %2$s} the value given, filled in by {@link
 * Errors}, which knows both; other exceptions (a bad name, a bad duration) keep their own message.
 */
final class Converters {
    private Converters() {}

    /**
     * {@code value} converted for {@code option} where the command checks it itself, later than
     * parsing (after its inputs exist, say): a bad value is the same usage error as when picocli
     * converts it.
     */
    static <T> T convert(ITypeConverter<T> converter, String option, String value) {
        try {
            return converter.convert(value);
        } catch (TypeConversionException e) {
            throw new UsageException(String.format(e.getMessage(), option, value));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ZONE/DATASET}, checked by {@link DatasetId#parse} (a bad name is a usage error). */
    static final class Dataset implements ITypeConverter<DatasetId> {
        @Override
        public DatasetId convert(String value) {
            return DatasetId.parse(value);
        }
    }

    /** {@code K=V} with a non-empty K. */
    record KeyValue(String key, String value, String text) {
        Map.Entry<String, String> entry() {
            return Map.entry(key, value);
        }
    }

    static final class Kv implements ITypeConverter<KeyValue> {
        @Override
        public KeyValue convert(String text) {
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw new TypeConversionException(
                        "%1$s '%2$s' is not KEY=VALUE, e.g. %1$s source=web");
            }
            return new KeyValue(text.substring(0, eq), text.substring(eq + 1), text);
        }
    }

    /** {@code 0s, 30s, 10m, 1h, 2d}. */
    static final class Time implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Text.duration(value);
        }
    }

    /** A memory size as DuckDB takes it: {@code 512MiB}, {@code 2GiB}, {@code 1.5GB}. */
    static final class Size implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.matches("\\d+(\\.\\d+)?\\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)")) {
                throw new TypeConversionException(
                        "%1$s '%2$s' is not a size such as 512MiB or 2GiB");
            }
            return value;
        }
    }

    /** {@code 100} (records) or {@code 1%} / {@code 0.01} (a share of the records read). */
    static final class Budget implements ITypeConverter<ErrorBudget> {
        @Override
        public ErrorBudget convert(String s) {
            String t = s.trim();
            try {
                if (t.endsWith("%")) {
                    double pct = Double.parseDouble(t.substring(0, t.length() - 1));
                    if (pct >= 0 && pct <= 100) {
                        return ErrorBudget.fraction(pct / 100);
                    }
                } else if (t.contains(".")) {
                    double f = Double.parseDouble(t);
                    if (f >= 0 && f <= 1) {
                        return ErrorBudget.fraction(f);
                    }
                } else {
                    long n = Long.parseLong(t);
                    if (n >= 0) {
                        return ErrorBudget.count(n);
                    }
                }
            } catch (NumberFormatException ignored) {
                // below
            }
            throw new TypeConversionException(
                    "%1$s '%2$s' is not a count (100), a percentage (1%%) or a fraction"
                            + " (0.01)");
        }
    }

    /** A whole number of 0 or more: a version ({@code --as-of}), a limit. */
    static final class NonNegative implements ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            try {
                long n = Long.parseLong(text);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new TypeConversionException(
                    "%1$s must be a whole number of 0 or more, not '%2$s'");
        }
    }

    /** A whole number of 1 or more that fits an int: threads, columns. */
    static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            try {
                int n = Integer.parseInt(s.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // below
            }
            throw new TypeConversionException("%1$s '%2$s' is not a positive whole number");
        }
    }
}
