package dev.tarn.lake.internal.catalog;

import dev.tarn.lake.CommitConflictException;
import dev.tarn.lake.Tarn;
import dev.tarn.lake.TarnException;
import dev.tarn.lake.internal.log.CommitLog;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.storage.ObjectNotFoundException;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.WriteMode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The catalog's log: {@code _tarn/catalog/log/NNNNNNNNNNNNNNNNNNNN.json}, checkpoints under
 * {@code _tarn/catalog/checkpoints/}, and the hint {@code _tarn/catalog/_last_checkpoint}.
 *
 * <p>Readers start from the newest checkpoint and replay the entries after it. Writers commit optimistically: plan
 * the actions against the newest state, try to write the next entry, and on losing the race re-plan against the
 * winner's state. Planning is a function of the state, so a retry sees what the winner did (a duplicate it stored,
 * a dataset it created) and adapts instead of overwriting it.
 */
public final class CatalogLog {
    public static final String ROOT = "_tarn/catalog/";
    public static final String LOG_DIR = ROOT + "log/";
    public static final String CHECKPOINT_DIR = ROOT + "checkpoints/";
    public static final String LAST_CHECKPOINT = ROOT + "_last_checkpoint";

    private static final Duration MAX_RETRY_TIME = Duration.ofMinutes(2);

    private final ObjectStore store;
    private final CommitLog log;
    private final Clock clock;
    private final int checkpointInterval;
    private final Object lock = new Object();
    private volatile CatalogState current = CatalogState.empty();

    public CatalogLog(ObjectStore store, Clock clock, int checkpointInterval) {
        if (checkpointInterval < 1) {
            throw new IllegalArgumentException("checkpoint interval must be at least 1");
        }
        this.store = store;
        this.log = new CommitLog(store, LOG_DIR);
        this.clock = clock;
        this.checkpointInterval = checkpointInterval;
    }

    public CommitLog log() {
        return log;
    }

    /** The state as last read, without asking the store. */
    public CatalogState cached() {
        return current;
    }

    /** Reads whatever has been committed since the last read, and returns the newest state. */
    public CatalogState refresh() {
        synchronized (lock) {
            CatalogState s = current;
            if (s.version() < 0) {
                s = loadCheckpoint().orElse(s);
            }
            s = replayFrom(s);
            current = s;
            return s;
        }
    }

    private CatalogState replayFrom(CatalogState s) {
        while (true) {
            long next = s.version() + 1;
            Optional<byte[]> entry = log.read(next);
            if (entry.isEmpty()) {
                return s;
            }
            s = applyEntry(s, next, entry.get());
        }
    }

    private CatalogState applyEntry(CatalogState s, long version, byte[] entry) {
        String where = "catalog entry " + log.keyOf(version);
        List<CatalogAction> actions = CatalogCodec.decode(entry, where);
        if (actions.isEmpty() || !(actions.get(0) instanceof CatalogAction.CommitInfo info)) {
            throw new TarnException(where + " does not start with a commitInfo line; run 'lake doctor'");
        }
        return s.apply(version, Instant.parse(info.timestamp()), actions);
    }

    /** The newest readable checkpoint, found through the hint or, failing that, by listing. */
    private Optional<CatalogState> loadCheckpoint() {
        try {
            String hint = new String(store.getBytes(LAST_CHECKPOINT), StandardCharsets.UTF_8).trim();
            long v = Long.parseLong(CatalogCodec.JSON.readTree(hint).path("version").asText("-1"));
            Optional<CatalogState> s = readCheckpoint(checkpointKey(v));
            if (s.isPresent()) {
                return s;
            }
        } catch (ObjectNotFoundException | NumberFormatException | java.io.IOException e) {
            // no usable hint: list instead
        }
        List<ObjectStat> all = store.list(CHECKPOINT_DIR);
        for (int i = all.size() - 1; i >= 0; i--) {
            Optional<CatalogState> s = readCheckpoint(all.get(i).key());
            if (s.isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }

    private Optional<CatalogState> readCheckpoint(String key) {
        try {
            byte[] bytes = store.getBytes(key);
            return Optional.of(CatalogState.fromCheckpoint(CatalogCodec.decode(bytes, key), key));
        } catch (TarnException | java.io.UncheckedIOException e) {
            // A damaged checkpoint costs time, not correctness: the log still holds everything.
            return Optional.empty();
        }
    }

    public static String checkpointKey(long version) {
        return CHECKPOINT_DIR + String.format("%020d.ndjson", version);
    }

    /** What a successful commit produced. */
    public record Committed(long version, Instant timestamp, CatalogState state, List<CatalogAction> actions,
                            String commitId) {
    }

    /**
     * Commits the actions that {@code plan} derives from the newest state, retrying on lost races. Returns empty if
     * the plan, given the newest state, has nothing to do (it returned no actions).
     */
    public Optional<Committed> commit(String operation, Principal principal, Map<String, String> parameters,
                                      Function<CatalogState, List<CatalogAction>> plan) {
        Instant deadline = clock.instant().plus(MAX_RETRY_TIME);
        CatalogState base = refresh();
        for (int attempt = 1; ; attempt++) {
            List<CatalogAction> planned = plan.apply(base);
            if (planned.isEmpty()) {
                return Optional.empty();
            }
            long version = base.version() + 1;
            // Commit timestamps never go backwards, so that "as of time T" has one answer.
            Instant now = clock.instant();
            Instant ts = now.isAfter(base.timestamp()) ? now : base.timestamp().plusMillis(1);
            String commitId = UUID.randomUUID().toString();
            List<CatalogAction> actions = new ArrayList<>(planned.size() + 1);
            actions.add(new CatalogAction.CommitInfo(ts.toString(), operation, principal.name(), Tarn.ENGINE,
                    commitId, parameters.isEmpty() ? null : parameters));
            actions.addAll(planned);
            CatalogState next = base.apply(version, ts, actions); // refuses a plan that breaks an invariant
            if (log.tryWrite(version, CatalogCodec.encode(actions))) {
                publish(next);
                if (version > 0 && version % checkpointInterval == 0) {
                    writeCheckpoint(next);
                }
                return Optional.of(new Committed(version, ts, next, actions, commitId));
            }
            if (attempt > 3) {
                if (clock.instant().isAfter(deadline)) {
                    throw new CommitConflictException("could not commit " + operation + " after " + attempt
                            + " attempts in " + MAX_RETRY_TIME.toSeconds() + " s: other writers kept committing"
                            + " first; try again");
                }
                backoff(attempt);
            }
            base = refresh();
        }
    }

    private void publish(CatalogState s) {
        synchronized (lock) {
            if (s.version() > current.version()) {
                current = s;
            }
        }
    }

    private static void backoff(int attempt) {
        long maxMillis = Math.min(100, 1L << Math.min(attempt - 3, 7));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, maxMillis + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommitConflictException("interrupted while retrying a commit; nothing was committed");
        }
    }

    /** Best effort: a missing or failed checkpoint only makes the next open slower. */
    void writeCheckpoint(CatalogState s) {
        try {
            store.put(checkpointKey(s.version()), CatalogCodec.encode(s.toCheckpoint()), WriteMode.OVERWRITE);
            store.put(LAST_CHECKPOINT, ("{\"version\":" + s.version() + "}\n").getBytes(StandardCharsets.UTF_8),
                    WriteMode.OVERWRITE);
        } catch (RuntimeException e) {
            // the log is the truth; see above
        }
    }
}
