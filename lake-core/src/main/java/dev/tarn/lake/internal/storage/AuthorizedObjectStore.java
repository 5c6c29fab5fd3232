package dev.tarn.lake.internal.storage;

import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.exceptions.PermissionDeniedException;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.ObjectWriter;
import dev.tarn.lake.storage.PendingWrite;
import dev.tarn.lake.storage.WriteMode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * A lake's store as {@link dev.tarn.lake.Lake#store()} hands it out: every call asks the access
 * policy first, as every other operation of the lake does, and a denial throws before anything is
 * read or written.
 *
 * <ul>
 *   <li>A dataset's keys ({@code zone/name/...}): READ on the dataset to get, stat or list them,
 *       WRITE to put or delete them.
 *   <li>The lake's own keys ({@code _tarn/...}: the catalog log): ADMIN on {@code lake} for
 *       anything, reads included. A listing of the whole lake leaves them out for any other
 *       principal.
 *   <li>Other keys and listings wider than a dataset: READ on the zone ({@code raw/}) or on {@code
 *       lake} to read, ADMIN on {@code lake} to write; pending writes are ADMIN on {@code lake}.
 * </ul>
 *
 * Closing it does nothing: the store belongs to the lake, which closes it.
 */
public final class AuthorizedObjectStore implements ObjectStore {
    private static final String LAKE = "lake";
    private static final String RESERVED = Names.RESERVED_PREFIX + "/";

    private final ObjectStore store;
    private final Principal principal;
    private final BiPredicate<Privilege, String> policy;

    /**
     * @param policy whether this store's principal may do a privilege on a resource
     */
    public AuthorizedObjectStore(
            ObjectStore store, Principal principal, BiPredicate<Privilege, String> policy) {
        this.store = store;
        this.principal = principal;
        this.policy = policy;
    }

    private void require(Privilege privilege, String resource) {
        if (!policy.test(privilege, resource)) {
            throw new PermissionDeniedException(principal, privilege, resource);
        }
    }

    /** Checks access to one key: {@code write} for put and delete, else read. */
    private void requireKey(String key, boolean write) {
        if (key == null || key.equals(Names.RESERVED_PREFIX) || key.startsWith(RESERVED)) {
            require(Privilege.ADMIN, LAKE);
            return;
        }
        int first = key.indexOf('/');
        int second = first < 0 ? -1 : key.indexOf('/', first + 1);
        if (second > 0) {
            require(write ? Privilege.WRITE : Privilege.READ, key.substring(0, second));
        } else {
            require(write ? Privilege.ADMIN : Privilege.READ, LAKE);
        }
    }

    @Override
    public String location() {
        return store.location();
    }

    @Override
    public InputStream get(String key) {
        requireKey(key, false);
        return store.get(key);
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        requireKey(key, false);
        return store.get(key, offset, length);
    }

    @Override
    public byte[] getBytes(String key) {
        requireKey(key, false);
        return store.getBytes(key);
    }

    @Override
    public Optional<ObjectStat> stat(String key) {
        requireKey(key, false);
        return store.stat(key);
    }

    @Override
    public ObjectWriter newWriter(String key, WriteMode mode) {
        requireKey(key, true);
        return store.newWriter(key, mode);
    }

    @Override
    public ObjectStat put(String key, byte[] bytes, WriteMode mode) {
        requireKey(key, true);
        return store.put(key, bytes, mode);
    }

    @Override
    public ObjectStat put(String key, InputStream in, WriteMode mode) {
        requireKey(key, true);
        return store.put(key, in, mode);
    }

    @Override
    public boolean delete(String key) {
        requireKey(key, true);
        return store.delete(key);
    }

    @Override
    public List<ObjectStat> list(String prefix, String startAfter, int limit) {
        String p = prefix == null ? "" : prefix;
        if (p.startsWith(RESERVED) || p.equals(Names.RESERVED_PREFIX)) {
            require(Privilege.ADMIN, LAKE);
            return store.list(prefix, startAfter, limit);
        }
        int first = p.indexOf('/');
        int second = first < 0 ? -1 : p.indexOf('/', first + 1);
        if (second > 0) {
            require(Privilege.READ, p.substring(0, second));
            return store.list(prefix, startAfter, limit);
        }
        if (first > 0) {
            require(Privilege.READ, p.substring(0, first));
            return store.list(prefix, startAfter, limit);
        }
        require(Privilege.READ, LAKE);
        if (!Names.RESERVED_PREFIX.startsWith(p) || policy.test(Privilege.ADMIN, LAKE)) {
            return store.list(prefix, startAfter, limit);
        }
        return listWithoutReserved(prefix, startAfter, limit);
    }

    /**
     * A listing that may reach {@code _tarn/}, for a principal that may not see it: pages past
     * those keys.
     */
    private List<ObjectStat> listWithoutReserved(String prefix, String startAfter, int limit) {
        List<ObjectStat> out = new ArrayList<>();
        String after = startAfter;
        while (out.size() < limit) {
            List<ObjectStat> page = store.list(prefix, after, limit - out.size());
            if (page.isEmpty()) {
                break;
            }
            for (ObjectStat s : page) {
                if (!s.key().startsWith(RESERVED)) {
                    out.add(s);
                }
            }
            after = page.get(page.size() - 1).key();
        }
        return out;
    }

    @Override
    public List<PendingWrite> pendingWrites() {
        require(Privilege.ADMIN, LAKE);
        return store.pendingWrites();
    }

    @Override
    public void abandon(PendingWrite write) {
        require(Privilege.ADMIN, LAKE);
        store.abandon(write);
    }

    @Override
    public void close() {
        // The lake owns the store and closes it.
    }

    @Override
    public String toString() {
        return store + " as " + principal;
    }
}
