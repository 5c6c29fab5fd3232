package dev.tarn.lake.internal;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Catalog;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetUpdate;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.catalog.Zone;
import dev.tarn.lake.doctor.Doctor;
import dev.tarn.lake.event.LakeEvent;
import dev.tarn.lake.exceptions.CatalogDamagedException;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.ingest.Ingest;
import dev.tarn.lake.internal.catalog.CatalogAction;
import dev.tarn.lake.internal.catalog.CatalogLog;
import dev.tarn.lake.internal.catalog.CatalogState;
import dev.tarn.lake.internal.catalog.CatalogView;
import dev.tarn.lake.internal.catalog.DatasetUpdateOperation;
import dev.tarn.lake.internal.doctor.DoctorOperation;
import dev.tarn.lake.internal.ingest.IngestOperation;
import dev.tarn.lake.internal.storage.LocalObjectStore;
import dev.tarn.lake.security.AccessPolicy;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.spi.FileTrees;
import dev.tarn.lake.spi.LakeInternals;
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
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The lake behind {@link Lake}: one shared runtime (store, catalog log, listeners) per opened lake,
 * one handle per principal. Its public surface is {@link Lake}'s; what the core's operations and
 * Tarn's modules need is its {@link LakeContext}, handed out through {@link LakeInternals}.
 */
public final class DefaultLake implements Lake, LakeInternals.Provider {

    /** What {@code LakeBuilder} collected. */
    public record Options(
            Path directory,
            ObjectStore store,
            boolean temporary,
            boolean create,
            List<String> zones,
            Principal principal,
            AccessPolicy accessPolicy,
            Clock clock,
            int checkpointInterval) {}

    private static final Map<String, String> ZONE_DESCRIPTIONS =
            Map.of(
                    "raw", "data as it arrived, byte for byte",
                    "processed", "cleaned, typed tables",
                    "analytics", "aggregates and models for consumers");

    private final LakeContext ctx;
    private final boolean owner;

    DefaultLake(LakeContext ctx, boolean owner) {
        this.ctx = ctx;
        this.owner = owner;
    }

    public static Lake open(Options o) {
        Path tempDir = null;
        ObjectStore store = o.store();
        if (o.temporary()) {
            try {
                tempDir = Files.createTempDirectory("tarn-lake-");
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot create a temp directory for a temporary lake", e);
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
            // A lake whose log is damaged is still a lake: it opens, so that the doctor can look at
            // it and repair
            // it, and every read or write through it refuses with the damage named (each refreshes
            // the log).
            state = null;
        }
        if (state != null && state.version() < 0) {
            if (!o.create()) {
                throw new dev.tarn.lake.exceptions.LakeNotFoundException(store.location());
            }
            if (!o.temporary() && !store.list("", null, 1).isEmpty()) {
                throw new TarnException(
                        ErrorCode.INVALID_CONFIGURATION,
                        store.location()
                                + " holds files but no Tarn lake; open an empty or new"
                                + " directory, or the root of an existing lake");
            }
            create(log, o);
        }
        return new DefaultLake(
                new LakeContext(
                        new LakeContext.Runtime(store, log, o.accessPolicy(), o.clock(), tempDir),
                        o.principal(),
                        false),
                true);
    }

    private static Path checkDirectory(Path dir, boolean create) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION, abs + " is a file, not a lake directory");
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

    /**
     * Entry 0. Two processes creating the same lake at once: one writes it, the other finds it
     * written.
     */
    private static void create(CatalogLog log, Options o) {
        log.commit(
                "create-lake",
                o.principal(),
                Map.of(),
                base -> {
                    if (base.version() >= 0) {
                        return List.of();
                    }
                    String now = o.clock().instant().toString();
                    List<CatalogAction> actions = new ArrayList<>();
                    actions.add(
                            new CatalogAction.LakeInfo(
                                    UUID.randomUUID().toString(),
                                    CatalogState.FORMAT_VERSION,
                                    now));
                    for (String z : o.zones()) {
                        actions.add(new CatalogAction.ZoneInfo(z, ZONE_DESCRIPTIONS.get(z), now));
                    }
                    return actions;
                });
    }

    // ---- LakeInternals.Provider

    @Override
    public LakeInternals internals(LakeInternals.Key key) {
        LakeInternals.Key.check(key);
        return ctx;
    }

    // ---- Lake

    @Override
    public String location() {
        return ctx.runtime.store.location();
    }

    @Override
    public Principal principal() {
        return ctx.principal();
    }

    @Override
    public Lake as(Principal other) {
        return new DefaultLake(new LakeContext(ctx.runtime, other, false), false);
    }

    @Override
    public Catalog catalog() {
        ctx.authorize(Privilege.READ, "lake");
        return new CatalogView(ctx.runtime.catalog.refresh());
    }

    @Override
    public Catalog catalog(long version) {
        ctx.authorize(Privilege.READ, "lake");
        return new CatalogView(ctx.runtime.catalog.stateAt(version));
    }

    @Override
    public List<dev.tarn.lake.catalog.CatalogCommit> history(int limit) {
        ctx.authorize(Privilege.READ, "lake");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        CatalogState newest = ctx.runtime.catalog.refresh();
        List<dev.tarn.lake.catalog.CatalogCommit> out = new ArrayList<>();
        for (long v = newest.version(); v >= 0 && out.size() < limit; v--) {
            CatalogAction.CommitInfo c = ctx.runtime.catalog.commitInfo(v);
            out.add(
                    new dev.tarn.lake.catalog.CatalogCommit(
                            v,
                            java.time.Instant.parse(c.timestamp()),
                            c.operation(),
                            c.principal(),
                            c.parameters()));
        }
        return out;
    }

    @Override
    public dev.tarn.lake.catalog.Remove remove(DatasetId dataset) {
        return new dev.tarn.lake.internal.catalog.RemoveOperation(ctx, dataset);
    }

    @Override
    public dev.tarn.lake.catalog.Drop drop(DatasetId dataset) {
        return new dev.tarn.lake.internal.catalog.DropOperation(ctx, dataset);
    }

    @Override
    public dev.tarn.lake.catalog.Purge purge() {
        return new dev.tarn.lake.internal.catalog.PurgeOperation(ctx);
    }

    @Override
    public Zone createZone(String name, String description) {
        Names.checkNew("zone", name);
        ctx.authorize(Privilege.ADMIN, "lake");
        var c =
                ctx.commit(
                        "create-zone",
                        Map.of("zone", name),
                        base -> {
                            if (base.zones().containsKey(name)) {
                                throw new TarnException(
                                        ErrorCode.ALREADY_EXISTS,
                                        "zone '" + name + "' already exists");
                            }
                            return List.of(
                                    new CatalogAction.ZoneInfo(
                                            name,
                                            description,
                                            ctx.runtime.clock.instant().toString()));
                        });
        return c.orElseThrow().state().zones().get(name);
    }

    @Override
    public Ingest ingest(DatasetId dataset) {
        return new IngestOperation(ctx, dataset);
    }

    @Override
    public DatasetUpdate updateDataset(DatasetId dataset) {
        return new DatasetUpdateOperation(ctx, dataset);
    }

    @Override
    public InputStream open(LakeObject object) {
        ctx.authorize(Privilege.READ, object.dataset().toString());
        try {
            return new VerifyingInputStream(ctx.runtime.store.get(object.key()), object);
        } catch (dev.tarn.lake.exceptions.ObjectNotFoundException e) {
            boolean listed =
                    ctx.runtime
                            .catalog
                            .cached()
                            .dataset(object.dataset())
                            .map(d -> d.objects().containsKey(object.path()))
                            .orElse(false);
            if (!listed) {
                // Read through an earlier catalog version: the object left the catalog later and
                // was purged.
                throw new NotFoundException(
                        "object "
                                + object.key()
                                + " was removed from the catalog after the"
                                + " version read here, and 'lake purge' has deleted its bytes");
            }
            throw new NotFoundException(
                    "object "
                            + object.key()
                            + " is in the catalog but its bytes are gone"
                            + " (removed behind the lake); run 'lake doctor'");
        } catch (IllegalArgumentException e) {
            // A record naming an impossible key is damage, not a caller's mistake.
            throw new TarnException(
                    ErrorCode.OBJECT_DAMAGED,
                    "the catalog record of "
                            + object.dataset()
                            + "/"
                            + object.path()
                            + " names an invalid key ("
                            + e.getMessage()
                            + "); run 'lake doctor'",
                    e);
        }
    }

    @Override
    public Doctor doctor() {
        return new DoctorOperation(ctx);
    }

    @Override
    public AutoCloseable onCommit(Consumer<LakeEvent> listener) {
        ctx.runtime.listeners.add(listener);
        return () -> ctx.runtime.listeners.remove(listener);
    }

    @Override
    public dev.tarn.lake.event.ChangeFeed events() {
        return new dev.tarn.lake.internal.event.DefaultChangeFeed(ctx);
    }

    @Override
    public ObjectStore store() {
        return ctx.guardedStore;
    }

    @Override
    public <T extends AutoCloseable> T component(
            Class<T> type, java.util.function.Function<Lake, T> factory) {
        synchronized (ctx.runtime.components) {
            if (ctx.runtime.closed) {
                throw new IllegalStateException("the lake at " + location() + " is closed");
            }
            AutoCloseable c = ctx.runtime.components.get(type);
            if (c == null) {
                c = java.util.Objects.requireNonNull(factory.apply(this), "factory returned null");
                ctx.runtime.components.put(type, c);
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
        synchronized (ctx.runtime.components) {
            if (ctx.runtime.closed) {
                return;
            }
            ctx.runtime.closed = true;
            toClose = new ArrayList<>(ctx.runtime.components.values());
            ctx.runtime.components.clear();
        }
        java.util.Collections.reverse(toClose);
        RuntimeException failure = null;
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure =
                            new TarnException(
                                    ErrorCode.IO_ERROR,
                                    "closing " + c + " failed: " + e.getMessage(),
                                    e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        ctx.runtime.store.close();
        if (ctx.runtime.deleteOnClose != null) {
            FileTrees.deleteTree(ctx.runtime.deleteOnClose);
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
