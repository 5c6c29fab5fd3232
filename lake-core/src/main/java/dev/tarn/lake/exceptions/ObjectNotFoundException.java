package dev.tarn.lake.exceptions;

/** The store has no object under this key. */
public class ObjectNotFoundException extends NotFoundException {
    private final String key;

    public ObjectNotFoundException(String key) {
        super(ErrorCode.OBJECT_NOT_FOUND, "no object at " + key, "");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
