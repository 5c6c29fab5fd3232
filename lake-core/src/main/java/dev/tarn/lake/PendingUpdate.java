package dev.tarn.lake;

/**
 * A {@link LakeOperation} whose preview has the same type as its result: {@link #apply()} returns
 * what {@link #commit()} would return, marked as not done where the result type can say so (a dry
 * run, version -1, no commit attempts).
 *
 * @param <R> the result of {@link #commit()} and of {@link #apply()}
 */
public interface PendingUpdate<R> extends LakeOperation<R, R> {}
