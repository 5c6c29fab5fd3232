package dev.tarn.lake.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.testing.TarnExtension;
import dev.tarn.lake.testing.TempLake;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pipeline files checked before anything runs: the issue's shape is accepted as it is, and each
 * kind of mistake is an error naming its line and step, with the lake left untouched.
 */
@ExtendWith(TarnExtension.class)
class PipelineValidationTest {
    static final String SHOP =
            """
            steps:
              - name: clicks
                convert: {from: raw/clicks, to: processed/clicks, partition_by: [event_type]}
              - name: revenue
                sql: {to: analytics/revenue, mode: replace,
                      query: "SELECT category, sum(price * quantity) AS revenue FROM processed.clicks GROUP BY category"}
              - name: revenue_db
                sink: {from: analytics/revenue, jdbc: "jdbc:sqlite:shop.db", table: revenue, mode: upsert, key: [category]}
            """;

    @TempLake Lake lake;
    @TempDir Path dir;

    @BeforeEach
    void rawClicks() {
        lake.ingest("raw/clicks")
                .bytes(
                        "{\"event_type\":\"view\",\"category\":\"books\",\"price\":2.5,\"quantity\":2}\n"
                                .getBytes(StandardCharsets.UTF_8),
                        "a.ndjson")
                .commit();
    }

    Pipeline load(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return Pipelines.load(lake, f);
    }

    @Test
    void theIssuesShapeIsAcceptedInDependencyOrder() throws Exception {
        Pipeline p = load("shop.yaml", SHOP);
        assertEquals("shop", p.name());
        assertEquals(List.of(), p.problems());
        assertEquals(List.of("clicks", "revenue", "revenue_db"), p.validate());
    }

    @Test
    void stepsRunInDependencyOrderWhateverTheFileOrder() throws Exception {
        Pipeline p =
                load(
                        "rev.yaml",
                        """
                        name: reversed
                        steps:
                          - name: db
                            sink: {from: analytics/revenue, jdbc: "jdbc:sqlite:x.db", table: r}
                          - name: revenue
                            sql: {to: analytics/revenue, query: "SELECT category FROM processed.clicks"}
                          - name: clicks
                            convert: {from: raw/clicks, to: processed/clicks}
                          - name: audit
                            after: db
                            sql: {to: analytics/audit, query: "SELECT count(*) AS n FROM raw.clicks"}
                        """);
        assertEquals("reversed", p.name());
        assertEquals(List.of("clicks", "revenue", "db", "audit"), p.validate());
    }

    @Test
    void jsonFilesToo() throws Exception {
        Pipeline p =
                load(
                        "j.json",
                        """
                        {"steps": [
                          {"name": "clicks", "convert": {"from": "raw/clicks", "to": "processed/clicks"}},
                          {"name": "n", "sql": {"to": "analytics/n", "query": "SELECT count(*) AS n FROM processed.clicks"}}
                        ]}
                        """);
        assertEquals(List.of("clicks", "n"), p.validate());
    }

    /** Each bad file: the problem's line, its step, and words of the message. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            unknown step key  | 3 | step 'a' | unknown key 'conver'
            unknown convert key | 2 | step 'a' | unknown key 'partiton_by'
            two kinds | 1 | step 'a' | names 2 kinds (convert, sql)
            no kind | 1 | step 'a' | names no kind
            duplicate names | 3 | step 'a' | already at line 2
            cycle | 3 | step 'b' | is on a cycle: b -> a -> b
            missing input | 2 | step 'a' | raw.nothing, which is neither in the lake nor written by a step
            missing convert source | 1 | step 'a' | raw/nothing, which is neither in the lake
            bad sql syntax | 2 | step 'a' | syntax error
            bad column | 2 | step 'a' | nosuchcolumn
            bad dataset name | 2 | step 'a' | is not a dataset ZONE/NAME
            bad step name | 1 | step 'Bad Step' | the name is not valid
            unknown top key | 3 | | unknown key 'stepz'
            sql mode | 2 | step 'a' | sql mode 'merge' is not one of replace, append
            upsert without key | 2 | step 'a' | mode upsert needs key
            unset env var | 2 | step 'a' | names ${TARN_TEST_UNSET_VAR}, which is not set
            after unknown | 1 | step 'a' | after: names no step 'zzz'
            append over raw | 2 | step 'a' | is not a table
            two writers | 3 | step 'b' | which step 'a' (line 2) writes too
            not yaml | 2 | | not valid YAML
            sink of raw | 2 | step 'a' | is not a table; a sink sends a table
            writes into raw | 1 | step 'a' | which is a raw dataset, not a table
            bad expect rule | 1 | step 'a' | expect[0]: unknown key 'nonsense'
            """)
    void badFilesNameTheLineAndStep(String file, int line, String step, String words)
            throws Exception {
        String text = BAD.get(file);
        assertNotNull(text, file);
        Pipeline p = load("bad.yaml", "steps:\n" + text);
        TarnException e = assertThrows(TarnException.class, p::validate);
        assertEquals(ErrorCode.INVALID_CONFIGURATION, e.errorCode());
        // lines in the table count from the first step line; the file has "steps:" above
        String where = "line " + (line + 1) + ": " + (step == null ? "" : step);
        assertTrue(
                e.getMessage().contains(where) && e.getMessage().contains(words),
                () -> "expected '" + where + "' and '" + words + "' in: " + e.getMessage());
        assertThrows(TarnException.class, p::runOnce);
        assertFalse(lake.catalog().dataset("processed/clicks").isPresent(), "nothing ran");
    }

    static final java.util.Map<String, String> BAD =
            java.util.Map.ofEntries(
                    java.util.Map.entry(
                            "unknown step key",
                            "  - name: a\n    convert: {from: raw/clicks, to: processed/clicks}\n    conver: {}\n"),
                    java.util.Map.entry(
                            "unknown convert key",
                            "  - name: a\n    convert: {from: raw/clicks, to: processed/clicks, partiton_by: [x]}\n"),
                    java.util.Map.entry(
                            "two kinds",
                            "  - name: a\n    convert: {from: raw/clicks, to: processed/clicks}\n    sql: {to: analytics/x, query: 'SELECT 1'}\n"),
                    java.util.Map.entry("no kind", "  - name: a\n    after: []\n"),
                    java.util.Map.entry(
                            "duplicate names",
                            "  - name: a\n    convert: {from: raw/clicks, to: processed/clicks}\n  - name: a\n    convert: {from: raw/clicks, to: processed/other}\n"),
                    java.util.Map.entry(
                            "cycle",
                            "  - name: a\n    sql: {to: analytics/x, query: 'SELECT * FROM analytics.y'}\n  - name: b\n    sql: {to: analytics/y, query: 'SELECT * FROM analytics.x'}\n"),
                    java.util.Map.entry(
                            "missing input",
                            "  - name: a\n    sql: {to: analytics/x, query: 'SELECT * FROM raw.nothing'}\n"),
                    java.util.Map.entry(
                            "missing convert source",
                            "  - name: a\n    convert: {from: raw/nothing, to: processed/clicks}\n"),
                    java.util.Map.entry(
                            "bad sql syntax",
                            "  - name: a\n    sql: {to: analytics/x, query: 'SELEC category FROM raw.clicks'}\n"),
                    java.util.Map.entry(
                            "bad column",
                            "  - name: a\n    sql: {to: analytics/x, query: 'SELECT nosuchcolumn FROM raw.clicks'}\n"),
                    java.util.Map.entry(
                            "bad dataset name",
                            "  - name: a\n    convert: {from: raw/clicks, to: 'processed/Bad Name'}\n"),
                    java.util.Map.entry(
                            "bad step name",
                            "  - name: 'Bad Step'\n    convert: {from: raw/clicks, to: processed/clicks}\n"),
                    java.util.Map.entry(
                            "unknown top key",
                            "  - name: a\n    convert: {from: raw/clicks, to: processed/clicks}\nstepz: []\n"),
                    java.util.Map.entry(
                            "sql mode",
                            "  - name: a\n    sql: {to: analytics/x, mode: merge, query: 'SELECT 1 AS a FROM raw.clicks'}\n"),
                    java.util.Map.entry(
                            "upsert without key",
                            "  - name: a\n    sink: {from: raw/clicks, jdbc: 'jdbc:sqlite:x.db', table: t, mode: upsert}\n"),
                    java.util.Map.entry(
                            "unset env var",
                            "  - name: a\n    sink: {from: processed/clicks, jdbc: 'jdbc:postgresql://localhost/db', table: t, password: '${TARN_TEST_UNSET_VAR}'}\n"),
                    java.util.Map.entry(
                            "after unknown",
                            "  - name: a\n    after: [zzz]\n    convert: {from: raw/clicks, to: processed/clicks}\n"),
                    java.util.Map.entry(
                            "append over raw",
                            "  - name: a\n    sql: {to: analytics/x, mode: append, query: 'SELECT * FROM raw.clicks'}\n"),
                    java.util.Map.entry(
                            "two writers",
                            "  - name: a\n    convert: {from: raw/clicks, to: processed/clicks}\n  - name: b\n    sql: {to: processed/clicks, query: 'SELECT 1 AS a FROM raw.clicks'}\n"),
                    java.util.Map.entry("not yaml", "  - name: a\n  convert: [x\n"),
                    java.util.Map.entry(
                            "sink of raw",
                            "  - name: a\n    sink: {from: raw/clicks, jdbc: 'jdbc:sqlite:x.db', table: t}\n"),
                    java.util.Map.entry(
                            "bad expect rule",
                            "  - name: a\n    convert: {from: raw/clicks, to: processed/clicks}\n    expect: [{nonsense: price}]\n"),
                    java.util.Map.entry(
                            "writes into raw",
                            "  - name: a\n    convert: {from: raw/clicks, to: raw/clicks}\n"));

    @Test
    void everyProblemIsListedAtOnce() throws Exception {
        Pipeline p =
                load(
                        "many.yaml",
                        """
                        steps:
                          - name: a
                            convert: {from: raw/clicks, to: processed/clicks, bogus: 1}
                          - name: b
                            sql: {to: analytics/x, query: "SELECT * FROM raw.missing"}
                        """);
        List<String> problems = p.problems();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("line 3: step 'a': unknown key 'bogus'"));
        assertTrue(problems.get(1).startsWith("line 5: step 'b': the query reads raw.missing"));
        TarnException e = assertThrows(TarnException.class, p::validate);
        assertTrue(e.getMessage().startsWith("many.yaml: 2 problems: line 3"), e.getMessage());
    }

    @Test
    void aMissingFileIsNotFound() {
        TarnException e =
                assertThrows(
                        TarnException.class, () -> Pipelines.load(lake, dir.resolve("none.yaml")));
        assertEquals(ErrorCode.NOT_FOUND, e.errorCode());
    }
}
