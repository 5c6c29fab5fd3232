package dev.tarn.lake.internal.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.lake.event.FeedCursor;
import dev.tarn.lake.exceptions.CatalogDamagedException;
import dev.tarn.lake.spi.CommitLog;
import dev.tarn.lake.spi.DeadLetters;
import dev.tarn.lake.spi.LakeInternals;
import dev.tarn.lake.storage.ObjectStat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A subscription's committed state: a {@link CommitLog} under {@code
 * _tarn/subscriptions/<name>/state/}, each entry the position past the last event handled (or
 * dead-lettered), the counts, and the epoch of the lease under which it was written. An entry is
 * written only as the next number after the newest its writer knows, so a holder whose lease was
 * taken over finds the number taken by the new holder's entry (of a higher epoch) and stops: it
 * cannot move the position back or forth.
 */
final class StateLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Entries kept behind the newest; older ones are deleted now and then. */
    private static final int KEPT = 10;

    /** One committed state. */
    record Entry(
            long number,
            long epoch,
            FeedCursor position,
            long delivered,
            long deadLettered,
            Instant committedAt) {
        static final Entry NONE = new Entry(-1, -1, FeedCursor.start(), 0, 0, null);
    }

    /** What {@link #commit} found. */
    enum Outcome {
        COMMITTED,
        /** A newer holder (a higher epoch) has written: this one has lost the subscription. */
        FENCED
    }

    private final LakeInternals lake;
    private final CommitLog log;

    StateLog(LakeInternals lake, String subscription) {
        this.lake = lake;
        this.log = new CommitLog(lake.store(), DeadLetters.dirOf(subscription) + "state/");
    }

    /**
     * The newest committed state, or {@link Entry#NONE}. The listing may be stale by the time an
     * entry is read (the holder deletes old entries as it goes), so it is listed again when the
     * entry it found is gone.
     */
    Entry newest() {
        for (int tries = 0; ; tries++) {
            long n = -1;
            for (ObjectStat s : lake.store().list(log.dir())) {
                n = Math.max(n, log.versionOf(s.key()));
            }
            if (n < 0) {
                return Entry.NONE;
            }
            while (log.read(n + 1).isPresent()) { // entries written since the listing
                n++;
            }
            Optional<byte[]> bytes = log.read(n);
            if (bytes.isPresent()) {
                return read(n, bytes.get());
            }
            if (tries == 5) {
                throw gone(n);
            }
        }
    }

    private CatalogDamagedException gone(long n) {
        return new CatalogDamagedException(
                "the subscription state entry " + log.keyOf(n) + " was listed but cannot be read");
    }

    /**
     * Writes {@code state} as entry {@code after.number() + 1}. If another writer has that number:
     * FENCED when its epoch is higher than {@code state}'s; otherwise (a late write of a holder
     * that has since lost the lease, or of this holder's previous self) {@code merge} gets that
     * entry and this tries again after it.
     */
    Committed commit(Entry after, Entry state) {
        Entry base = after;
        Entry next = state;
        while (true) {
            long number = base.number() + 1;
            next =
                    new Entry(
                            number,
                            next.epoch(),
                            next.position(),
                            next.delivered(),
                            next.deadLettered(),
                            next.committedAt());
            if (log.tryWrite(number, bytes(next))) {
                if (number % 50 == 0) {
                    cleanUp(number);
                }
                return new Committed(Outcome.COMMITTED, next);
            }
            Entry other = read(number, log.read(number).orElseThrow(() -> gone(number)));
            if (other.epoch() > next.epoch()) {
                return new Committed(Outcome.FENCED, other);
            }
            // keep whatever the other entry covered: its events were handled too
            FeedCursor merged = next.position();
            for (var e : other.position().versions().entrySet()) {
                merged = merged.advance(e.getKey(), e.getValue());
            }
            next =
                    new Entry(
                            number,
                            next.epoch(),
                            merged,
                            Math.max(next.delivered(), other.delivered()),
                            Math.max(next.deadLettered(), other.deadLettered()),
                            next.committedAt());
            base = other;
        }
    }

    record Committed(Outcome outcome, Entry entry) {}

    private void cleanUp(long newest) {
        try {
            for (ObjectStat s : lake.store().list(log.dir())) {
                long v = log.versionOf(s.key());
                if (v >= 0 && v < newest - KEPT) {
                    lake.store().delete(s.key());
                }
            }
        } catch (RuntimeException e) {
            // left for the next clean-up
        }
    }

    private Entry read(long number, byte[] bytes) {
        try {
            JsonNode n = JSON.readTree(bytes);
            return new Entry(
                    number,
                    n.path("epoch").asLong(),
                    FeedCursor.parse(n.path("position").asText()),
                    n.path("delivered").asLong(),
                    n.path("deadLettered").asLong(),
                    Instant.parse(n.path("committedAt").asText()));
        } catch (IOException | RuntimeException e) {
            throw new CatalogDamagedException(
                    "the subscription state entry "
                            + log.keyOf(number)
                            + " cannot be read: "
                            + e.getMessage());
        }
    }

    private static byte[] bytes(Entry e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("epoch", e.epoch());
        n.put("position", e.position().toString());
        n.put("delivered", e.delivered());
        n.put("deadLettered", e.deadLettered());
        n.put("committedAt", e.committedAt().toString());
        n.put("id", UUID.randomUUID().toString()); // tells this write from another's on read-back
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }
}
