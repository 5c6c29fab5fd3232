package dev.tarn.lake.storage;

import dev.tarn.lake.internal.storage.LocalObjectStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A provider as a store module would write one: {@code dir://ROOT-PATH} opens a local store at
 * ROOT-PATH.
 */
public final class DirectoryStoreProvider implements ObjectStoreProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("dir");
    }

    @Override
    public ObjectStore open(URI location, Map<String, String> options) {
        for (String k : options.keySet()) {
            if (!k.equals("unused")) {
                throw new IllegalArgumentException(
                        "unknown option '" + k + "'; dir:// knows: unused");
            }
        }
        return new LocalObjectStore(Path.of(location.getPath()));
    }
}
