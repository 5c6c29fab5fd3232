package dev.tarn.lake.internal.storage;

import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.ObjectExistsException;
import dev.tarn.lake.exceptions.ObjectNotFoundException;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.spi.Keys;
import dev.tarn.lake.spi.LocalStore;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectWriter;
import dev.tarn.lake.storage.PendingWrite;
import dev.tarn.lake.storage.WriteMode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An object store over a local directory.
 *
 * <p>Writes stage into {@code ROOT/.tmp/} (outside the key space: keys never have segments starting
 * with '.'), are forced to disk, then published: an overwrite by atomic rename, a put-if-absent by
 * {@code link(2)}, which fails atomically when the target exists, so it is exclusive across threads
 * and processes alike. Temp file names carry host and pid so that {@code doctor} can tell an
 * abandoned write from one still in progress.
 */
public final class LocalObjectStore implements LocalStore {
    private static final String TMP_DIR = ".tmp";
    private static final String HOST = hostName();
    private static final long PID = ProcessHandle.current().pid();

    private final Path root;
    private final Path tmp;

    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve(TMP_DIR);
    }

    @Override
    public Path root() {
        return root;
    }

    /** The local file behind a key (for engines such as DuckDB that read files directly). */
    @Override
    public Path pathOf(String key) {
        return root.resolve(Keys.check(key));
    }

    @Override
    public String location() {
        return root.toUri().toString();
    }

    @Override
    public InputStream get(String key) {
        Path p = pathOf(key);
        try {
            return Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    @Override
    public InputStream get(String key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        Path p = pathOf(key);
        try {
            FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
            ch.position(offset);
            return new BoundedInputStream(Channels.newInputStream(ch), length);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    @Override
    public Optional<ObjectStat> stat(String key) {
        Path p = pathOf(key);
        try {
            BasicFileAttributes a =
                    Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(statOf(key, a));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + p, e);
        }
    }

    private static ObjectStat statOf(String key, BasicFileAttributes a) {
        Instant mtime = a.lastModifiedTime().toInstant();
        String etag =
                Long.toHexString(a.size())
                        + "-"
                        + Long.toHexString(mtime.getEpochSecond())
                        + Integer.toHexString(mtime.getNano());
        return new ObjectStat(key, a.size(), mtime, etag);
    }

    @Override
    public ObjectWriter newWriter(String key, WriteMode mode) {
        Path target = pathOf(key);
        try {
            Files.createDirectories(tmp);
            Path staged = tmp.resolve(HOST + "~" + PID + "~" + UUID.randomUUID() + ".tmp");
            FileChannel ch =
                    FileChannel.open(
                            staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new LocalWriter(key, target, staged, ch, mode);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start writing " + target, e);
        }
    }

    @Override
    public List<ObjectStat> list(String prefix, String startAfter, int limit) {
        Keys.checkPrefix(prefix);
        // Walk only the deepest directory that can contain the prefix.
        int slash = prefix.lastIndexOf('/');
        String dirPart = slash < 0 ? "" : prefix.substring(0, slash);
        Path dir = dirPart.isEmpty() ? root : root.resolve(dirPart);
        List<ObjectStat> out = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try {
            walk(dir, dirPart.isEmpty() ? "" : dirPart + "/", prefix, startAfter, limit, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    /**
     * Depth-first in key order, so the result comes out sorted and a limit can stop the walk early.
     */
    private void walk(
            Path dir,
            String dirKey,
            String prefix,
            String startAfter,
            int limit,
            List<ObjectStat> out)
            throws IOException {
        record Entry(String sortKey, Path path, BasicFileAttributes attrs) {}
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                // Skip, before reading its attributes, a name that lies wholly before startAfter as
                // a file and as a
                // directory ("a" sorts before "a/"): listing the tail of a large flat directory (a
                // long log) then
                // costs reading its names, not a stat of each.
                String asDir = dirKey + name + "/";
                if (startAfter != null
                        && Keys.ORDER.compare(asDir, startAfter) <= 0
                        && !startAfter.startsWith(asDir)) {
                    continue;
                }
                try {
                    BasicFileAttributes a =
                            Files.readAttributes(
                                    p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    // A directory "a" sorts as "a/": after a file "a-b", before "a0", as its keys
                    // do.
                    entries.add(new Entry(dirKey + name + (a.isDirectory() ? "/" : ""), p, a));
                } catch (NoSuchFileException e) {
                    // removed while we walked
                }
            }
        } catch (NoSuchFileException e) {
            return;
        }
        entries.sort((x, y) -> Keys.ORDER.compare(x.sortKey(), y.sortKey()));
        for (Entry e : entries) {
            if (out.size() >= limit) {
                return;
            }
            String key = e.sortKey();
            if (e.attrs().isDirectory()) {
                // Skip subtrees that cannot hold a match or lie wholly before startAfter.
                if (!(key.startsWith(prefix) || prefix.startsWith(key))) {
                    continue;
                }
                if (startAfter != null
                        && !startAfter.startsWith(key)
                        && Keys.ORDER.compare(key, startAfter) < 0) {
                    continue;
                }
                walk(e.path(), key, prefix, startAfter, limit, out);
            } else if (e.attrs().isRegularFile()
                    && key.startsWith(prefix)
                    && (startAfter == null || Keys.ORDER.compare(key, startAfter) > 0)) {
                out.add(statOf(key, e.attrs()));
            }
        }
    }

    @Override
    public boolean delete(String key) {
        Path p = pathOf(key);
        try {
            return Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p, e);
        }
    }

    @Override
    public List<PendingWrite> pendingWrites() {
        List<PendingWrite> out = new ArrayList<>();
        if (!Files.isDirectory(tmp)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
            for (Path p : ds) {
                BasicFileAttributes a;
                try {
                    a =
                            Files.readAttributes(
                                    p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    continue; // finished meanwhile
                }
                String name = p.getFileName().toString();
                out.add(
                        new PendingWrite(
                                name,
                                null,
                                a.size(),
                                a.lastModifiedTime().toInstant(),
                                ownerAlive(name)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + tmp, e);
        }
        out.sort((x, y) -> x.id().compareTo(y.id()));
        return out;
    }

    /**
     * A temp file's writer is gone for sure only if it was this host and that pid no longer runs.
     */
    private static boolean ownerAlive(String tempName) {
        String[] parts = tempName.split("~");
        if (parts.length != 3 || !parts[0].equals(HOST)) {
            return true;
        }
        try {
            long pid = Long.parseLong(parts[1]);
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    @Override
    public void abandon(PendingWrite write) {
        String id = write.id();
        if (id.contains("/") || id.startsWith(".")) {
            throw new IllegalArgumentException("not a pending write of this store: " + id);
        }
        try {
            Files.deleteIfExists(tmp.resolve(id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + tmp.resolve(id), e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replace('~', '-').replace('/', '-');
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some filesystems cannot open directories; the rename is still atomic, only less
            // durable.
        }
    }

    private final class LocalWriter extends ObjectWriter {
        private final String key;
        private final Path target;
        private final Path staged;
        private final FileChannel channel;
        private final OutputStream out;
        private final WriteMode mode;
        private boolean done;

        /** The staged file is complete, synced and closed (see {@link #finishWriting()}). */
        private boolean finished;

        LocalWriter(String key, Path target, Path staged, FileChannel channel, WriteMode mode) {
            this.key = key;
            this.target = target;
            this.staged = staged;
            this.channel = channel;
            this.out = Channels.newOutputStream(channel);
            this.mode = mode;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void finishWriting() {
            if (done || finished) {
                return;
            }
            try {
                channel.force(true);
                channel.close();
                finished = true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target, e);
            }
        }

        @Override
        public ObjectStat commit() {
            if (done) {
                throw new IllegalStateException("writer for " + key + " already finished");
            }
            done = true;
            try {
                if (!finished) {
                    channel.force(true);
                    channel.close();
                }
                Path parent = target.getParent();
                for (int attempt = 0; ; attempt++) {
                    Files.createDirectories(parent);
                    try {
                        publish();
                        break;
                    } catch (NoSuchFileException e) {
                        if (attempt >= 3) {
                            throw e; // the parent keeps vanishing: give up loudly
                        }
                    }
                }
                forceDirectory(parent);
                return stat(key)
                        .orElseThrow(
                                () ->
                                        new TarnException(
                                                ErrorCode.IO_ERROR,
                                                "object vanished right after writing: " + key));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target, e);
            } finally {
                deleteQuietly(staged);
            }
        }

        private void publish() throws IOException {
            if (mode == WriteMode.OVERWRITE) {
                Files.move(
                        staged,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            try {
                Files.createLink(target, staged);
            } catch (FileAlreadyExistsException e) {
                throw new ObjectExistsException(key);
            } catch (UnsupportedOperationException e) {
                throw new TarnException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "the filesystem under "
                                + root
                                + " does not support hard links, which Tarn needs for atomic put-if-absent",
                        e);
            }
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // discarding anyway
                }
                deleteQuietly(staged);
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file is reported by doctor
        }
    }

    /** Stops after a fixed number of bytes. */
    private static final class BoundedInputStream extends FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(Math.min(n, remaining));
            remaining -= s;
            return s;
        }
    }
}
