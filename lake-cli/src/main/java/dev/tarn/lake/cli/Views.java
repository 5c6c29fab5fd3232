package dev.tarn.lake.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.catalog.Zone;
import dev.tarn.lake.doctor.DoctorReport;
import dev.tarn.lake.doctor.Finding;
import dev.tarn.lake.ingest.IngestResult;
import dev.tarn.lake.ingest.IngestedObject;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The records the CLI prints about the catalog: one Java record per JSON shape documented in
 * docs/cli.md, its components in the contract's key order (Jackson writes a record's components in
 * declaration order). CSV and table output read the same records. The table commands' shapes are in
 * {@link TableViews}.
 */
final class Views {
    static final List<String> ZONE_KEYS = List.of("zone", "description", "datasets", "createdAt");
    static final List<String> DATASET_KEYS =
            List.of(
                    "dataset",
                    "zone",
                    "name",
                    "kind",
                    "format",
                    "objects",
                    "bytes",
                    "createdAt",
                    "lastModified",
                    "lastVersion",
                    "owner",
                    "description",
                    "tags");
    static final List<String> OBJECT_KEYS =
            List.of(
                    "dataset",
                    "path",
                    "key",
                    "size",
                    "sha256",
                    "contentType",
                    "format",
                    "originalName",
                    "ingestedAt",
                    "source",
                    "partition",
                    "metadata",
                    "version");

    private Views() {}

    /** {@code ls}, {@code init}, {@code zone create}: a zone and how many datasets it holds. */
    record ZoneView(String zone, String description, long datasets, Instant createdAt) {
        static ZoneView of(Zone z, long datasets) {
            return new ZoneView(z.name(), z.description(), datasets, z.createdAt());
        }
    }

    /**
     * {@code ls ZONE}: a dataset as the catalog records it (a table's files, bytes and last change:
     * its log's).
     */
    record DatasetView(
            String dataset,
            String zone,
            String name,
            String kind,
            String format,
            long objects,
            long bytes,
            Instant createdAt,
            Instant lastModified,
            long lastVersion,
            String owner,
            String description,
            Map<String, String> tags) {
        static DatasetView of(Dataset d) {
            return new DatasetView(
                    d.id().toString(),
                    d.id().zone(),
                    d.id().name(),
                    d.kind() == null ? null : d.kind().id(),
                    d.format(),
                    d.objects(),
                    d.bytes(),
                    d.createdAt(),
                    d.lastModified(),
                    d.lastVersion(),
                    d.owner(),
                    d.description(),
                    new TreeMap<>(d.tags()));
        }

        /**
         * As {@code ls} and {@code describe} show a table: the catalog only knows when the table
         * was registered, so files, bytes and the last change come from the table's log.
         */
        DatasetView with(TableViews.TableInfo t) {
            Instant changed =
                    t.lastCommit().timestamp() != null ? t.lastCommit().timestamp() : lastModified;
            return new DatasetView(
                    dataset,
                    zone,
                    name,
                    kind,
                    format,
                    t.files(),
                    t.bytes(),
                    createdAt,
                    changed,
                    lastVersion,
                    owner,
                    description,
                    tags);
        }
    }

    /**
     * {@code ls ZONE/DATASET}, {@code rm}: one stored object. Its components mirror {@link
     * LakeObject}'s (and the catalog log's AddObject) on purpose: this is the CLI's documented JSON
     * shape (with {@code key}, and the dataset and format as text), kept apart so that a change to
     * the API record cannot change the CLI's output unnoticed.
     */
    record ObjectView(
            String dataset,
            String path,
            String key,
            long size,
            String sha256,
            String contentType,
            String format,
            String originalName,
            Instant ingestedAt,
            String source,
            Map<String, String> partition,
            Map<String, String> metadata,
            long version) {
        static ObjectView of(LakeObject o) {
            return new ObjectView(
                    o.dataset().toString(),
                    o.path(),
                    o.key(),
                    o.size(),
                    o.sha256(),
                    o.contentType(),
                    o.format() == null ? null : o.format().id(),
                    o.originalName(),
                    o.ingestedAt(),
                    o.source(),
                    new LinkedHashMap<>(o.partition()),
                    new LinkedHashMap<>(o.metadata()),
                    o.version());
        }

        /**
         * The same object, with the original name and source an ingest was given (a duplicate's
         * own).
         */
        ObjectView as(String givenName, String givenSource) {
            return new ObjectView(
                    dataset,
                    path,
                    key,
                    size,
                    sha256,
                    contentType,
                    format,
                    givenName,
                    ingestedAt,
                    givenSource,
                    partition,
                    metadata,
                    version);
        }
    }

    /** A column of a dataset as SQL (or the table's log) sees it. */
    record ColumnView(String name, String type) {}

    /**
     * A malformed object of a raw dataset: {@code dataset}, {@code object} (its key) and {@code
     * reason}.
     */
    record BadObjectView(String dataset, String object, String reason) {
        static BadObjectView of(dev.tarn.lake.query.BadObject b) {
            return new BadObjectView(b.dataset().toString(), b.key(), b.reason());
        }
    }

    /**
     * {@code dataset set}: the dataset record, then what its objects show (the count of each
     * format, the values of each partition key).
     */
    record DatasetSummary(
            @JsonUnwrapped DatasetView dataset,
            Map<String, Long> formats,
            Map<String, List<String>> partitions) {
        static DatasetSummary of(DatasetView dataset, List<LakeObject> objects) {
            Map<String, TreeSet<String>> values = new TreeMap<>();
            Map<String, Long> formats = new TreeMap<>();
            for (LakeObject o : objects) {
                o.partition()
                        .forEach((k, v) -> values.computeIfAbsent(k, x -> new TreeSet<>()).add(v));
                formats.merge(o.format() == null ? "unknown" : o.format().id(), 1L, Long::sum);
            }
            Map<String, List<String>> partitions = new LinkedHashMap<>();
            values.forEach((k, v) -> partitions.put(k, new ArrayList<>(v)));
            return new DatasetSummary(dataset, formats, partitions);
        }
    }

    /**
     * {@code describe}: the summary, then the objects SQL leaves out (null if none), the schema
     * (null if SQL sees only object metadata), the objects SQL cannot read and, for a table, what
     * its log says (else null).
     */
    record DescribeView(
            @JsonUnwrapped DatasetSummary summary,
            Map<String, Long> notInSql,
            List<ColumnView> schema,
            List<BadObjectView> badObjects,
            TableViews.TableInfo table) {
        /**
         * The CSV header of describe and dataset set; a documented order of its own, unlike the
         * JSON's.
         */
        static final List<String> CSV_KEYS;

        static {
            List<String> k = new ArrayList<>(DATASET_KEYS);
            k.addAll(List.of("formats", "notInSql", "partitions", "schema", "badObjects", "table"));
            CSV_KEYS = List.copyOf(k);
        }

        static DescribeView of(
                Dataset d,
                List<LakeObject> objects,
                Map<String, Long> notInSql,
                List<ColumnView> schema,
                List<BadObjectView> badObjects,
                TableViews.TableInfo table) {
            DatasetView dataset = DatasetView.of(d);
            return new DescribeView(
                    DatasetSummary.of(table == null ? dataset : dataset.with(table), objects),
                    notInSql,
                    schema,
                    badObjects,
                    table);
        }

        DatasetView dataset() {
            return summary.dataset();
        }
    }

    /**
     * One ingested object: {@code status}, the object's fields and, for a duplicate, {@code
     * duplicateOf}. For a duplicate the object fields describe the object already stored with the
     * same bytes, except {@code originalName} and {@code source}, which say what this ingest was
     * given.
     */
    record IngestedView(
            String status,
            @JsonUnwrapped ObjectView object,
            @JsonInclude(JsonInclude.Include.NON_NULL) String duplicateOf) {
        static final List<String> CSV_KEYS;

        static {
            List<String> k = new ArrayList<>(List.of("status"));
            k.addAll(OBJECT_KEYS);
            k.add("duplicateOf");
            CSV_KEYS = List.copyOf(k);
        }

        static IngestedView of(IngestedObject io) {
            boolean dup = io.status() == IngestedObject.Status.DUPLICATE;
            return new IngestedView(
                    dup ? "duplicate" : "stored",
                    ObjectView.of(io.object()).as(io.originalName(), io.source()),
                    dup ? io.object().path() : null);
        }
    }

    /**
     * {@code ingest}: the dataset, the catalog version committed (null if nothing new), counts and
     * the objects.
     */
    record IngestView(
            String dataset,
            Long version,
            long stored,
            long duplicates,
            List<IngestedView> objects) {
        static IngestView of(IngestResult r) {
            return new IngestView(
                    r.dataset().toString(),
                    r.version() < 0 ? null : r.version(),
                    r.stored().size(),
                    r.duplicates().size(),
                    r.objects().stream().map(IngestedView::of).toList());
        }
    }

    /**
     * {@code rm}: the catalog version committed, the one before it (which still lists them) and the
     * objects.
     */
    record RemoveView(
            String dataset,
            long version,
            long previousVersion,
            long count,
            String reason,
            List<ObjectView> objects) {}

    /** {@code drop}: what was dropped, and the datasets that read it when --force overrode them. */
    record DropView(
            String dataset,
            String kind,
            long version,
            long objects,
            long bytes,
            boolean forced,
            List<String> readers,
            String reason) {}

    /**
     * {@code purge}: the retention, the catalog version recording it (null for a dry run or
     * nothing) and what went.
     */
    record PurgeView(
            boolean dryRun,
            long retentionSeconds,
            Long version,
            long count,
            long bytes,
            List<PurgedView> objects) {}

    /**
     * A stored object purge deleted: its key, size, dataset and why no version within the retention
     * needs it.
     */
    record PurgedView(String key, long size, String dataset, String reason) {}

    /**
     * {@code convert-file}: the inputs, the files written, row counts, the schema and its changes,
     * the time taken.
     */
    record ConvertFileView(
            List<String> inputs,
            String output,
            List<WrittenFile> files,
            long rowsRead,
            long rowsWritten,
            long rowsQuarantined,
            String quarantine,
            List<WrittenColumn> schema,
            List<SchemaChangeView> changes,
            List<String> notes,
            double seconds) {}

    /** A file {@code convert-file} wrote. */
    record WrittenFile(String path, long rows, long bytes) {}

    /**
     * A column {@code convert-file} wrote, its type in SQL spelling ({@code BIGINT}, {@code
     * VARCHAR[]}).
     */
    record WrittenColumn(String name, String type, boolean nullable) {}

    /** {@code {column, from, to, reason}}: {@code from} is null for an added column. */
    record SchemaChangeView(String column, String from, String to, String reason) {}

    /** A finding of {@code doctor}. */
    record FindingView(String kind, String key, String detail, boolean repaired) {
        static FindingView of(Finding f) {
            return new FindingView(Views.kind(f.kind()), f.key(), f.detail(), f.repaired());
        }
    }

    /** {@code doctor}. */
    record DoctorView(
            boolean clean,
            boolean repair,
            long catalogVersion,
            long objectsChecked,
            List<FindingView> findings) {
        static DoctorView of(DoctorReport r, boolean repair) {
            return new DoctorView(
                    r.isClean(),
                    repair,
                    r.catalogVersion(),
                    r.objectsChecked(),
                    r.findings().stream().map(FindingView::of).toList());
        }
    }

    static String kind(Finding.Kind k) {
        return k.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The keys of a record type as CSV heads them: its components in order (for those without
     * unwrapped parts).
     */
    static List<String> fieldNames(Class<? extends Record> type) {
        return java.util.Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getName)
                .toList();
    }

    /**
     * A record's values by key, for CSV and tables: its components in order, those Jackson writes
     * unwrapped ({@link JsonUnwrapped}) replaced by their own components, and a later key replacing
     * an earlier one's value.
     */
    static Map<String, Object> fields(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(
                        "cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
            }
            // the annotation reaches the accessor, not the component (JsonUnwrapped does not target
            // record components)
            if (c.getAccessor().isAnnotationPresent(JsonUnwrapped.class)
                    && v instanceof Record inner) {
                m.putAll(fields(inner));
            } else {
                m.put(c.getName(), v);
            }
        }
        return m;
    }
}
