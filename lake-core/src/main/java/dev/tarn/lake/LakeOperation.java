package dev.tarn.lake;

/**
 * The one shape of every change to a lake (after Iceberg's {@code PendingUpdate}): an operation is
 * configured by its own methods, may be previewed with {@link #apply()}, and is done by {@link
 * #commit()}.
 *
 * <pre>{@code
 * Remove remove = lake.remove("raw/clicks").object("bad.csv").reason("wrong export"); // configure
 * RemoveResult plan = remove.apply();                                                   // preview: nothing changes
 * RemoveResult done = remove.commit();                                                  // do it
 * }</pre>
 *
 * An operation is a mutable builder for one thread. {@code apply()} reads the lake as it is now and
 * neither writes nor deletes a byte; a {@code commit()} right after it, with nobody else writing in
 * between, does what it said.
 *
 * @param <P> what {@link #apply()} returns: the change as it would be committed
 * @param <R> what {@link #commit()} returns: the change as it was committed
 * @see PendingUpdate for operations whose preview and result are of the same type
 */
public interface LakeOperation<P, R> {
    /**
     * Plans the change against the lake as it is now and returns what {@link #commit()} would do,
     * changing nothing: no object, log entry or file is written or deleted. Fails as {@code
     * commit()} would (a missing object, a refused access, invalid settings).
     */
    P apply();

    /**
     * Does the change. If it throws, the lake is as it was (unless the exception says the outcome
     * is unknown).
     */
    R commit();
}
