package dev.tarn.lake.table;

import java.util.List;

/** What a vacuum deleted (or, in a dry run, would delete): paths relative to the table root. */
public record VacuumResult(List<String> deletedFiles, long deletedBytes, boolean dryRun) {
    public VacuumResult {
        deletedFiles = List.copyOf(deletedFiles);
    }
}
