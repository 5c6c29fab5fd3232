package dev.tarn.lake.query.internal;

import java.nio.file.Path;

/**
 * Where DuckDB finds the bytes of a lake object: the file itself for a local lake, a cached copy
 * for a lake in an object store. Views are built from these paths.
 */
interface LocalFiles {
    /** A local file holding the object's bytes (fetched first if need be). */
    Path fileOf(String key);

    /** The directory under which every such file lies: DuckDB may read there and nowhere else. */
    Path root();

    /**
     * SQL that turns a {@link #fileOf} path held in column {@code column} back into the object key.
     */
    default String keyExpression(String column) {
        // Both kinds lay files out as the keys are: ROOT/zone/dataset/path
        return "substr(" + column + ", " + ((root() + "/").length() + 1) + ")";
    }

    /** A local lake: the store's own files. */
    static LocalFiles of(dev.tarn.lake.spi.LocalStore store) {
        return new LocalFiles() {
            @Override
            public Path fileOf(String key) {
                return store.pathOf(key);
            }

            @Override
            public Path root() {
                return store.root();
            }
        };
    }
}
