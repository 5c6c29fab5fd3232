package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DropResult;
import dev.tarn.lake.catalog.PurgeResult;
import dev.tarn.lake.catalog.RemoveResult;
import dev.tarn.lake.ingest.IngestResult;
import dev.tarn.lake.ingest.IngestedObject;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, delivery 2: every operation previews with {@code apply()} without changing a byte of
 * the lake (data, catalog log, table logs, checkpoints), and a {@code commit()} right after it does
 * what the preview said.
 */
class OperationShapeTest extends TableFixture {
    static final DatasetId RAW = DatasetId.parse("raw/clicks");
    static final DatasetId TABLE = DatasetId.parse("processed/clicks");

    /** Every file under the lake with the SHA-256 of its bytes and its modification time. */
    Map<String, String> tree() throws IOException {
        Path root = data.root();
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (Files.isDirectory(p)) {
                    out.put(rel + "/", "dir");
                    continue;
                }
                MessageDigest sha;
                try (InputStream in = Files.newInputStream(p)) {
                    sha = MessageDigest.getInstance("SHA-256");
                    sha.update(in.readAllBytes());
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
                out.put(
                        rel,
                        HexFormat.of().formatHex(sha.digest())
                                + "@"
                                + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return out;
    }

    /** Runs a preview and checks that the lake's files are exactly as before. */
    <T> T unchanged(Supplier<T> apply) throws IOException {
        Map<String, String> before = tree();
        long catalog = lake.catalog().version();
        T preview = apply.get();
        assertEquals(before, tree(), "apply() changed the lake");
        assertEquals(catalog, lake.catalog().version());
        return preview;
    }

    static void assertSameCommit(CommitResult preview, CommitResult done) {
        assertEquals(preview.version(), done.version());
        assertEquals(preview.operation(), done.operation());
        assertEquals(preview.filesAdded(), done.filesAdded());
        assertEquals(preview.filesRemoved(), done.filesRemoved());
        assertEquals(0, preview.attempts());
        assertEquals(1, done.attempts());
    }

    @Test
    void catalogOperationsPreviewWhatTheyCommit() throws IOException {
        IngestResult planned =
                unchanged(
                        () ->
                                lake.ingest(RAW)
                                        .bytes(ConvertTest.events(0, 3), "a.ndjson")
                                        .bytes(ConvertTest.events(3, 3), "b.ndjson")
                                        .bytes(ConvertTest.events(0, 3), "again.ndjson")
                                        .apply());
        IngestResult ingested =
                lake.ingest(RAW)
                        .bytes(ConvertTest.events(0, 3), "a.ndjson")
                        .bytes(ConvertTest.events(3, 3), "b.ndjson")
                        .bytes(ConvertTest.events(0, 3), "again.ndjson")
                        .commit();
        assertEquals(ingested.version(), planned.version());
        assertEquals(outcomes(ingested), outcomes(planned));
        assertEquals(
                List.of(
                        IngestedObject.Status.STORED,
                        IngestedObject.Status.STORED,
                        IngestedObject.Status.DUPLICATE),
                planned.objects().stream().map(IngestedObject::status).toList());
        assertEquals(
                -1,
                unchanged(
                                () ->
                                        lake.ingest(RAW)
                                                .bytes(ConvertTest.events(0, 3), "a.ndjson")
                                                .apply())
                        .version(),
                "nothing new: no version");
        IllegalStateException stream =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                lake.ingest(RAW).stream(
                                                new java.io.ByteArrayInputStream(new byte[1]),
                                                "s.ndjson")
                                        .apply());
        assertTrue(stream.getMessage().contains("s.ndjson"), stream.getMessage());

        Dataset updated =
                unchanged(() -> lake.updateDataset(RAW).owner("web").tag("pii", "no").apply());
        assertEquals(
                updated.owner(),
                lake.updateDataset(RAW).owner("web").tag("pii", "no").commit().owner());
        assertEquals("web", updated.owner());

        String path = ingested.stored().get(1).object().path();
        RemoveResult removal =
                unchanged(() -> lake.remove(RAW).object(path).reason("wrong").apply());
        RemoveResult removed = lake.remove(RAW).object(path).reason("wrong").commit();
        assertEquals(removed, removal);

        lake.ingest(DatasetId.parse("raw/other")).bytes(new byte[] {1, 2}, "x.bin").commit();
        DropResult drop =
                unchanged(() -> lake.drop(DatasetId.parse("raw/other")).reason("gone").apply());
        assertEquals(lake.drop(DatasetId.parse("raw/other")).reason("gone").commit(), drop);

        PurgeResult dry = unchanged(() -> lake.purge().olderThan(Duration.ZERO).apply());
        assertTrue(dry.dryRun());
        PurgeResult purged = lake.purge().olderThan(Duration.ZERO).commit();
        assertEquals(
                dry.deleted().stream().map(PurgeResult.Item::key).toList(),
                purged.deleted().stream().map(PurgeResult.Item::key).toList());
        assertEquals(2, purged.deleted().size()); // the removed object and the dropped dataset's
    }

    private static List<String> outcomes(IngestResult r) {
        return r.objects().stream()
                .map(
                        o ->
                                o.status()
                                        + " "
                                        + o.originalName()
                                        + " "
                                        + o.object().sha256()
                                        + " "
                                        + o.object().size())
                .toList();
    }

    @Test
    void tableOperationsPreviewWhatTheyCommit() throws IOException {
        lake.ingest(RAW).bytes(ConvertTest.events(0, 5), "a.ndjson").commit();
        ConvertResult plan = unchanged(() -> tables.newConvert(RAW, TABLE).apply());
        ConvertResult converted = tables.newConvert(RAW, TABLE).commit();
        assertEquals(converted.objects(), plan.objects());
        assertEquals(converted.sourceVersion(), plan.sourceVersion());
        assertFalse(plan.converted());
        assertTrue(unchanged(() -> tables.newConvert(RAW, TABLE).apply()).objects().isEmpty());

        DatasetId t2 = DatasetId.parse("processed/t2");
        Schema schema =
                new Schema(
                        List.of(
                                Field.of("id", DataType.LONG),
                                Field.of("name", DataType.STRING),
                                Field.of("day", DataType.STRING)));
        Snapshot v0 =
                unchanged(() -> tables.newCreate(t2).schema(schema).partitionBy("day").apply());
        assertFalse(tables.exists(t2));
        Table table = tables.newCreate(t2).schema(schema).partitionBy("day").commit();
        assertEquals(v0.version(), table.snapshot().version());
        assertEquals(v0.schema(), table.snapshot().schema());
        assertEquals(v0.partitionColumns(), table.snapshot().partitionColumns());

        for (int i = 0; i < 3; i++) {
            data.write(
                    table,
                    "day=d1/f" + i + ".parquet",
                    "SELECT " + i + "::BIGINT AS id, 'n" + i + "' AS name");
        }
        AppendFiles append =
                table.newAppend()
                        .parameter("source", "test")
                        .addFile(table.dataFile("day=d1/f0.parquet", Map.of("day", "d1")))
                        .addFile(table.dataFile("day=d1/f1.parquet", Map.of("day", "d1")))
                        .addFile(table.dataFile("day=d1/f2.parquet", Map.of("day", "d1")));
        CommitResult appendPlan = unchanged(append::apply);
        assertSameCommit(appendPlan, append.commit());

        data.write(table, "day=d2/g.parquet", "SELECT 9::BIGINT AS id, 'x' AS name");
        OverwriteFiles overwrite =
                table.newOverwrite()
                        .overwrite(PartitionFilter.eq("day", "d2"))
                        .addFile(table.dataFile("day=d2/g.parquet", Map.of("day", "d2")));
        assertSameCommit(unchanged(overwrite::apply), overwrite.commit());

        DeleteRows rows = table.newRowDelete().rows(RowPredicate.eq("id", 1L), "id = 1");
        CommitResult rowPlan = unchanged(rows::apply);
        assertEquals(1, rowPlan.filesRemoved());
        assertSameCommit(rowPlan, rows.commit());

        Compaction compaction = table.newCompaction();
        CompactionResult merge = unchanged(compaction::apply);
        assertFalse(merge.committed());
        CompactionResult merged = compaction.commit();
        assertEquals(merge.removedFiles(), merged.removedFiles());
        assertEquals(merge.addedFiles(), merged.addedFiles());
        assertEquals(1, merged.addedFiles().size());

        data.write(
                table,
                "day=d1/r.parquet",
                "SELECT * FROM (VALUES (0::BIGINT, 'n0'), (2::BIGINT, 'n2')) t(id, name)");
        RewriteFiles rewrite =
                table.newRewrite()
                        .removeFile(merged.addedFiles().get(0))
                        .addFile(table.dataFile("day=d1/r.parquet", Map.of("day", "d1")));
        CommitResult rewritePlan = unchanged(rewrite::apply);
        assertEquals(1, rewritePlan.filesAdded());
        assertSameCommit(rewritePlan, rewrite.commit());

        DeleteFiles delete = table.newDelete().deleteWhere(PartitionFilter.eq("day", "d2"));
        assertSameCommit(unchanged(delete::apply), delete.commit());

        Vacuum vacuum = table.newVacuum().retention(Duration.ZERO);
        VacuumResult wouldDelete = unchanged(vacuum::apply);
        assertTrue(wouldDelete.dryRun());
        assertFalse(wouldDelete.deletedFiles().isEmpty());
        assertEquals(wouldDelete.deletedFiles(), vacuum.commit().deletedFiles());
    }
}
