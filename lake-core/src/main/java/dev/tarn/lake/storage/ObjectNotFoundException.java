package dev.tarn.lake.storage;

import dev.tarn.lake.NotFoundException;

/** The store has no object under this key. */
public class ObjectNotFoundException extends NotFoundException {
    private final String key;

    public ObjectNotFoundException(String key) {
        super("no object at " + key);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
