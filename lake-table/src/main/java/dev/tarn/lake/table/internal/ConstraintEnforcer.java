package dev.tarn.lake.table.internal;

import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.ConstraintViolationException;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.table.Constraint;
import dev.tarn.lake.table.ConstraintChecker;
import dev.tarn.lake.table.ConstraintViolation;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.internal.Actions.Action;
import dev.tarn.lake.table.internal.Actions.AddFile;
import dev.tarn.lake.table.internal.Actions.Metadata;
import dev.tarn.lake.types.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks the rows a commit adds against the table's constraints, before the commit is written: one
 * place that every write path goes through (appends, overwrites, conversions, SQL's saveAsTable and
 * insertInto, row deletes and rewrites), since they all commit through {@link Transaction}. The
 * constraints are those of the table as the commit leaves it (a commit that adds a constraint or
 * creates the table is checked against its own).
 *
 * <p>NOT NULL is counted from the files' statistics (the Parquet footers' null counts, which the
 * log's {@code stats} carry) and partition values; CHECK constraints and invariants are SQL, which
 * a {@link ConstraintChecker} evaluates (lake-query's, with DuckDB). Without a checker, a table
 * with SQL constraints is not written (fail closed).
 */
final class ConstraintEnforcer {
    private ConstraintEnforcer() {}

    static void enforce(
            DefaultTables.Runtime rt, String table, TableState readState, List<Action> actions) {
        Metadata md = readState.metadata();
        boolean own = false;
        List<DataFile> files = new ArrayList<>();
        for (Action a : actions) {
            if (a instanceof Metadata m) {
                md = m;
                own = true;
            } else if (a instanceof AddFile f) {
                files.add(FileCodec.toDataFile(f));
            }
        }
        if (md == null || files.isEmpty()) {
            return;
        }
        Schema schema = own ? DeltaSchema.fromJson(md.schemaString()) : readState.schema();
        List<Constraint> constraints = Constraint.of(schema, md.configuration());
        if (constraints.isEmpty()) {
            return;
        }
        DatasetId id = DatasetId.parse(table);
        check(rt, id, schema, md.partitionColumns(), files, constraints);
    }

    /**
     * Refuses the files if their rows break any of the constraints: a {@link
     * ConstraintViolationException} naming the first one broken.
     */
    static void check(
            DefaultTables.Runtime rt,
            DatasetId id,
            Schema schema,
            List<String> partitionColumns,
            List<DataFile> files,
            List<Constraint> constraints) {
        Optional<ConstraintChecker> checker = ConstraintChecker.find();
        List<Constraint> sql = new ArrayList<>();
        List<ConstraintViolation> found = new ArrayList<>();
        for (Constraint c : constraints) {
            if (c.kind() != Constraint.Kind.NOT_NULL) {
                sql.add(c);
                continue;
            }
            long nulls = nulls(rt, id, c.column(), partitionColumns, files);
            if (nulls == 0) {
                continue;
            }
            if (checker.isPresent()) {
                sql.add(c); // the checker counts them too, and gives an example row
            } else if (nulls > 0) {
                found.add(new ConstraintViolation(c, nulls, Map.of()));
            } else {
                sql.add(c); // unknown without reading the rows
            }
        }
        if (!sql.isEmpty()) {
            if (checker.isEmpty()) {
                throw new TarnException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "table "
                                + id
                                + " has "
                                + sql.stream()
                                        .map(Constraint::describe)
                                        .collect(Collectors.joining(", "))
                                + ", which only a SQL engine can check: put lake-query (dev.tarn.lake:lake-query) on the"
                                + " class path to write to it; nothing was written");
            }
            found.addAll(checker.get().check(rt.lake(), id, schema, partitionColumns, files, sql));
        }
        if (!found.isEmpty()) {
            throw violation(id, files.size(), found);
        }
    }

    /**
     * The nulls in a column of these files, from their statistics (or footers, or partition
     * values); -1 when they cannot tell.
     */
    private static long nulls(
            DefaultTables.Runtime rt,
            DatasetId id,
            String column,
            List<String> partitionColumns,
            List<DataFile> files) {
        long total = 0;
        boolean partition = partitionColumns.stream().anyMatch(column::equalsIgnoreCase);
        for (DataFile f : files) {
            long rows = f.recordCount();
            if (partition) {
                String v =
                        f.partitionValues().entrySet().stream()
                                .filter(e -> e.getKey().equalsIgnoreCase(column))
                                .map(Map.Entry::getValue)
                                .findFirst()
                                .orElse(null);
                if (v == null) {
                    if (rows < 0) {
                        return -1;
                    }
                    total += rows;
                }
                continue;
            }
            long n = nullCount(f, column);
            if (n < 0) {
                n = fromFooter(rt, id, f, column);
            }
            if (n < 0) {
                return -1;
            }
            total += n;
        }
        return total;
    }

    private static long nullCount(DataFile f, String column) {
        if (f.stats() == null) {
            return -1;
        }
        for (var e : f.stats().nullCount().entrySet()) {
            if (e.getKey().equalsIgnoreCase(column) && e.getValue() instanceof Number n) {
                return n.longValue();
            }
        }
        return -1;
    }

    /** Reads the file's footer: a column it lacks is null in every row. */
    private static long fromFooter(
            DefaultTables.Runtime rt, DatasetId id, DataFile f, String column) {
        String key = id.keyPrefix() + f.path();
        Optional<ObjectStat> stat = rt.store().stat(key);
        if (stat.isEmpty()) {
            return -1;
        }
        DataFile described =
                ParquetFooter.describe(rt.store(), stat.get(), f.path(), f.partitionValues());
        if (described.schema() != null && described.schema().field(column).isEmpty()) {
            return Math.max(0, described.recordCount());
        }
        return nullCount(described, column);
    }

    private static ConstraintViolationException violation(
            DatasetId id, int files, List<ConstraintViolation> found) {
        ConstraintViolation first = found.get(0);
        Constraint c = first.constraint();
        StringBuilder b =
                new StringBuilder("write to table ")
                        .append(id)
                        .append(" refused: ")
                        .append(rows(first.rows()))
                        .append(" of the ")
                        .append(files)
                        .append(files == 1 ? " new file " : " new files ")
                        .append(first.rows() == 1 ? "breaks " : "break ")
                        .append(c.describe());
        if (!first.example().isEmpty()) {
            b.append(", e.g. ").append(example(first.example()));
        }
        for (ConstraintViolation v : found.subList(1, found.size())) {
            b.append("; ")
                    .append(rows(v.rows()))
                    .append(v.rows() == 1 ? " breaks " : " break ")
                    .append(v.constraint().describe());
        }
        b.append("; nothing was committed");
        return new ConstraintViolationException(
                b.toString(), c.name(), c.expression(), first.rows());
    }

    private static String rows(long n) {
        return n < 0 ? "rows" : n + (n == 1 ? " row" : " rows");
    }

    /** A row as {@code {price=-3, user_id=null}}, long values cut short. */
    private static String example(Map<String, Object> row) {
        return row.entrySet().stream()
                .map(
                        e -> {
                            String v = String.valueOf(e.getValue());
                            return e.getKey()
                                    + "="
                                    + (v.length() > 60 ? v.substring(0, 57) + "..." : v);
                        })
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
