package dev.tarn.lake.table;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A table's columns, in order. Column names are unique regardless of case, as the Delta protocol requires; partition
 * columns are columns of the schema like any other.
 */
public record Schema(List<Field> fields) {
    public Schema {
        fields = List.copyOf(fields);
        checkUnique(fields, "");
    }

    public static Schema of(Field... fields) {
        return new Schema(List.of(fields));
    }

    private static void checkUnique(List<Field> fields, String prefix) {
        Set<String> seen = new HashSet<>();
        for (Field f : fields) {
            if (!seen.add(f.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("column '" + prefix + f.name()
                        + "' appears twice (column names must be unique regardless of case)");
            }
            if (f.type() instanceof DataType.Struct s) {
                checkUnique(s.fields(), prefix + f.name() + ".");
            }
        }
    }

    public Optional<Field> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
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

    public DataType.Struct asStruct() {
        return new DataType.Struct(fields);
    }

    @Override
    public String toString() {
        return fields.stream().map(Field::toString).collect(Collectors.joining(", ", "(", ")"));
    }
}
