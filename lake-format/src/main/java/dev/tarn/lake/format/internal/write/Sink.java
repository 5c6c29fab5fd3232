package dev.tarn.lake.format.internal.write;

import dev.tarn.lake.format.Output;
import dev.tarn.lake.format.OutputFileInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The destination of one conversion attempt: hands out staged files and, at the end, commits all of
 * them or discards all of them. Thread-safe.
 */
public final class Sink {
    private final Output output;
    private final String jobId;
    private final List<Entry> entries = new ArrayList<>();
    private Path stagingDir;

    private static final class Entry {
        final Staged staged;
        final String relative;
        long rows;
        int rowGroups;
        Map<String, String> partition;
        boolean finished;

        Entry(Staged staged, String relative) {
            this.staged = staged;
            this.relative = relative;
        }
    }

    public Sink(Output output, String jobId) {
        this.output = output;
        this.jobId = jobId;
    }

    Output output() {
        return output;
    }

    /** A new staged file at {@code relative} (ignored for single-file outputs). */
    synchronized Handle create(String relative) {
        Staged s;
        switch (output.kind()) {
            case LOCAL_FILE:
                {
                    Path target = output.path().toAbsolutePath();
                    Path temp =
                            target.resolveSibling(
                                    "." + target.getFileName() + "." + jobId + ".tmp");
                    s = Staged.Local.create(temp, target);
                    break;
                }
            case LOCAL_DIRECTORY:
                {
                    Path dir = output.path().toAbsolutePath();
                    if (stagingDir == null) {
                        stagingDir = dir.resolve(".tarn-staging-" + jobId);
                    }
                    s =
                            Staged.Local.create(
                                    stagingDir.resolve(relative + ".tmp"), dir.resolve(relative));
                    break;
                }
            case STORE_OBJECT:
                s = Staged.Store.create(output.store(), output.key());
                break;
            case STORE_PREFIX:
                s =
                        Staged.Store.create(
                                output.store(),
                                output.key().isEmpty() ? relative : output.key() + "/" + relative);
                break;
            default:
                throw new IllegalStateException();
        }
        Entry e = new Entry(s, output.isSingle() ? String.valueOf(fileName()) : relative);
        entries.add(e);
        return new Handle(this, e);
    }

    private String fileName() {
        return output.kind() == Output.Kind.LOCAL_FILE
                ? output.path().getFileName().toString()
                : output.key();
    }

    /** A staged file plus what the writer reports about it when done. */
    static final class Handle {
        private final Sink sink;
        private final Entry entry;

        Handle(Sink sink, Entry entry) {
            this.sink = sink;
            this.entry = entry;
        }

        Staged staged() {
            return entry.staged;
        }

        void finished(long rows, int rowGroups, Map<String, String> partition) {
            synchronized (sink) {
                entry.rows = rows;
                entry.rowGroups = rowGroups;
                entry.partition = partition;
                entry.finished = true;
            }
        }
    }

    /** Publishes every staged file (empty files included only if nothing else was written). */
    public synchronized List<OutputFileInfo> commitAll() {
        List<OutputFileInfo> out = new ArrayList<>();
        for (Entry e : entries) {
            if (!e.finished) {
                throw new IllegalStateException("file not finished: " + e.staged.describe());
            }
            long size = e.staged.size();
            String loc = e.staged.commit();
            out.add(
                    new OutputFileInfo(
                            loc,
                            e.relative,
                            e.rows,
                            size,
                            e.rowGroups,
                            e.partition == null ? Map.of() : e.partition));
        }
        cleanStaging();
        return out;
    }

    public synchronized void discardAll() {
        for (Entry e : entries) {
            e.staged.discard();
        }
        cleanStaging();
    }

    private void cleanStaging() {
        if (stagingDir != null && Files.exists(stagingDir)) {
            try (Stream<Path> walk = Files.walk(stagingDir)) {
                walk.sorted(Comparator.reverseOrder())
                        .forEach(
                                p -> {
                                    try {
                                        Files.deleteIfExists(p);
                                    } catch (IOException ignored) {
                                        // best effort
                                    }
                                });
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
