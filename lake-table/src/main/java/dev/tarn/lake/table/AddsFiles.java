package dev.tarn.lake.table;

import java.util.Collection;

/**
 * An operation that adds data files, written beforehand under the table's directory.
 *
 * @param <S> the operation's own type, returned for chaining
 */
public interface AddsFiles<S extends AddsFiles<S>> {
    /** A data file, by its path relative to the table root; it must exist. */
    S addFile(DataFile file);

    @SuppressWarnings("unchecked")
    default S addFiles(Collection<DataFile> files) {
        files.forEach(this::addFile);
        return (S) this;
    }
}
