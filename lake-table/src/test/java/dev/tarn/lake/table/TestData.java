package dev.tarn.lake.table;

import dev.tarn.lake.Lake;
import dev.tarn.lake.types.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Real Parquet data files written with DuckDB into a lake's directory, and rows read back with
 * DuckDB.
 */
final class TestData implements AutoCloseable {
    private final Connection duck;
    private final Path root;

    TestData(Lake lake) {
        this.root = Path.of(URI.create(lake.location()));
        try {
            this.duck = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement s = duck.createStatement()) {
                s.execute("SET threads=1");
                s.execute("SET autoinstall_known_extensions=false");
                s.execute("SET TimeZone='UTC'");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    Path root() {
        return root;
    }

    /** Writes {@code select} as Parquet to {@code table/relPath}; returns relPath. */
    String write(Table table, String relPath, String select) {
        return write(table.keyPrefix(), relPath, select);
    }

    /** Writes {@code select} as Parquet to {@code keyPrefix + relPath}; returns relPath. */
    String write(String keyPrefix, String relPath, String select) {
        Path file = root.resolve(keyPrefix).resolve(relPath);
        try {
            Files.createDirectories(file.getParent());
            try (Statement s = duck.createStatement()) {
                s.execute("COPY (" + select + ") TO '" + file + "' (FORMAT PARQUET)");
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return relPath;
    }

    /** Rows {@code id, name, amount} for ids [from, to). */
    static String rows(long from, long to) {
        return "SELECT i::BIGINT AS id, 'n' || i AS name, (i * 1.5)::DECIMAL(18,1) AS amount FROM range("
                + from
                + ", "
                + to
                + ") t(i)";
    }

    /** Writes rows [from,to) and describes the file with its footer. */
    DataFile file(
            Table table, String relPath, long from, long to, Map<String, String> partitionValues) {
        write(table, relPath, rows(from, to));
        return table.dataFile(relPath, partitionValues);
    }

    /**
     * The rows of a snapshot as Tarn reports them: each live file read by DuckDB, with the
     * partition values of its log entry appended in the table's column order; every value as text;
     * sorted.
     */
    List<String> rowsOf(Table table, Snapshot snap) {
        List<String> out = new ArrayList<>();
        for (DataFile f : snap.files()) {
            Path file = root.resolve(table.keyPrefix()).resolve(f.path());
            try (Statement s = duck.createStatement();
                    ResultSet rs = s.executeQuery("SELECT * FROM read_parquet('" + file + "')")) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    List<String> vals = new ArrayList<>();
                    for (Field col : snap.schema().fields()) {
                        if (snap.partitionColumns().contains(col.name())) {
                            vals.add(col.name() + "=" + f.partitionValues().get(col.name()));
                            continue;
                        }
                        int idx = -1;
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            if (md.getColumnName(i).equals(col.name())) {
                                idx = i;
                            }
                        }
                        Object v = idx < 0 ? null : rs.getObject(idx);
                        vals.add(col.name() + "=" + (v == null ? null : text(v)));
                    }
                    out.add(String.join(",", vals));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        Collections.sort(out);
        return out;
    }

    static String text(Object v) {
        if (v instanceof java.math.BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof java.time.OffsetDateTime t) {
            return t.toInstant().toString();
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant().toString();
        }
        if (v instanceof Double d) {
            return new java.math.BigDecimal(d).stripTrailingZeros().toPlainString();
        }
        return v.toString();
    }

    @Override
    public void close() {
        try {
            duck.close();
        } catch (SQLException ignored) {
            // nothing to do
        }
    }
}
