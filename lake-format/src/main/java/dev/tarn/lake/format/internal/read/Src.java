package dev.tarn.lake.format.internal.read;

import dev.tarn.lake.format.CsvOptions;
import dev.tarn.lake.format.Input;
import dev.tarn.lake.format.InputFormat;
import dev.tarn.lake.format.internal.infer.TypeAcc;
import dev.tarn.lake.types.DataType;

/**
 * One input as resolved for a conversion: detected format and layout, CSV dialect and header,
 * inferred type.
 */
public final class Src {
    public static final int LINES = 0, ARRAY = 1, CONCAT = 2, PATH = 3;

    public final Input input;
    final int index;
    public InputFormat format;
    public int layout;
    public CsvOptions csv;
    public String[] header;

    /** Decompressed offset where data records start (after a CSV header). */
    public long dataStart;

    /** Line number of the first data line. */
    public long dataStartLine = 1;

    /** Bytes skipped at the start (a BOM), added to reported offsets. */
    public int bom;

    public String[] jsonPath;
    public DataType avroType;
    public TypeAcc acc;
    public long sampledRecords;
    public boolean exhausted;

    /** Records seen by inference, and whether it stopped at the sample limit before the end. */
    public final java.util.concurrent.atomic.AtomicLong inferred =
            new java.util.concurrent.atomic.AtomicLong();

    public volatile boolean truncated;

    /** CSV column index to schema field index (-1: not in the schema). */
    public int[] colToField;

    /**
     * Columns (dotted paths, spelled as in the schema) whose type in this input the schema could
     * not take, with why: a record whose value there does not fit is quarantined with that reason
     * added.
     */
    public java.util.Map<String, String> conflicts = java.util.Map.of();

    public Src(Input input, int index) {
        this.input = input;
        this.index = index;
    }

    public String name() {
        return input.name();
    }
}
