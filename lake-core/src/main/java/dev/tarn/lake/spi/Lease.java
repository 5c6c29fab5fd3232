package dev.tarn.lake.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.storage.ObjectStat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A lease in the lake's store: at most one holder at a time across every process that opens the
 * lake, taken over by another once the holder stops renewing it. Pipelines' runners and
 * subscriptions use it so that a second process waits as a standby.
 *
 * <p>It is a {@link CommitLog} under {@code _tarn/leases/<name>/}: each entry records a holder, the
 * epoch (the number of the entry that took the lease) and until when it is held (by the lake's
 * clock). The holder renews by writing the next entry; anybody else may write the next entry only
 * once the newest has expired, and put-if-absent makes exactly one of several contenders win. A
 * holder that paused past its expiry finds, when it renews, the next entry taken: {@link #renew()}
 * says false and it must stop. Work that a stale holder must not do is fenced with {@link #epoch()}
 * (a subscription refuses to move its cursor under a lower epoch than the cursor's newest entry).
 *
 * <p>Entries more than {@value #KEPT} behind the newest are deleted by the holder. A contender
 * writes entry N+1 only after reading entry N, so a deleted number is written again only by a
 * contender that stalled for {@value #KEPT} renewals between reading and writing; it checks after
 * winning that no newer entry exists, and gives the lease up if one does.
 */
public final class Lease {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How many entries behind the newest are kept (see the class comment). */
    static final int KEPT = 10;

    private final LakeInternals lake;
    private final String name;
    private final Duration ttl;
    private final CommitLog log;

    /** The entry that took the lease: its holder and epoch. */
    private final Entry taken;

    /** The newest entry this holder wrote. */
    private long entry;

    /** Until when the newest entry this holder wrote holds, by the lake's clock. */
    private Instant expires;

    private boolean lost;
    private boolean released;

    private Lease(LakeInternals lake, String name, Duration ttl, Entry taken) {
        this.lake = lake;
        this.name = name;
        this.ttl = ttl;
        this.log = new CommitLog(lake.store(), dirOf(name));
        this.taken = taken;
        this.entry = taken.epoch();
        this.expires = taken.expires();
    }

    /**
     * Takes the lease if nobody holds it (never taken, released, or expired by its newest entry's
     * recorded expiry and the lake's clock).
     *
     * @param name the lease's name: one or more names of the naming rule joined by '/' ({@code
     *     subscriptions/kpi-alerts}); it becomes the key prefix {@code _tarn/leases/<name>/}
     * @param holder who takes it (free text, recorded for people: host, process, thread)
     * @param ttl how long it holds without being renewed; renew well within it (a third is usual)
     * @return the lease, or empty if another holder has it
     * @throws dev.tarn.lake.exceptions.IllegalNameException if the name is not valid
     */
    public static Optional<Lease> tryAcquire(
            LakeInternals lake, String name, String holder, Duration ttl) {
        Objects.requireNonNull(lake, "lake");
        Objects.requireNonNull(holder, "holder");
        checkName(name);
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a lease's time must be positive: " + ttl);
        }
        CommitLog log = new CommitLog(lake.store(), dirOf(name));
        long newest = newest(lake, log);
        Instant now = lake.clock().instant();
        if (newest >= 0) {
            Optional<Entry> current = readEntry(log, newest);
            if (current.isEmpty() || current.get().expires().isAfter(now)) {
                return Optional.empty(); // held (or the log moved on since the listing)
            }
        }
        long next = newest + 1;
        Instant expires = now.plus(ttl);
        if (!log.tryWrite(next, entryBytes(holder, next, now, expires))) {
            return Optional.empty(); // another contender won this entry
        }
        if (newest(lake, log) != next) {
            return Optional.empty(); // a stale contender: see the class comment
        }
        Lease lease = new Lease(lake, name, ttl, new Entry(holder, next, expires));
        lease.cleanUp();
        return Optional.of(lease);
    }

    /**
     * Writes the next entry, holding the lease for another {@code ttl}. False, and the lease is
     * lost for good, if another holder took it (this one let it expire); also false after {@link
     * #release()}.
     */
    public synchronized boolean renew() {
        if (lost || released) {
            return false;
        }
        Instant now = lake.clock().instant();
        Instant until = now.plus(ttl);
        if (!log.tryWrite(entry + 1, entryBytes(taken.holder(), taken.epoch(), now, until))) {
            lost = true;
            return false;
        }
        entry++;
        expires = until;
        cleanUp();
        return true;
    }

    /**
     * Whether this holder has it, as last seen: renewed within its time, not found taken over, not
     * released. Another process may have taken it meanwhile only if this one let it expire.
     */
    public synchronized boolean isHeld() {
        return !lost && !released && lake.clock().instant().isBefore(expires);
    }

    /**
     * The number of the entry that took the lease: grows with every takeover, so work stamped with
     * it can be refused once a newer holder exists (a fencing token).
     */
    public long epoch() {
        return taken.epoch();
    }

    /** The lease's name. */
    public String name() {
        return name;
    }

    /** Who holds it (as given to {@link #tryAcquire}). */
    public String holder() {
        return taken.holder();
    }

    /**
     * Gives the lease up at once (an entry that has already expired), so a standby need not wait
     * for the time to run out. Nothing happens if it was lost or released already.
     */
    public synchronized void release() {
        if (lost || released) {
            return;
        }
        released = true;
        Instant now = lake.clock().instant();
        try {
            log.tryWrite(entry + 1, entryBytes(taken.holder(), taken.epoch(), now, now));
        } catch (RuntimeException e) {
            // it expires on its own within ttl
        }
    }

    /** The key prefix of a lease's entries. */
    public static String dirOf(String name) {
        return Names.RESERVED_PREFIX + "/leases/" + checkName(name) + "/";
    }

    /**
     * Who holds the lease {@code name} now and until when, by its newest entry; empty if nobody
     * does (never taken, released, or expired).
     */
    public static Optional<String> currentHolder(LakeInternals lake, String name) {
        CommitLog log = new CommitLog(lake.store(), dirOf(name));
        long newest = newest(lake, log);
        if (newest < 0) {
            return Optional.empty();
        }
        return readEntry(log, newest)
                .filter(e -> e.expires().isAfter(lake.clock().instant()))
                .map(Entry::holder);
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "lease name");
        for (String part : name.split("/", -1)) {
            Names.check("lease", part);
        }
        return name;
    }

    /** A unique holder description for this process and thread. */
    public static String defaultHolder() {
        return ProcessHandle.current().pid()
                + "/"
                + Thread.currentThread().getName()
                + "/"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    private record Entry(String holder, long epoch, Instant expires) {}

    private static long newest(LakeInternals lake, CommitLog log) {
        long newest = -1;
        List<ObjectStat> keys = lake.store().list(log.dir());
        for (ObjectStat s : keys) {
            newest = Math.max(newest, log.versionOf(s.key()));
        }
        return newest;
    }

    private static Optional<Entry> readEntry(CommitLog log, long version) {
        return log.read(version)
                .map(
                        bytes -> {
                            try {
                                JsonNode n = JSON.readTree(bytes);
                                return new Entry(
                                        n.path("holder").asText(),
                                        n.path("epoch").asLong(),
                                        Instant.ofEpochMilli(n.path("expiresMillis").asLong()));
                            } catch (IOException e) {
                                // a damaged entry holds nothing: the lease can be taken over
                                return new Entry("", -1, Instant.EPOCH);
                            }
                        });
    }

    private static byte[] entryBytes(String holder, long epoch, Instant now, Instant expires) {
        ObjectNode n = JSON.createObjectNode();
        n.put("holder", holder);
        n.put("epoch", epoch);
        n.put("writtenAt", now.toString());
        n.put("expiresMillis", expires.toEpochMilli());
        n.put("id", UUID.randomUUID().toString()); // so a read-back tells our entry from another's
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes entries more than {@link #KEPT} behind the newest this holder wrote. */
    private void cleanUp() {
        long below = entry - KEPT;
        if (below <= 0) {
            return;
        }
        try {
            for (ObjectStat s : lake.store().list(log.dir())) {
                long v = log.versionOf(s.key());
                if (v >= 0 && v < below) {
                    lake.store().delete(s.key());
                }
            }
        } catch (RuntimeException e) {
            // left for the next renewal
        }
    }
}
