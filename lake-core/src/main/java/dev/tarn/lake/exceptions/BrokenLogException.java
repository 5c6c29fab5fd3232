package dev.tarn.lake.exceptions;

import dev.tarn.lake.types.Schema;

/**
 * A table's Delta log has lost a commit: an entry is missing while later ones exist, a checkpoint
 * (or the {@code _last_checkpoint} hint) is newer than the newest entry, or an entry cannot be
 * read. Readers refuse rather than answer from the version before the damage, and writers refuse
 * rather than fill the gap; {@code lake doctor} says what is damaged and what its repair can
 * recover. Thrown by lake-table; it lives here with the rest of the hierarchy.
 */
public class BrokenLogException extends TarnException {
    private final transient Schema lastKnownSchema;

    public BrokenLogException(String message) {
        this(message, null, null);
    }

    public BrokenLogException(String message, Throwable cause) {
        this(message, cause, null);
    }

    public BrokenLogException(String message, Throwable cause, Schema lastKnownSchema) {
        super(ErrorCode.TABLE_LOG_BROKEN, message, cause);
        this.lastKnownSchema = lastKnownSchema;
    }

    /**
     * The table's schema as of the last version read before the damage, if any: lets SQL keep the
     * table's columns in a view that fails with this message, so a query naming a column gets this
     * error, not "column not found".
     */
    public java.util.Optional<Schema> lastKnownSchema() {
        return java.util.Optional.ofNullable(lastKnownSchema);
    }

    /** This exception with the schema known before the damage. */
    public BrokenLogException withSchema(Schema schema) {
        if (schema == null || lastKnownSchema != null) {
            return this;
        }
        BrokenLogException e = new BrokenLogException(getMessage(), getCause(), schema);
        e.setStackTrace(getStackTrace());
        return e;
    }
}
