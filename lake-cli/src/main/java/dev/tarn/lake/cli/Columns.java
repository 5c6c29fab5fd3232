package dev.tarn.lake.cli;

import dev.tarn.lake.query.TextTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The listings' tables (ls, history, doctor...): which value of a record each column shows, rendered by lake-query's
 * {@link TextTable}, the renderer query results use too.
 */
final class Columns {
    /** A column: its header, how to show a record's value, and whether to align right (numbers, sizes). */
    record Column(String header, Function<Map<String, Object>, String> value, boolean right) {
        static Column left(String header, Function<Map<String, Object>, String> value) {
            return new Column(header, value, false);
        }

        static Column right(String header, Function<Map<String, Object>, String> value) {
            return new Column(header, value, true);
        }
    }

    private Columns() {
    }

    /** A header row, then one row per record; the last column is not padded. */
    static String write(List<Column> columns, List<Map<String, Object>> rows) {
        List<String> head = columns.stream().map(Column::header).toList();
        List<TextTable.Align> align = columns.stream()
                .map(c -> c.right() ? TextTable.Align.RIGHT : TextTable.Align.LEFT).toList();
        List<List<String>> body = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            List<String> line = new ArrayList<>();
            for (Column c : columns) {
                String v = c.value().apply(r);
                line.add(v == null ? "" : Text.oneLine(v));
            }
            body.add(line);
        }
        return TextTable.render(TextTable.Style.PLAIN, align, List.of(head), body);
    }
}
