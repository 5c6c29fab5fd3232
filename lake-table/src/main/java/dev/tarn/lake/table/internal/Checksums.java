package dev.tarn.lake.table.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.lake.exceptions.ObjectExistsException;
import dev.tarn.lake.exceptions.ObjectNotFoundException;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.WriteMode;
import dev.tarn.lake.table.internal.Actions.Action;
import dev.tarn.lake.table.internal.Actions.AddFile;
import dev.tarn.lake.table.internal.Actions.Metadata;
import dev.tarn.lake.table.internal.Actions.Protocol;
import dev.tarn.lake.table.internal.Actions.SetTransaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Version checksum files, {@code _delta_log/<version>.crc}: the protocol's record of a table's
 * state at a version, written after the version's entry (the protocol requires that order). Tarn
 * writes one after each commit, for two reasons: the protocol asks writers to, and a checksum newer
 * than the newest entry is the one trace a lost <em>newest</em> entry leaves (without it, a removed
 * newest entry looks like a commit that never happened). For tables of up to {@link
 * #ALL_FILES_LIMIT} live files it includes {@code allFiles}, so that the doctor can rebuild such a
 * lost entry exactly, as the difference between the previous version and this record.
 */
public final class Checksums {
    /**
     * Up to this many live files the checksum lists them all, so that a lost entry of a small table
     * can be rebuilt; beyond, the list would make every commit write a file growing with the table
     * (about 250 bytes per file), so it is left out, as the protocol allows, and a lost entry is
     * still detected but not rebuilt. The system property {@code tarn.table.checksumFileLimit}
     * changes it.
     */
    static final int ALL_FILES_LIMIT = Integer.getInteger("tarn.table.checksumFileLimit", 100);

    private Checksums() {}

    public static String key(String logDir, long version) {
        return logDir + String.format("%020d.crc", version);
    }

    /**
     * What a checksum file records that the doctor uses. {@code allFiles} is null when it was not
     * listed.
     */
    public record Checksum(
            long version,
            Metadata metadata,
            Protocol protocol,
            List<SetTransaction> txns,
            List<AddFile> allFiles,
            long numFiles,
            long tableSizeBytes) {}

    /**
     * Writes the checksum of {@code state} (put-if-absent; best effort: a commit stands without
     * it).
     */
    public static void write(ObjectStore store, String logDir, TableState state) {
        ObjectNode o = Json.object();
        long size = 0;
        for (AddFile f : state.files().values()) {
            size += f.size();
        }
        o.put("tableSizeBytes", size);
        o.put("numFiles", (long) state.files().size());
        o.put("numMetadata", 1L);
        o.put("numProtocol", 1L);
        o.set("metadata", Actions.toJson(state.metadata()).get("metaData"));
        o.set("protocol", Actions.toJson(state.protocol()).get("protocol"));
        ArrayNode txns = o.putArray("setTransactions");
        for (SetTransaction t : state.txns().values()) {
            txns.add(Actions.toJson(t).get("txn"));
        }
        if (state.files().size() <= ALL_FILES_LIMIT) {
            ArrayNode all = o.putArray("allFiles");
            for (AddFile f : state.files().values()) {
                all.add(Actions.toJson(f).get("add"));
            }
        }
        try {
            store.put(
                    key(logDir, state.version()),
                    Json.write(o).getBytes(StandardCharsets.UTF_8),
                    WriteMode.CREATE);
        } catch (ObjectExistsException e) {
            // written already (by a retry of this commit): as good
        }
    }

    /** Reads a checksum file; empty if absent; throws if it cannot be parsed. */
    public static Optional<Checksum> read(ObjectStore store, String logDir, long version) {
        byte[] bytes;
        try {
            bytes = store.getBytes(key(logDir, version));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
        JsonNode n = Json.parse(new String(bytes, StandardCharsets.UTF_8));
        Metadata m = (Metadata) action("metaData", n.get("metadata"));
        Protocol p = (Protocol) action("protocol", n.get("protocol"));
        if (m == null || p == null) {
            throw new IllegalArgumentException(
                    "checksum " + version + " has no metadata or protocol");
        }
        List<SetTransaction> txns = new ArrayList<>();
        for (JsonNode t : n.path("setTransactions")) {
            if (action("txn", t) instanceof SetTransaction s) {
                txns.add(s);
            }
        }
        List<AddFile> all = null;
        if (n.has("allFiles") && n.get("allFiles").isArray()) {
            all = new ArrayList<>();
            for (JsonNode f : n.get("allFiles")) {
                if (action("add", f) instanceof AddFile a) {
                    all.add(a);
                }
            }
        }
        return Optional.of(
                new Checksum(
                        version,
                        m,
                        p,
                        txns,
                        all,
                        n.path("numFiles").asLong(-1),
                        n.path("tableSizeBytes").asLong(-1)));
    }

    private static Action action(String wrapperField, JsonNode inner) {
        if (inner == null || inner.isNull()) {
            return null;
        }
        ObjectNode w = Json.object();
        w.set(wrapperField, inner);
        return Actions.fromJson(w);
    }
}
