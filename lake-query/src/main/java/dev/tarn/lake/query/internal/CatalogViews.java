package dev.tarn.lake.query.internal;

import static dev.tarn.lake.query.internal.DuckEngine.ident;
import static dev.tarn.lake.query.internal.DuckEngine.quote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.lake.catalog.Catalog;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.catalog.Format;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.catalog.Zone;
import dev.tarn.lake.query.BadObject;
import dev.tarn.lake.table.Snapshot;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.Tables;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Keeps one view per dataset, {@code "zone"."dataset"}, over exactly the files the catalog lists
 * for it. A view is replaced (atomically, by DuckDB) only when its dataset changed, so a running
 * query keeps the snapshot it bound.
 *
 * <p>Over 500 lines because the three kinds of view (raw datasets read as they lie, tables at a
 * version, the catalog's {@code tarn.objects}) share the bookkeeping of which version each view
 * shows and which files it leases, and a raw view's handling of malformed objects is part of making
 * it; the pieces that stand alone are in their own classes (TableViews, JsonSampling,
 * ObjectChecks).
 */
final class CatalogViews {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalFiles store;

    /** The local files each current view reads: a cache must not evict them. */
    private final Map<String, java.util.Set<java.nio.file.Path>> filesOfView = new HashMap<>();

    /**
     * The files of the views of tables at a version or instant ({@code "t@12"}): a cache may evict
     * them while no statement reads them, so that time travel does not fill it up; they are fetched
     * again when read again.
     */
    private final Map<String, java.util.Set<java.nio.file.Path>> filesOfTravel = new HashMap<>();

    /** Files that running statements read, with how many statements read each. */
    private final Map<java.nio.file.Path, Integer> leased = new HashMap<>();

    private final Tables tables;
    private final Map<DatasetId, Long> viewVersion = new HashMap<>();
    private final Map<DatasetId, Long> tableVersion = new HashMap<>();
    private final Map<DatasetId, Table> tableHandles = new HashMap<>();
    private final Set<String> pinned = new java.util.HashSet<>();
    private long catalogVersion = -1;

    private final String sourceColumn;

    /**
     * How many files of a JSON dataset sampling may read to their end (each keeps 32 MiB:
     * JsonSampling).
     */
    private final int keptJsonFiles;

    private final JsonSampling jsonSampling = new JsonSampling();
    private final RawSchemas rawSchemas = new RawSchemas();
    private final ObjectChecks checks;

    /** SqlOptions.skipBadObjects: whether raw views leave out the objects that cannot be read. */
    private final boolean skipBadObjects;

    /** Per raw dataset, the objects its current view found malformed (see {@link #badObjects}). */
    private final Map<DatasetId, List<BadObject>> badObjects = new HashMap<>();

    /**
     * Where the engine may write (its spill directory): the metadata of many objects is loaded from
     * a file there.
     */
    private final java.nio.file.Path staging;

    CatalogViews(
            LocalFiles store,
            Tables tables,
            String sourceColumn,
            int keptJsonFiles,
            java.nio.file.Path staging,
            boolean skipBadObjects) {
        this.store = store;
        this.skipBadObjects = skipBadObjects;
        this.checks = new ObjectChecks(staging);
        this.staging = staging;
        this.tables = tables;
        this.sourceColumn = sourceColumn;
        this.keptJsonFiles = keptJsonFiles;
    }

    /**
     * Brings views up to this catalog: those of the datasets in {@code only} (all when null), the
     * schemas and {@code tarn.objects}. A statement needs the views it reads and no others: on a
     * lake in an object store, making a view fetches the dataset's objects into the cache and
     * checks a table's log, which is not worth doing for datasets the statement does not read.
     */
    synchronized void sync(Connection c, Catalog catalog, Set<DatasetId> only) {
        syncTables(c, catalog, only);
        boolean catalogChanged = catalog.version() > catalogVersion;
        try (Statement s = c.createStatement()) {
            if (catalogChanged) {
                for (Zone z : catalog.zones()) {
                    if (!showable(z.name())) {
                        continue; // see showable: SqlSession says why when a statement names it
                    }
                    s.execute("CREATE SCHEMA IF NOT EXISTS " + ident(z.name()));
                }
            }
            boolean anyChanged = false;
            for (Dataset d : catalog.datasets()) {
                if (d.kind() == DatasetKind.TABLE) {
                    continue; // see syncTables: a table changes through its own log
                }
                if ((only != null && !only.contains(d.id())) || !showable(d.id().zone())) {
                    continue;
                }
                Long seen = viewVersion.get(d.id());
                if (seen != null && seen == d.lastVersion()) {
                    continue;
                }
                anyChanged = true;
                String name = ident(d.id().zone()) + "." + ident(d.id().name());
                rawView(c, d, name, catalog.objects(d.id()));
                viewVersion.put(d.id(), d.lastVersion());
            }
            if (catalogChanged) {
                replaceObjects(s, catalog);
                catalogVersion = catalog.version();
            }
            if (anyChanged) {
                trimCache();
            }
        } catch (SQLException e) {
            throw new dev.tarn.lake.exceptions.QueryException(
                    "cannot update the lake's SQL views: " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * The view of a raw dataset. With {@code skipBadObjects} every object is first read alone,
     * once, and those that cannot be read are left out (and recorded); otherwise the view reads
     * every object and, if it cannot be made, the objects are checked one by one so that its error
     * names the malformed ones, not a column it lacks.
     */
    private void rawView(Connection c, Dataset d, String name, List<LakeObject> objects)
            throws SQLException {
        List<BadObject> bad = List.of();
        if (skipBadObjects) {
            try {
                bad = checks.find(c, d.id(), objects, o -> reader(o.format()), this::intact, true);
            } catch (DamagedObjectException e) {
                bad = List.of(); // the view below fails on it, naming it (missing bytes are
                // never skipped)
            }
            objects = ObjectChecks.without(objects, bad);
            if (!bad.isEmpty() && objects.stream().noneMatch(o -> reader(o.format()) != null)) {
                // nothing left to read rows from: not a table of the rest's metadata, which has
                // none of the columns
                badObjects.put(d.id(), bad);
                filesOfView.put(name, new java.util.HashSet<>());
                try (Statement v = c.createStatement()) {
                    v.execute(
                            "CREATE OR REPLACE VIEW "
                                    + name
                                    + " AS "
                                    + failing(ObjectChecks.unreadable(d.id(), bad, true)));
                }
                return;
            }
        }
        badObjects.put(d.id(), bad);
        java.util.Set<java.nio.file.Path> used = new java.util.HashSet<>();
        String body;
        String failure = null;
        try {
            body = viewBody(c, d, objects, used);
        } catch (SQLException e) {
            body = null;
            failure = e.getMessage();
        } catch (DamagedObjectException e) {
            body = failing(d.id() + " cannot be read: " + e.getMessage());
        }
        filesOfView.put(name, used);
        if (body != null) {
            try (Statement v = c.createStatement()) {
                v.execute("CREATE OR REPLACE VIEW " + name + " AS " + body);
                return;
            } catch (SQLException e) {
                failure = e.getMessage();
            }
            // DuckDB could not read the objects with Tarn's types (e.g. a CSV header it reads
            // otherwise): its own
            // inference, as before, rather than no view
            try (Statement v = c.createStatement()) {
                v.execute(
                        "CREATE OR REPLACE VIEW "
                                + name
                                + " AS "
                                + viewBody(c, d, objects, used, false));
                return;
            } catch (SQLException | DamagedObjectException e) {
                // the objects are checked one by one below
            }
        }
        // A dataset that cannot be read must not take SQL over the rest of the lake down with it.
        List<BadObject> found =
                checks.find(c, d.id(), objects, o -> reader(o.format()), this::intact, false);
        if (found.isEmpty()) {
            try (Statement v = c.createStatement()) {
                v.execute(
                        "CREATE OR REPLACE VIEW "
                                + name
                                + " AS "
                                + failing(
                                        d.id()
                                                + " cannot be read as a"
                                                + " table: "
                                                + firstLine(failure)));
            }
            return;
        }
        // (with skipBadObjects none is found here: what fails alone failed the full check above)
        badObjects.put(d.id(), found);
        String why = ObjectChecks.unreadable(d.id(), found);
        String good = null;
        try {
            good = viewBody(c, d, ObjectChecks.without(objects, found), new java.util.HashSet<>());
        } catch (SQLException | RuntimeException e) {
            // the good objects do not make a view either: the error alone
        }
        try (Statement v = c.createStatement()) {
            // the good objects' columns, so that a query naming one gets the reason, and the
            // failing relation
            // after them, evaluated by every plan (a filter would not be when the good objects have
            // no rows)
            v.execute(
                    "CREATE OR REPLACE VIEW "
                            + name
                            + " AS "
                            + (good == null
                                    ? failing(why)
                                    : "SELECT * FROM ("
                                            + good
                                            + ") UNION ALL BY NAME ("
                                            + ObjectChecks.failingMarker(why)
                                            + ")"));
        } catch (SQLException e) {
            try (Statement v = c.createStatement()) {
                v.execute("CREATE OR REPLACE VIEW " + name + " AS " + failing(why));
            }
        }
    }

    /**
     * The objects of a raw dataset that its current view found malformed: left out of it with
     * {@code skipBadObjects}, named by its error otherwise. Empty when there are none, or none were
     * found yet.
     */
    synchronized List<BadObject> badObjects(DatasetId id) {
        return badObjects.getOrDefault(id, List.of());
    }

    /** Whether queries leave malformed objects out rather than fail on them. */
    boolean skipsBadObjects() {
        return skipBadObjects;
    }

    /** Tables are views over their newest snapshot, replaced when a new version is committed. */
    private void syncTables(Connection c, Catalog catalog, Set<DatasetId> only) {
        for (Dataset d : catalog.datasets()) {
            if (d.kind() != DatasetKind.TABLE
                    || (only != null && !only.contains(d.id()))
                    || !showable(d.id().zone())) {
                continue;
            }
            String name = ident(d.id().zone()) + "." + ident(d.id().name());
            Snapshot snap;
            try {
                snap = table(d.id()).snapshot();
            } catch (RuntimeException e) {
                createSchema(c, d.id().zone());
                String why = d.id() + " cannot be read: " + firstLine(e.getMessage());
                replaceView(
                        c,
                        name,
                        e instanceof dev.tarn.lake.exceptions.BrokenLogException b
                                        && b.lastKnownSchema().isPresent()
                                ? failing(why, b.lastKnownSchema().get().columnNames())
                                : failing(why));
                tableVersion.remove(d.id());
                continue;
            }
            Long seen = tableVersion.get(d.id());
            if (seen == null || seen != snap.version()) {
                createSchema(c, d.id().zone());
                tableView(c, name, snap, d.id());
                tableVersion.put(d.id(), snap.version());
            }
        }
    }

    /**
     * Whether a zone can be a schema: a zone named like one of DuckDB's catalogs or schemas (made
     * before such names were refused) cannot, and trying would fail every statement ("Cannot create
     * schema in system catalog"), so it is left out; lake doctor reports it.
     */
    static boolean showable(String zone) {
        return !dev.tarn.lake.catalog.Names.SQL_RESERVED.contains(zone);
    }

    synchronized long tableVersion(DatasetId id) {
        return tableVersion.getOrDefault(id, -1L);
    }

    private Table table(DatasetId id) {
        return tableHandles.computeIfAbsent(id, tables::load);
    }

    /**
     * Makes {@code "zone"."table@SPEC"} exist: the table at version SPEC (digits) or as of the
     * instant SPEC (ISO-8601, e.g. {@code 2026-11-21T10:00:00Z}). A version never changes, so its
     * view is made once.
     */
    synchronized void pin(Connection c, Catalog catalog, DatasetId id, String spec) {
        String viewName = ident(id.zone()) + "." + ident(id.name() + "@" + spec);
        // a version, and the rows versions after A up to B appended, never change
        boolean byVersion = spec.matches("\\d{1,18}");
        boolean fixed = byVersion || ADDED.matcher(spec).matches();
        if (fixed && pinned.contains(viewName)) {
            return;
        }
        Dataset d =
                catalog.dataset(id)
                        .orElseThrow(
                                () ->
                                        new dev.tarn.lake.exceptions.QueryException(
                                                "no table "
                                                        + id
                                                        + " for "
                                                        + id.zone()
                                                        + ".\""
                                                        + id.name()
                                                        + "@"
                                                        + spec
                                                        + "\""));
        if (d.kind() != DatasetKind.TABLE) {
            throw new dev.tarn.lake.exceptions.QueryException(
                    "time travel ("
                            + id.name()
                            + "@"
                            + spec
                            + ") applies to tables; "
                            + id
                            + " is a dataset of objects");
        }
        java.util.regex.Matcher added = ADDED.matcher(spec);
        Snapshot snap;
        try {
            if (byVersion) {
                snap = table(id).snapshot(Long.parseLong(spec));
            } else if (added.matches()) {
                long after = Long.parseLong(added.group(1));
                long to = Long.parseLong(added.group(2));
                if (to < after) {
                    throw new dev.tarn.lake.exceptions.QueryException(
                            id.zone()
                                    + ".\""
                                    + id.name()
                                    + "@"
                                    + spec
                                    + "\": versions after "
                                    + after
                                    + " up to "
                                    + to
                                    + " are not a range");
                }
                snap = new AddedRows(table(id).snapshot(to), table(id).appendedFiles(after, to));
            } else {
                snap = table(id).snapshotAsOf(parseInstant(spec));
            }
        } catch (dev.tarn.lake.exceptions.QueryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new dev.tarn.lake.exceptions.QueryException(
                    "cannot read " + id + " at " + spec + ": " + firstLine(e.getMessage()), e);
        }
        String gone = missingFile(snap, id);
        if (gone != null) {
            throw new dev.tarn.lake.exceptions.QueryException(
                    "version "
                            + snap.version()
                            + " of "
                            + id
                            + " ("
                            + id.zone()
                            + ".\""
                            + id.name()
                            + "@"
                            + spec
                            + "\") can no longer be read: its data file "
                            + gone
                            + " was deleted (by vacuum, past the retention); "
                            + readableVersions(id)
                            + "; 'lake history "
                            + id
                            + "' lists the versions");
        }
        createSchema(c, id.zone());
        tableView(c, viewName, snap, id);
        if (fixed) {
            pinned.add(viewName);
        }
    }

    /** {@code +A..B}: the rows that the versions after A up to B appended ({@code A} may be -1). */
    private static final java.util.regex.Pattern ADDED =
            java.util.regex.Pattern.compile("\\+(-1|\\d{1,18})\\.\\.(\\d{1,18})");

    /**
     * A table version seen through only the files some commits appended: its schema, so files
     * written before a column was added read it as NULL, as the whole table does.
     */
    private record AddedRows(Snapshot at, List<dev.tarn.lake.table.DataFile> files)
            implements Snapshot {
        @Override
        public long version() {
            return at.version();
        }

        @Override
        public java.time.Instant timestamp() {
            return at.timestamp();
        }

        @Override
        public String tableId() {
            return at.tableId();
        }

        @Override
        public dev.tarn.lake.types.Schema schema() {
            return at.schema();
        }

        @Override
        public List<String> partitionColumns() {
            return at.partitionColumns();
        }

        @Override
        public java.util.Map<String, String> properties() {
            return at.properties();
        }

        @Override
        public long transactionVersion(String appId) {
            return at.transactionVersion(appId);
        }

        @Override
        public int minReaderVersion() {
            return at.minReaderVersion();
        }

        @Override
        public int minWriterVersion() {
            return at.minWriterVersion();
        }
    }

    /** The first data file of a table version that is no longer there, or null when all are. */
    private String missingFile(Snapshot snap, DatasetId id) {
        for (dev.tarn.lake.table.DataFile f : snap.files()) {
            try {
                if (!java.nio.file.Files.exists(store.fileOf(id.keyPrefix() + f.path()))) {
                    return f.path();
                }
            } catch (RuntimeException e) {
                return f.path(); // an object store that no longer has it
            }
        }
        return null;
    }

    /**
     * Which versions of a table can still be read, for an error about one that cannot: counted down
     * from the newest to the first whose files are gone (vacuum keeps what the versions within the
     * retention need, so they are the newest ones). At most 100 versions are checked.
     */
    private String readableVersions(DatasetId id) {
        long newest;
        try {
            newest = table(id).snapshot().version();
        } catch (RuntimeException e) {
            return "no version can be read now";
        }
        long oldest = newest + 1;
        for (long v = newest; v >= 0 && v > newest - 100; v--) {
            try {
                if (missingFile(table(id).snapshot(v), id) != null) {
                    break;
                }
            } catch (RuntimeException e) {
                break; // its log entry is gone too
            }
            oldest = v;
        }
        if (oldest > newest) {
            return "no version can be read now";
        }
        if (oldest == newest) {
            return "only version " + newest + " (the newest) can still be read";
        }
        return "versions "
                + (oldest == newest - 99 ? "up to 100 back, " : "")
                + oldest
                + " to "
                + newest
                + " can still be read";
    }

    private static java.time.Instant parseInstant(String spec) {
        try {
            return java.time.Instant.parse(spec);
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(spec).toInstant();
            } catch (java.time.format.DateTimeParseException e2) {
                throw new dev.tarn.lake.exceptions.QueryException(
                        "'"
                                + spec
                                + "' is neither a version nor an ISO-8601"
                                + " instant; write zone.\"table@12\" or zone.\"table@2026-11-21T10:00:00Z\"");
            }
        }
    }

    /** The lean form of a table's view when its files hold every column, else the complete one. */
    private void tableView(Connection c, String name, Snapshot snap, DatasetId id) {
        java.util.Set<java.nio.file.Path> used = new java.util.HashSet<>();
        try (Statement s = c.createStatement()) {
            s.execute(
                    "CREATE OR REPLACE VIEW "
                            + name
                            + " AS "
                            + TableViews.select(snap, store, id.keyPrefix(), false, used));
        } catch (SQLException e) {
            replaceView(
                    c,
                    name,
                    TableViews.select(snap, store, id.keyPrefix(), true, used),
                    snap.schema().columnNames());
        }
        if (name.contains("@")) {
            filesOfTravel.put(
                    name, used); // kept until the statement that asked for it has leased them
        } else {
            filesOfView.put(name, used);
            trimCache();
        }
    }

    /**
     * Keeps the files of the relations a statement reads in the cache until it is done: a view
     * replaced by a newer version, or a time-travel view, must not lose its files under a running
     * statement. Files of time-travel views evicted since their last use are fetched again first.
     *
     * @param relations the relations the statement names, as {@code "schema"."name"} view names
     */
    synchronized Runnable lease(java.util.Collection<String> relations) {
        java.util.List<java.nio.file.Path> files = new ArrayList<>();
        for (String view : relations) {
            java.util.Set<java.nio.file.Path> current = filesOfView.get(view);
            if (current != null) {
                files.addAll(current);
            }
            java.util.Set<java.nio.file.Path> travel = filesOfTravel.get(view);
            if (travel != null) {
                for (java.nio.file.Path f : travel) {
                    // the same path again, fetched anew if it was evicted
                    files.add(
                            store.fileOf(
                                    store.root()
                                            .relativize(f)
                                            .toString()
                                            .replace(java.io.File.separatorChar, '/')));
                }
            }
        }
        if (files.isEmpty() || !(store instanceof ObjectCache)) {
            return () -> {};
        }
        files.forEach(f -> leased.merge(f, 1, Integer::sum));
        boolean[] released = {false};
        return () -> {
            synchronized (CatalogViews.this) {
                if (released[0]) {
                    return;
                }
                released[0] = true;
                for (java.nio.file.Path f : files) {
                    leased.computeIfPresent(f, (k, n) -> n == 1 ? null : n - 1);
                }
                trimCache();
            }
        };
    }

    /** Lets a cache drop what no current view and no running statement reads. */
    private void trimCache() {
        if (store instanceof ObjectCache cache) {
            java.util.Set<java.nio.file.Path> inUse = new java.util.HashSet<>(leased.keySet());
            filesOfView.values().forEach(inUse::addAll);
            cache.trim(inUse);
        }
    }

    private static void createSchema(Connection c, String zone) {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + ident(zone));
        } catch (SQLException e) {
            throw new dev.tarn.lake.exceptions.QueryException(
                    "cannot create schema " + zone + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static void replaceView(Connection c, String name, String body) {
        replaceView(c, name, body, java.util.List.of());
    }

    /**
     * {@code columns}: the table's, kept by the failing view so that queries naming them get the
     * reason.
     */
    private static void replaceView(
            Connection c, String name, String body, java.util.List<String> columns) {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE VIEW " + name + " AS " + body);
        } catch (SQLException e) {
            String why = name + " cannot be read as a table: " + firstLine(e.getMessage());
            try (Statement s = c.createStatement()) {
                s.execute(
                        "CREATE OR REPLACE VIEW "
                                + name
                                + " AS "
                                + (columns.isEmpty() ? failing(why) : failing(why, columns)));
            } catch (SQLException e2) {
                throw new dev.tarn.lake.exceptions.QueryException(why, e);
            }
        }
    }

    /**
     * An object whose bytes are not those the catalog recorded: its dataset's view fails, naming
     * it.
     */
    static final class DamagedObjectException extends RuntimeException {
        DamagedObjectException(String message) {
            super(message);
        }
    }

    /**
     * The local file of an object SQL is about to read, if its bytes are still there with the size
     * the catalog recorded: a removed or cut object would otherwise make a query answer from the
     * rest with no word (fewer rows, exit 0). Bytes altered at the same size are caught by the
     * readers' own parse errors when they break the format, and by {@code lake doctor}'s checksums
     * otherwise; hashing every file on every view would cost as much as reading it.
     */
    private java.nio.file.Path intact(LakeObject o) {
        java.nio.file.Path local;
        try {
            local = store.fileOf(o.key());
        } catch (dev.tarn.lake.exceptions.ObjectNotFoundException e) {
            throw new DamagedObjectException(
                    "its object "
                            + o.key()
                            + " is in the catalog but its bytes are gone;"
                            + " run 'lake doctor'");
        }
        long size;
        try {
            size = java.nio.file.Files.size(local);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new DamagedObjectException(
                    "its object "
                            + o.key()
                            + " is in the catalog but its bytes are gone;"
                            + " run 'lake doctor'");
        } catch (java.io.IOException e) {
            throw new DamagedObjectException(
                    "its object "
                            + o.key()
                            + " cannot be read ("
                            + e.getMessage()
                            + "); run 'lake doctor'");
        }
        if (size != o.size()) {
            throw new DamagedObjectException(
                    "its object "
                            + o.key()
                            + " has "
                            + size
                            + " bytes where the catalog"
                            + " recorded "
                            + o.size()
                            + ": it was changed behind the lake; run 'lake doctor'");
        }
        return local;
    }

    /**
     * Structured objects are read as they lie; a dataset with none is a table of its objects'
     * metadata.
     */
    private String viewBody(
            Connection c,
            Dataset d,
            List<LakeObject> objects,
            java.util.Set<java.nio.file.Path> used)
            throws SQLException {
        return viewBody(c, d, objects, used, true);
    }

    /**
     * {@code tarnTypes}: JSON and CSV objects read with the types of Tarn's inference when it has
     * them; false for DuckDB's own inference (the fallback when the typed view cannot be made).
     */
    private String viewBody(
            Connection c,
            Dataset d,
            List<LakeObject> objects,
            java.util.Set<java.nio.file.Path> used,
            boolean tarnTypes)
            throws SQLException {
        Map<String, List<LakeObject>> byReader = new TreeMap<>();
        for (LakeObject o : objects) {
            String reader = reader(o.format());
            if (reader != null) {
                byReader.computeIfAbsent(reader, k -> new ArrayList<>()).add(o);
            }
        }
        if (byReader.isEmpty()) {
            return metadataSelect(objects, false);
        }
        List<String> parts = new ArrayList<>();
        for (var e : byReader.entrySet()) {
            List<LakeObject> objs = e.getValue();
            List<java.nio.file.Path> locals = new ArrayList<>(objs.size());
            String files =
                    objs.stream()
                            .map(
                                    o -> {
                                        java.nio.file.Path local = intact(o);
                                        used.add(local);
                                        locals.add(local);
                                        return quote(local.toString());
                                    })
                            .collect(Collectors.joining(", ", "[", "]"));
            // Hive partition columns only when every file has the same partition keys: DuckDB
            // refuses a mix.
            Set<Set<String>> keySets =
                    objs.stream().map(o -> hiveKeys(o.path())).collect(Collectors.toSet());
            boolean hive = keySets.size() == 1 && !keySets.iterator().next().isEmpty();
            if (tarnTypes && objs.stream().allMatch(o -> RawSchemas.typed(o.format()))) {
                var inferred = rawSchemas.infer(objs, locals);
                if (inferred.isPresent()) {
                    parts.addAll(
                            typedParts(
                                    e.getKey(),
                                    inferred.get(),
                                    objs,
                                    locals,
                                    hive,
                                    hive ? keySets.iterator().next() : Set.of()));
                    continue;
                }
            }
            String schema = ", union_by_name = true";
            if (e.getKey().startsWith("read_json")) {
                boolean lines = objs.stream().allMatch(o -> o.format() == Format.NDJSON);
                if (locals.size() > JsonSampling.BATCH) {
                    // many files: the union schema inferred batch by batch, and no per-file readers
                    // (JsonSampling)
                    schema =
                            ", columns = "
                                    + jsonSampling.columns(c, locals, lines, keptJsonFiles)
                                    + (lines ? ", format = 'newline_delimited'" : "");
                } else {
                    int sample = jsonSampling.sampleSize(locals, lines, keptJsonFiles);
                    schema +=
                            sample == JsonSampling.DEFAULT_SAMPLE
                                    ? ""
                                    : ", sample_size = " + sample;
                }
            }
            String read =
                    e.getKey().replace("FILES", files) + schema + ", hive_partitioning = " + hive;
            if (sourceColumn == null) {
                parts.add("SELECT * FROM " + read + ")");
            } else {
                // DuckDB gives the file's path; the object key is what the rest of Tarn speaks.
                String col = ident(sourceColumn);
                parts.add(
                        "SELECT * REPLACE ("
                                + store.keyExpression(col)
                                + " AS "
                                + col
                                + ") FROM "
                                + read
                                + ", filename = "
                                + quote(sourceColumn)
                                + ")");
            }
        }
        return String.join(" UNION ALL BY NAME ", parts);
    }

    /**
     * The SELECTs reading objects with the types of Tarn's inference ({@link RawSchemas}): CSV with
     * the types named, JSON with its columns given, and JSON documents whose records lie in an
     * array (GeoJSON {@code features}) as those records, one row each, as a conversion reads them.
     */
    private List<String> typedParts(
            String reader,
            dev.tarn.lake.format.SchemaInference inferred,
            List<LakeObject> objs,
            List<java.nio.file.Path> locals,
            boolean hive,
            Set<String> hiveColumns) {
        String tail =
                ", hive_partitioning = "
                        + hive
                        + (sourceColumn == null ? "" : ", filename = " + quote(sourceColumn))
                        + ")";
        String select =
                sourceColumn == null
                        ? "SELECT * FROM "
                        : "SELECT * REPLACE ("
                                + store.keyExpression(ident(sourceColumn))
                                + " AS "
                                + ident(sourceColumn)
                                + ") FROM ";
        if (!reader.startsWith("read_json")) {
            String files =
                    locals.stream()
                            .map(p -> quote(p.toString()))
                            .collect(Collectors.joining(", ", "[", "]"));
            // types by name (DuckDB matches them regardless of case, as Tarn merges headers)
            return List.of(
                    select
                            + reader.replace("FILES", files)
                            + ", union_by_name = true, types = "
                            + RawSchemas.columns(inferred.schema())
                            + tail);
        }
        // DuckDB reads each file as Tarn found its records laid out: guessing again could differ
        // (it reads a
        // .geojson FeatureCollection as its features' geometries, whatever columns it is given)
        Map<List<Object>, List<Integer>> byLayout = new LinkedHashMap<>();
        for (int i = 0; i < objs.size(); i++) {
            var in = inferred.inputs().get(i);
            byLayout.computeIfAbsent(List.of(in.layout(), in.recordPath()), k -> new ArrayList<>())
                    .add(i);
        }
        List<String> parts = new ArrayList<>();
        for (var g : byLayout.entrySet()) {
            var layout = (dev.tarn.lake.format.SchemaInference.Layout) g.getKey().get(0);
            @SuppressWarnings("unchecked")
            List<String> path = (List<String>) g.getKey().get(1);
            String files =
                    g.getValue().stream()
                            .map(i -> quote(locals.get(i).toString()))
                            .collect(Collectors.joining(", ", "[", "]"));
            String format =
                    switch (layout) {
                        case ARRAY -> "array";
                        case DOCUMENTS, PATH -> "unstructured";
                        default -> "newline_delimited";
                    };
            if (path.isEmpty()) {
                parts.add(
                        select
                                + "read_json("
                                + files
                                + ", columns = "
                                + RawSchemas.columns(inferred.schema())
                                + ", format = '"
                                + format
                                + "'"
                                + tail);
                continue;
            }
            // one document per file holding the records: DuckDB's default limit (16 MiB) would
            // refuse a larger one
            long largest = g.getValue().stream().mapToLong(i -> objs.get(i).size()).max().orElse(0);
            String size =
                    largest < JSON_OBJECT_LIMIT
                            ? ""
                            : ", maximum_object_size = " + Math.min(largest + 1, 0xFFFF_FFFFL);
            StringBuilder kept = new StringBuilder();
            StringBuilder keptOuter = new StringBuilder();
            for (String k : hiveColumns) {
                kept.append(", ").append(ident(k));
                keptOuter.append(", ").append(ident(k));
            }
            if (sourceColumn != null) {
                String col = ident(sourceColumn);
                kept.append(", ").append(col);
                keptOuter.append(", ").append(store.keyExpression(col)).append(" AS ").append(col);
            }
            String inner =
                    "SELECT unnest("
                            + RawSchemas.at(path)
                            + ") AS __tarn_record"
                            + kept
                            + " FROM read_json("
                            + files
                            + ", columns = "
                            + RawSchemas.columnsAt(inferred.schema(), path)
                            + ", format = 'unstructured'"
                            + size
                            + tail;
            parts.add("SELECT unnest(__tarn_record)" + keptOuter + " FROM (" + inner + ")");
        }
        return parts;
    }

    /** DuckDB's default {@code maximum_object_size} for read_json. */
    private static final long JSON_OBJECT_LIMIT = 16L << 20;

    private static String reader(Format f) {
        if (!dev.tarn.lake.query.Sql.readsRows(f)) {
            return null; // avro (no extension offline), text, binary: metadata only
        }
        return switch (f) {
            case NDJSON, JSON -> "read_json(FILES";
            case CSV -> "read_csv(FILES";
            case TSV -> "read_csv(FILES, delim = '\t'";
            case PARQUET -> "read_parquet(FILES";
            default -> null; // avro (no extension offline), text, binary: metadata only
        };
    }

    /**
     * The keys of the {@code k=v} directory levels of an object path, as DuckDB's Hive partitioning
     * sees them.
     */
    private static Set<String> hiveKeys(String path) {
        Set<String> keys = new java.util.LinkedHashSet<>();
        String[] segs = path.split("/");
        for (int i = 0; i < segs.length - 1; i++) {
            int eq = segs[i].indexOf('=');
            if (eq > 0) {
                keys.add(segs[i].substring(0, eq));
            }
        }
        return keys;
    }

    /**
     * Objects up to which {@code tarn.objects} is a VALUES list; beyond, a table loaded from a
     * file.
     */
    private static final int OBJECTS_AS_VALUES = 500;

    /**
     * {@code tarn.objects}, a table of every object's metadata. A VALUES list of thousands of rows
     * costs DuckDB far more than its data (20,000 objects: 1.5 GB to parse, on every catalog
     * change), so beyond a few hundred objects the records are written to a file in the spill
     * directory and loaded in one statement.
     */
    private void replaceObjects(Statement s, Catalog catalog) throws SQLException {
        List<LakeObject> all = new ArrayList<>();
        for (Dataset d : catalog.datasets()) {
            if (d.kind() == DatasetKind.OBJECTS) {
                all.addAll(catalog.objects(d.id()));
            }
        }
        if (all.size() <= OBJECTS_AS_VALUES) {
            s.execute("CREATE OR REPLACE TABLE tarn.objects AS " + metadataSelect(all, true));
            return;
        }
        java.nio.file.Path file =
                staging.resolve("objects-" + java.util.UUID.randomUUID() + ".ndjson");
        try {
            try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(file)) {
                for (LakeObject o : all) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("zone", o.dataset().zone());
                    r.put("dataset", o.dataset().name());
                    r.put("path", o.path());
                    r.put("size", o.size());
                    r.put("sha256", o.sha256());
                    r.put("content_type", o.contentType());
                    r.put("format", o.format().id());
                    r.put("original_name", o.originalName());
                    r.put("ingested_at", o.ingestedAt().toString());
                    r.put("source", o.source());
                    r.put("partition", json(o.partition()));
                    r.put("metadata", json(o.metadata()));
                    w.write(JSON.writeValueAsString(r));
                    w.write('\n');
                }
            }
            s.execute(
                    "CREATE OR REPLACE TABLE tarn.objects AS SELECT zone, dataset, path, size, sha256, content_type,"
                            + " format, original_name, ingested_at::TIMESTAMPTZ AS ingested_at, source,"
                            + " partition::JSON AS partition, metadata::JSON AS metadata FROM read_json("
                            + quote(file.toString())
                            + ", format = 'newline_delimited', columns = {zone: 'VARCHAR', dataset: 'VARCHAR', path: 'VARCHAR',"
                            + " size: 'BIGINT', sha256: 'VARCHAR', content_type: 'VARCHAR', format: 'VARCHAR',"
                            + " original_name: 'VARCHAR', ingested_at: 'VARCHAR', source: 'VARCHAR', partition: 'VARCHAR',"
                            + " metadata: 'VARCHAR'})");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot stage the objects' metadata for SQL", e);
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (java.io.IOException ignored) {
                // in the spill directory, removed with it
            }
        }
    }

    /** A VALUES table of object records, typed, with literals quoted. */
    private String metadataSelect(List<LakeObject> objects, boolean withDataset) {
        String cols =
                (withDataset ? "zone, dataset, " : "")
                        + "path, size, sha256, content_type, format, original_name, ingested_at, source, partition, metadata";
        String types =
                (withDataset ? "zone::VARCHAR AS zone, dataset::VARCHAR AS dataset, " : "")
                        + "path::VARCHAR AS path, size::BIGINT AS size, sha256::VARCHAR AS sha256,"
                        + " content_type::VARCHAR AS content_type, format::VARCHAR AS format,"
                        + " original_name::VARCHAR AS original_name, ingested_at::TIMESTAMPTZ AS ingested_at,"
                        + " source::VARCHAR AS source, partition::JSON AS partition, metadata::JSON AS metadata";
        if (objects.isEmpty()) {
            return "SELECT "
                    + types
                    + " FROM (SELECT "
                    + nulls(cols)
                    + ") t("
                    + cols
                    + ") WHERE false";
        }
        StringBuilder b = new StringBuilder("SELECT ").append(types).append(" FROM (VALUES ");
        for (int i = 0; i < objects.size(); i++) {
            LakeObject o = objects.get(i);
            b.append(i == 0 ? "(" : ", (");
            if (withDataset) {
                b.append(quote(o.dataset().zone()))
                        .append(", ")
                        .append(quote(o.dataset().name()))
                        .append(", ");
            }
            b.append(quote(o.path()))
                    .append(", ")
                    .append(o.size())
                    .append(", ")
                    .append(quote(o.sha256()))
                    .append(", ")
                    .append(quote(o.contentType()))
                    .append(", ")
                    .append(quote(o.format().id()))
                    .append(", ")
                    .append(quote(o.originalName()))
                    .append(", ")
                    .append(quote(o.ingestedAt().toString()))
                    .append(", ")
                    .append(quote(o.source()))
                    .append(", ")
                    .append(quote(json(o.partition())))
                    .append(", ")
                    .append(quote(json(o.metadata())))
                    .append(')');
        }
        return b.append(") t(").append(cols).append(')').toString();
    }

    private static String nulls(String cols) {
        return java.util.Arrays.stream(cols.split(", "))
                .map(c -> "NULL")
                .collect(Collectors.joining(", "));
    }

    private static String json(Map<String, String> m) {
        try {
            return JSON.writeValueAsString(new LinkedHashMap<>(m));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A relation that fails with {@code why} whenever it is read, {@code count(*)} included: the
     * filter makes every plan evaluate the error.
     */
    /**
     * A view that fails with {@code why} whenever it is read, with the given (untyped) columns: a
     * query that names a column of a table whose log is damaged gets the reason, not "column not
     * found".
     */
    static String failing(String why, java.util.List<String> columns) {
        StringBuilder b = new StringBuilder("SELECT ");
        for (String col : columns) {
            b.append("NULL AS ").append(DuckEngine.ident(col)).append(", ");
        }
        return b.append("error(")
                .append(quote(why))
                .append(") AS error FROM range(1) WHERE error(")
                .append(quote(why))
                .append(") IS NULL")
                .toString();
    }

    static String failing(String why) {
        return "SELECT error("
                + quote(why)
                + ") AS error FROM range(1) WHERE error("
                + quote(why)
                + ") IS NULL";
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
