package dev.tarn.lake.table.internal;

import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.table.Constraint;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.UpdateConstraints;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Delta's {@code ADD CONSTRAINT} / {@code DROP CONSTRAINT}: a metadata commit changing {@code
 * delta.constraints.<name>} properties. Constraints added are checked against every live file
 * first, and the commit reads all data, so a concurrent append (which was not checked against them)
 * makes it conflict rather than slip past.
 */
final class UpdateConstraintsOperation extends TableOperation<UpdateConstraints>
        implements UpdateConstraints {
    private final Map<String, String> adds = new LinkedHashMap<>();
    private final List<String> drops = new ArrayList<>();

    UpdateConstraintsOperation(DefaultTable table) {
        super(table, "CONSTRAINTS", Set.of("name", "expr"));
    }

    @Override
    public UpdateConstraints add(String name, String expression) {
        String n = Constraint.checkName(name);
        if (adds.containsKey(n)) {
            throw new IllegalArgumentException("constraint " + n + " is added twice");
        }
        adds.put(n, Constraint.checkExpression(expression));
        return this;
    }

    @Override
    public UpdateConstraints drop(String name) {
        drops.add(Constraint.checkName(name));
        return this;
    }

    @Override
    Planned plan(TableState base, boolean preview) {
        if (adds.isEmpty() && drops.isEmpty()) {
            throw new IllegalArgumentException("no constraint to add or drop");
        }
        String id = table.id().toString();
        Protocols.checkWritable(base, id);
        Actions.Metadata md = base.metadata();
        Map<String, String> config = new LinkedHashMap<>(md.configuration());
        for (String n : drops) {
            String key = find(config, n);
            if (key == null) {
                throw new NotFoundException(
                        "table " + id + " has no constraint " + n + "; it has " + names(config));
            }
            config.remove(key);
        }
        List<Constraint> added = new ArrayList<>();
        for (var e : adds.entrySet()) {
            String key = find(config, e.getKey());
            if (key != null) {
                throw new TarnException(
                        ErrorCode.ALREADY_EXISTS,
                        "table "
                                + id
                                + " has a constraint "
                                + e.getKey()
                                + " already ("
                                + config.get(key)
                                + "); drop it first to change it");
            }
            config.put(Constraint.PROPERTY_PREFIX + e.getKey(), e.getValue());
            added.add(new Constraint(e.getKey(), Constraint.Kind.CHECK, null, e.getValue()));
        }
        // Spark's ADD CONSTRAINT refuses a table that already holds a row breaking it
        List<DataFile> live = new ArrayList<>();
        base.files().values().forEach(a -> live.add(FileCodec.toDataFile(a)));
        if (!added.isEmpty() && !live.isEmpty()) {
            ConstraintEnforcer.check(
                    table.runtime(), table.id(), base.schema(), md.partitionColumns(), live, added);
        }
        String op =
                drops.isEmpty()
                        ? "ADD CONSTRAINT"
                        : adds.isEmpty() ? "DROP CONSTRAINT" : "CHANGE CONSTRAINTS";
        Transaction tx = new Transaction(table.runtime(), table.log(), id, base, op);
        tx.readAllData();
        if (adds.size() + drops.size() == 1) {
            if (adds.isEmpty()) {
                tx.parameter("name", drops.get(0));
            } else {
                var e = adds.entrySet().iterator().next();
                tx.parameter("name", e.getKey()).parameter("expr", e.getValue());
            }
        } else {
            tx.parameter("added", String.join(",", adds.keySet()))
                    .parameter("dropped", String.join(",", drops));
        }
        if (!added.isEmpty()
                && !Protocols.supports(base.protocol(), Set.of(Protocols.CHECK_CONSTRAINTS))) {
            tx.add(Protocols.upgrade(base.protocol(), Set.of(Protocols.CHECK_CONSTRAINTS)));
        }
        tx.add(
                new Actions.Metadata(
                        md.id(),
                        md.name(),
                        md.description(),
                        md.provider(),
                        md.formatOptions(),
                        md.schemaString(),
                        md.partitionColumns(),
                        md.createdTime(),
                        config));
        return Planned.of(tx);
    }

    private static String find(Map<String, String> config, String name) {
        for (String k : config.keySet()) {
            if (k.toLowerCase(Locale.ROOT).equals(Constraint.PROPERTY_PREFIX + name)) {
                return k;
            }
        }
        return null;
    }

    private static List<String> names(Map<String, String> config) {
        List<String> out = new ArrayList<>();
        for (String k : config.keySet()) {
            if (k.toLowerCase(Locale.ROOT).startsWith(Constraint.PROPERTY_PREFIX)) {
                out.add(k.substring(Constraint.PROPERTY_PREFIX.length()));
            }
        }
        return out;
    }
}
