package dev.tarn.lake.table.internal;

import dev.tarn.lake.format.Compression;
import dev.tarn.lake.format.parquet.ParquetFiles;
import dev.tarn.lake.format.parquet.RowWriter;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.table.CommitResult;
import dev.tarn.lake.table.Compaction;
import dev.tarn.lake.table.CompactionResult;
import dev.tarn.lake.table.DataFile;
import dev.tarn.lake.table.PartitionFilter;
import dev.tarn.lake.table.RewriteFiles;
import dev.tarn.lake.table.internal.Actions.AddFile;
import dev.tarn.lake.types.StructType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;

/**
 * Small-file compaction: the rows of small files of one partition and one Parquet schema are read
 * and written again, in path order, into files of about the target size, by lake-format's one
 * Parquet writer (the encoder conversion writes data files with), with the schema and compression
 * of the files they come from.
 */
final class CompactionOperation implements Compaction {
    private final DefaultTable table;
    private PartitionFilter filter = PartitionFilter.all();
    private long target = 128L * 1024 * 1024;
    private long small = -1;
    private int minFiles = 2;
    private final Map<String, String> parameters = new LinkedHashMap<>();

    /**
     * Names the merged files of the next commit, so that {@link #apply()} names the files the
     * {@link #commit()} after it writes; a new one after each commit.
     */
    private UUID run = UUID.randomUUID();

    CompactionOperation(DefaultTable table) {
        this.table = table;
    }

    @Override
    public Compaction where(PartitionFilter f) {
        this.filter = f;
        return this;
    }

    @Override
    public Compaction targetFileSize(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("target file size must be positive");
        }
        this.target = bytes;
        return this;
    }

    @Override
    public Compaction smallFileSize(long bytes) {
        this.small = bytes;
        return this;
    }

    @Override
    public Compaction minFilesPerGroup(int n) {
        this.minFiles = Math.max(2, n);
        return this;
    }

    @Override
    public Compaction parameter(String key, String value) {
        new RewriteOperation(table)
                .parameter(key, value); // the rewrite's own parameters are refused here already
        parameters.put(key, value);
        return this;
    }

    private record Candidate(
            AddFile add, String path, ParquetMetadata footer, ObjectStat stat, StructType schema) {}

    @Override
    public CompactionResult apply() {
        List<List<Candidate>> bins = plan();
        List<String> removed = new ArrayList<>();
        List<String> merged = new ArrayList<>();
        for (int i = 0; i < bins.size(); i++) {
            merged.add(mergedPath(bins.get(i), i));
            bins.get(i).forEach(c -> removed.add(c.path()));
        }
        return new CompactionResult(removed, merged, null);
    }

    /** The groups of small files to merge, in the table as it is now. */
    private List<List<Candidate>> plan() {
        DeltaLog log = table.log();
        ObjectStore store = log.store();
        TableState base = log.latest();
        Protocols.checkWritable(base, table.id().toString());
        long smallLimit = small >= 0 ? small : target * 3 / 4;
        // partition -> (schema -> small files)
        Map<Map<String, String>, Map<MessageType, List<Candidate>>> groups = new LinkedHashMap<>();
        for (AddFile a : base.files().values()) {
            if (a.size() >= smallLimit || !filter.test(a.partitionValues())) {
                continue;
            }
            String path = PathCodec.decode(a.path());
            ObjectStat stat = store.stat(table.keyPrefix() + path).orElse(null);
            if (stat == null) {
                continue;
            }
            ParquetMetadata footer;
            StructType schema;
            try {
                footer = ParquetFooter.read(store, stat);
                schema = ParquetFooter.schemaOf(footer.getFileMetaData().getSchema()).asStruct();
                RowWriter.check(schema);
            } catch (RuntimeException e) {
                continue; // not a Parquet file we can merge: leave it
            }
            groups.computeIfAbsent(a.partitionValues(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(footer.getFileMetaData().getSchema(), k -> new ArrayList<>())
                    .add(new Candidate(a, path, footer, stat, schema));
        }
        List<List<Candidate>> bins = new ArrayList<>();
        for (Map<MessageType, List<Candidate>> bySchema : groups.values()) {
            for (List<Candidate> files : bySchema.values()) {
                files.sort(Comparator.comparing(Candidate::path));
                List<Candidate> bin = new ArrayList<>();
                long size = 0;
                for (Candidate c : files) {
                    if (!bin.isEmpty() && size + c.add().size() > target) {
                        bins.add(bin);
                        bin = new ArrayList<>();
                        size = 0;
                    }
                    bin.add(c);
                    size += c.add().size();
                }
                bins.add(bin);
            }
        }
        bins.removeIf(b -> b.size() < minFiles);
        return bins;
    }

    /** Where the i-th group's merged file goes: beside its first file. */
    private String mergedPath(List<Candidate> bin, int i) {
        String first = bin.get(0).path();
        int slash = first.lastIndexOf('/');
        UUID name = new UUID(run.getMostSignificantBits(), run.getLeastSignificantBits() + i);
        return (slash < 0 ? "" : first.substring(0, slash + 1))
                + "part-"
                + name
                + "-compacted.parquet";
    }

    @Override
    public CompactionResult commit() {
        List<List<Candidate>> bins = plan();
        if (bins.isEmpty()) {
            return new CompactionResult(List.of(), List.of(), null);
        }
        ObjectStore store = table.log().store();
        List<String> removed = new ArrayList<>();
        List<String> written = new ArrayList<>();
        RewriteFiles rewrite = new RewriteOperation(table);
        parameters.forEach(rewrite::parameter);
        try {
            for (int i = 0; i < bins.size(); i++) {
                List<Candidate> bin = bins.get(i);
                DataFile merged = merge(store, bin, mergedPath(bin, i));
                written.add(merged.path());
                rewrite.addFile(merged);
                for (Candidate c : bin) {
                    rewrite.removeFile(c.path());
                    removed.add(c.path());
                }
            }
            CommitResult r = rewrite.commit();
            return new CompactionResult(removed, written, r);
        } catch (dev.tarn.lake.exceptions.CommitStateUnknownException e) {
            throw e; // the commit may have landed: the files it would reference stay ('lake doctor'
            // tells)
        } catch (RuntimeException e) {
            for (String w : written) {
                store.delete(table.keyPrefix() + w);
            }
            throw e;
        } finally {
            run = UUID.randomUUID();
        }
    }

    private DataFile merge(ObjectStore store, List<Candidate> bin, String rel) {
        Candidate first = bin.get(0);
        Map<String, String> kv =
                RowDeleteOperation.carriedOver(
                        first.footer().getFileMetaData().getKeyValueMetaData());
        ObjectStat stat;
        try (RowWriter w =
                RowWriter.create(
                        store,
                        table.keyPrefix() + rel,
                        first.schema(),
                        RowWriter.compression(
                                ParquetFiles.codec(first.footer()), Compression.SNAPPY),
                        kv)) {
            for (Candidate c : bin) {
                ParquetFiles.forEachRow(store, c.stat(), c.footer(), first.schema(), w::write);
            }
            stat = w.commit();
        }
        return ParquetFooter.describe(store, stat, rel, first.add().partitionValues());
    }
}
