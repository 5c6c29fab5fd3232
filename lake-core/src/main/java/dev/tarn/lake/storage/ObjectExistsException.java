package dev.tarn.lake.storage;

import dev.tarn.lake.TarnException;

/** A put-if-absent lost: the key already holds an object. */
public class ObjectExistsException extends TarnException {
    private final String key;

    public ObjectExistsException(String key) {
        super("object already exists: " + key);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
