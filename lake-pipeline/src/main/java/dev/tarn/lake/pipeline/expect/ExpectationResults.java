package dev.tarn.lake.pipeline.expect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.spi.LakeInternals;
import dev.tarn.lake.storage.WriteMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Each run's expectation results, kept in the lake: one NDJSON object per step and run, {@code
 * _tarn/pipelines/<pipeline>/expectations/<step>/<run, 20 digits>.ndjson}, one line per expectation
 * with the columns SQL shows as {@code tarn.expectations}: {@code pipeline, step, run, rule,
 * action, violations, verdict, checked_at}, then {@code kind, output, rows, detail}. Recording a
 * run again replaces its record (a resumed run records what it found last).
 */
public final class ExpectationResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the records lie, under which SQL finds them. */
    public static final String PREFIX = "_tarn/pipelines/";

    private ExpectationResults() {}

    /**
     * Records a run of a step that writes {@code output}; needs WRITE on it. Returns the record's
     * key.
     */
    public static String record(
            Lake lake,
            String pipeline,
            String step,
            long run,
            DatasetId output,
            ExpectationReport report) {
        LakeInternals internals = LakeInternals.of(lake);
        if (output == null) {
            internals.authorize(Privilege.ADMIN, "lake");
        } else {
            internals.authorize(Privilege.WRITE, output.toString());
        }
        String key = key(pipeline, step, run);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (RuleResult r : report.results()) {
                ObjectNode o = JSON.createObjectNode();
                o.put("pipeline", pipeline);
                o.put("step", step);
                o.put("run", run);
                o.put("rule", r.expectation().name());
                o.put("action", r.expectation().action().id());
                o.put("violations", r.violations());
                o.put("verdict", r.verdict().id());
                o.put("checked_at", report.checkedAt().toString());
                o.put("kind", r.expectation().rule().kind());
                o.put("output", output == null ? null : output.toString());
                o.put("rows", report.rows());
                o.put("detail", r.detail());
                out.write(JSON.writeValueAsBytes(o));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the expectation results of " + key, e);
        }
        internals.store().put(key, out.toByteArray(), WriteMode.OVERWRITE);
        return key;
    }

    /**
     * Records a run without an output dataset (a step that writes none); needs ADMIN on the lake.
     */
    public static String record(
            Lake lake, String pipeline, String step, long run, ExpectationReport report) {
        return record(lake, pipeline, step, run, null, report);
    }

    /** The key of a run's record; the names are checked as the lake's names are. */
    public static String key(String pipeline, String step, long run) {
        if (run < 0) {
            throw new IllegalArgumentException("a run number is 0 or more, not " + run);
        }
        return PREFIX
                + Names.check("pipeline", pipeline)
                + "/expectations/"
                + Names.check("step", step)
                + "/"
                + String.format(java.util.Locale.ROOT, "%020d", run)
                + ".ndjson";
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
