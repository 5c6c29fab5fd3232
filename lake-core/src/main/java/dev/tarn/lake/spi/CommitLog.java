package dev.tarn.lake.spi;

import dev.tarn.lake.exceptions.CommitStateUnknownException;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.ObjectExistsException;
import dev.tarn.lake.exceptions.ObjectNotFoundException;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.WriteMode;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * A log of numbered entries in an object store: {@code DIR/00000000000000000000.json}, {@code
 * ...01.json}, ... Entry N+1 is written with put-if-absent, so of all writers that read up to N and
 * race for N+1 exactly one wins; the others read the winner's entry and try again. The Tarn catalog
 * and Delta tables both sit on this primitive.
 */
public final class CommitLog {
    private final ObjectStore store;
    private final String dir;

    /**
     * @param dir the key prefix of the entries, ending with '/'
     */
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

    /**
     * Tries to write entry {@code version}; false if another writer has it already.
     *
     * <p>A write can fail after the store received it (an I/O error or a timeout on the way back),
     * so a failure does not mean the entry is absent. The entry is read back first: holding these
     * very bytes (each entry carries its writer's unique commit id) it is ours and the commit
     * happened; holding others, another writer won, as when the put-if-absent loses; absent, the
     * write did not happen and the failure stands. If it cannot be read back, nobody can say:
     * {@link CommitStateUnknownException}, and callers must not remove what the entry may
     * reference.
     */
    public boolean tryWrite(long version, byte[] entry) {
        try {
            store.put(keyOf(version), entry, WriteMode.CREATE);
            return true;
        } catch (ObjectExistsException e) {
            return false;
        } catch (UncheckedIOException e) {
            return resolve(version, entry, e);
        } catch (dev.tarn.lake.exceptions.TarnException e) {
            if (e.errorCode().category() != ErrorCode.Category.EXTERNAL) {
                throw e; // refused before anything was sent (a bad option, no permission): nothing
                // was written
            }
            return resolve(version, entry, e);
        }
    }

    private boolean resolve(long version, byte[] entry, RuntimeException failure) {
        Optional<byte[]> written;
        try {
            written = read(version);
        } catch (RuntimeException unreadable) {
            failure.addSuppressed(unreadable);
            throw new CommitStateUnknownException(version, keyOf(version), failure);
        }
        if (written.isEmpty()) {
            throw failure;
        }
        return Arrays.equals(written.get(), entry);
    }
}
