package dev.tarn.lake.cli;

import dev.tarn.lake.exceptions.QueryException;
import dev.tarn.lake.query.QueryResult;
import dev.tarn.lake.query.Sql;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code lake sql} writes a result: as rows come, in the table, CSV or JSON people asked for.
 */
final class SqlRows {
    private SqlRows() {}

    /**
     * In JSON, the document of one statement of a script: {@code {"statement": 2, "sql": "SELECT
     * ...", "columns": [{"name": ..., "type": ...}], "rows": [{...}], "rowCount": N}}.
     */
    static final String DOCUMENT = "statement, sql, columns, rows, rowCount";

    /**
     * Runs a query and writes its rows as they come. With --max-rows N, a query returning more
     * fails after its first N rows were written (its output is then incomplete, which exit 1 says).
     * {@code statement}: its number in a script of several (its JSON is then a {@link #DOCUMENT}),
     * or 0.
     */
    static void print(Context ctx, Sql sql, String query, long maxRows, int statement) {
        try (ResultSet rs = sql.resultSet(query)) {
            ResultSetMetaData md = rs.getMetaData();
            List<QueryResult.Column> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(new QueryResult.Column(md.getColumnLabel(i), md.getColumnTypeName(i)));
            }
            RowWriter w =
                    switch (ctx.output) {
                        case TABLE -> new TableRows(ctx, columns);
                        case CSV -> new CsvRows(ctx, columns);
                        case JSON -> new JsonRows(ctx, columns, statement, query);
                    };
            long n = 0;
            while (rs.next()) {
                if (n >= maxRows) {
                    w.end(n);
                    throw new QueryException(
                            "the query returns more than "
                                    + maxRows
                                    + " rows (--max-rows); the"
                                    + " first "
                                    + maxRows
                                    + " were written");
                }
                List<Object> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(SqlValues.json(rs.getObject(i)));
                }
                w.row(row);
                n++;
                if ((n & 1023) == 0 && ctx.out.checkError()) {
                    throw new CatCommand.StdoutClosedException(new IOException("stdout closed"));
                }
            }
            w.end(n);
        } catch (SQLException e) {
            throw new QueryException("reading the result failed: " + e.getMessage(), e);
        }
    }

    /** Output written a row at a time. */
    private interface RowWriter {
        void row(List<Object> values);

        void end(long rows);
    }

    /**
     * The table people read: the first rows, aligned, and how many there were (what QueryResult
     * prints).
     */
    private static final class TableRows implements RowWriter {
        private final Context ctx;
        private final List<QueryResult.Column> columns;
        private final List<List<Object>> shown = new ArrayList<>();

        TableRows(Context ctx, List<QueryResult.Column> columns) {
            this.ctx = ctx;
            this.columns = columns;
        }

        @Override
        public void row(List<Object> values) {
            if (shown.size() < QueryResult.SHOWN_ROWS) {
                List<Object> texts = new ArrayList<>(values.size());
                values.forEach(v -> texts.add(SqlValues.text(v)));
                shown.add(texts);
            }
        }

        @Override
        public void end(long rows) {
            ctx.out.println(QueryResult.format(columns, shown, rows));
        }
    }

    private static final class CsvRows implements RowWriter {
        private final Context ctx;

        CsvRows(Context ctx, List<QueryResult.Column> columns) {
            this.ctx = ctx;
            line(columns.stream().map(c -> (Object) c.name()).toList());
        }

        private void line(List<Object> values) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < values.size(); i++) {
                String text = SqlValues.text(values.get(i));
                b.append(i == 0 ? "" : ",").append(text == null ? "" : Csv.field(text));
            }
            ctx.out.print(b.append('\n'));
        }

        @Override
        public void row(List<Object> values) {
            line(values);
        }

        @Override
        public void end(long rows) {
            ctx.out.flush();
        }
    }

    /**
     * A JSON array of objects, as {@link CliJson#write} lays out a list of maps, one row at a time;
     * for a statement of a script, inside its {@link #DOCUMENT}, whose opening is written before
     * the first row and closing after the last.
     */
    private static final class JsonRows implements RowWriter {
        private final Context ctx;
        private final List<String> keys;

        /** Indent of the rows: 1 in a plain array, 3 in a document inside the script's array. */
        private final int indent;

        private final boolean document;
        private boolean started;

        JsonRows(Context ctx, List<QueryResult.Column> columns, int statement, String query) {
            this.ctx = ctx;
            this.keys = columns.stream().map(QueryResult.Column::name).toList();
            this.document = statement > 0;
            this.indent = document ? 3 : 1;
            if (document) {
                StatementHead head =
                        new StatementHead(
                                statement,
                                query.strip(),
                                columns.stream()
                                        .map(c -> new Views.ColumnView(c.name(), c.type()))
                                        .toList());
                StringBuilder b = new StringBuilder();
                CliJson.write(b, head, 1, true);
                b.setLength(b.length() - 4); // reopen it: "\n  }" ends the written object
                ctx.out.print(b.append(",\n    \"rows\": "));
            }
        }

        /**
         * A statement's document in a script's JSON, before its rows: its number, its text and its
         * columns.
         */
        record StatementHead(int statement, String sql, List<Views.ColumnView> columns) {}

        @Override
        public void row(List<Object> values) {
            // a map, not a record: a row's keys are the query's columns
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                m.put(keys.get(i), values.get(i));
            }
            StringBuilder b = new StringBuilder(started ? ",\n" : "[\n");
            started = true;
            CliJson.write(b, m, indent, true);
            ctx.out.print(b);
        }

        @Override
        public void end(long rows) {
            String pad = "  ".repeat(indent - 1);
            ctx.out.print(started ? "\n" + pad + "]" : "[]");
            ctx.out.print(document ? ",\n    \"rowCount\": " + rows + "\n  }" : "\n");
            ctx.out.flush();
        }
    }
}
