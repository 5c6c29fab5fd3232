package dev.tarn.lake.storage;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * An {@link ObjectStore} that passes every call to another store: the base of a decorator that
 * changes a few calls (counting requests, adding latency or failures in a test, logging) and leaves
 * the rest as they are. Override what the decorator changes; the default methods of {@link
 * ObjectStore} ({@code getBytes}, {@code put}, the shorter {@code list}s) go through the overridden
 * calls.
 */
public abstract class ForwardingObjectStore implements ObjectStore {
    private final ObjectStore delegate;

    protected ForwardingObjectStore(ObjectStore delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    /** The store calls are passed to. */
    protected ObjectStore delegate() {
        return delegate;
    }

    @Override
    public String location() {
        return delegate.location();
    }

    @Override
    public InputStream get(String key) {
        return delegate.get(key);
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        return delegate.get(key, offset, length);
    }

    @Override
    public Optional<ObjectStat> stat(String key) {
        return delegate.stat(key);
    }

    @Override
    public ObjectWriter newWriter(String key, WriteMode mode) {
        return delegate.newWriter(key, mode);
    }

    @Override
    public List<ObjectStat> list(String prefix, String startAfter, int limit) {
        return delegate.list(prefix, startAfter, limit);
    }

    @Override
    public boolean delete(String key) {
        return delegate.delete(key);
    }

    @Override
    public List<PendingWrite> pendingWrites() {
        return delegate.pendingWrites();
    }

    @Override
    public void abandon(PendingWrite write) {
        delegate.abandon(write);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
