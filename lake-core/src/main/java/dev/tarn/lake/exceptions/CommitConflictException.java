package dev.tarn.lake.exceptions;

/**
 * A commit could not be made because concurrent commits kept winning or made it impossible. Nothing
 * was written.
 */
public class CommitConflictException extends TarnException {
    public CommitConflictException(String message) {
        super(ErrorCode.COMMIT_CONFLICT, message);
    }
}
