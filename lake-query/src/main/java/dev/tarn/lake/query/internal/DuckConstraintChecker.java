package dev.tarn.lake.query.internal;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.query.SqlOptions;
import dev.tarn.lake.table.Constraint;
import dev.tarn.lake.table.ConstraintChecker;
import dev.tarn.lake.table.ConstraintViolation;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.types.Schema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Table constraints evaluated by the lake's DuckDB engine over the files a commit adds (registered
 * with ServiceLoader as lake-table's {@link ConstraintChecker}). The rows are read as a table view
 * reads them ({@link TableViews}: partition values as typed columns, every column as the table's
 * type). A constraint's expression is Spark SQL as Delta stores it; {@link #toDuck} turns its
 * quoting into DuckDB's, and the expression must pass {@link SqlGuard} as the only part of a query
 * over a CTE: it reads no other relation, no file, no table function that does.
 */
public final class DuckConstraintChecker implements ConstraintChecker {

    @Override
    public List<ConstraintViolation> check(
            Lake lake,
            DatasetId table,
            Schema schema,
            List<String> partitionColumns,
            List<DataFile> files,
            List<Constraint> constraints) {
        if (files.isEmpty() || constraints.isEmpty()) {
            return List.of();
        }
        DuckEngine engine =
                lake.component(DuckEngine.class, l -> DuckEngine.start(l, SqlOptions.defaults()));
        Set<java.nio.file.Path> used = new HashSet<>();
        String rows =
                TableViews.select(
                        schema,
                        partitionColumns,
                        files,
                        engine.files(),
                        table.keyPrefix(),
                        true,
                        used);
        List<String> expressions = new ArrayList<>();
        try (Connection c = engine.connect()) {
            for (Constraint k : constraints) {
                String e = toDuck(k.expression());
                vet(c, k, e);
                expressions.add(e);
            }
            StringBuilder count = new StringBuilder("WITH t AS (" + rows + ") SELECT ");
            for (int i = 0; i < expressions.size(); i++) {
                count.append(i == 0 ? "" : ", ")
                        .append("count(*) FILTER (WHERE (")
                        .append(expressions.get(i))
                        .append(") IS NOT TRUE)");
            }
            count.append(" FROM t");
            long[] broken = new long[expressions.size()];
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(count.toString())) {
                rs.next();
                for (int i = 0; i < broken.length; i++) {
                    broken[i] = rs.getLong(i + 1);
                }
            }
            List<ConstraintViolation> out = new ArrayList<>();
            for (int i = 0; i < broken.length; i++) {
                if (broken[i] > 0) {
                    out.add(
                            new ConstraintViolation(
                                    constraints.get(i),
                                    broken[i],
                                    example(c, rows, expressions.get(i))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new TarnException(
                    ErrorCode.QUERY_FAILED,
                    "cannot check the constraints of table "
                            + table
                            + " ("
                            + constraints.stream().map(Constraint::describe).toList()
                            + "): "
                            + CatalogViews.firstLine(e.getMessage())
                            + "; nothing was written",
                    e);
        }
    }

    private static Map<String, Object> example(Connection c, String rows, String expression)
            throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "WITH t AS ("
                                        + rows
                                        + ") SELECT * FROM t WHERE ("
                                        + expression
                                        + ") IS NOT TRUE LIMIT 1")) {
            if (rs.next()) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.put(md.getColumnLabel(i), v == null ? null : v.toString());
                }
            }
        }
        return row;
    }

    /** Refuses an expression that is more than an expression over the rows' columns. */
    private static void vet(Connection c, Constraint k, String expression) throws SQLException {
        Set<SqlGuard.Relation> read;
        try {
            read =
                    SqlGuard.vet(
                            c,
                            "WITH t AS (SELECT 1 AS x) SELECT count(*) FROM t WHERE ("
                                    + expression
                                    + ") IS NOT TRUE");
        } catch (TarnException e) {
            throw new TarnException(
                    ErrorCode.INVALID_ARGUMENT,
                    k.describe() + " is not an expression Tarn can evaluate: " + e.getMessage(),
                    e);
        }
        if (!read.isEmpty()) {
            throw new TarnException(
                    ErrorCode.INVALID_ARGUMENT,
                    k.describe()
                            + " reads other relations; a constraint is an expression over the"
                            + " row's own columns");
        }
    }

    /**
     * Spark SQL's quoting as DuckDB's: {@code `col`} is an identifier, {@code "text"} a string
     * (Spark's default), {@code 'text'} a string in both.
     */
    static String toDuck(String spark) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        int n = spark.length();
        while (i < n) {
            char ch = spark.charAt(i);
            if (ch == '\'') {
                int end = closing(spark, i, '\'');
                b.append(spark, i, end + 1);
                i = end + 1;
            } else if (ch == '`' || ch == '"') {
                int end = closing(spark, i, ch);
                String inner = spark.substring(i + 1, end).replace("" + ch + ch, "" + ch);
                if (ch == '`') {
                    b.append('"').append(inner.replace("\"", "\"\"")).append('"');
                } else {
                    b.append('\'').append(inner.replace("'", "''")).append('\'');
                }
                i = end + 1;
            } else {
                b.append(ch);
                i++;
            }
        }
        return b.toString();
    }

    /** The index of the quote closing the one at {@code start} (a doubled quote is inside). */
    private static int closing(String s, int start, char quote) {
        int i = start + 1;
        while (i < s.length()) {
            if (s.charAt(i) == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        throw new TarnException(
                ErrorCode.INVALID_ARGUMENT, "unclosed " + quote + " in the expression " + s);
    }
}
