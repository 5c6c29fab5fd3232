package dev.tarn.lake.spi;

import dev.tarn.lake.internal.storage.LocalObjectStore;
import dev.tarn.lake.storage.ObjectStore;
import java.nio.file.Path;

/**
 * An object store whose objects are files of a local directory, laid out as their keys are ({@code
 * ROOT/zone/name/...}), so that an engine that reads files directly (DuckDB) needs no copy of them.
 */
public interface LocalStore extends ObjectStore {

    /** The store over {@code root}: what a lake opened on a local directory uses. */
    static LocalStore open(Path root) {
        return new LocalObjectStore(root);
    }

    /** The directory that holds every object. */
    Path root();

    /** The local file behind a key; the key is validated first ({@link Keys#check}). */
    Path pathOf(String key);
}
