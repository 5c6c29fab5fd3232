package dev.tarn.lake.query.internal;

import static dev.tarn.lake.query.internal.DuckEngine.ident;
import static dev.tarn.lake.query.internal.DuckEngine.quote;

import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.query.BadObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads objects of a raw dataset one at a time to find those that cannot be read as rows, and says
 * why in one line. A dataset's view reads all its objects in one scan, where one malformed object
 * fails the whole dataset with an error about a local file (or, when the view cannot even be made,
 * about a column that is "not found"); checked alone, an object's error belongs to it.
 *
 * <p>An object's bytes never change under its key and checksum, so each result is kept for the
 * engine's life: a {@code schema} check (what making a view reads: the CSV dialect sniffed, a JSON
 * sample, a Parquet footer) and a {@code full} one (every row read, as {@link
 * dev.tarn.lake.query.SqlOptions#skipBadObjects} needs).
 */
final class ObjectChecks {
    private static final Pattern CSV_LINE = Pattern.compile("CSV Error on Line: (\\d+)");
    private static final Pattern CSV_COLUMNS =
            Pattern.compile("Expected Number of Columns: (\\d+) Found: (\\d+)");
    private static final Pattern JSON_AT =
            Pattern.compile(
                    "Malformed JSON in file \"[^\"]*\", at byte (\\d+) in line"
                            + " (\\d+): ([^\\n]*)");
    private static final String OK = "";

    /** key + checksum + kind of check to the reason it failed, or {@link #OK}. */
    private final Map<String, String> results = new HashMap<>();

    /** The engine's spill directory, where a full check writes its one-row result. */
    private final Path staging;

    ObjectChecks(Path staging) {
        this.staging = staging;
    }

    /**
     * The objects among {@code objects} that cannot be read alone, with their reasons.
     *
     * @param reader the read function for an object's format ({@code read_csv(FILES}), or null for
     *     one SQL does not read as rows
     * @param full read every row (else only what making a view reads)
     */
    synchronized List<BadObject> find(
            Connection c,
            DatasetId dataset,
            List<LakeObject> objects,
            Function<LakeObject, String> reader,
            Function<LakeObject, Path> local,
            boolean full)
            throws SQLException {
        List<BadObject> bad = new ArrayList<>();
        for (LakeObject o : objects) {
            String read = reader.apply(o);
            if (read == null) {
                continue;
            }
            String id = o.key() + '\0' + o.sha256() + '\0' + full;
            String reason = results.get(id);
            if (reason == null) {
                Path file = local.apply(o);
                reason = check(c, read, file, full);
                results.put(id, reason);
            }
            if (!reason.isEmpty()) {
                bad.add(new BadObject(dataset, o.key(), reason));
            }
        }
        return bad;
    }

    /**
     * {@link #OK}, or why the object's file cannot be read. A failure whose message does not name
     * the file (the engine's spill directory gone, memory) is the engine's, not the object's: it is
     * thrown, and nothing is kept.
     */
    private String check(Connection c, String read, Path file, boolean full) throws SQLException {
        String from = read.replace("FILES", "[" + quote(file.toString()) + "]") + ")";
        if (!full) {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + from)) {
                while (rs.next()) {
                    // binding is the check
                }
                return OK;
            } catch (SQLException e) {
                return reasonOrThrow(e, file);
            }
        }
        // Every row read, inside a COPY of its one-row count: a streamed result would report any
        // error of the scan
        // as "Invalid result set" (see SqlSession.diagnose).
        Path out = staging.resolve("check-" + java.util.UUID.randomUUID() + ".csv");
        try (Statement s = c.createStatement()) {
            s.execute(
                    "COPY (SELECT count(*) FROM "
                            + from
                            + ") TO "
                            + quote(out.toString())
                            + " (FORMAT CSV)");
            return OK;
        } catch (SQLException e) {
            return reasonOrThrow(e, file);
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // in the spill directory, removed with it
            }
        }
    }

    private static String reasonOrThrow(SQLException e, Path file) throws SQLException {
        if (e.getMessage() == null || !e.getMessage().contains(file.toString())) {
            throw e;
        }
        return reason(e.getMessage(), file);
    }

    /**
     * DuckDB's error about one file as one line about the object: what is wrong and where, without
     * the local path and the reader's list of options to try.
     */
    static String reason(String message, Path file) {
        String m = message == null ? "" : message.replaceFirst("^[A-Za-z ]*Error: ", "");
        if (m.startsWith("Error when sniffing file")) {
            return file != null && mixedLineEndings(file)
                    ? "mixed line endings (CRLF and LF)"
                    : "its CSV dialect (delimiter, quotes, columns) cannot be detected";
        }
        Matcher line = CSV_LINE.matcher(m);
        if (line.find()) {
            Matcher cols = CSV_COLUMNS.matcher(m);
            if (cols.find()) {
                return "line "
                        + line.group(1)
                        + " has "
                        + cols.group(2)
                        + " fields where the header has "
                        + cols.group(1);
            }
            String next = m.substring(line.end()).strip();
            int nl = next.indexOf('\n');
            return "CSV error on line "
                    + line.group(1)
                    + (next.isEmpty()
                            ? ""
                            : ": " + (nl < 0 ? next : next.substring(0, nl)).strip());
        }
        Matcher json = JSON_AT.matcher(m);
        if (json.find()) {
            return "malformed JSON at line "
                    + json.group(2)
                    + ", byte "
                    + json.group(1)
                    + ": "
                    + json.group(3).strip().replaceFirst("\\.$", "");
        }
        String first = CatalogViews.firstLine(m).strip();
        if (file != null) {
            first =
                    first.replace("\"" + file + "\"", "")
                            .replace("'" + file + "'", "")
                            .replace(file.toString(), "")
                            .replace(" in file ,", ",")
                            .replaceAll("\\s+", " ")
                            .strip();
        }
        return first.isEmpty() ? "unreadable" : first;
    }

    /**
     * Whether the first MiB of a file has both CRLF and bare LF line ends: DuckDB's CSV sniffer
     * gives up on those.
     */
    static boolean mixedLineEndings(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(1 << 20);
        } catch (IOException e) {
            return false;
        }
        boolean crlf = false;
        boolean lf = false;
        for (int i = 0; i < head.length; i++) {
            if (head[i] == '\n') {
                if (i > 0 && head[i - 1] == '\r') {
                    crlf = true;
                } else {
                    lf = true;
                }
            }
        }
        return crlf && lf;
    }

    /**
     * The column that marks a view failing for malformed objects (it never shows: reading it
     * fails).
     */
    static final String UNREADABLE_MARKER = "tarn_unreadable";

    static String failingMarker(String why) {
        return "SELECT NULL AS "
                + ident(UNREADABLE_MARKER)
                + " FROM range(1) WHERE error("
                + quote(why)
                + ") IS NULL";
    }

    /**
     * The error of a dataset with malformed objects: each named, with its reason, and the way to
     * read the rest.
     */
    static String unreadable(DatasetId id, List<BadObject> bad) {
        return unreadable(id, bad, false);
    }

    /** {@code all}: every object with rows is malformed (there is no rest to read). */
    static String unreadable(DatasetId id, List<BadObject> bad, boolean all) {
        StringBuilder b = new StringBuilder(id.toString()).append(" cannot be read: ");
        if (all) {
            b.append("none of its objects with rows can be read; ");
        }
        int shown = Math.min(5, bad.size());
        b.append(bad.size() == 1 ? "object " : bad.size() + " objects are malformed: ");
        for (int i = 0; i < shown; i++) {
            b.append(i == 0 ? "" : "; ")
                    .append(bad.get(i).key())
                    .append(bad.size() == 1 ? " is malformed: " : ": ")
                    .append(bad.get(i).reason());
        }
        if (bad.size() > shown) {
            b.append("; and ").append(bad.size() - shown).append(" more");
        }
        return all
                ? b.toString()
                : b.append(
                                " (lake sql --skip-bad-objects, or SqlOptions.skipBadObjects(true), reads the rest)")
                        .toString();
    }

    static List<LakeObject> without(List<LakeObject> objects, List<BadObject> bad) {
        if (bad.isEmpty()) {
            return objects;
        }
        Set<String> keys = bad.stream().map(BadObject::key).collect(Collectors.toSet());
        return objects.stream().filter(o -> !keys.contains(o.key())).toList();
    }

    /**
     * The object key of a local file SQL read, when a message names one: errors that come up while
     * rows are read name DuckDB's file, which people know by its key. Null if the message names
     * none.
     */
    static String keyIn(String message, Path root) {
        if (message == null) {
            return null;
        }
        String prefix = root.toString() + "/";
        int at = message.indexOf(prefix);
        if (at < 0) {
            return null;
        }
        int end = at + prefix.length();
        while (end < message.length()
                && message.charAt(end) != '"'
                && message.charAt(end) != '\''
                && !Character.isWhitespace(message.charAt(end))) {
            end++;
        }
        String key = message.substring(at + prefix.length(), end);
        return key.isEmpty() ? null : key;
    }

    /**
     * A failure DuckDB reported while reading rows, in the lake's terms when it names an object's
     * file under {@code root}: the object by its key and what is wrong with it. Null when the
     * message names no object.
     */
    static String objectFailure(String message, Path root) {
        String key = keyIn(message, root);
        if (key == null) {
            return null;
        }
        int slash = key.indexOf('/');
        int second = slash < 0 ? -1 : key.indexOf('/', slash + 1);
        if (second < 0) {
            return null;
        }
        DatasetId id;
        try {
            id = DatasetId.of(key.substring(0, slash), key.substring(slash + 1, second));
        } catch (RuntimeException e) {
            return null;
        }
        return unreadable(id, List.of(new BadObject(id, key, reason(message, root.resolve(key)))));
    }
}
