package dev.tarn.lake.pipeline.internal;

import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.format.ErrorBudget;
import dev.tarn.lake.pipeline.sink.SinkSpec;
import dev.tarn.lake.table.Convert;
import dev.tarn.lake.types.SchemaPolicy;
import java.util.List;

/** One step of a pipeline file, as parsed (before the lake is asked anything). */
public sealed interface StepSpec {
    String name();

    /** The line of the step's entry in the file. */
    int line();

    /** Steps named in {@code after:}, run before this one whatever it reads. */
    List<String> after();

    /** The step's {@code expect:} rules as plain values, or empty. */
    List<Object> expect();

    /** What the step writes in the lake, or null (a sink writes outside it). */
    default DatasetId output() {
        if (this instanceof ConvertStep c) {
            return c.to();
        }
        return this instanceof SqlStep q ? q.to() : null;
    }

    /** The kind's name as the file spells it. */
    default String kind() {
        if (this instanceof ConvertStep) {
            return "convert";
        }
        return this instanceof SqlStep ? "sql" : "sink";
    }

    /** A {@code convert} step: a raw dataset into a table. */
    record ConvertStep(
            String name,
            int line,
            List<String> after,
            List<Object> expect,
            DatasetId from,
            DatasetId to,
            List<String> partitionBy,
            Convert.Mode mode,
            SchemaPolicy policy,
            List<String> jsonPath,
            ErrorBudget errorBudget,
            Integer maxColumns)
            implements StepSpec {}

    /** A {@code sql} step: a query over tables into a table. */
    record SqlStep(
            String name,
            int line,
            List<String> after,
            List<Object> expect,
            DatasetId to,
            boolean append,
            String query,
            int queryLine)
            implements StepSpec {}

    /** A {@code sink} step: a table's new versions out of the lake. */
    record SinkStep(
            String name,
            int line,
            List<String> after,
            List<Object> expect,
            DatasetId from,
            SinkSpec spec,
            int specLine)
            implements StepSpec {}
}
