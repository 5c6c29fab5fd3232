package dev.tarn.lake.types;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one set of schema evolution rules, used by conversions (a later input against the schema so
 * far) and by tables (a write against the table's schema).
 *
 * <p>Columns are matched regardless of case and keep the spelling they first had. A column whose
 * incoming type {@linkplain TypeWidening#isWidening widens to} the current one fits as it is (its
 * values are written with the current type). Otherwise the {@link SchemaPolicy} decides: STRICT
 * refuses new columns and type changes, ADD_COLUMNS adds new columns (nullable) and refuses type
 * changes, WIDEN also widens a column to the {@linkplain TypeWidening#common common type} when
 * there is one. Whatever is refused is a {@link Conflict}: the records that carry such values are
 * quarantined with its reason, or the write is refused.
 */
public final class SchemaEvolution {
    private SchemaEvolution() {}

    /** Why a column of the incoming schema does not fit. */
    public record Conflict(String column, DataType current, DataType incoming, String reason) {
        @Override
        public String toString() {
            return reason;
        }
    }

    /**
     * The outcome: the schema after evolution, what changed (added or widened columns), and what
     * does not fit.
     */
    public record Result(Schema schema, List<SchemaChange> changes, List<Conflict> conflicts) {
        public Result {
            changes = List.copyOf(changes);
            conflicts = List.copyOf(conflicts);
        }

        /** Whether any column type widened (a table then needs the typeWidening feature). */
        public boolean widened() {
            return changes.stream().anyMatch(c -> !c.added());
        }
    }

    /**
     * Evolves {@code current} to take {@code incoming} under {@code policy}.
     *
     * @param source names where the incoming schema comes from, for the reasons ("file b.csv")
     */
    public static Result evolve(
            Schema current, Schema incoming, SchemaPolicy policy, String source) {
        Objects.requireNonNull(current, "current is null");
        Objects.requireNonNull(incoming, "incoming is null");
        Objects.requireNonNull(policy, "policy is null");
        List<SchemaChange> changes = new ArrayList<>();
        List<Conflict> conflicts = new ArrayList<>();
        List<Field> out =
                fields(current.fields(), incoming.fields(), policy, "", source, changes, conflicts);
        return new Result(new Schema(out), changes, conflicts);
    }

    private static List<Field> fields(
            List<Field> cur,
            List<Field> inc,
            SchemaPolicy policy,
            String path,
            String source,
            List<SchemaChange> changes,
            List<Conflict> conflicts) {
        List<Field> out = new ArrayList<>();
        for (Field f : cur) {
            Field g = find(inc, f.name());
            out.add(
                    g == null
                            ? f
                            : f.withType(
                                    type(
                                            f.type(),
                                            g.type(),
                                            policy,
                                            join(path, f.name()),
                                            source,
                                            changes,
                                            conflicts)));
        }
        for (Field g : inc) {
            if (find(cur, g.name()) != null) {
                continue;
            }
            String col = join(path, g.name());
            if (policy == SchemaPolicy.STRICT) {
                conflicts.add(
                        new Conflict(
                                col,
                                null,
                                g.type(),
                                source
                                        + " has column '"
                                        + col
                                        + "' ("
                                        + g.type()
                                        + "), which the schema does not have"));
            } else {
                out.add(new Field(g.name(), g.type(), true));
                changes.add(new SchemaChange(col, null, g.type(), "new column in " + source));
            }
        }
        return out;
    }

    /** The field of {@code fields} with this name in any case (the exact spelling first). */
    private static Field find(List<Field> fields, String name) {
        Field loose = null;
        for (Field f : fields) {
            if (f.name().equals(name)) {
                return f;
            }
            if (loose == null && f.name().equalsIgnoreCase(name)) {
                loose = f;
            }
        }
        return loose;
    }

    private static DataType type(
            DataType cur,
            DataType inc,
            SchemaPolicy policy,
            String col,
            String source,
            List<SchemaChange> changes,
            List<Conflict> conflicts) {
        if (cur.equals(inc)) {
            return cur;
        }
        if (cur instanceof StructType cs && inc instanceof StructType is) {
            return new StructType(
                    fields(cs.fields(), is.fields(), policy, col, source, changes, conflicts));
        }
        if (cur instanceof ListType cl && inc instanceof ListType il) {
            DataType e =
                    type(
                            cl.element(),
                            il.element(),
                            policy,
                            col + "[]",
                            source,
                            changes,
                            conflicts);
            return e.equals(cl.element()) ? cur : new ListType(e, cl.elementNullable());
        }
        if (cur instanceof MapType cm && inc instanceof MapType im) {
            if (!cm.key().equals(im.key()) && !TypeWidening.isWidening(im.key(), cm.key())) {
                conflicts.add(typeConflict(col, cur, inc, source, "; map keys cannot change type"));
                return cur;
            }
            DataType v =
                    type(cm.value(), im.value(), policy, col + "{}", source, changes, conflicts);
            return v.equals(cm.value()) ? cur : new MapType(cm.key(), v, cm.valueNullable());
        }
        if (TypeWidening.isWidening(inc, cur)) {
            return cur;
        }
        if (policy == SchemaPolicy.WIDEN) {
            var common = TypeWidening.common(cur, inc);
            if (common.isPresent()) {
                changes.add(new SchemaChange(col, cur, common.get(), source + " has " + inc));
                return common.get();
            }
            conflicts.add(typeConflict(col, cur, inc, source, ", and no wider type holds both"));
            return cur;
        }
        conflicts.add(
                typeConflict(
                        col, cur, inc, source, "; widening a type needs the WIDEN schema policy"));
        return cur;
    }

    /** A column whose incoming type does not fit the current one; {@code why} ends the reason. */
    private static Conflict typeConflict(
            String col, DataType cur, DataType inc, String source, String why) {
        return new Conflict(
                col,
                cur,
                inc,
                source
                        + " has column '"
                        + col
                        + "' as "
                        + inc
                        + " but the schema has "
                        + cur
                        + why);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
