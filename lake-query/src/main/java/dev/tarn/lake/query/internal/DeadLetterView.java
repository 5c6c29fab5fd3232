package dev.tarn.lake.query.internal;

import static dev.tarn.lake.query.internal.DuckEngine.quote;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.lake.event.DeadLetter;
import dev.tarn.lake.spi.DeadLetters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * {@code tarn.dead_letters}: the subscriptions' dead letters, one row each. It is read again from
 * the store for every statement that names it (dead letters come and go without a catalog commit,
 * and there are few), through a file in the spill directory, which DuckDB loads in one statement
 * whatever the letters' text holds. Only a principal with ADMIN on the lake may read it (SqlSession
 * checks), so the engine, shared by every principal, may keep the rows of the last read.
 */
final class DeadLetterView {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Column name → DuckDB type, in the view's order. */
    private static final String[][] COLUMNS = {
        {"subscription", "VARCHAR"},
        {"position", "VARCHAR"},
        {"source", "VARCHAR"},
        {"version", "BIGINT"},
        {"operation", "VARCHAR"},
        {"attempts", "INTEGER"},
        {"error", "VARCHAR"},
        {"error_class", "VARCHAR"},
        {"stack_head", "VARCHAR"},
        {"failed_at", "TIMESTAMPTZ"},
        {"event", "JSON"}
    };

    private DeadLetterView() {}

    static void replace(Connection c, Path staging, List<DeadLetter> letters) throws SQLException {
        StringBuilder select = new StringBuilder("SELECT ");
        StringBuilder columns = new StringBuilder("{");
        for (int i = 0; i < COLUMNS.length; i++) {
            String name = COLUMNS[i][0];
            String type = COLUMNS[i][1];
            String read = type.equals("BIGINT") || type.equals("INTEGER") ? type : "VARCHAR";
            select.append(i == 0 ? "" : ", ")
                    .append(name)
                    .append("::")
                    .append(type)
                    .append(" AS ")
                    .append(name);
            columns.append(i == 0 ? "" : ", ").append(name).append(": ").append(quote(read));
        }
        columns.append('}');
        try (Statement s = c.createStatement()) {
            if (letters.isEmpty()) {
                s.execute(
                        "CREATE OR REPLACE TABLE tarn.dead_letters AS "
                                + select
                                + " FROM (SELECT "
                                + "NULL, ".repeat(COLUMNS.length - 1)
                                + "NULL) t("
                                + String.join(", ", names())
                                + ") WHERE false");
                return;
            }
            Path file = staging.resolve("dead-letters-" + UUID.randomUUID() + ".ndjson");
            try {
                write(file, letters);
                s.execute(
                        "CREATE OR REPLACE TABLE tarn.dead_letters AS "
                                + select
                                + " FROM read_json("
                                + quote(file.toString())
                                + ", format = 'newline_delimited', columns = "
                                + columns
                                + ")");
            } finally {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // in the spill directory, removed with it
                }
            }
        }
    }

    private static List<String> names() {
        return java.util.Arrays.stream(COLUMNS).map(col -> col[0]).toList();
    }

    private static void write(Path file, List<DeadLetter> letters) {
        try (Writer w = Files.newBufferedWriter(file)) {
            for (DeadLetter d : letters) {
                ObjectNode n = JSON.createObjectNode();
                n.put("subscription", d.subscription());
                n.put("position", d.position());
                n.put("source", d.event().source());
                n.put("version", d.event().version());
                n.put("operation", d.event().operation());
                n.put("attempts", d.attempts());
                n.put("error", d.error());
                n.put("error_class", d.errorClass());
                n.put("stack_head", d.stackHead());
                n.put("failed_at", d.failedAt().toString());
                n.put("event", DeadLetters.eventJson(d.event()));
                w.write(JSON.writeValueAsString(n));
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the dead letters for SQL", e);
        }
    }
}
