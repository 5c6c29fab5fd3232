package dev.tarn.lake.table;

import java.util.Collection;

/**
 * Compaction and other rearrangements: removes live files and adds files that hold exactly the same
 * rows, with {@code dataChange=false} so that streaming readers skip the version. Conflicts with a
 * concurrent commit that removed any of the files it replaces.
 */
public interface RewriteFiles
        extends TableChange<RewriteFiles, CommitResult>, AddsFiles<RewriteFiles> {
    /** A live file to replace, by path relative to the table root. */
    RewriteFiles removeFile(String path);

    default RewriteFiles removeFiles(Collection<String> paths) {
        paths.forEach(this::removeFile);
        return this;
    }
}
