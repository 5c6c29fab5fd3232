package dev.tarn.lake.event;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * How far a reader of the change feed has got: for each source (the catalog, each table), the last
 * version it has seen. The logs have no order between them that every process agrees on, so a
 * single number cannot say this without losing or repeating events; a version per source can. A
 * source the cursor does not name has had nothing read from it.
 *
 * <p>Spelled {@code catalog@42,processed/clicks@7} (each part an event's {@link
 * ChangeEvent#position()}), which {@link #parse} reads back; {@link #start()} is the empty cursor.
 */
public final class FeedCursor {
    private static final FeedCursor START = new FeedCursor(new TreeMap<>());
    private final TreeMap<String, Long> versions;

    private FeedCursor(TreeMap<String, Long> versions) {
        this.versions = versions;
    }

    /** The cursor before every event. */
    public static FeedCursor start() {
        return START;
    }

    /**
     * Reads a cursor's text form ({@code source@version,...}); empty text is {@link #start()}.
     *
     * @throws IllegalArgumentException if a part is not {@code source@version}, a version is
     *     negative, or a source appears twice
     */
    public static FeedCursor parse(String text) {
        requireNonNull(text, "text is null");
        TreeMap<String, Long> v = new TreeMap<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int at = p.lastIndexOf('@');
            if (at <= 0 || at == p.length() - 1) {
                throw new IllegalArgumentException(
                        "not a feed position: '"
                                + p
                                + "' (expected source@version, as catalog@42)");
            }
            long version;
            try {
                version = Long.parseLong(p.substring(at + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "not a feed position: '" + p + "' (the version is not a number)");
            }
            if (version < 0) {
                throw new IllegalArgumentException("not a feed position: '" + p + "' (negative)");
            }
            if (v.put(p.substring(0, at), version) != null) {
                throw new IllegalArgumentException(
                        "feed position names " + p.substring(0, at) + " twice");
            }
        }
        return v.isEmpty() ? START : new FeedCursor(v);
    }

    /** The last version seen of {@code source}, or empty if none has been. */
    public OptionalLong last(String source) {
        Long v = versions.get(source);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** Whether {@code event} lies at or before this cursor (has been seen). */
    public boolean covers(ChangeEvent event) {
        Long v = versions.get(event.source());
        return v != null && event.version() <= v;
    }

    /** This cursor moved past {@code event} (unchanged if it already covers it). */
    public FeedCursor advance(ChangeEvent event) {
        return advance(event.source(), event.version());
    }

    /** This cursor with {@code source} at {@code version} at least. */
    public FeedCursor advance(String source, long version) {
        Long v = versions.get(source);
        if (v != null && v >= version) {
            return this;
        }
        TreeMap<String, Long> next = new TreeMap<>(versions);
        next.put(source, version);
        return new FeedCursor(next);
    }

    /**
     * This cursor with nothing seen of {@code source}: its next read starts at its first version.
     * The feed uses it when a dataset is dropped and created again under its name, so that its new
     * log, which starts again at version 0, is read from there.
     */
    public FeedCursor without(String source) {
        if (!versions.containsKey(source)) {
            return this;
        }
        TreeMap<String, Long> next = new TreeMap<>(versions);
        next.remove(source);
        return next.isEmpty() ? START : new FeedCursor(next);
    }

    /** Source → last version seen, sorted by source. */
    public Map<String, Long> versions() {
        return Collections.unmodifiableMap(versions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeedCursor c && c.versions.equals(versions);
    }

    @Override
    public int hashCode() {
        return versions.hashCode();
    }

    /** The text form, {@code source@version,...}, which {@link #parse} reads back. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        versions.forEach(
                (s, v) -> b.append(b.length() == 0 ? "" : ",").append(s).append('@').append(v));
        return b.toString();
    }
}
