package dev.tarn.lake.exceptions;

/** A put-if-absent lost: the key already holds an object. */
public class ObjectExistsException extends TarnException {
    private final String key;

    public ObjectExistsException(String key) {
        super(ErrorCode.OBJECT_EXISTS, "object already exists: " + key);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
