package dev.tarn.lake.internal;

import dev.tarn.lake.Lake;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.catalog.Catalog;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetUpdate;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.catalog.Zone;
import dev.tarn.lake.doctor.Doctor;
import dev.tarn.lake.event.LakeEvent;
import dev.tarn.lake.ingest.Ingest;
import dev.tarn.lake.internal.catalog.CatalogAction;
import dev.tarn.lake.exceptions.CatalogDamagedException;
import dev.tarn.lake.internal.catalog.CatalogLog;
import dev.tarn.lake.internal.catalog.CatalogState;
import dev.tarn.lake.internal.catalog.CatalogView;
import dev.tarn.lake.internal.catalog.DatasetUpdateOperation;
import dev.tarn.lake.internal.doctor.DoctorOperation;
import dev.tarn.lake.internal.ingest.IngestOperation;
import dev.tarn.lake.internal.storage.LocalObjectStore;
import dev.tarn.lake.exceptions.PermissionDeniedException;
import dev.tarn.lake.security.AccessPolicy;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.storage.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The lake behind {@link Lake}: one shared runtime (store, catalog log, listeners) per opened lake. */
public final class DefaultLake implements Lake {
    private static final System.Logger LOG = System.getLogger(DefaultLake.class.getName());

    /** What {@code LakeBuilder} collected. */
    public record Options(Path directory, ObjectStore store, boolean temporary, boolean create, List<String> zones,
                          Principal principal, AccessPolicy accessPolicy, Clock clock, int checkpointInterval) {
    }

    private static final Map<String, String> ZONE_DESCRIPTIONS = Map.of(
            "raw", "data as it arrived, byte for byte",
            "processed", "cleaned, typed tables",
            "analytics", "aggregates and models for consumers");

    private final Runtime runtime;
    private final Principal principal;
    private final boolean owner;
    /** A handle for a lake's own components, which check their callers' access themselves. */
    private final boolean trusted;

    /** What every handle of one opened lake shares. */
    private static final class Runtime {
        final ObjectStore store;
        final CatalogLog catalog;
        final AccessPolicy policy;
        final Clock clock;
        final Path deleteOnClose;
        final List<Consumer<LakeEvent>> listeners = new CopyOnWriteArrayList<>();
        final Map<Class<?>, AutoCloseable> components = new java.util.LinkedHashMap<>();
        boolean closed;

        Runtime(ObjectStore store, CatalogLog catalog, AccessPolicy policy, Clock clock, Path deleteOnClose) {
            this.store = store;
            this.catalog = catalog;
            this.policy = policy;
            this.clock = clock;
            this.deleteOnClose = deleteOnClose;
        }
    }

    private DefaultLake(Runtime runtime, Principal principal, boolean owner) {
        this(runtime, principal, owner, false);
    }

    private DefaultLake(Runtime runtime, Principal principal, boolean owner, boolean trusted) {
        this.runtime = runtime;
        this.principal = principal;
        this.owner = owner;
        this.trusted = trusted;
    }

    /**
     * A handle that the access policy does not restrict, for a component shared by every principal of this lake
     * (the SQL engine's views): it must not see less, or more, depending on who happened to start it. The component
     * checks each caller's access itself.
     */
    public DefaultLake trusted() {
        return new DefaultLake(runtime, principal, false, true);
    }

    public static Lake open(Options o) {
        Path tempDir = null;
        ObjectStore store = o.store();
        if (o.temporary()) {
            try {
                tempDir = Files.createTempDirectory("tarn-lake-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temp directory for a temporary lake", e);
            }
            store = new LocalObjectStore(tempDir);
        } else if (store == null) {
            store = new LocalObjectStore(checkDirectory(o.directory(), o.create()));
        }
        CatalogLog log = new CatalogLog(store, o.clock(), o.checkpointInterval());
        CatalogState state;
        try {
            state = log.refresh();
        } catch (CatalogDamagedException e) {
            // A lake whose log is damaged is still a lake: it opens, so that the doctor can look at it and repair
            // it, and every read or write through it refuses with the damage named (each refreshes the log).
            state = null;
        }
        if (state != null && state.version() < 0) {
            if (!o.create()) {
                throw new dev.tarn.lake.exceptions.LakeNotFoundException(store.location());
            }
            if (!o.temporary() && !store.list("", null, 1).isEmpty()) {
                throw new TarnException(ErrorCode.INVALID_CONFIGURATION, store.location() + " holds files but no Tarn lake; open an empty or new"
                        + " directory, or the root of an existing lake");
            }
            create(log, o);
        }
        DefaultLake lake = new DefaultLake(new Runtime(store, log, o.accessPolicy(), o.clock(), tempDir),
                o.principal(), true);
        return lake;
    }

    private static Path checkDirectory(Path dir, boolean create) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new TarnException(ErrorCode.INVALID_CONFIGURATION, abs + " is a file, not a lake directory");
        }
        if (!Files.exists(abs)) {
            if (!create) {
                throw new dev.tarn.lake.exceptions.LakeNotFoundException(abs.toString());
            }
            try {
                Files.createDirectories(abs);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create lake directory " + abs, e);
            }
        }
        return abs;
    }

    /** Entry 0. Two processes creating the same lake at once: one writes it, the other finds it written. */
    private static void create(CatalogLog log, Options o) {
        log.commit("create-lake", o.principal(), Map.of(), base -> {
            if (base.version() >= 0) {
                return List.of();
            }
            String now = o.clock().instant().toString();
            List<CatalogAction> actions = new ArrayList<>();
            actions.add(new CatalogAction.LakeInfo(UUID.randomUUID().toString(), CatalogState.FORMAT_VERSION, now));
            for (String z : o.zones()) {
                actions.add(new CatalogAction.ZoneInfo(z, ZONE_DESCRIPTIONS.get(z), now));
            }
            return actions;
        });
    }

    // ---- used by the operations in internal packages

    public ObjectStore objectStore() {
        return runtime.store;
    }

    public CatalogLog catalogLog() {
        return runtime.catalog;
    }

    public Clock clock() {
        return runtime.clock;
    }

    /** Throws {@link PermissionDeniedException} unless the policy allows it. */
    public void authorize(Privilege privilege, String resource) {
        if (!trusted && !runtime.policy.allows(principal, privilege, resource)) {
            throw new PermissionDeniedException(principal, privilege, resource);
        }
    }

    /** The zone must exist; the message lists those that do. */
    public static void requireZone(CatalogState state, String zone) {
        if (!state.zones().containsKey(zone)) {
            throw new NotFoundException("unknown zone '" + zone + "'; this lake's zones are "
                    + String.join(", ", state.zones().keySet())
                    + " (declare another with createZone or 'lake zone create')");
        }
    }

    /**
     * Makes sure a dataset of this kind exists in the catalog, creating it if needed, and returns the newest state.
     * For modules that own a dataset kind's files (tables): they register the dataset here and keep their own log.
     */
    public CatalogState ensureDataset(DatasetId id, dev.tarn.lake.catalog.DatasetKind kind) {
        authorize(Privilege.WRITE, id.toString());
        var created = commit("create-dataset", Map.of("dataset", id.toString(), "kind", kind.id()), base -> {
            requireZone(base, id.zone());
            var existing = base.dataset(id);
            if (existing.isPresent()) {
                if (!existing.get().info().kind().equals(kind.id())) {
                    throw new TarnException(ErrorCode.ALREADY_EXISTS, id + " already exists as a dataset of kind "
                            + existing.get().info().kind() + ", not " + kind.id());
                }
                return List.of();
            }
            return List.of(new CatalogAction.DatasetInfo(id.zone(), id.name(), kind.id(),
                    runtime.clock.instant().toString(), null, null, Map.of(), null, null));
        });
        // Either this commit's state, or (nothing to do) the state the commit just read.
        return created.map(CatalogLog.Committed::state).orElseGet(runtime.catalog::cached);
    }

    /** Commits through the catalog log, then tells the listeners. */
    public Optional<CatalogLog.Committed> commit(String operation, Map<String, String> parameters,
                                                 java.util.function.Function<CatalogState, List<CatalogAction>> plan) {
        Optional<CatalogLog.Committed> c = runtime.catalog.commit(operation, principal, parameters, plan);
        c.ifPresent(this::notifyListeners);
        return c;
    }

    private void notifyListeners(CatalogLog.Committed c) {
        if (runtime.listeners.isEmpty()) {
            return;
        }
        Set<DatasetId> datasets = new java.util.LinkedHashSet<>();
        int added = 0;
        int removed = 0;
        for (CatalogAction a : c.actions()) {
            if (a instanceof CatalogAction.AddObject o) {
                added++;
                datasets.add(DatasetId.of(o.zone(), o.dataset()));
            } else if (a instanceof CatalogAction.RemoveObject r) {
                removed++;
                datasets.add(DatasetId.of(r.zone(), r.dataset()));
            } else if (a instanceof CatalogAction.DatasetInfo d) {
                datasets.add(DatasetId.of(d.zone(), d.name()));
            } else if (a instanceof CatalogAction.DropDataset d) {
                datasets.add(DatasetId.of(d.zone(), d.name()));
            }
        }
        String operation = ((CatalogAction.CommitInfo) c.actions().get(0)).operation();
        publish(new LakeEvent(LakeEvent.Kind.CATALOG, c.version(), c.timestamp(), principal.name(), operation,
                new ArrayList<>(datasets), added, removed));
    }

    /**
     * Tells this lake's listeners about a commit. The catalog's commits come here by themselves; modules with logs of
     * their own (tables) call it after each of their commits.
     */
    public void publish(LakeEvent event) {
        for (Consumer<LakeEvent> l : runtime.listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                // A listener's failure must not look like a failed commit: the commit is durable.
                LOG.log(System.Logger.Level.WARNING, "commit listener failed on " + event.kind() + " version "
                        + event.version(), e);
            }
        }
    }

    // ---- Lake

    @Override
    public String location() {
        return runtime.store.location();
    }

    @Override
    public Principal principal() {
        return principal;
    }

    @Override
    public Lake as(Principal other) {
        return new DefaultLake(runtime, other, false);
    }

    @Override
    public Catalog catalog() {
        authorize(Privilege.READ, "lake");
        return new CatalogView(runtime.catalog.refresh());
    }

    @Override
    public Catalog catalog(long version) {
        authorize(Privilege.READ, "lake");
        return new CatalogView(runtime.catalog.stateAt(version));
    }

    @Override
    public List<dev.tarn.lake.catalog.CatalogCommit> history(int limit) {
        authorize(Privilege.READ, "lake");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        CatalogState newest = runtime.catalog.refresh();
        List<dev.tarn.lake.catalog.CatalogCommit> out = new ArrayList<>();
        for (long v = newest.version(); v >= 0 && out.size() < limit; v--) {
            CatalogAction.CommitInfo c = runtime.catalog.commitInfo(v);
            out.add(new dev.tarn.lake.catalog.CatalogCommit(v, java.time.Instant.parse(c.timestamp()), c.operation(),
                    c.principal(), c.parameters()));
        }
        return out;
    }

    @Override
    public dev.tarn.lake.catalog.Remove remove(DatasetId dataset) {
        return new dev.tarn.lake.internal.catalog.RemoveOperation(this, dataset);
    }

    @Override
    public dev.tarn.lake.catalog.Drop drop(DatasetId dataset) {
        return new dev.tarn.lake.internal.catalog.DropOperation(this, dataset);
    }

    @Override
    public dev.tarn.lake.catalog.Purge purge() {
        return new dev.tarn.lake.internal.catalog.PurgeOperation(this);
    }

    @Override
    public Zone createZone(String name, String description) {
        Names.checkNew("zone", name);
        authorize(Privilege.ADMIN, "lake");
        var c = commit("create-zone", Map.of("zone", name), base -> {
            if (base.zones().containsKey(name)) {
                throw new TarnException(ErrorCode.ALREADY_EXISTS, "zone '" + name + "' already exists");
            }
            return List.of(new CatalogAction.ZoneInfo(name, description, runtime.clock.instant().toString()));
        });
        return c.orElseThrow().state().zones().get(name);
    }

    @Override
    public Ingest ingest(DatasetId dataset) {
        return new IngestOperation(this, dataset);
    }

    @Override
    public DatasetUpdate updateDataset(DatasetId dataset) {
        return new DatasetUpdateOperation(this, dataset);
    }

    @Override
    public InputStream open(LakeObject object) {
        authorize(Privilege.READ, object.dataset().toString());
        try {
            return new VerifyingInputStream(runtime.store.get(object.key()), object);
        } catch (dev.tarn.lake.exceptions.ObjectNotFoundException e) {
            boolean listed = runtime.catalog.cached().dataset(object.dataset())
                    .map(d -> d.objects().containsKey(object.path())).orElse(false);
            if (!listed) {
                // Read through an earlier catalog version: the object left the catalog later and was purged.
                throw new NotFoundException("object " + object.key() + " was removed from the catalog after the"
                        + " version read here, and 'lake purge' has deleted its bytes");
            }
            throw new NotFoundException("object " + object.key() + " is in the catalog but its bytes are gone"
                    + " (removed behind the lake); run 'lake doctor'");
        } catch (IllegalArgumentException e) {
            // A record naming an impossible key is damage, not a caller's mistake.
            throw new TarnException(ErrorCode.OBJECT_DAMAGED, "the catalog record of " + object.dataset() + "/" + object.path()
                    + " names an invalid key (" + e.getMessage() + "); run 'lake doctor'", e);
        }
    }

    @Override
    public Doctor doctor() {
        return new DoctorOperation(this);
    }

    @Override
    public AutoCloseable onCommit(Consumer<LakeEvent> listener) {
        runtime.listeners.add(listener);
        return () -> runtime.listeners.remove(listener);
    }

    @Override
    public ObjectStore store() {
        return runtime.store;
    }

    @Override
    public <T extends AutoCloseable> T component(Class<T> type, java.util.function.Function<Lake, T> factory) {
        synchronized (runtime.components) {
            if (runtime.closed) {
                throw new IllegalStateException("the lake at " + location() + " is closed");
            }
            AutoCloseable c = runtime.components.get(type);
            if (c == null) {
                c = java.util.Objects.requireNonNull(factory.apply(this), "factory returned null");
                runtime.components.put(type, c);
            }
            return type.cast(c);
        }
    }

    @Override
    public void close() {
        if (!owner) {
            return;
        }
        List<AutoCloseable> toClose;
        synchronized (runtime.components) {
            if (runtime.closed) {
                return;
            }
            runtime.closed = true;
            toClose = new ArrayList<>(runtime.components.values());
            runtime.components.clear();
        }
        java.util.Collections.reverse(toClose);
        RuntimeException failure = null;
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new TarnException(ErrorCode.IO_ERROR, "closing " + c + " failed: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        runtime.store.close();
        if (runtime.deleteOnClose != null) {
            FileTrees.deleteTree(runtime.deleteOnClose);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "Lake[" + location() + "]";
    }
}
