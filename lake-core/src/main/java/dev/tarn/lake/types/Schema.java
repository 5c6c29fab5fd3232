package dev.tarn.lake.types;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The columns of a table or a dataset, in order. Column names are unique regardless of case at
 * every level, as the Delta protocol requires and Spark resolves them; {@link #field} finds a
 * column in any case.
 */
public record Schema(List<Field> fields) {
    public Schema {
        fields = List.copyOf(fields);
        checkUnique(fields, "");
    }

    public static Schema of(Field... fields) {
        return new Schema(List.of(fields));
    }

    /** The schema whose columns are this struct's fields. */
    public static Schema of(StructType struct) {
        return new Schema(struct.fields());
    }

    private static void checkUnique(List<Field> fields, String prefix) {
        Map<String, String> seen = new HashMap<>();
        for (Field f : fields) {
            String before = seen.putIfAbsent(f.name().toLowerCase(Locale.ROOT), f.name());
            if (before != null) {
                throw new IllegalArgumentException(
                        before.equals(f.name())
                                ? "column '" + prefix + f.name() + "' appears twice"
                                : "columns '"
                                        + prefix
                                        + before
                                        + "' and '"
                                        + prefix
                                        + f.name()
                                        + "' differ only in case"
                                        + " (column names must be unique regardless of case)");
            }
            if (f.type() instanceof StructType s) {
                checkUnique(s.fields(), prefix + f.name() + ".");
            }
        }
    }

    /** The column called {@code name}, in any case. */
    public Optional<Field> field(String name) {
        int i = indexOf(name);
        return i < 0 ? Optional.empty() : Optional.of(fields.get(i));
    }

    /** Index of the column called {@code name}, in any case, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    public List<String> columnNames() {
        return fields.stream().map(Field::name).collect(Collectors.toList());
    }

    /** This schema with more columns at the end. */
    public Schema plus(List<Field> more) {
        List<Field> all = new ArrayList<>(fields);
        all.addAll(more);
        return new Schema(all);
    }

    public StructType asStruct() {
        return new StructType(fields);
    }

    @Override
    public String toString() {
        return fields.stream().map(Field::toString).collect(Collectors.joining(", ", "(", ")"));
    }
}
