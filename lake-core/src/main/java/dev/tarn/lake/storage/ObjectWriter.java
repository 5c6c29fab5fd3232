package dev.tarn.lake.storage;

import dev.tarn.lake.exceptions.ObjectExistsException;
import java.io.OutputStream;

/**
 * A streaming write into a store. Bytes go wherever the store stages them (a temp file, multipart
 * parts); the object appears under its key only on {@link #commit()}, whole. {@link #close()}
 * without commit discards everything.
 */
public abstract class ObjectWriter extends OutputStream {

    /** The key this writer will create. */
    public abstract String key();

    /**
     * Makes the object visible. With {@link WriteMode#CREATE}, throws {@link ObjectExistsException}
     * if another writer got there first; the staged bytes are discarded in that case too.
     */
    public abstract ObjectStat commit();

    /**
     * Every byte is written; the object is still to be committed or discarded. A store may let go
     * of what it holds for writing (a local store closes its file), so that a job finishing many
     * objects before committing them all does not hold a descriptor per object. Writing afterwards
     * is an error. The default does nothing.
     */
    public void finishWriting() {}

    /** Discards the staged bytes, unless already committed. Idempotent. */
    @Override
    public abstract void close();
}
