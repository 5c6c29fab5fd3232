package dev.tarn.lake.internal.event;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.event.ChangeEvent;
import dev.tarn.lake.event.ChangeFeed;
import dev.tarn.lake.event.FeedCursor;
import dev.tarn.lake.event.LakeEvent;
import dev.tarn.lake.internal.LakeContext;
import dev.tarn.lake.internal.catalog.DatasetEntry;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.spi.ChangeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The change feed: the catalog's log and the log of every dataset a {@link ChangeSource} reads
 * (each table's), merged by commit time.
 *
 * <p>A poll reads at most {@code max} events of each source after the cursor, then merges them as a
 * k-way merge does: each source's events stay in version order, and the smallest head comes next,
 * but never one later than the last event read of a source that may have more (its unread events
 * could come before it). So no event is left behind by a later one, poll after poll.
 *
 * <p>A dataset dropped and created again under its name (after a purge deleted its old log) starts
 * a new log at version 0. The catalog records the drop; when the merge passes it, the dataset's
 * place in the cursor is forgotten, so its new log is read from version 0. Until then only the old
 * log's events committed before the drop are read. Whether a cursor's version of that dataset
 * belongs to the old log or the new one is told by that version's commit time in the log there now:
 * before the drop it is the old one's.
 */
public final class DefaultChangeFeed implements ChangeFeed {
    private final LakeContext ctx;
    private final Lake trusted;
    private final CatalogChanges catalog;
    private final Map<String, ChangeSource> sources;
    private final Map<String, ChangeSource.Log> logs = new HashMap<>();
    private final Map<String, Long> started = new HashMap<>();
    private Set<DatasetId> filter = Set.of();
    private FeedCursor cursor = FeedCursor.start();
    private Instant since;

    public DefaultChangeFeed(LakeContext ctx) {
        this.ctx = ctx;
        this.trusted = ctx.trusted();
        this.catalog = new CatalogChanges(ctx.catalogLog());
        this.sources = new HashMap<>();
        for (ChangeSource s :
                ServiceLoader.load(ChangeSource.class, DefaultChangeFeed.class.getClassLoader())) {
            sources.put(s.kind().id(), s);
        }
    }

    @Override
    public synchronized ChangeFeed datasets(List<DatasetId> datasets) {
        Objects.requireNonNull(datasets, "datasets");
        this.filter = new LinkedHashSet<>(datasets);
        return this;
    }

    @Override
    public synchronized ChangeFeed since(FeedCursor cursor) {
        this.cursor = Objects.requireNonNull(cursor, "cursor");
        this.since = null;
        started.clear();
        return this;
    }

    @Override
    public synchronized ChangeFeed since(Instant time) {
        this.since = Objects.requireNonNull(time, "time");
        this.cursor = FeedCursor.start();
        started.clear();
        return this;
    }

    @Override
    public synchronized FeedCursor cursor() {
        return cursor;
    }

    @Override
    public List<ChangeEvent> poll(int max, Duration timeout, Duration interval)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ChangeEvent> events = poll(max);
            if (!events.isEmpty() || System.nanoTime() - deadline >= 0) {
                return events;
            }
            long left = deadline - System.nanoTime();
            Thread.sleep(Math.max(1, Math.min(interval.toMillis(), left / 1_000_000)));
        }
    }

    /** One source's events read in this poll, and whether it may hold more after them. */
    private static final class Queue {
        final String source;
        final ArrayDeque<ChangeEvent> events;
        final boolean truncated;
        final Instant last;

        Queue(String source, List<ChangeEvent> events, boolean truncated) {
            this.source = source;
            this.events = new ArrayDeque<>(events);
            this.truncated = truncated;
            this.last = events.isEmpty() ? null : events.get(events.size() - 1).timestamp();
        }
    }

    private static final Comparator<ChangeEvent> ORDER =
            Comparator.comparing(ChangeEvent::timestamp)
                    .thenComparing(e -> e.kind() == LakeEvent.Kind.CATALOG ? 0 : 1)
                    .thenComparing(ChangeEvent::source)
                    .thenComparingLong(ChangeEvent::version);

    @Override
    public synchronized List<ChangeEvent> poll(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1");
        }
        // A round may pass only events this reader does not see (filtered out, not readable):
        // read on, so that empty means nothing new.
        while (true) {
            FeedCursor before = cursor;
            List<ChangeEvent> out = round(max);
            if (!out.isEmpty() || cursor.equals(before)) {
                return out;
            }
        }
    }

    /** Reads each source once, merges, and returns what this reader sees of it. */
    private List<ChangeEvent> round(int max) {
        long newest = catalog.newest();
        long c = position(ChangeEvent.CATALOG, () -> catalog.versionBefore(since, newest));
        List<CatalogChanges.Entry> entries = catalog.after(c, newest, max);
        Map<Long, CatalogChanges.Entry> byVersion = new HashMap<>();
        Map<DatasetId, CatalogChanges.Entry> firstDrop = new LinkedHashMap<>();
        List<ChangeEvent> catalogEvents = new ArrayList<>();
        for (CatalogChanges.Entry e : entries) {
            byVersion.put(e.event().version(), e);
            catalogEvents.add(e.event());
            e.dropped()
                    .forEach(
                            (id, kind) -> {
                                if (sources.containsKey(kind)) {
                                    firstDrop.putIfAbsent(id, e);
                                }
                            });
        }
        List<Queue> queues = new ArrayList<>();
        queues.add(new Queue(ChangeEvent.CATALOG, catalogEvents, c + entries.size() < newest));

        Map<DatasetId, String> datasets = new LinkedHashMap<>();
        for (Map.Entry<DatasetId, DatasetEntry> d :
                ctx.catalogLog().cached().datasets().entrySet()) {
            if (sources.containsKey(d.getValue().info().kind())) {
                datasets.put(d.getKey(), d.getValue().info().kind());
            }
        }
        firstDrop.forEach((id, e) -> datasets.putIfAbsent(id, e.dropped().get(id)));
        Set<String> resetAtDrop = new java.util.HashSet<>();
        for (Map.Entry<DatasetId, String> d : datasets.entrySet()) {
            DatasetId id = d.getKey();
            if ((!filter.isEmpty() && !filter.contains(id))
                    || !ctx.allows(Privilege.READ, id.toString())) {
                continue;
            }
            String source = id.toString();
            ChangeSource.Log log =
                    logs.computeIfAbsent(
                            d.getValue() + ":" + source,
                            k -> sources.get(d.getValue()).open(trusted, id));
            long v = position(source, () -> log.versionBefore(since));
            CatalogChanges.Entry drop = firstDrop.get(id);
            Instant cutoff = null;
            if (drop != null) {
                Instant dropped = drop.event().timestamp();
                boolean old =
                        v < 0 || log.timestampOf(v).map(t -> t.isBefore(dropped)).orElse(true);
                if (old) {
                    cutoff = dropped;
                    resetAtDrop.add(source);
                }
            }
            List<ChangeEvent> read = log.after(v, max);
            boolean truncated = read.size() >= max;
            if (cutoff != null) {
                Instant cut = cutoff;
                List<ChangeEvent> before =
                        read.stream().filter(e -> e.timestamp().isBefore(cut)).toList();
                truncated = truncated && before.size() == read.size();
                read = before;
            }
            queues.add(new Queue(source, read, truncated));
        }

        // No event later than the last one read of a source that may hold more.
        Instant horizon = null;
        for (Queue q : queues) {
            if (q.truncated && q.last != null && (horizon == null || q.last.isBefore(horizon))) {
                horizon = q.last;
            }
        }
        List<ChangeEvent> out = new ArrayList<>();
        while (out.size() < max) {
            Queue next = null;
            for (Queue q : queues) {
                if (!q.events.isEmpty()
                        && (next == null
                                || ORDER.compare(q.events.peek(), next.events.peek()) < 0)) {
                    next = q;
                }
            }
            if (next == null
                    || (horizon != null && next.events.peek().timestamp().isAfter(horizon))) {
                break;
            }
            ChangeEvent e = next.events.poll();
            cursor = cursor.advance(e);
            if (e.kind() == LakeEvent.Kind.CATALOG) {
                for (DatasetId id : byVersion.get(e.version()).dropped().keySet()) {
                    String source = id.toString();
                    if (resetAtDrop.remove(source)) {
                        cursor = cursor.without(source);
                        started.put(source, -1L);
                        queues.removeIf(q -> q.source.equals(source));
                        // a new log under the same name: a reader that checks it afresh
                        logs.keySet().removeIf(k -> k.endsWith(":" + source));
                    }
                }
            }
            ChangeEvent visible = visible(e);
            if (visible != null) {
                out.add(visible);
            }
        }
        return out;
    }

    /**
     * Where {@code source} was left: the cursor's version, else where a time given to {@link
     * #since(Instant)} puts it (looked up once), else before its first version.
     */
    private long position(String source, LongSupplier before) {
        OptionalLong v = cursor.last(source);
        if (v.isPresent()) {
            return v.getAsLong();
        }
        Long s = started.get(source);
        if (s != null) {
            return s;
        }
        if (since == null) {
            return -1;
        }
        long b = before.getAsLong();
        started.put(source, b);
        return b;
    }

    /**
     * The event as this handle may see it, or null: a dataset's own events need READ on it (their
     * sources are not read otherwise); a catalog event shows only the datasets the handle may read,
     * and their objects, and one that touches none of them only to an ADMIN of the lake.
     */
    private ChangeEvent visible(ChangeEvent e) {
        if (!filter.isEmpty() && e.datasets().stream().noneMatch(filter::contains)) {
            return null;
        }
        if (e.kind() != LakeEvent.Kind.CATALOG) {
            return e;
        }
        List<DatasetId> readable =
                e.datasets().stream()
                        .filter(id -> ctx.allows(Privilege.READ, id.toString()))
                        .toList();
        if (readable.size() == e.datasets().size() && !readable.isEmpty()) {
            return e;
        }
        if (readable.isEmpty()) {
            return ctx.allows(Privilege.ADMIN, "lake") ? e : null;
        }
        List<String> added = keysOf(e.added(), readable);
        List<String> removed = keysOf(e.removed(), readable);
        Map<String, Long> metrics = new LinkedHashMap<>();
        if (!added.isEmpty()) {
            metrics.put("objectsAdded", (long) added.size());
        }
        if (!removed.isEmpty()) {
            metrics.put("objectsRemoved", (long) removed.size());
        }
        return new ChangeEvent(
                e.source(),
                e.kind(),
                e.version(),
                e.timestamp(),
                e.principal(),
                e.operation(),
                readable,
                added,
                removed,
                metrics);
    }

    private static List<String> keysOf(List<String> keys, List<DatasetId> datasets) {
        return keys.stream()
                .filter(k -> datasets.stream().anyMatch(d -> k.startsWith(d.keyPrefix())))
                .toList();
    }
}
