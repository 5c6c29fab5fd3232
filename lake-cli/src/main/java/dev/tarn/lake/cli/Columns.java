package dev.tarn.lake.cli;

import dev.tarn.lake.query.TextTable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The listings' tables (ls, history, doctor...): which value of a record each column shows,
 * rendered by lake-query's {@link TextTable}, the renderer query results use too.
 */
final class Columns {
    /**
     * A column: its header, how to show a record's value, and whether to align right (numbers,
     * sizes).
     */
    record Column<R>(String header, Function<R, String> value, boolean right) {
        static <R> Column<R> left(String header, Function<R, String> value) {
            return new Column<>(header, value, false);
        }

        static <R> Column<R> right(String header, Function<R, String> value) {
            return new Column<>(header, value, true);
        }
    }

    private Columns() {}

    /** A header row, then one row per record; the last column is not padded. */
    static <R> String write(List<Column<R>> columns, List<? extends R> rows) {
        List<String> head = columns.stream().map(Column::header).toList();
        List<TextTable.Align> align =
                columns.stream()
                        .map(c -> c.right() ? TextTable.Align.RIGHT : TextTable.Align.LEFT)
                        .toList();
        List<List<String>> body = new ArrayList<>();
        for (R r : rows) {
            List<String> line = new ArrayList<>();
            for (Column<R> c : columns) {
                String v = c.value().apply(r);
                line.add(v == null ? "" : Text.oneLine(v));
            }
            body.add(line);
        }
        return TextTable.render(TextTable.Style.PLAIN, align, List.of(head), body);
    }
}
