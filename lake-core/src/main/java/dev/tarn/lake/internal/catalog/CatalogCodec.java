package dev.tarn.lake.internal.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.exceptions.UnsupportedLayoutException;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes catalog actions as NDJSON, one action per line. */
public final class CatalogCodec {
    static final ObjectMapper JSON =
            new ObjectMapper()
                    // Fields added by later versions of the layout are ignored by older readers;
                    // new actions are not.
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private CatalogCodec() {}

    public static byte[] encode(List<? extends CatalogAction> actions) {
        StringBuilder b = new StringBuilder();
        for (CatalogAction a : actions) {
            b.append(line(a)).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Encodes an entry or checkpoint whose first action is a {@code commitInfo} or {@code
     * checkpoint} line, sealing it: the first line gets the number of lines after it and the
     * SHA-256 of their bytes.
     */
    public static byte[] encodeSealed(List<? extends CatalogAction> actions) {
        List<? extends CatalogAction> rest = actions.subList(1, actions.size());
        byte[] body = encode(rest);
        String sha = java.util.HexFormat.of().formatHex(sha256(body, 0, body.length));
        CatalogAction first = actions.get(0);
        CatalogAction sealed;
        if (first instanceof CatalogAction.CommitInfo c) {
            sealed =
                    new CatalogAction.CommitInfo(
                            c.timestamp(),
                            c.operation(),
                            c.principal(),
                            c.engine(),
                            c.commitId(),
                            c.parameters(),
                            rest.size(),
                            sha);
        } else if (first instanceof CatalogAction.Checkpoint c) {
            sealed =
                    new CatalogAction.Checkpoint(
                            c.version(), c.timestamp(), (long) rest.size(), sha);
        } else {
            throw new IllegalArgumentException("cannot seal an entry starting with " + first);
        }
        byte[] head = (line(sealed) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    private static byte[] sha256(byte[] bytes, int from, int to) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(bytes, from, to - from);
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String line(CatalogAction a) {
        try {
            return JSON.writerFor(CatalogAction.class).writeValueAsString(a);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + a, e);
        }
    }

    public static List<CatalogAction> decode(byte[] bytes, String where) {
        return decode(new ByteArrayInputStream(bytes), where);
    }

    /**
     * Decodes a whole log entry or checkpoint and checks that it is complete: it ends with a
     * newline (every line Tarn writes does) and holds as many lines after the first as the first
     * line declares. A truncated file is refused even where the cut fell between two lines and
     * every remaining line parses.
     */
    public static List<CatalogAction> decodeWhole(byte[] bytes, String where) {
        if (bytes.length == 0) {
            throw new TarnException(ErrorCode.CATALOG_DAMAGED, where + " is empty");
        }
        if (bytes[bytes.length - 1] != '\n') {
            throw new TarnException(
                    ErrorCode.CATALOG_DAMAGED,
                    where + " is truncated: it does not end with a newline");
        }
        List<CatalogAction> actions = decode(bytes, where);
        if (actions.isEmpty()) {
            throw new TarnException(ErrorCode.CATALOG_DAMAGED, where + " holds no actions");
        }
        Long declared =
                actions.get(0) instanceof CatalogAction.CommitInfo c && c.actions() != null
                        ? Long.valueOf(c.actions())
                        : actions.get(0) instanceof CatalogAction.Checkpoint cp
                                ? cp.actions()
                                : null;
        if (declared != null && declared != actions.size() - 1) {
            throw new TarnException(
                    ErrorCode.CATALOG_DAMAGED,
                    where
                            + " is truncated or altered: its first line declares "
                            + declared
                            + " actions after it, it holds "
                            + (actions.size() - 1));
        }
        String sealed =
                actions.get(0) instanceof CatalogAction.CommitInfo c
                        ? c.sha256()
                        : actions.get(0) instanceof CatalogAction.Checkpoint cp
                                ? cp.sha256()
                                : null;
        if (sealed != null) {
            int bodyStart = 0;
            while (bytes[bodyStart] != '\n') {
                bodyStart++;
            }
            String actual =
                    java.util.HexFormat.of().formatHex(sha256(bytes, bodyStart + 1, bytes.length));
            if (!actual.equals(sealed)) {
                throw new TarnException(
                        ErrorCode.CATALOG_DAMAGED,
                        where
                                + " was altered: the lines after its first hash to "
                                + actual
                                + ", its first line records "
                                + sealed);
            }
        }
        return actions;
    }

    public static List<CatalogAction> decode(InputStream in, String where) {
        List<CatalogAction> out = new ArrayList<>();
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(JSON.readValue(line, CatalogAction.class));
                } catch (InvalidTypeIdException e) {
                    throw new UnsupportedLayoutException(
                            where
                                    + " line "
                                    + n
                                    + " holds an action ('"
                                    + e.getTypeId()
                                    + "') that this version of Tarn does not know: the lake was written by a newer Tarn;"
                                    + " upgrade to read it");
                } catch (JsonProcessingException e) {
                    throw new TarnException(
                            ErrorCode.CATALOG_DAMAGED,
                            where
                                    + " line "
                                    + n
                                    + " is not a valid catalog action: "
                                    + e.getOriginalMessage()
                                    + "; run 'lake doctor'",
                            e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + where, e);
        }
        return out;
    }
}
