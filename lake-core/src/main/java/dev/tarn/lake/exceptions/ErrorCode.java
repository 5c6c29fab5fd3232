package dev.tarn.lake.exceptions;

/**
 * The stable code of every failure Tarn reports, carried by each {@link TarnException} ({@link
 * TarnException#errorCode()}). Scripts and callers branch on the code, not on the message, whose
 * wording may change. Names are a contract: a code is added, never renamed or removed
 * (docs/errors.md lists them; a test holds the list).
 *
 * <p>Each code has a {@link Category} and the command line's exit code for it: 2 for a command that
 * is wrong as typed (usage, names, arguments), 1 for every other failure. This is the one table
 * that maps codes to exit codes.
 */
public enum ErrorCode {
    // user errors: the request cannot be done as asked
    /**
     * The command line is wrong as typed: unknown command or option, missing or malformed argument.
     */
    USAGE(Category.USER_ERROR, 2),
    /** An argument's value is malformed or out of range. */
    INVALID_ARGUMENT(Category.USER_ERROR, 2),
    /**
     * A zone, dataset, partition key or value, or another name that would reach a path or SQL was
     * refused.
     */
    INVALID_NAME(Category.USER_ERROR, 2),
    /**
     * A store location or store option is wrong or incomplete (unknown option, no region, no
     * credentials).
     */
    INVALID_CONFIGURATION(Category.USER_ERROR, 1),
    /**
     * The operation does not apply to what it names (e.g. raw ingest into a table, dropping a
     * dataset others read).
     */
    INVALID_OPERATION(Category.USER_ERROR, 1),
    /**
     * The input cannot be read or converted (malformed records, wrong charset, nothing to read).
     */
    INVALID_INPUT(Category.USER_ERROR, 1),
    /** More records were bad than the conversion's error budget allows. */
    ERROR_BUDGET_EXCEEDED(Category.USER_ERROR, 1),
    /** A query failed: bad SQL, an unknown dataset or column, a refused statement. */
    QUERY_FAILED(Category.USER_ERROR, 1),
    /** Data does not fit a table's schema. */
    SCHEMA_MISMATCH(Category.USER_ERROR, 1),

    // not found
    /** A zone, dataset or file that was asked for does not exist. */
    NOT_FOUND(Category.NOT_FOUND, 1),
    /** There is no lake at the location. */
    LAKE_NOT_FOUND(Category.NOT_FOUND, 1),
    /** The store or the dataset holds no object under that key or path. */
    OBJECT_NOT_FOUND(Category.NOT_FOUND, 1),
    /** There is no table by that name. */
    TABLE_NOT_FOUND(Category.NOT_FOUND, 1),

    // already exists
    /** A zone or dataset to be created exists already. */
    ALREADY_EXISTS(Category.ALREADY_EXISTS, 1),
    /** A put-if-absent lost: the key holds an object. */
    OBJECT_EXISTS(Category.ALREADY_EXISTS, 1),
    /** A table to be created exists already. */
    TABLE_EXISTS(Category.ALREADY_EXISTS, 1),

    // conflict
    /**
     * Concurrent commits kept winning or made the commit impossible; nothing was written, it may be
     * retried.
     */
    COMMIT_CONFLICT(Category.CONFLICT, 1),

    // permission
    /** The lake's access policy refused the operation; nothing was read or written. */
    PERMISSION_DENIED(Category.PERMISSION, 1),
    /** The object store refused the credentials or the access. */
    STORE_ACCESS_DENIED(Category.PERMISSION, 1),

    // damaged data
    /** The catalog log cannot be read to its end; {@code lake doctor} says what is damaged. */
    CATALOG_DAMAGED(Category.DAMAGED_DATA, 1),
    /**
     * A table's Delta log has lost or garbled a commit; {@code lake doctor} says what is damaged.
     */
    TABLE_LOG_BROKEN(Category.DAMAGED_DATA, 1),
    /** An object's stored bytes or its catalog record do not match what the catalog says. */
    OBJECT_DAMAGED(Category.DAMAGED_DATA, 1),

    // unsupported
    /** The lake holds something only a newer Tarn understands. */
    UNSUPPORTED_LAYOUT(Category.UNSUPPORTED, 1),
    /** A table needs a Delta protocol version or feature Tarn does not implement. */
    UNSUPPORTED_TABLE_FEATURE(Category.UNSUPPORTED, 1),
    /**
     * The operation is valid but not supported (yet) in this case, or by this filesystem or server.
     */
    UNSUPPORTED_OPERATION(Category.UNSUPPORTED, 1),

    // I/O and external systems
    /** Reading or writing the store or a file failed. */
    IO_ERROR(Category.EXTERNAL, 1),
    /**
     * The object store cannot be used as configured (no such bucket, wrong region, unreachable).
     */
    STORE_UNAVAILABLE(Category.EXTERNAL, 1),
    /** The embedded SQL engine could not be started or configured. */
    ENGINE_FAILED(Category.EXTERNAL, 1),
    /**
     * A commit's write failed in a way that leaves unknown whether it landed, and reading the log
     * back did not tell. Do not retry blindly: run {@code lake doctor}, or read the dataset or
     * table to see whether the change is there.
     */
    COMMIT_STATE_UNKNOWN(Category.EXTERNAL, 1),

    // internal
    /** A failure Tarn did not expect: a bug to report. */
    INTERNAL_ERROR(Category.INTERNAL, 1),

    // added for issue #14 (sinks)
    /**
     * A sink could not deliver a table's version to its target (a database over JDBC, an HTTP
     * endpoint); the target holds what it held before the send.
     */
    SINK_FAILED(Category.EXTERNAL, 1),
    // issue 14, EXPECT: data-quality constraints and expectations
    /**
     * A write broke a table's constraint (NOT NULL, a CHECK constraint, a column invariant): the
     * commit was refused and nothing became visible.
     */
    CONSTRAINT_VIOLATED(Category.USER_ERROR, 1),
    /**
     * A pipeline step's expectation with action {@code fail} was broken: the step committed
     * nothing.
     */
    EXPECTATION_FAILED(Category.USER_ERROR, 1);

    /** What kind of failure a code is, for callers that handle failures by kind. */
    public enum Category {
        USER_ERROR,
        NOT_FOUND,
        ALREADY_EXISTS,
        CONFLICT,
        PERMISSION,
        DAMAGED_DATA,
        UNSUPPORTED,
        EXTERNAL,
        INTERNAL
    }

    private final Category category;
    private final int exitCode;

    ErrorCode(Category category, int exitCode) {
        this.category = category;
        this.exitCode = exitCode;
    }

    public Category category() {
        return category;
    }

    /**
     * The exit code of the {@code lake} command line when a command fails with this code (1 or 2).
     */
    public int exitCode() {
        return exitCode;
    }
}
