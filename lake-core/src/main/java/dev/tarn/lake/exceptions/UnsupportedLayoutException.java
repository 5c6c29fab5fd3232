package dev.tarn.lake.exceptions;

/**
 * The catalog holds something only a newer Tarn understands (an unknown action, a newer layout
 * version). Not damage: the answer is to upgrade, so readers and the doctor pass it on as it is.
 */
public final class UnsupportedLayoutException extends TarnException {
    public UnsupportedLayoutException(String message) {
        super(ErrorCode.UNSUPPORTED_LAYOUT, message);
    }
}
