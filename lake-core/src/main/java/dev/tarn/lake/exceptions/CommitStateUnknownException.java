package dev.tarn.lake.exceptions;

/**
 * A commit's write failed after it was sent (an I/O error or a timeout), and reading the log back could not tell
 * whether it landed. The change may be in the lake or not: retrying could apply it twice, so nothing retries it
 * automatically. The message names the log entry; {@code lake doctor} (or reading the dataset or table) tells.
 *
 * <p>Not a {@link CommitConflictException}: a conflict means nothing was written and a retry is safe.
 */
public class CommitStateUnknownException extends TarnException {
    private final String entry;

    /**
     * @param what the log, e.g. {@code "the catalog log"} or {@code "the Delta log of processed/events"}
     * @param version the version the commit was to create
     * @param entry the key of the log entry the commit wrote
     */
    public CommitStateUnknownException(String what, long version, String entry, Throwable cause) {
        super(ErrorCode.COMMIT_STATE_UNKNOWN, "commit state unknown: writing version " + version + " of " + what
                + " (" + entry + ") failed and reading it back could not tell whether it landed ("
                + (cause == null ? "no detail" : cause.getMessage()) + ")", "; run 'lake doctor' to see the lake's"
                + " state, or read it, before trying again", cause);
        this.entry = entry;
    }

    /** The key of the log entry whose fate is unknown. */
    public String entry() {
        return entry;
    }
}
