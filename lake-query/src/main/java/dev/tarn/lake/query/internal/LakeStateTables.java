package dev.tarn.lake.query.internal;

import dev.tarn.lake.spi.LakeInternals;
import dev.tarn.lake.storage.ObjectStat;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Tables of the lake's own state under {@code _tarn/} that SQL shows in schema {@code tarn}, made
 * afresh when a statement reads them (they change outside the catalog):
 *
 * <ul>
 *   <li>{@code tarn.expectations}, each pipeline run's expectation results, which lake-pipeline
 *       writes as NDJSON under {@code _tarn/pipelines/<pipeline>/expectations/<step>/<run>.ndjson};
 *       like {@code tarn.objects}, it needs READ on the lake, which every statement needs;
 *   <li>{@code tarn.dead_letters}, the subscriptions' dead letters ({@link DeadLetterView}); it
 *       needs ADMIN on the lake, as its rows name events of every dataset, with errors that may
 *       quote their data.
 * </ul>
 */
final class LakeStateTables {
    /** The names in schema {@code tarn} that are such tables. */
    static final Set<String> NAMES = Set.of("expectations", "dead_letters");

    private static final String EXPECTATIONS_PREFIX = "_tarn/pipelines/";
    private static final Pattern EXPECTATION_RECORD =
            Pattern.compile("_tarn/pipelines/[^/]+/expectations/[^/]+/\\d{20}\\.ndjson");

    /** The columns of tarn.expectations, in order, with their types. */
    private static final String COLUMNS =
            "pipeline: 'VARCHAR', step: 'VARCHAR', run: 'BIGINT', rule: 'VARCHAR', action: 'VARCHAR',"
                    + " violations: 'BIGINT', verdict: 'VARCHAR', checked_at: 'VARCHAR', kind: 'VARCHAR',"
                    + " output: 'VARCHAR', rows: 'BIGINT', detail: 'VARCHAR'";

    private static final String SELECT =
            "SELECT pipeline, step, run, rule, action, violations, verdict,"
                    + " checked_at::TIMESTAMPTZ AS checked_at, kind, output, rows, detail";

    /** What each engine's table was made from (the records' keys, sizes and times). */
    private static final Map<DuckEngine, String> MADE_FROM = new WeakHashMap<>();

    private LakeStateTables() {}

    /** Throws unless the handle may read {@code tarn.<name>}. */
    static void authorize(LakeInternals internals, String name) {
        if (name.equals("dead_letters")) {
            internals.authorize(dev.tarn.lake.security.Privilege.ADMIN, "lake");
        }
    }

    /** Makes {@code tarn.<name>} show the records as they are now. */
    static void refresh(DuckEngine engine, LakeInternals internals, String name) {
        if (name.equals("dead_letters")) {
            engine.syncDeadLetters(dev.tarn.lake.spi.DeadLetters.listAll(internals));
            return;
        }
        if (!name.equals("expectations")) {
            throw new IllegalArgumentException(name);
        }
        List<ObjectStat> records =
                internals.store().list(EXPECTATIONS_PREFIX).stream()
                        .filter(s -> EXPECTATION_RECORD.matcher(s.key()).matches())
                        .toList();
        String signature =
                records.stream()
                        .map(s -> s.key() + ":" + s.size() + ":" + s.lastModified().toEpochMilli())
                        .collect(Collectors.joining(","));
        synchronized (MADE_FROM) {
            if (signature.equals(MADE_FROM.get(engine))) {
                return;
            }
            String from;
            if (records.isEmpty()) {
                from =
                        " FROM (SELECT NULL::VARCHAR AS pipeline, NULL::VARCHAR AS step, NULL::BIGINT AS run,"
                                + " NULL::VARCHAR AS rule, NULL::VARCHAR AS action, NULL::BIGINT AS violations,"
                                + " NULL::VARCHAR AS verdict, NULL::VARCHAR AS checked_at, NULL::VARCHAR AS kind,"
                                + " NULL::VARCHAR AS output, NULL::BIGINT AS rows, NULL::VARCHAR AS detail) WHERE false";
            } else {
                from =
                        " FROM read_json("
                                + records.stream()
                                        .map(
                                                s ->
                                                        DuckEngine.quote(
                                                                engine.files()
                                                                        .fileOf(s.key())
                                                                        .toString()))
                                        .collect(Collectors.joining(", ", "[", "]"))
                                + ", format = 'newline_delimited', columns = {"
                                + COLUMNS
                                + "})";
            }
            try (Connection c = engine.connect();
                    Statement s = c.createStatement()) {
                s.execute(
                        "CREATE OR REPLACE TABLE tarn.expectations AS "
                                + SELECT
                                + from
                                + " ORDER BY pipeline, step, run, rule");
            } catch (SQLException e) {
                throw new dev.tarn.lake.exceptions.QueryException(
                        "cannot read the expectation results under "
                                + EXPECTATIONS_PREFIX
                                + ": "
                                + CatalogViews.firstLine(e.getMessage()),
                        e);
            }
            MADE_FROM.put(engine, signature);
        }
    }
}
