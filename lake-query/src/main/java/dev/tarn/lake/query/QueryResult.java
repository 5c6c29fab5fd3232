package dev.tarn.lake.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The rows of a query, in memory, for people and tests: columns with their SQL types, rows as lists
 * of Java values, and a {@link #toString()} that prints a readable table (what JShell shows).
 */
public final class QueryResult {
    /** How many rows {@link #toString()} shows. */
    public static final int SHOWN_ROWS = 40;

    private static final int MAX_WIDTH = 40;

    /**
     * A result column: its name and its DuckDB type ({@code BIGINT}, {@code VARCHAR}, {@code
     * DATE}...).
     */
    public record Column(String name, String type) {}

    private final List<Column> columns;
    private final List<List<Object>> rows;

    public QueryResult(List<Column> columns, List<List<Object>> rows) {
        this.columns = List.copyOf(columns);
        List<List<Object>> copy = new ArrayList<>(rows.size());
        for (List<Object> r : rows) {
            copy.add(Collections.unmodifiableList(new ArrayList<>(r)));
        }
        this.rows = Collections.unmodifiableList(copy);
    }

    public List<Column> columns() {
        return columns;
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    public List<List<Object>> rows() {
        return rows;
    }

    public int rowCount() {
        return rows.size();
    }

    /** The value at a row and column (0-based). */
    public Object get(int row, int column) {
        return rows.get(row).get(column);
    }

    /** The value at a row in the column with this name. */
    public Object get(int row, String column) {
        int i = columnNames().indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException(
                    "no column '" + column + "'; columns are " + columnNames());
        }
        return rows.get(row).get(i);
    }

    /** The single value of a one-row, one-column result. */
    public Object scalar() {
        if (rows.size() != 1 || columns.size() != 1) {
            throw new IllegalStateException(
                    "not a single value: "
                            + rows.size()
                            + " rows of "
                            + columns.size()
                            + " columns");
        }
        return rows.get(0).get(0);
    }

    @Override
    public String toString() {
        return format(columns, rows.subList(0, Math.min(rows.size(), SHOWN_ROWS)), rows.size());
    }

    /**
     * The readable table of a result of {@code total} rows whose first rows are {@code shown}: for
     * output that streams a result and keeps only what it shows.
     */
    public static String format(List<Column> columns, List<List<Object>> shown, long total) {
        List<String> header = new ArrayList<>();
        for (Column c : columns) {
            header.add(c.name());
        }
        List<List<String>> cells = new ArrayList<>();
        for (List<Object> r : shown.subList(0, Math.min(shown.size(), SHOWN_ROWS))) {
            List<String> line = new ArrayList<>();
            for (Object v : r) {
                String s = v == null ? "NULL" : String.valueOf(v).replace('\n', ' ');
                line.add(s.length() > MAX_WIDTH ? s.substring(0, MAX_WIDTH - 3) + "..." : s);
            }
            cells.add(line);
        }
        // The type row is a second header row: a column is as wide as its name, its type and its
        // values.
        List<String> types = columns.stream().map(Column::type).toList();
        List<TextTable.Align> align = new ArrayList<>();
        header.forEach(h -> align.add(TextTable.Align.LEFT));
        StringBuilder b =
                new StringBuilder(
                        TextTable.render(
                                TextTable.Style.RULED, align, List.of(header, types), cells));
        b.append('(').append(total).append(total == 1 ? " row" : " rows");
        if (total > SHOWN_ROWS) {
            b.append(", first ").append(SHOWN_ROWS).append(" shown");
        }
        return b.append(')').toString();
    }
}
