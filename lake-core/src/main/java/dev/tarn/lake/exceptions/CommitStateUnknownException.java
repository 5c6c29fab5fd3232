package dev.tarn.lake.exceptions;

/**
 * A commit's write failed after it may have reached the store (an I/O error or a timeout), and
 * reading the log entry back failed too, so nobody can say whether the commit happened. Retrying
 * could apply it twice, so nothing retries it, and the files the commit would reference are kept.
 * The message names the entry; {@code lake doctor} (or reading the dataset or table once the store
 * answers) tells.
 *
 * <p>Not a {@link CommitConflictException}: a conflict means nothing was written and a retry is
 * safe.
 */
public class CommitStateUnknownException extends TarnException {
    private final long version;
    private final String entry;

    /**
     * @param version the version the commit was to create
     * @param entry the key of the log entry the commit wrote
     * @param cause the write's failure (the read-back's is suppressed in it)
     */
    public CommitStateUnknownException(long version, String entry, Throwable cause) {
        super(
                ErrorCode.COMMIT_STATE_UNKNOWN,
                "commit state unknown: writing version "
                        + version
                        + " ("
                        + entry
                        + ") failed and reading it back failed too, so whether the commit landed is unknown ("
                        + oneLine(cause)
                        + ")",
                "; its files are kept: run 'lake doctor' once the store answers, or read the"
                        + " dataset or table, before trying again",
                cause);
        this.version = version;
        this.entry = entry;
    }

    private static String oneLine(Throwable cause) {
        String m = cause == null || cause.getMessage() == null ? "no detail" : cause.getMessage();
        return m.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** The version whose commit may or may not have happened. */
    public long version() {
        return version;
    }

    /** The key of the log entry whose fate is unknown. */
    public String entry() {
        return entry;
    }
}
