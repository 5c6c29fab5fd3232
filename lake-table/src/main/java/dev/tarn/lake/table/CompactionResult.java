package dev.tarn.lake.table;

import java.util.List;

/**
 * What a compaction did: the files it replaced and those it wrote (paths relative to the table
 * root), and the commit, or null when there was nothing to compact.
 */
public record CompactionResult(
        List<String> removedFiles, List<String> addedFiles, CommitResult commit) {
    public CompactionResult {
        removedFiles = List.copyOf(removedFiles);
        addedFiles = List.copyOf(addedFiles);
    }

    public boolean committed() {
        return commit != null;
    }
}
