package dev.tarn.lake;

/**
 * A change to the catalog that records why it was made.
 *
 * @param <S> the operation's own type, returned by the configuring methods
 * @param <R> its result
 */
public interface ReasonedUpdate<S extends ReasonedUpdate<S, R>, R> extends PendingUpdate<R> {
    /** Why, recorded in the commit (at most 1,000 characters; blank is refused). */
    S reason(String reason);
}
