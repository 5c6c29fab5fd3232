package dev.tarn.lake.format.internal;

import dev.tarn.lake.format.CsvOptions;
import dev.tarn.lake.format.Input;
import dev.tarn.lake.format.InputFormat;
import dev.tarn.lake.types.DataType;

/** One input as resolved for a conversion: detected format and layout, CSV dialect and header, inferred type. */
final class Src {
    static final int LINES = 0, ARRAY = 1, CONCAT = 2, PATH = 3;

    final Input input;
    final int index;
    InputFormat format;
    int layout;
    CsvOptions csv;
    String[] header;
    /** Decompressed offset where data records start (after a CSV header). */
    long dataStart;
    /** Line number of the first data line. */
    long dataStartLine = 1;
    /** Bytes skipped at the start (a BOM), added to reported offsets. */
    int bom;
    String[] jsonPath;
    DataType avroType;
    TypeAcc acc;
    long sampledRecords;
    boolean exhausted;
    /** Records seen by inference, and whether it stopped at the sample limit before the end. */
    final java.util.concurrent.atomic.AtomicLong inferred = new java.util.concurrent.atomic.AtomicLong();
    volatile boolean truncated;
    /** CSV column index to schema field index (-1: not in the schema). */
    int[] colToField;
    /**
     * Columns (dotted paths, spelled as in the schema) whose type in this input the schema could not take, with why:
     * a record whose value there does not fit is quarantined with that reason added.
     */
    java.util.Map<String, String> conflicts = java.util.Map.of();

    Src(Input input, int index) {
        this.input = input;
        this.index = index;
    }

    String name() {
        return input.name();
    }
}
