package dev.tarn.lake.types;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Named fields in order. Names are unique; {@link #field} and {@link #indexOf} find a name exactly
 * or, failing that, regardless of case, as Delta and Spark resolve columns. (Names that differ only
 * in case are refused where a table or a dataset is concerned, by {@link Schema}; a struct read
 * from a JSON record may still hold both spellings until the record is checked.)
 */
public record StructType(List<Field> fields) implements ParameterizedType {
    public StructType {
        fields = List.copyOf(fields);
        Set<String> seen = new HashSet<>();
        for (Field f : fields) {
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException(
                        "field \"" + f.name() + "\" appears twice in a struct");
            }
        }
    }

    /**
     * The field called {@code name}: the exact spelling first, else the one spelled differently in
     * case.
     */
    public Optional<Field> field(String name) {
        int i = indexOf(name);
        return i < 0 ? Optional.empty() : Optional.of(fields.get(i));
    }

    /**
     * Index of the field called {@code name} (exact spelling first, then regardless of case), or
     * -1.
     */
    public int indexOf(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** A copy with one more field at the end. */
    public StructType withField(Field f) {
        List<Field> all = new java.util.ArrayList<>(fields);
        all.add(f);
        return new StructType(all);
    }

    @Override
    public Kind kind() {
        return Kind.STRUCT;
    }

    @Override
    public String sql() {
        StringBuilder sb = new StringBuilder("STRUCT(");
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Field f = fields.get(i);
            sb.append(DataType.quoteIdentifier(f.name())).append(' ').append(f.type().sql());
            if (!f.nullable()) {
                sb.append(" NOT NULL");
            }
        }
        return sb.append(')').toString();
    }

    @Override
    public StructType asStruct() {
        return this;
    }

    @Override
    public String toString() {
        return sql();
    }

    @Override
    public boolean isStruct() {
        return true;
    }
}
