package dev.tarn.lake.internal.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;

/**
 * The vocabulary of the catalog log. Each line of a log entry or checkpoint is one action, written
 * as a JSON object with a single key naming the action ({@code {"add":{...}}}).
 * docs/architecture.md specifies every field.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
@JsonSubTypes({
    @JsonSubTypes.Type(value = CatalogAction.CommitInfo.class, name = "commitInfo"),
    @JsonSubTypes.Type(value = CatalogAction.Checkpoint.class, name = "checkpoint"),
    @JsonSubTypes.Type(value = CatalogAction.LakeInfo.class, name = "lake"),
    @JsonSubTypes.Type(value = CatalogAction.ZoneInfo.class, name = "zone"),
    @JsonSubTypes.Type(value = CatalogAction.DatasetInfo.class, name = "dataset"),
    @JsonSubTypes.Type(value = CatalogAction.AddObject.class, name = "add"),
    @JsonSubTypes.Type(value = CatalogAction.RemoveObject.class, name = "remove"),
    @JsonSubTypes.Type(value = CatalogAction.DropDataset.class, name = "drop"),
    @JsonSubTypes.Type(value = CatalogAction.Purged.class, name = "purged"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface CatalogAction {

    /**
     * First line of every log entry: who committed what, when. {@code actions} counts the lines
     * after this one, so that an entry cut at a line boundary is recognised as cut, and {@code
     * sha256} is the hash of those lines' bytes, so that an entry altered into other valid JSON is
     * recognised as altered (both absent in entries written before they were added).
     *
     * <p>Its component list looks like {@link DatasetInfo}'s only in layout: each record is the
     * shape of its own kind of log line.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CommitInfo(
            String timestamp,
            String operation,
            String principal,
            String engine,
            String commitId,
            Map<String, String> parameters,
            Integer actions,
            String sha256)
            implements CatalogAction {}

    /**
     * First line of every checkpoint: the version whose state the checkpoint holds, and ({@code
     * actions}) how many lines follow and ({@code sha256}) the hash of their bytes, so that a cut
     * or altered checkpoint is not read as another state.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Checkpoint(long version, String timestamp, Long actions, String sha256)
            implements CatalogAction {}

    /** Entry 0 only: the lake's identity and the layout version it was written with. */
    record LakeInfo(String id, int formatVersion, String createdAt) implements CatalogAction {}

    /** Declares a zone. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ZoneInfo(String name, String description, String createdAt) implements CatalogAction {}

    /**
     * Creates a dataset or replaces its properties (the whole set: a writer sends what it read plus
     * its change). {@code lastModified} and {@code lastVersion} appear only in checkpoints; in a
     * log entry they are the entry's.
     *
     * <p>Its component list looks like {@link CommitInfo}'s only in layout: each record is the
     * shape of its own kind of log line.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DatasetInfo(
            String zone,
            String name,
            String kind,
            String createdAt,
            String owner,
            String description,
            Map<String, String> tags,
            String lastModified,
            Long lastVersion)
            implements CatalogAction {}

    /**
     * Adds an object to a dataset. {@code version} appears only in checkpoints. It repeats the
     * public {@link dev.tarn.lake.catalog.LakeObject} on purpose: this is the log's format (zone
     * and dataset apart, times and formats as text) and must not change when the public record
     * does; CatalogState converts between the two.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AddObject(
            String zone,
            String dataset,
            String path,
            long size,
            String sha256,
            String contentType,
            String format,
            String originalName,
            String ingestedAt,
            String source,
            Map<String, String> partition,
            Map<String, String> metadata,
            Long version)
            implements CatalogAction {}

    /**
     * Removes an object from a dataset. Its bytes stay, so that earlier catalog versions still read
     * it, until {@code purge} deletes them after the retention (an ingest that loses its commit
     * deletes its own bytes at once).
     */
    record RemoveObject(String zone, String dataset, String path, String removedAt)
            implements CatalogAction {}

    /**
     * Removes a dataset and its objects from the catalog; its bytes stay until {@code purge}. In a
     * checkpoint the line stands for a dataset dropped earlier and not created again: {@code
     * version} is the entry that dropped it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DropDataset(String zone, String name, String kind, String droppedAt, Long version)
            implements CatalogAction {}

    /**
     * What a purge deleted: keys of bytes that no catalog or table version within its retention
     * needed. Changes no state; it tells readers of earlier versions why those bytes are gone.
     */
    record Purged(java.util.List<String> keys, long bytes, String olderThan)
            implements CatalogAction {}
}
