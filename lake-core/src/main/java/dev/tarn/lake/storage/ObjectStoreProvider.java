package dev.tarn.lake.storage;

import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * Opens object stores for lake locations with a URI scheme ({@code s3://bucket/prefix}).
 * Implementations live in their own modules (so that a local lake needs none of their dependencies)
 * and are found with {@link java.util.ServiceLoader}: list the class in {@code
 * META-INF/services/dev.tarn.lake.storage.ObjectStoreProvider}.
 */
public interface ObjectStoreProvider {
    /** The URI schemes this provider opens, e.g. {@code s3}. */
    Set<String> schemes();

    /**
     * Opens the store at {@code location}.
     *
     * @param options store options given to the lake builder ({@code region}, {@code endpoint}...);
     *     a provider rejects options it does not know with a message that lists those it does
     */
    ObjectStore open(URI location, Map<String, String> options);
}
