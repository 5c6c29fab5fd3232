package dev.tarn.lake.internal.log;

import dev.tarn.lake.exceptions.ObjectExistsException;
import dev.tarn.lake.exceptions.ObjectNotFoundException;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.WriteMode;

import java.util.Optional;

/**
 * A log of numbered entries in an object store: {@code DIR/00000000000000000000.json}, {@code ...01.json}, ...
 * Entry N+1 is written with put-if-absent, so of all writers that read up to N and race for N+1 exactly one wins;
 * the others read the winner's entry and try again. The Tarn catalog and Delta tables both sit on this primitive.
 */
public final class CommitLog {
    private final ObjectStore store;
    private final String dir;

    /** @param dir the key prefix of the entries, ending with '/' */
    public CommitLog(ObjectStore store, String dir) {
        if (!dir.endsWith("/")) {
            throw new IllegalArgumentException("log directory must end with '/': " + dir);
        }
        this.store = store;
        this.dir = dir;
    }

    public String dir() {
        return dir;
    }

    public String keyOf(long version) {
        return dir + String.format("%020d.json", version);
    }

    /** Parses a key of this log back to its version, or -1 if it is not an entry key. */
    public long versionOf(String key) {
        if (!key.startsWith(dir) || !key.endsWith(".json")) {
            return -1;
        }
        String digits = key.substring(dir.length(), key.length() - 5);
        if (digits.length() != 20 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(digits);
    }

    /** The entry's bytes, or empty if it has not been written. */
    public Optional<byte[]> read(long version) {
        try {
            return Optional.of(store.getBytes(keyOf(version)));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Tries to write entry {@code version}; false if another writer has it already. */
    public boolean tryWrite(long version, byte[] entry) {
        try {
            store.put(keyOf(version), entry, WriteMode.CREATE);
            return true;
        } catch (ObjectExistsException e) {
            return false;
        }
    }
}
