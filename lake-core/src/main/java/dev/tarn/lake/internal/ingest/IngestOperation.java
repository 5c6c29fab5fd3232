package dev.tarn.lake.internal.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.catalog.Format;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.NotFoundException;
import dev.tarn.lake.exceptions.ObjectExistsException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.ingest.Ingest;
import dev.tarn.lake.ingest.IngestProgress;
import dev.tarn.lake.ingest.IngestResult;
import dev.tarn.lake.ingest.IngestedObject;
import dev.tarn.lake.internal.LakeContext;
import dev.tarn.lake.internal.catalog.CatalogAction;
import dev.tarn.lake.internal.catalog.CatalogState;
import dev.tarn.lake.internal.catalog.DatasetEntry;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.ObjectWriter;
import dev.tarn.lake.storage.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Raw ingest. Bytes are streamed into the store first (each object under a key of its own, written
 * with put-if-absent, hashed on the way), then one catalog commit makes all of them visible at
 * once. Deduplication is decided inside the commit's plan, against the newest catalog, so two
 * writers storing the same bytes at the same moment end with one object: the loser finds the
 * winner's entry when it retries, and deletes its own copy.
 */
public final class IngestOperation implements Ingest {
    private static final ObjectMapper RECORDS =
            new ObjectMapper()
                    .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)
                    .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

    private final LakeContext lake;
    private final DatasetId dataset;
    private final List<Source> sources = new ArrayList<>();
    private final Map<String, String> partition = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private String sourceOverride;
    private String contentTypeOverride;
    private boolean force;
    private IngestProgress progress = (a, b, c, d) -> {};

    public IngestOperation(LakeContext lake, DatasetId dataset) {
        this.lake = lake;
        this.dataset = Objects.requireNonNull(dataset, "dataset");
    }

    /** Something to store: where its bytes come from and what to call it. */
    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private record Source(
            String originalName,
            String relativePath,
            String source,
            long size,
            boolean rereadable,
            Content content) {}

    @Override
    public Ingest file(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) {
            throw new NotFoundException(
                    Files.isDirectory(abs)
                            ? abs + " is a directory; ingest it as a directory"
                            : "no such file: " + abs);
        }
        String name = abs.getFileName().toString();
        sources.add(
                new Source(
                        name,
                        name,
                        abs.toString(),
                        sizeOf(abs),
                        true,
                        out -> Files.copy(abs, out)));
        return this;
    }

    @Override
    public Ingest directory(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new NotFoundException("no such directory: " + root);
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files =
                    s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                            .filter(p -> !isHidden(root.relativize(p)))
                            .sorted()
                            .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        for (Path p : files) {
            String rel = root.relativize(p).toString().replace('\\', '/');
            sources.add(
                    new Source(
                            p.getFileName().toString(),
                            rel,
                            p.toString(),
                            sizeOf(p),
                            true,
                            out -> Files.copy(p, out)));
        }
        return this;
    }

    private static boolean isHidden(Path relative) {
        for (Path seg : relative) {
            if (seg.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public Ingest stream(InputStream in, String name) {
        Objects.requireNonNull(in, "in");
        String n = requireName(name);
        sources.add(new Source(n, n, "stream", -1, false, in::transferTo));
        return this;
    }

    @Override
    public Ingest bytes(byte[] bytes, String name) {
        Objects.requireNonNull(bytes, "bytes");
        String n = requireName(name);
        sources.add(new Source(n, n, "bytes", bytes.length, true, out -> out.write(bytes)));
        return this;
    }

    @Override
    public Ingest records(Iterable<?> records, String name) {
        Objects.requireNonNull(records, "records");
        String n = requireName(name);
        sources.add(
                new Source(
                        n,
                        n,
                        "records",
                        -1,
                        true,
                        out -> {
                            for (Object r : records) {
                                RECORDS.writeValue(out, r);
                                out.write('\n');
                            }
                        }));
        return this;
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an object needs a name (e.g. events.ndjson)");
        }
        return name;
    }

    @Override
    public Ingest partition(String key, String value) {
        partition.put(key, value);
        return this;
    }

    @Override
    public Ingest meta(String key, String value) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("metadata key is blank");
        }
        metadata.put(key, Objects.requireNonNull(value, "metadata value"));
        return this;
    }

    @Override
    public Ingest source(String source) {
        this.sourceOverride = source;
        return this;
    }

    @Override
    public Ingest contentType(String contentType) {
        this.contentTypeOverride = contentType;
        return this;
    }

    @Override
    public Ingest force() {
        this.force = true;
        return this;
    }

    @Override
    public Ingest progress(IngestProgress listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** An object written to the store but not yet in the catalog. */
    private record Staged(
            Source source,
            String path,
            long size,
            String sha256,
            Format format,
            String contentType) {}

    /**
     * Reads and hashes every source without storing a byte, and plans against the newest catalog:
     * which objects would be stored and which are duplicates, under which paths, in which catalog
     * version. A stream can be read only once, so an ingest with a stream is not previewed.
     */
    @Override
    public IngestResult apply() {
        check();
        for (Source s : sources) {
            if (!s.rereadable()) {
                throw new IllegalStateException(
                        "cannot preview the ingest of stream '"
                                + s.originalName()
                                + "': apply() would read it to its end and leave nothing for commit()");
            }
        }
        CatalogState state = lake.catalogLog().refresh();
        checkDataset(state);
        Instant started = lake.clock().instant();
        Map<String, String> part =
                ObjectNaming.partition(partition, LocalDate.ofInstant(started, ZoneOffset.UTC));
        String partPath = ObjectNaming.partitionPath(part);
        List<Staged> staged = new ArrayList<>();
        long totalBytes = sources.stream().mapToLong(Source::size).sum();
        long[] done = {0};
        for (Source s : sources) {
            String path = partPath + ObjectNaming.safeRelativePath(s.relativePath());
            if (isTaken(state, lake.store(), path)) {
                path = ObjectNaming.withSuffix(path, shortId());
            }
            staged.add(write(s, path, done, totalBytes, staged.size(), false));
        }
        Map<String, IngestedObject> outcome = new HashMap<>();
        boolean anyStored = !plan(state, staged, part, started, outcome).isEmpty();
        return new IngestResult(
                dataset,
                anyStored ? state.version() + 1 : -1,
                staged.stream().map(st -> outcome.get(st.path())).toList());
    }

    private void check() {
        lake.authorize(Privilege.WRITE, dataset.toString());
        if (sources.isEmpty()) {
            throw new IllegalStateException(
                    "nothing to ingest: add a file, directory, stream, bytes or records");
        }
    }

    private void checkDataset(CatalogState state) {
        LakeContext.requireZone(state, dataset.zone());
        state.dataset(dataset)
                .ifPresent(
                        d -> {
                            if (!d.info().kind().equals(DatasetKind.OBJECTS.id())) {
                                throw new TarnException(
                                        ErrorCode.INVALID_OPERATION,
                                        dataset
                                                + " is a "
                                                + d.info().kind()
                                                + "; raw ingest stores objects only"
                                                + " in object datasets");
                            }
                        });
    }

    @Override
    public IngestResult commit() {
        check();
        CatalogState state = lake.catalogLog().refresh();
        checkDataset(state);
        Instant started = lake.clock().instant();
        Map<String, String> part =
                ObjectNaming.partition(partition, LocalDate.ofInstant(started, ZoneOffset.UTC));
        String partPath = ObjectNaming.partitionPath(part);

        List<Staged> staged = new ArrayList<>();
        Map<String, IngestedObject> outcome = new HashMap<>();
        long totalBytes =
                sources.stream().allMatch(s -> s.size() >= 0)
                        ? sources.stream().mapToLong(Source::size).sum()
                        : -1;
        long[] done = {0};
        boolean committed = false;
        try {
            for (Source s : sources) {
                staged.add(store(s, partPath, state, done, totalBytes, staged.size()));
                progress.onProgress(done[0], totalBytes, staged.size(), sources.size());
            }
            var result =
                    lake.commit(
                            "ingest",
                            Map.of(
                                    "dataset",
                                    dataset.toString(),
                                    "objects",
                                    Integer.toString(staged.size())),
                            base -> plan(base, staged, part, started, outcome));
            committed = true;
            // Copies that turned out to be duplicates were never referenced: remove them.
            for (Staged st : staged) {
                IngestedObject o = outcome.get(st.path());
                if (o.status() == IngestedObject.Status.DUPLICATE) {
                    lake.store().delete(dataset.keyPrefix() + st.path());
                }
            }
            long version = result.map(c -> c.version()).orElse(-1L);
            List<IngestedObject> objects = new ArrayList<>();
            for (Staged st : staged) {
                objects.add(outcome.get(st.path()));
            }
            return new IngestResult(dataset, version, objects);
        } catch (dev.tarn.lake.exceptions.CommitStateUnknownException e) {
            committed =
                    true; // it may have: the objects it would reference stay ('lake doctor' tells)
            throw e;
        } finally {
            if (!committed) {
                for (Staged st : staged) {
                    try {
                        lake.store().delete(dataset.keyPrefix() + st.path());
                    } catch (RuntimeException ignored) {
                        // doctor reports what could not be removed here
                    }
                }
            }
        }
    }

    /**
     * The commit's actions, decided against {@code base}: duplicates of what it holds are left out.
     */
    private List<CatalogAction> plan(
            CatalogState base,
            List<Staged> staged,
            Map<String, String> part,
            Instant ingestedAt,
            Map<String, IngestedObject> outcome) {
        LakeContext.requireZone(base, dataset.zone());
        outcome.clear();
        List<CatalogAction> actions = new ArrayList<>();
        DatasetEntry entry = base.dataset(dataset).orElse(null);
        if (entry == null) {
            actions.add(
                    new CatalogAction.DatasetInfo(
                            dataset.zone(),
                            dataset.name(),
                            DatasetKind.OBJECTS.id(),
                            ingestedAt.toString(),
                            null,
                            null,
                            Map.of(),
                            null,
                            null));
        }
        Map<String, LakeObject> batch =
                new HashMap<>(); // sha -> object stored earlier in this ingest
        for (Staged st : staged) {
            String src = sourceOverride != null ? sourceOverride : st.source().source();
            LakeObject existing = null;
            if (!force) {
                if (entry != null) {
                    existing =
                            entry.pathOfSha(st.sha256())
                                    .map(p -> entry.objects().get(p))
                                    .orElse(null);
                }
                if (existing == null) {
                    existing = batch.get(st.sha256());
                }
            }
            if (existing != null) {
                outcome.put(
                        st.path(),
                        new IngestedObject(
                                IngestedObject.Status.DUPLICATE,
                                st.source().originalName(),
                                src,
                                existing));
                continue;
            }
            LakeObject o =
                    new LakeObject(
                            dataset,
                            st.path(),
                            st.size(),
                            st.sha256(),
                            st.contentType(),
                            st.format(),
                            st.source().originalName(),
                            ingestedAt,
                            src,
                            part,
                            metadata,
                            base.version() + 1);
            batch.putIfAbsent(st.sha256(), o);
            outcome.put(
                    st.path(),
                    new IngestedObject(
                            IngestedObject.Status.STORED, st.source().originalName(), src, o));
            actions.add(CatalogState.toAction(o, null));
        }
        boolean anyStored = actions.stream().anyMatch(a -> a instanceof CatalogAction.AddObject);
        return anyStored ? actions : List.of();
    }

    /** Streams one source into the store under a fresh key, hashing and sniffing on the way. */
    private Staged store(
            Source s,
            String partPath,
            CatalogState state,
            long[] done,
            long totalBytes,
            int index) {
        ObjectStore store = lake.store();
        String base = partPath + ObjectNaming.safeRelativePath(s.relativePath());
        String path = base;
        if (isTaken(state, store, path)) {
            path = ObjectNaming.withSuffix(base, shortId());
        }
        for (int attempt = 0; ; attempt++) {
            try {
                return write(s, path, done, totalBytes, index, true);
            } catch (ObjectExistsException e) {
                // Another writer took this key between our check and our write.
                if (!s.rereadable() || attempt >= 3) {
                    throw new TarnException(
                            ErrorCode.COMMIT_CONFLICT,
                            "another writer stored "
                                    + dataset
                                    + "/"
                                    + path
                                    + " at the same moment; nothing was committed, try the ingest again");
                }
                path = ObjectNaming.withSuffix(base, shortId());
            }
        }
    }

    private boolean isTaken(CatalogState state, ObjectStore store, String path) {
        boolean inCatalog =
                state.dataset(dataset).map(d -> d.objects().containsKey(path)).orElse(false);
        return inCatalog || store.stat(dataset.keyPrefix() + path).isPresent();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Where a source's bytes go while they are hashed: the store, or nowhere for a preview. */
    private interface Sink {
        void write(byte[] b, int off, int len) throws IOException;
    }

    /**
     * Reads a source to its end, hashing and sniffing it; with {@code store}, into a new object at
     * {@code path}.
     */
    private Staged write(
            Source s, String path, long[] done, long totalBytes, int index, boolean store) {
        try {
            if (!store) {
                return read(s, path, done, totalBytes, index, (b, off, len) -> {});
            }
            try (ObjectWriter w =
                    lake.store().newWriter(dataset.keyPrefix() + path, WriteMode.CREATE)) {
                Staged st = read(s, path, done, totalBytes, index, w::write);
                w.commit();
                return st;
            }
        } catch (NoSuchFileException e) {
            throw new NotFoundException("no such file: " + e.getFile());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot ingest " + s.source() + ": " + e.getMessage(), e);
        }
    }

    private Staged read(Source s, String path, long[] done, long totalBytes, int index, Sink w)
            throws IOException {
        MessageDigest sha = sha256();
        byte[] head = new byte[FormatSniffer.HEAD];
        int[] headLen = {0};
        long[] size = {0};
        long startDone = done[0];
        OutputStream tee =
                new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        sha.update(b, off, len);
                        if (headLen[0] < head.length) {
                            int n = Math.min(len, head.length - headLen[0]);
                            System.arraycopy(b, off, head, headLen[0], n);
                            headLen[0] += n;
                        }
                        w.write(b, off, len);
                        size[0] += len;
                        done[0] = startDone + size[0];
                        if ((size[0] & ((1 << 24) - 1)) < len) {
                            progress.onProgress(done[0], totalBytes, index, sources.size());
                        }
                    }
                };
        s.content().writeTo(tee);
        FormatSniffer.Detected d = FormatSniffer.detect(s.originalName(), head, headLen[0]);
        String contentType = contentTypeOverride != null ? contentTypeOverride : d.contentType();
        return new Staged(
                s, path, size[0], HexFormat.of().formatHex(sha.digest()), d.format(), contentType);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
