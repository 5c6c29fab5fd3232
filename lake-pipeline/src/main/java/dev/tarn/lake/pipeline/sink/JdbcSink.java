package dev.tarn.lake.pipeline.sink;

import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.IllegalNameException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sends a table's version to a database table over JDBC, in one transaction per send: the rows
 * (replaced, appended or upserted) and the sink's progress row ({@link SinkProgress}) commit
 * together, so a send is whole or absent, and a send of a version the target already recorded
 * writes nothing. Rows stream from SQL in batches of {@value #BATCH}; nothing is held in memory
 * beyond a batch.
 */
final class JdbcSink implements Sink {
    static final int BATCH = 1000;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final JdbcSinkSpec spec;
    private final JdbcDialect dialect;
    private final String schemaName;
    private final String tableName;
    private final String target;
    private final SinkProgress progress;

    JdbcSink(JdbcSinkSpec spec) {
        this.spec = spec;
        this.dialect = JdbcDialect.of(spec.url());
        String[] parts = spec.table().split("\\.", -1);
        if (parts.length > 2) {
            throw new IllegalNameException(
                    "sink table '" + spec.table() + "': use TABLE or SCHEMA.TABLE");
        }
        for (String p : parts) {
            if (!IDENTIFIER.matcher(p).matches()) {
                throw new IllegalNameException(
                        "sink table '"
                                + spec.table()
                                + "': a name is a letter or _ followed by up to 62 letters,"
                                + " digits or _");
            }
        }
        this.schemaName = parts.length == 2 ? parts[0] : null;
        this.tableName = parts[parts.length - 1];
        if (spec.mode() == SinkMode.UPSERT && spec.key().isEmpty()) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "sink table '" + spec.table() + "': mode upsert needs a key");
        }
        if (new HashSet<>(spec.key()).size() != spec.key().size()) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    "sink table '" + spec.table() + "': key " + spec.key() + " repeats a column");
        }
        this.target = redact(spec.url()) + " table " + spec.table();
        this.progress = new SinkProgress(qualify(SinkProgress.TABLE));
    }

    /** The URL without passwords, for messages. */
    static String redact(String url) {
        return url.replaceAll("(?i)((?:password|passwd|pwd)=)[^&;]*", "$1***")
                .replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
    }

    @Override
    public SinkResult send(SinkRequest request) {
        Step step = new Step();
        step.kind = "connect";
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                SinkResult result = send(c, request, step);
                step.kind = "commit";
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new TarnException(
                    ErrorCode.SINK_FAILED,
                    "sink to "
                            + target
                            + ": "
                            + step.kind
                            + " failed, nothing was written: "
                            + oneLine(e),
                    e);
        }
    }

    private static final class Step {
        String kind;
    }

    private static String oneLine(SQLException e) {
        String m = String.valueOf(e.getMessage()).strip();
        int nl = m.indexOf('\n');
        if (nl > 0) {
            m = m.substring(0, nl).strip();
        }
        SQLException next = e.getNextException();
        if (next != null && next != e && next.getMessage() != null) {
            String n = next.getMessage().strip();
            int nn = n.indexOf('\n');
            m += " (" + (nn > 0 ? n.substring(0, nn).strip() : n) + ")";
        }
        return m;
    }

    private static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException r) {
            cause.addSuppressed(r);
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.putAll(spec.properties());
        try {
            return DriverManager.getConnection(spec.url(), props);
        } catch (SQLException e) {
            if ("08001".equals(e.getSQLState())
                    && e.getMessage() != null
                    && e.getMessage().startsWith("No suitable driver")) {
                throw new TarnException(
                        ErrorCode.INVALID_CONFIGURATION,
                        "sink to "
                                + target
                                + ": no JDBC driver for this URL on the class path (the lake"
                                + " command line takes more drivers from TARN_EXTRA_CLASSPATH)",
                        e);
            }
            throw e;
        }
    }

    private SinkResult send(Connection c, SinkRequest request, Step step) throws SQLException {
        step.kind = "read progress";
        String sendId = request.sendId();
        String targetName = spec.table();
        progress.create(c);
        OptionalLong recorded = progress.recorded(c, sendId, targetName);
        long version = request.version();
        OptionalLong after = OptionalLong.empty();
        if (spec.mode() == SinkMode.APPEND) {
            // the target's own record wins over the pipeline's: after a crash between the
            // commit here and the pipeline's record, the pipeline's previous is behind
            long from = recorded.isPresent() ? recorded.getAsLong() : request.previous().orElse(-1);
            if (from >= version) {
                return new SinkResult(0, true);
            }
            after = OptionalLong.of(from);
        } else if (recorded.isPresent() && recorded.getAsLong() == version) {
            return new SinkResult(0, true);
        }

        Schema schema = SinkRows.schemaAt(request.lake(), request.table(), version);
        List<Field> fields = schema.fields();
        List<String> key = keyColumns(fields);
        step.kind = "check table";
        List<String> existing = TargetTables.columns(c, schemaName, tableName);
        List<String> columns = names(fields);
        if (existing == null) {
            step.kind = "create table";
            createTable(c, fields, key);
        } else {
            // the target's own spelling of each column (a table created by hand in PostgreSQL
            // has lower-case names where the lake's may not)
            columns = matchColumns(existing, fields);
            key = key.stream().map(k -> existing.get(indexIgnoringCase(existing, k))).toList();
            if (spec.mode() == SinkMode.UPSERT) {
                if (!TargetTables.hasUniqueKey(c, schemaName, tableName, key)) {
                    throw new TarnException(
                            ErrorCode.INVALID_OPERATION,
                            "sink to "
                                    + target
                                    + ": mode upsert needs a primary key or unique constraint on ("
                                    + String.join(", ", key)
                                    + ") in the existing target table; add one, or drop the table"
                                    + " to have the sink create it");
                }
            }
        }
        if (spec.mode() == SinkMode.REPLACE) {
            step.kind = "delete";
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM " + qualified());
            }
        }
        step.kind = spec.mode() == SinkMode.UPSERT ? "upsert" : "insert";
        long rows = insert(c, request, schema, after, columns, key);
        step.kind = "record progress";
        progress.record(c, sendId, targetName, recorded, version, rows);
        return new SinkResult(rows, false);
    }

    private long insert(
            Connection c,
            SinkRequest request,
            Schema schema,
            OptionalLong after,
            List<String> columns,
            List<String> key)
            throws SQLException {
        List<Field> fields = schema.fields();
        List<DataType> types = fields.stream().map(Field::type).toList();
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(qualified()).append(" (");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sql.append(", ");
                values.append(", ");
            }
            sql.append(quote(columns.get(i)));
            values.append(dialect.placeholder(fields.get(i).type()));
        }
        sql.append(") VALUES (").append(values).append(')');
        if (spec.mode() == SinkMode.UPSERT) {
            sql.append(onConflict(columns, key));
        }
        long rows = 0;
        try (SinkRows source =
                        SinkRows.open(
                                request.lake(), request.table(), schema, request.version(), after);
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int pending = 0;
            while (source.hasNext()) {
                dialect.bind(ps, types, source.next());
                ps.addBatch();
                rows++;
                if (++pending == BATCH) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
        return rows;
    }

    /** Insert-or-update by key, as SQLite and PostgreSQL both spell it. */
    private String onConflict(List<String> columns, List<String> key) {
        if (dialect == JdbcDialect.GENERIC) {
            throw new TarnException(
                    ErrorCode.UNSUPPORTED_OPERATION,
                    "sink to "
                            + target
                            + ": mode upsert is supported on SQLite and PostgreSQL (INSERT ... ON"
                            + " CONFLICT); use replace or append for this database");
        }
        StringBuilder s = new StringBuilder(" ON CONFLICT (");
        for (int i = 0; i < key.size(); i++) {
            s.append(i > 0 ? ", " : "").append(quote(key.get(i)));
        }
        s.append(") DO ");
        List<String> rest = new ArrayList<>();
        for (String col : columns) {
            if (!key.contains(col)) {
                rest.add(quote(col) + " = excluded." + quote(col));
            }
        }
        return rest.isEmpty()
                ? s.append("NOTHING").toString()
                : s.append("UPDATE SET ").append(String.join(", ", rest)).toString();
    }

    /** The key named in the spec, spelled as the table's columns are. */
    private List<String> keyColumns(List<Field> fields) {
        List<String> key = new ArrayList<>();
        for (String k : spec.key()) {
            String found = null;
            for (Field f : fields) {
                if (f.name().equals(k)) {
                    found = f.name();
                }
            }
            for (Field f : fields) {
                if (found == null && f.name().equalsIgnoreCase(k)) {
                    found = f.name();
                }
            }
            if (found == null) {
                throw new TarnException(
                        ErrorCode.INVALID_CONFIGURATION,
                        "sink to "
                                + target
                                + ": key column '"
                                + k
                                + "' is not a column of the table ("
                                + String.join(", ", names(fields))
                                + ")");
            }
            key.add(found);
        }
        return key;
    }

    private static List<String> names(List<Field> fields) {
        return fields.stream().map(Field::name).toList();
    }

    private void createTable(Connection c, List<Field> fields, List<String> key)
            throws SQLException {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(qualified()).append(" (");
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            sql.append(i > 0 ? ", " : "")
                    .append(quote(f.name()))
                    .append(' ')
                    .append(dialect.columnType(f.type()));
            if (!f.nullable() || key.contains(f.name())) {
                sql.append(" NOT NULL");
            }
        }
        if (!key.isEmpty()) {
            sql.append(", PRIMARY KEY (");
            for (int i = 0; i < key.size(); i++) {
                sql.append(i > 0 ? ", " : "").append(quote(key.get(i)));
            }
            sql.append(')');
        }
        sql.append(')');
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql.toString());
        }
    }

    /**
     * An existing target must have the table's columns, no more and no fewer (matched exactly or,
     * failing that, regardless of case); returns the target's spelling of each, in the table's
     * order.
     */
    private List<String> matchColumns(List<String> existing, List<Field> fields) {
        List<String> matched = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        for (Field f : fields) {
            int i = existing.indexOf(f.name());
            if (i < 0) {
                i = indexIgnoringCase(existing, f.name());
            }
            if (i < 0) {
                missing.add(f.name());
            } else {
                used.add(i);
                matched.add(existing.get(i));
            }
        }
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < existing.size(); i++) {
            if (!used.contains(i)) {
                extra.add(existing.get(i));
            }
        }
        if (!missing.isEmpty() || !extra.isEmpty()) {
            StringBuilder m =
                    new StringBuilder("sink to ")
                            .append(target)
                            .append(": the target's columns differ from the lake table's");
            if (!missing.isEmpty()) {
                m.append("; missing in the target: ").append(String.join(", ", missing));
            }
            if (!extra.isEmpty()) {
                m.append("; not in the lake table: ").append(String.join(", ", extra));
            }
            throw new TarnException(ErrorCode.SCHEMA_MISMATCH, m.toString());
        }
        return matched;
    }

    private static int indexIgnoringCase(List<String> names, String name) {
        int exact = names.indexOf(name);
        if (exact >= 0) {
            return exact;
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private String qualified() {
        return qualify(tableName);
    }

    private String qualify(String name) {
        return schemaName == null ? quote(name) : quote(schemaName) + "." + quote(name);
    }

    /** A quoted identifier; column names come from the lake table's schema, any text but NUL. */
    static String quote(String name) {
        if (name.indexOf('\0') >= 0) {
            throw new IllegalNameException("a column name holds a NUL character");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() {
        // a connection lives for one send
    }

    @Override
    public String toString() {
        return "JDBC sink to " + target + " (" + spec.mode().name().toLowerCase(Locale.ROOT) + ")";
    }
}
