package dev.tarn.lake.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Aligned columns for people: a header row, then one row per record; the last column is not padded. */
final class Table {
    /** A column: its header, how to show a record's value, and whether to align right (numbers, sizes). */
    record Column(String header, Function<Map<String, Object>, String> value, boolean right) {
        static Column left(String header, Function<Map<String, Object>, String> value) {
            return new Column(header, value, false);
        }

        static Column right(String header, Function<Map<String, Object>, String> value) {
            return new Column(header, value, true);
        }
    }

    private Table() {
    }

    static String write(List<Column> columns, List<Map<String, Object>> rows) {
        List<String[]> cells = new ArrayList<>();
        String[] head = new String[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            head[c] = columns.get(c).header();
        }
        cells.add(head);
        for (Map<String, Object> r : rows) {
            String[] line = new String[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                String v = columns.get(c).value().apply(r);
                line[c] = v == null ? "" : Text.oneLine(v);
            }
            cells.add(line);
        }
        int[] width = new int[columns.size()];
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] line : cells) {
            StringBuilder l = new StringBuilder();
            for (int c = 0; c < line.length; c++) {
                if (c > 0) {
                    l.append("  ");
                }
                String pad = " ".repeat(width[c] - line[c].length());
                boolean last = c == line.length - 1;
                if (columns.get(c).right()) {
                    l.append(pad).append(line[c]);
                } else {
                    l.append(line[c]).append(last ? "" : pad);
                }
            }
            b.append(l.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }
}
