package dev.tarn.lake.format.internal.infer;

import dev.tarn.lake.exceptions.FormatException;
import dev.tarn.lake.format.InputFormat;
import dev.tarn.lake.format.internal.read.Src;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import dev.tarn.lake.types.SchemaChange;
import dev.tarn.lake.types.SchemaEvolution;
import dev.tarn.lake.types.SchemaPolicy;
import dev.tarn.lake.types.StructType;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema of several inputs together, from what inference found in each and an explicit schema
 * if any.
 */
public final class SchemaMerge {
    private SchemaMerge() {}

    private static StructType schemaOf(Src src) {
        if (src.format == InputFormat.AVRO) {
            return src.avroType.asStruct();
        }
        DataType t = src.acc.resolve();
        return t == null ? DataType.struct(List.of()) : t.asStruct();
    }

    /**
     * The schema of the inputs together: each input's inferred schema (or Avro schema) is evolved
     * into the schema so far (the explicit one, else the first input's) by the one rule set of
     * {@link SchemaEvolution}, so a later input widens a column only as {@link
     * dev.tarn.lake.types.TypeWidening} allows and columns are matched regardless of case (the
     * first spelling is kept). What does not fit is a conflict: the records that carry such values
     * are quarantined with the reason, never turned to VARCHAR. Within one input, inference may
     * still give VARCHAR to a column of mixed values (that is inference, not evolution).
     */
    public static StructType merge(
            List<Src> srcs,
            StructType explicit,
            SchemaPolicy policy,
            List<SchemaChange> changes,
            List<SchemaEvolution.Conflict> conflicts) {
        Schema merged = explicit == null ? null : Schema.of(explicit);
        // columns that only held nulls so far take the type of the first input that has values for
        // them
        java.util.Set<String> untyped = new java.util.HashSet<>();
        for (Src src : srcs) {
            src.conflicts = java.util.Map.of();
        }
        for (Src src : srcs) {
            StructType t = schemaOf(src);
            Schema inc = datasetSchema(src, t);
            java.util.Set<String> incUntyped = untypedColumns(src);
            if (src.acc != null && explicit == null) {
                // columns this input's own values made wider than its first values (inference
                // within the input)
                src.acc.collectChanges(t, changes);
            }
            if (merged == null) {
                merged = inc;
                untyped.addAll(incUntyped);
                continue;
            }
            List<Field> current = new ArrayList<>();
            for (Field f : merged.fields()) {
                String key = lower(f.name());
                java.util.Optional<Field> g = inc.field(f.name());
                if (untyped.contains(key) && g.isPresent() && !incUntyped.contains(key)) {
                    current.add(f.withType(g.get().type()));
                    untyped.remove(key);
                } else {
                    current.add(f);
                }
            }
            List<Field> incoming = new ArrayList<>();
            for (Field g : inc.fields()) {
                java.util.Optional<Field> f = merged.field(g.name());
                boolean blank = incUntyped.contains(lower(g.name()));
                if (blank && f.isEmpty()) {
                    untyped.add(lower(g.name()));
                }
                // a VARCHAR column keeps any value as the text it was written as (as a declared
                // VARCHAR does): the
                // column does not change, so this is no conflict
                boolean asText = f.isPresent() && f.get().type().kind() == DataType.Kind.STRING;
                incoming.add((blank || asText) && f.isPresent() ? g.withType(f.get().type()) : g);
            }
            SchemaEvolution.Result r =
                    SchemaEvolution.evolve(
                            new Schema(current), new Schema(incoming), policy, src.name());
            merged = r.schema();
            changes.addAll(r.changes());
            conflicts.addAll(r.conflicts());
            java.util.Map<String, String> why = new java.util.HashMap<>();
            for (SchemaEvolution.Conflict c : r.conflicts()) {
                why.putIfAbsent(c.column(), c.reason());
            }
            src.conflicts = why;
        }
        return merged == null ? DataType.struct(List.of()) : merged.asStruct();
    }

    private static String lower(String name) {
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Top-level columns of an input that held only nulls (lower case): inference could not tell
     * their type.
     */
    private static java.util.Set<String> untypedColumns(Src src) {
        if (src.acc == null || src.acc.fields == null) {
            return java.util.Set.of();
        }
        java.util.Set<String> out = new java.util.HashSet<>();
        for (java.util.Map.Entry<String, TypeAcc> e : src.acc.fields.entrySet()) {
            if (!src.acc.isAlias(e.getKey()) && e.getValue().seen == 0) {
                out.add(lower(e.getKey()));
            }
        }
        return out;
    }

    /** An input's schema as a dataset's: column names must be unique regardless of case. */
    private static Schema datasetSchema(Src src, StructType t) {
        try {
            return Schema.of(t);
        } catch (IllegalArgumentException e) {
            throw new FormatException(src.name() + ": " + e.getMessage());
        }
    }
}
