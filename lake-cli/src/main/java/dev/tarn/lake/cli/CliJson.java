package dev.tarn.lake.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CLI's JSON, through one Jackson {@link ObjectMapper} configured here: what {@code --output
 * json} prints (indented by two spaces, {@code "key": value}, an output record's keys in the order
 * of its components (see {@link Views}), a map's in its order, nulls written as null, timestamps as
 * ISO 8601 text) and the JSON that tables keep in their commit parameters.
 */
final class CliJson {
    static final ObjectMapper MAPPER =
            new ObjectMapper()
                    // The documented shapes (docs/cli.md) name every key, null or not: a missing
                    // key is a changed shape.
                    .setSerializationInclusion(JsonInclude.Include.ALWAYS)
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    // The output records' timestamps, as the maps' were written: ISO 8601 text
                    // (Instant.toString).
                    .registerModule(
                            new SimpleModule()
                                    .addSerializer(Instant.class, ToStringSerializer.instance));

    private static final ObjectWriter PRETTY =
            MAPPER.writer(
                    new DefaultPrettyPrinter()
                            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
                            .withSeparators(
                                    Separators.createDefaultInstance()
                                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                                            .withObjectEmptySeparator("")
                                            .withArrayEmptySeparator("")));

    private CliJson() {}

    /** {@code value} as indented JSON and a newline. */
    static String write(Object value) {
        return pretty(value) + "\n";
    }

    /**
     * One value at an indent level, with no newline after it: for output written a piece at a time
     * (a query's rows inside the document of its statement).
     */
    static void write(StringBuilder b, Object value, int indent, boolean padFirst) {
        String pad = "  ".repeat(indent);
        if (padFirst) {
            b.append(pad);
        }
        // Strings are escaped, so every newline in the text is the layout's: indent the lines after
        // the first.
        b.append(pretty(value).replace("\n", "\n" + pad));
    }

    private static String pretty(Object value) {
        try {
            return PRETTY.writeValueAsString(plain(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The values the commands put in their output maps, as JSON values: maps, lists, strings,
     * numbers (not finite: null), booleans; instants as ISO 8601 text; paths, dates and UUIDs as
     * their text.
     */
    static Object plain(Object v) {
        if (v == null
                || v instanceof String
                || v instanceof Boolean
                || v instanceof Integer
                || v instanceof Long) {
            return v;
        }
        if (v instanceof Instant t) {
            return t.toString();
        }
        if (v instanceof Number n) {
            return Double.isFinite(n.doubleValue()) ? n : null;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(plain(x)));
            return out;
        }
        if (v.getClass().isRecord()
                && v.getClass().getPackageName().equals(CliJson.class.getPackageName())) {
            return v; // an output record of the CLI (Views, TableViews): Jackson writes its
            // components
        }
        if (v.getClass().isRecord() || v instanceof Optional<?>) {
            // A library record's toString (CompactionResult[removedFiles=[...]]) is Java text, not
            // data: one reaching
            // here is a bug of the command, which must map it to an output record first (Views,
            // TableViews).
            throw new IllegalStateException(
                    "no JSON form for a "
                            + v.getClass().getSimpleName()
                            + "; map it to its fields first");
        }
        return v.toString();
    }

    static List<String> stringList(String json) {
        List<String> out = new ArrayList<>();
        try {
            MAPPER.readTree(json).forEach(n -> out.add(n.asText()));
        } catch (IOException e) {
            out.add(json);
        }
        return out;
    }
}
