package dev.tarn.lake;

import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.internal.DefaultLake;
import dev.tarn.lake.security.AccessPolicy;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.storage.ObjectStore;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Options for opening a lake. Every option has a sensible default; {@code Lake.builder().location(dir).open()} is
 * the same as {@code Lake.open(dir)}.
 */
public final class LakeBuilder {
    /** The zones a new lake starts with. */
    public static final List<String> DEFAULT_ZONES = List.of("raw", "processed", "analytics");

    private Path directory;
    private ObjectStore store;
    private boolean temporary;
    private boolean create = true;
    private final List<String> zones = new ArrayList<>(DEFAULT_ZONES);
    private Principal principal = Principal.systemUser();
    private AccessPolicy accessPolicy = AccessPolicy.ALLOW_ALL;
    private Clock clock = Clock.systemUTC();
    private int checkpointInterval = 50;

    LakeBuilder() {
    }

    /** A local directory. */
    public LakeBuilder location(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.store = null;
        this.temporary = false;
        return this;
    }

    /** A directory path or {@code file:} URI. */
    public LakeBuilder location(String location) {
        Objects.requireNonNull(location, "location");
        if (location.startsWith("s3://")) {
            throw new TarnException("S3 lakes are not supported by this version of Tarn yet: " + location);
        }
        if (location.startsWith("file:")) {
            return location(Path.of(URI.create(location)));
        }
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new TarnException("unsupported lake location '" + location + "'; use a directory path or file: URI");
        }
        return location(Path.of(location));
    }

    /** Any object store (an implementation of the storage SPI). */
    public LakeBuilder store(ObjectStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.directory = null;
        this.temporary = false;
        return this;
    }

    /** A new lake in a fresh temp directory, deleted on close. */
    public LakeBuilder temporary() {
        this.temporary = true;
        this.directory = null;
        this.store = null;
        return this;
    }

    /** Whether to create the lake if the location holds none (default true). */
    public LakeBuilder createIfMissing(boolean create) {
        this.create = create;
        return this;
    }

    /** The zones a new lake is created with (default raw, processed, analytics). Ignored for an existing lake. */
    public LakeBuilder zones(String... names) {
        zones.clear();
        for (String z : names) {
            zones.add(Names.check("zone", z));
        }
        if (zones.isEmpty()) {
            throw new IllegalArgumentException("a lake needs at least one zone");
        }
        return this;
    }

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
        if (directory == null && store == null && !temporary) {
            throw new IllegalStateException("no location: call location(...), store(...) or temporary()");
        }
        return DefaultLake.open(new DefaultLake.Options(directory, store, temporary, create, List.copyOf(zones),
                principal, accessPolicy, clock, checkpointInterval));
    }
}
