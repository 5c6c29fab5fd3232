package dev.tarn.lake;

import dev.tarn.lake.catalog.Catalog;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetUpdate;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.catalog.Zone;
import dev.tarn.lake.doctor.Doctor;
import dev.tarn.lake.event.LakeEvent;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.ingest.Ingest;
import dev.tarn.lake.security.Principal;
import dev.tarn.lake.storage.ObjectStore;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * An embedded data lake. The one entry point:
 *
 * <pre>{@code
 * try (Lake lake = Lake.open(Path.of("lake-data"))) {          // created on first use
 *     lake.ingest("raw/clicks").file(Path.of("events.ndjson")).commit();
 *     lake.catalog().objects(DatasetId.parse("raw/clicks")).forEach(System.out::println);
 * }
 * }</pre>
 *
 * A lake is safe to share between threads, and several processes may open the same lake at once:
 * every change is an atomic commit to the lake's catalog log.
 */
public interface Lake extends AutoCloseable {

    /**
     * Opens the lake in a local directory, creating it (with zones raw, processed, analytics) if it
     * does not exist.
     */
    static Lake open(Path directory) {
        return builder().location(directory).open();
    }

    /** Opens a lake by location: a directory path or a {@code file:} URI. */
    static Lake open(String location) {
        return builder().location(location).open();
    }

    /**
     * A fresh lake in a new temp directory, deleted when the lake is closed: for tests and
     * experiments.
     */
    static Lake temporary() {
        return builder().temporary().open();
    }

    static LakeBuilder builder() {
        return new LakeBuilder();
    }

    /** Where the lake lives, as a URI. */
    String location();

    /** Who this handle acts as; recorded in every commit and checked by the access policy. */
    Principal principal();

    /**
     * The same lake, acting as another principal. Closing the returned handle does not close this
     * one.
     */
    Lake as(Principal principal);

    /** The newest catalog: a consistent, immutable view. */
    Catalog catalog();

    /**
     * The catalog as it was at an earlier version. It lists objects removed and datasets dropped
     * since, and {@link #open(LakeObject)} reads their bytes until a purge deletes them.
     *
     * @throws NotFoundException if the lake has no such version
     */
    Catalog catalog(long version);

    /**
     * The catalog log's commits, newest first, at most {@code limit}: who changed what, when, and
     * why.
     */
    List<dev.tarn.lake.catalog.CatalogCommit> history(int limit);

    default List<Zone> zones() {
        return catalog().zones();
    }

    /** Declares a new zone (for example {@code ml} or {@code archive}); returns it. */
    Zone createZone(String name, String description);

    /** Starts an ingest into a dataset, which is created on first ingest. The zone must exist. */
    Ingest ingest(DatasetId dataset);

    default Ingest ingest(String dataset) {
        return ingest(DatasetId.parse(dataset));
    }

    /** Changes an existing dataset's owner, description or tags. */
    DatasetUpdate updateDataset(DatasetId dataset);

    default DatasetUpdate updateDataset(String dataset) {
        return updateDataset(DatasetId.parse(dataset));
    }

    /** Removes objects from a raw dataset (see {@link dev.tarn.lake.catalog.Remove}). */
    dev.tarn.lake.catalog.Remove remove(DatasetId dataset);

    default dev.tarn.lake.catalog.Remove remove(String dataset) {
        return remove(DatasetId.parse(dataset));
    }

    /** Drops a raw dataset or a table (see {@link dev.tarn.lake.catalog.Drop}). */
    dev.tarn.lake.catalog.Drop drop(DatasetId dataset);

    default dev.tarn.lake.catalog.Drop drop(String dataset) {
        return drop(DatasetId.parse(dataset));
    }

    /**
     * Deletes the bytes no version within the retention needs (see {@link
     * dev.tarn.lake.catalog.Purge}).
     */
    dev.tarn.lake.catalog.Purge purge();

    /** Streams an object's stored bytes. */
    InputStream open(LakeObject object);

    /** Streams the bytes of the object that {@code ref} names (see {@link Catalog#object}). */
    default InputStream open(DatasetId dataset, String ref) {
        return open(catalog().object(dataset, ref));
    }

    /** The consistency checker. */
    Doctor doctor();

    /**
     * Calls {@code listener} after each commit made through this lake instance, in commit order.
     * Returns a handle whose {@code close()} unsubscribes.
     */
    AutoCloseable onCommit(Consumer<LakeEvent> listener);

    /**
     * A reader of the lake's durable change feed: every commit of the catalog and of every table,
     * read from their logs (see {@link dev.tarn.lake.event.ChangeFeed}).
     */
    dev.tarn.lake.event.ChangeFeed events();

    /**
     * A durable subscription to the change feed, named {@code name} (the naming rule of zones and
     * datasets): configure it, then {@link dev.tarn.lake.event.SubscriptionBuilder#start()} it (or
     * {@link dev.tarn.lake.event.SubscriptionBuilder#drain()} what is there now). Its position and
     * dead letters are kept in the lake, so it resumes where it stopped, in any process.
     *
     * @throws dev.tarn.lake.exceptions.IllegalNameException if the name breaks the naming rule
     */
    default dev.tarn.lake.event.SubscriptionBuilder subscribe(String name) {
        return new dev.tarn.lake.event.SubscriptionBuilder(this, name);
    }

    /**
     * A stream of small records into a raw dataset, buffered into well-sized objects (see {@link
     * dev.tarn.lake.stream.EventStream}): configure it, then {@link
     * dev.tarn.lake.stream.StreamBuilder#open()} it.
     */
    default dev.tarn.lake.stream.StreamBuilder stream(DatasetId dataset) {
        return new dev.tarn.lake.stream.StreamBuilder(this, dataset);
    }

    default dev.tarn.lake.stream.StreamBuilder stream(String dataset) {
        return stream(DatasetId.parse(dataset));
    }

    /**
     * A component that lives as long as this opened lake: created by {@code factory} on first
     * request, shared by every handle of the lake (including those from {@link #as}), closed when
     * the lake is closed, in reverse order of creation. Modules keep their per-lake engines here
     * (the SQL engine, caches).
     */
    <T extends AutoCloseable> T component(
            Class<T> type, java.util.function.Function<Lake, T> factory);

    /**
     * The lake's object store, as this handle's principal may use it: every call asks the access
     * policy, as every other operation does (READ on a dataset to get, stat or list its keys, WRITE
     * to put or delete them; the lake's own {@code _tarn/} keys need ADMIN on {@code lake}, and a
     * whole-lake listing leaves them out for anybody else). A denial throws {@link
     * dev.tarn.lake.exceptions.PermissionDeniedException} before anything is read or written.
     * Writing here goes around the catalog: ingest and tables are the way to add data.
     */
    ObjectStore store();

    /** Releases the lake's resources; a temporary lake is deleted. */
    @Override
    void close();
}
