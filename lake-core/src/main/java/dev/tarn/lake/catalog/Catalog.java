package dev.tarn.lake.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The lake's catalog at one version: a consistent, immutable view. Obtain a fresh one with {@code
 * lake.catalog()}.
 */
public interface Catalog {
    /** The catalog version this view shows (0 is the lake's creation). */
    long version();

    /** When that version was committed. */
    Instant timestamp();

    /** The lake's unique id, fixed at creation. */
    String lakeId();

    List<Zone> zones();

    Optional<Zone> zone(String name);

    /** All datasets, ordered by zone and name. */
    List<Dataset> datasets();

    /**
     * The datasets of one zone; throws {@link dev.tarn.lake.exceptions.NotFoundException} for an
     * unknown zone.
     */
    List<Dataset> datasets(String zone);

    Optional<Dataset> dataset(DatasetId id);

    default Optional<Dataset> dataset(String id) {
        return dataset(DatasetId.parse(id));
    }

    /**
     * The objects of a dataset, ordered by path; throws {@link
     * dev.tarn.lake.exceptions.NotFoundException} if it is unknown.
     */
    List<LakeObject> objects(DatasetId id);

    /**
     * Finds one object of a dataset by its path ({@code ingest_date=2026-11-21/a.csv}), by its file
     * name if only one object has it, or by a prefix of its SHA-256 (at least 8 hex digits) if only
     * one object matches.
     *
     * @throws dev.tarn.lake.exceptions.NotFoundException if nothing or more than one object matches
     */
    LakeObject object(DatasetId id, String ref);

    /**
     * Datasets dropped and not created again (their bytes remain until a purge), ordered by zone
     * and name.
     */
    List<DroppedDataset> dropped();
}
