package dev.tarn.lake.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one text-table renderer: the CLI's listings (plain) and query results (ruled). */
class TextTableTest {
    private static final List<TextTable.Align> LEFT_RIGHT_LEFT =
            List.of(TextTable.Align.LEFT, TextTable.Align.RIGHT, TextTable.Align.LEFT);

    @Test
    void plainTablesAlignAndEndLinesWhereTheirTextEnds() {
        String t =
                TextTable.render(
                        TextTable.Style.PLAIN,
                        LEFT_RIGHT_LEFT,
                        List.of(List.of("PATH", "SIZE", "FORMAT")),
                        List.of(
                                List.of("a.csv", "1.0 KiB", ""),
                                List.of("longer-name.json", "12 B", "json")));
        assertEquals(
                """
                PATH                 SIZE  FORMAT
                a.csv             1.0 KiB
                longer-name.json     12 B  json
                """,
                t);
    }

    @Test
    void ruledTablesPadEveryCellAndRuleTheHeader() {
        String t =
                TextTable.render(
                        TextTable.Style.RULED,
                        List.of(TextTable.Align.LEFT, TextTable.Align.LEFT),
                        List.of(List.of("id", "name"), List.of("BIGINT", "VARCHAR")),
                        List.of(List.of("1", "x")));
        assertEquals(
                """
                id     | name  \s
                BIGINT | VARCHAR
                -------+--------
                1      | x     \s
                """,
                t);
    }

    @Test
    void queryResultsRenderThroughIt() {
        QueryResult r =
                new QueryResult(
                        List.of(new QueryResult.Column("n", "INTEGER")),
                        List.of(List.of(1), List.of(22)));
        assertEquals(
                """
                n     \s
                INTEGER
                -------
                1     \s
                22    \s
                (2 rows)""",
                r.toString());
    }
}
