package dev.tarn.lake.query.internal;

import static dev.tarn.lake.query.internal.DuckEngine.ident;
import static dev.tarn.lake.query.internal.DuckEngine.quote;

import dev.tarn.lake.catalog.Format;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.format.Conversion;
import dev.tarn.lake.format.Input;
import dev.tarn.lake.format.InputFormat;
import dev.tarn.lake.format.SchemaInference;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.StructType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The schema Tarn's own inference gives the JSON and CSV objects of a raw dataset, so that its SQL
 * view shows the column types (and, for a JSON document holding its records in an array, the
 * records) that {@code lake convert} of the same objects would give the table: DuckDB's inference
 * differs (BIGINT or HUGEINT where Tarn says INTEGER, a GeoJSON FeatureCollection as one row).
 *
 * <p>The inference is that of a conversion with its defaults (format by the catalog, sample per
 * input), computed once per set of objects (their keys and sizes: objects never change in place)
 * and remembered. When it fails (a malformed object, formats mixed in one dataset) there is no Tarn
 * schema and the view falls back to DuckDB's own inference, so that the bad-object handling names
 * the objects as before.
 */
final class RawSchemas {
    private static final int REMEMBERED = 1_000;

    private final Map<List<Object>, Optional<SchemaInference>> known =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(
                        Map.Entry<List<Object>, Optional<SchemaInference>> eldest) {
                    return size() > REMEMBERED;
                }
            };

    /**
     * Tarn's schema and layouts for these objects (one format: JSON/NDJSON or CSV/TSV), read from
     * their local files, or empty when Tarn cannot infer one.
     */
    synchronized Optional<SchemaInference> infer(List<LakeObject> objects, List<Path> locals) {
        List<Object> id = new ArrayList<>(objects.size() * 2 + 1);
        for (LakeObject o : objects) {
            id.add(o.key());
            id.add(o.size());
            id.add(o.format());
        }
        Optional<SchemaInference> had = known.get(id);
        if (had != null) {
            return had;
        }
        Optional<SchemaInference> found = compute(objects, locals);
        known.put(List.copyOf(id), found);
        return found;
    }

    private static Optional<SchemaInference> compute(List<LakeObject> objects, List<Path> locals) {
        InputFormat format = null;
        for (LakeObject o : objects) {
            InputFormat f =
                    switch (o.format()) {
                        case NDJSON -> InputFormat.NDJSON;
                        case JSON -> InputFormat.JSON;
                        case CSV -> InputFormat.CSV;
                        case TSV -> InputFormat.TSV;
                        default -> null;
                    };
            if (f == null || (format != null && format != f)) {
                return Optional.empty(); // as convert, which refuses a mix of formats
            }
            format = f;
        }
        if (format == null) {
            return Optional.empty();
        }
        try {
            SchemaInference s =
                    Conversion.of(locals.stream().map(Input::file).toList())
                            .format(format)
                            .inspect();
            return s.schema().fields().isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (RuntimeException e) {
            return Optional
                    .empty(); // DuckDB's reading of the objects says what is wrong (ObjectChecks)
        }
    }

    /**
     * The DuckDB spelling of a type, with every field name quoted (a field named like a keyword
     * stays a name).
     */
    static String sql(DataType t) {
        return switch (t.kind()) {
            case STRUCT -> {
                StringBuilder b = new StringBuilder("STRUCT(");
                List<Field> fields = t.asStruct().fields();
                for (int i = 0; i < fields.size(); i++) {
                    b.append(i == 0 ? "" : ", ")
                            .append(ident(fields.get(i).name()))
                            .append(' ')
                            .append(sql(fields.get(i).type()));
                }
                yield b.append(')').toString();
            }
            case LIST -> sql(t.asList().element()) + "[]";
            case MAP -> "MAP(" + sql(t.asMap().key()) + ", " + sql(t.asMap().value()) + ")";
            default -> t.sql();
        };
    }

    /**
     * A struct literal {@code {'name': 'TYPE', ...}} naming each column's type, for read_csv's
     * types / read_json's columns.
     */
    static String columns(StructType schema) {
        StringBuilder b = new StringBuilder("{");
        for (Field f : schema.fields()) {
            b.append(b.length() > 1 ? ", " : "")
                    .append(quote(f.name()))
                    .append(": ")
                    .append(quote(sql(f.type())));
        }
        return b.append('}').toString();
    }

    /**
     * The {@code columns} of read_json for documents whose records are the array at {@code path}:
     * the first name with the type of what lies below it, down to a list of the records' struct.
     */
    static String columnsAt(StructType schema, List<String> path) {
        String t = sql(schema) + "[]";
        for (int i = path.size() - 1; i >= 1; i--) {
            t = "STRUCT(" + ident(path.get(i)) + " " + t + ")";
        }
        return "{" + quote(path.get(0)) + ": " + quote(t) + "}";
    }

    /**
     * The expression for the array at {@code path} in a row of read_json: {@code "a"['b']['c']}.
     */
    static String at(List<String> path) {
        StringBuilder b = new StringBuilder(ident(path.get(0)));
        for (int i = 1; i < path.size(); i++) {
            b.append('[').append(quote(path.get(i))).append(']');
        }
        return b.toString();
    }

    /** Whether objects of this format can be typed by Tarn's inference. */
    static boolean typed(Format f) {
        return f == Format.NDJSON || f == Format.JSON || f == Format.CSV || f == Format.TSV;
    }
}
