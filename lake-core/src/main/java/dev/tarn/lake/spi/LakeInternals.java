package dev.tarn.lake.spi;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.event.LakeEvent;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.storage.ObjectStore;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What Tarn's own modules (tables, SQL, the S3 store, the test support) need from a lake beyond its
 * user operations: the store without the access policy in front of it, the clock, the acting
 * principal and a way to ask the policy about it, dataset registration, and commit events. {@link
 * Lake} exposes none of this; a module gets it with {@link #of(Lake)}.
 *
 * <p>Who may ask: {@link #of(Lake)} hands the internals only to code in packages under {@code
 * dev.tarn.lake.} (Tarn's modules; it looks at its caller with a {@link StackWalker}). This keeps
 * applications on the public, authorized API; it is a seam, not a sandbox: code that can put
 * classes into Tarn's packages or use reflection can get past it.
 *
 * <p>Which lakes: any {@link Lake} implementation that also implements {@link Provider}, so a
 * decorated lake (one wrapping another) keeps working with tables and SQL by passing the request on
 * to the lake it wraps.
 */
public interface LakeInternals {

    /**
     * The internals of {@code lake}, for Tarn's modules only.
     *
     * @throws IllegalCallerException if the caller is not a class of a {@code dev.tarn.lake.}
     *     package
     * @throws IllegalArgumentException if the lake implementation does not provide internals
     */
    static LakeInternals of(Lake lake) {
        Objects.requireNonNull(lake, "lake");
        Class<?> caller =
                StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        if (!caller.getName().startsWith("dev.tarn.lake.")) {
            throw new IllegalCallerException(
                    "a lake's internals are for Tarn's modules, not "
                            + caller.getName()
                            + "; use the Lake API");
        }
        if (!(lake instanceof Provider p)) {
            throw new IllegalArgumentException(
                    "this lake ("
                            + lake.getClass().getName()
                            + ") provides no internals"
                            + " for tables and SQL; open it with Lake.open or Lake.builder(), or implement"
                            + " LakeInternals.Provider");
        }
        return Objects.requireNonNull(p.internals(new Key()), "provider returned no internals");
    }

    /**
     * Implemented by a {@link Lake} that provides internals. The {@link Key} argument can only be
     * made by {@link LakeInternals#of}, so calling this directly (past the caller check) fails on
     * the null key.
     */
    interface Provider {
        /**
         * This lake's internals; {@code key} proves the request came through {@link
         * LakeInternals#of}.
         */
        LakeInternals internals(Key key);
    }

    /**
     * Made only by {@link LakeInternals#of}; a decorated lake passes it on to the lake it wraps.
     */
    final class Key {
        private Key() {}

        /** Throws unless {@code key} is a real key (a provider calls this first). */
        public static Key check(Key key) {
            return Objects.requireNonNull(key, "internals are obtained through LakeInternals.of");
        }
    }

    /**
     * The lake's store, not restricted by the access policy: callers authorize first ({@link
     * #authorize}). The same instance for every handle of one opened lake, so it may key per-lake
     * caches.
     */
    ObjectStore store();

    /** The store as local files, if the lake lives in a local directory. */
    default Optional<LocalStore> localStore() {
        return store() instanceof LocalStore l ? Optional.of(l) : Optional.empty();
    }

    /** The lake's clock: what commits record as their time. */
    Clock clock();

    /** Who the handle acts as. */
    Principal principal();

    /**
     * Throws the lake's access-denied exception unless the policy lets this handle's principal do
     * {@code privilege} on {@code resource} ({@code "lake"}, a zone, or a dataset {@code
     * zone/name}).
     */
    void authorize(Privilege privilege, String resource);

    /**
     * A handle of the same lake that the access policy does not restrict, for a component shared by
     * every principal (the SQL engine's views, a module's part of doctor and purge): it checks each
     * caller's access itself.
     */
    Lake trusted();

    /**
     * Makes sure a dataset of this kind exists in the lake's catalog, creating it if needed (needs
     * WRITE on it). For modules that own a dataset kind's files and keep a log of their own
     * (tables).
     */
    void ensureDataset(DatasetId id, DatasetKind kind);

    /** Tells the lake's commit listeners about a commit a module made to its own log. */
    void publish(LakeEvent event);
}
