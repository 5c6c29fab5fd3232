package dev.tarn.lake.format.internal.write;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes bad records as NDJSON: {@code {"source","line","record","offset","raw","reason"}}, one per
 * line. Thread-safe. Staged like data files; committed whether or not the conversion succeeds, so a
 * failed job can be diagnosed.
 */
public final class QuarantineWriter {
    private final Sink sink;
    private Sink.Handle handle;
    private JsonGenerator gen;
    private long count;

    private final String name;

    public QuarantineWriter(Sink sink, String name) {
        this.sink = sink;
        this.name = name;
    }

    public synchronized void write(
            String source, long line, long record, long offset, String raw, String reason) {
        try {
            if (gen == null) {
                handle = sink.create(name);
                gen = new JsonFactory().createGenerator(handle.staged().stream());
                gen.setRootValueSeparator(null);
            }
            gen.writeStartObject();
            gen.writeStringField("source", source);
            gen.writeNumberField("line", line);
            gen.writeNumberField("record", record);
            gen.writeNumberField("offset", offset);
            gen.writeStringField("raw", raw);
            gen.writeStringField("reason", reason);
            gen.writeEndObject();
            gen.writeRaw('\n');
            count++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write quarantine: " + e.getMessage(), e);
        }
    }

    public synchronized long count() {
        return count;
    }

    /** Commits the quarantine file if anything was written; returns its location or null. */
    public synchronized String commit() {
        if (gen == null) {
            return null;
        }
        try {
            gen.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write quarantine: " + e.getMessage(), e);
        }
        handle.finished(count, 0, null);
        return sink.commitAll().get(0).location();
    }

    public synchronized void discard() {
        if (gen != null) {
            try {
                gen.close();
            } catch (IOException ignored) {
                // discarded
            }
        }
        sink.discardAll();
    }
}
