package dev.tarn.lake;

import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.internal.DefaultLake;
import dev.tarn.lake.security.AccessPolicy;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.ObjectStoreProvider;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Options for opening a lake. Every option has a sensible default; {@code
 * Lake.builder().location(dir).open()} is the same as {@code Lake.open(dir)}.
 */
public final class LakeBuilder {
    /** The zones a new lake starts with. */
    public static final List<String> DEFAULT_ZONES = List.of("raw", "processed", "analytics");

    private Path directory;
    private URI uri;
    private final Map<String, String> storeOptions = new LinkedHashMap<>();
    private ObjectStore store;
    private boolean temporary;
    private boolean create = true;
    private final List<String> zones = new ArrayList<>(DEFAULT_ZONES);
    private Principal principal = Principal.systemUser();
    private AccessPolicy accessPolicy = AccessPolicy.ALLOW_ALL;
    private Clock clock = Clock.systemUTC();
    private int checkpointInterval = 50;

    LakeBuilder() {}

    /** A local directory. */
    public LakeBuilder location(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.uri = null;
        this.store = null;
        this.temporary = false;
        return this;
    }

    /**
     * A directory path, a {@code file:} URI, or a URI whose scheme a {@link ObjectStoreProvider} on
     * the class path opens (such as {@code s3://bucket/prefix} with the S3 module).
     */
    public LakeBuilder location(String location) {
        Objects.requireNonNull(location, "location");
        if (location.startsWith("file:")) {
            return location(Path.of(URI.create(location)));
        }
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            this.uri = URI.create(location);
            this.directory = null;
            this.store = null;
            this.temporary = false;
            return this;
        }
        return location(Path.of(location));
    }

    /**
     * An option for the store a URI location opens ({@code region}, {@code endpoint}...; see the
     * store's docs).
     */
    public LakeBuilder storeOption(String key, String value) {
        storeOptions.put(
                Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Any object store (an implementation of the storage SPI). */
    public LakeBuilder store(ObjectStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.directory = null;
        this.uri = null;
        this.temporary = false;
        return this;
    }

    /** A new lake in a fresh temp directory, deleted on close. */
    public LakeBuilder temporary() {
        this.temporary = true;
        this.directory = null;
        this.uri = null;
        this.store = null;
        return this;
    }

    /** Whether to create the lake if the location holds none (default true). */
    public LakeBuilder createIfMissing(boolean create) {
        this.create = create;
        return this;
    }

    /**
     * The zones a new lake is created with (default raw, processed, analytics). Ignored for an
     * existing lake.
     */
    public LakeBuilder zones(String... names) {
        zones.clear();
        for (String z : names) {
            zones.add(Names.checkNew("zone", z));
        }
        if (zones.isEmpty()) {
            throw new IllegalArgumentException("a lake needs at least one zone");
        }
        return this;
    }

    // One setter per option, each checking its own argument and returning the builder: the shape
    // repeats here and in
    // lake-format's Conversion on purpose (a shared helper would only hide which option is checked
    // how).

    /** Who acts (default: the operating-system user). */
    public LakeBuilder principal(Principal principal) {
        this.principal = Objects.requireNonNull(principal, "principal");
        return this;
    }

    /** Who may do what (default: everyone everything). */
    public LakeBuilder accessPolicy(AccessPolicy policy) {
        this.accessPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** The clock for commit timestamps and ingest dates (default: system UTC). */
    public LakeBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Write a catalog checkpoint every this many commits (default 50). */
    public LakeBuilder checkpointInterval(int commits) {
        if (commits < 1) {
            throw new IllegalArgumentException("checkpoint interval must be at least 1");
        }
        this.checkpointInterval = commits;
        return this;
    }

    public Lake open() {
        if (directory == null && store == null && uri == null && !temporary) {
            throw new IllegalStateException(
                    "no location: call location(...), store(...) or temporary()");
        }
        ObjectStore s = store;
        if (uri != null) {
            s = openProvided(uri, storeOptions);
        } else if (!storeOptions.isEmpty()) {
            throw new IllegalStateException(
                    "store options "
                            + storeOptions.keySet()
                            + " apply to URI locations"
                            + " such as s3://bucket/prefix only");
        }
        return DefaultLake.open(
                new DefaultLake.Options(
                        directory,
                        s,
                        temporary,
                        create,
                        List.copyOf(zones),
                        principal,
                        accessPolicy,
                        clock,
                        checkpointInterval));
    }

    private static ObjectStore openProvided(URI uri, Map<String, String> options) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        List<String> known = new ArrayList<>();
        for (ObjectStoreProvider p : ServiceLoader.load(ObjectStoreProvider.class)) {
            if (p.schemes().contains(scheme)) {
                return p.open(uri, Map.copyOf(options));
            }
            known.addAll(p.schemes());
        }
        String hint =
                scheme.equals("s3") ? "; add the dependency dev.tarn:lake-s3 to open S3 lakes" : "";
        throw new TarnException(
                ErrorCode.INVALID_CONFIGURATION,
                "no store for '"
                        + scheme
                        + "://' locations on the class path (schemes available: "
                        + (known.isEmpty()
                                ? "none besides local directories"
                                : String.join(", ", known))
                        + ")"
                        + hint);
    }
}
