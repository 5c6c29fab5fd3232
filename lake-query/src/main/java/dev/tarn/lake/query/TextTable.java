package dev.tarn.lake.query;

import java.util.ArrayList;
import java.util.List;

/**
 * Aligned columns of text for people: one or more header rows, then the body. The one renderer of
 * tables on a terminal, used by {@link QueryResult} and by the {@code lake} command's listings.
 *
 * <p>Two styles: {@link Style#PLAIN} separates columns by two spaces and leaves no trailing blanks
 * (listings); {@link Style#RULED} separates them by {@code " | "} and draws a rule under the header
 * rows (query results).
 */
public final class TextTable {
    /** How columns are separated and whether a rule closes the header. */
    public enum Style {
        PLAIN,
        RULED
    }

    /** A column's alignment: text to the left, numbers and sizes to the right. */
    public enum Align {
        LEFT,
        RIGHT
    }

    private TextTable() {}

    /**
     * The table: {@code header} rows, then {@code body} rows, every row with one cell per entry of
     * {@code align}; each line ends with a newline.
     */
    public static String render(
            Style style, List<Align> align, List<List<String>> header, List<List<String>> body) {
        int n = align.size();
        int[] width = new int[n];
        List<List<String>> all = new ArrayList<>(header);
        all.addAll(body);
        for (List<String> row : all) {
            for (int c = 0; c < n; c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (List<String> row : header) {
            line(b, style, align, width, row);
        }
        if (style == Style.RULED) {
            for (int c = 0; c < n; c++) {
                b.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
            }
            b.append('\n');
        }
        for (List<String> row : body) {
            line(b, style, align, width, row);
        }
        return b.toString();
    }

    private static void line(
            StringBuilder b, Style style, List<Align> align, int[] width, List<String> row) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            if (c > 0) {
                l.append(style == Style.RULED ? " | " : "  ");
            }
            String cell = row.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            boolean last = c == width.length - 1;
            if (align.get(c) == Align.RIGHT) {
                l.append(pad).append(cell);
            } else {
                // A plain table's last column is not padded: lines end where their text ends.
                l.append(cell).append(last && style == Style.PLAIN ? "" : pad);
            }
        }
        b.append(style == Style.PLAIN ? l.toString().stripTrailing() : l).append('\n');
    }
}
