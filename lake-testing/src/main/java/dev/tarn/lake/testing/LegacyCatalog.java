package dev.tarn.lake.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Makes a local lake look as a lake written by hand, or by an older Tarn, has it: for tests of what
 * the lake must still open and report (a zone named before a naming rule existed, say). Entries it
 * rewrites are unsealed first (no line count and hash on their first line), so that the edit stands
 * for an older lake, not for damage the reader refuses. lake-core's own tests keep a copy of {@link
 * #unsealed}: they cannot depend on this module.
 */
public final class LegacyCatalog {
    private LegacyCatalog() {}

    /**
     * Renames a zone in the newest catalog entry of the local lake at {@code lakeDir} (the entry
     * keeps its number).
     */
    public static void renameZoneInNewestEntry(Path lakeDir, String from, String to) {
        try (Stream<Path> entries = Files.list(lakeDir.resolve("_tarn/catalog/log"))) {
            Path newest = entries.sorted().reduce((a, b) -> b).orElseThrow();
            String text = Files.readString(newest);
            if (!text.contains("\"" + from + "\"")) {
                throw new IllegalStateException(
                        "the newest catalog entry " + newest + " does not name " + from);
            }
            Files.writeString(newest, unsealed(text).replace("\"" + from + "\"", "\"" + to + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entry as a Tarn that did not seal entries wrote it. */
    public static String unsealed(String entry) {
        int nl = entry.indexOf('\n');
        String head =
                entry.substring(0, nl)
                        .replaceAll(",\"actions\":\\d+", "")
                        .replaceAll(",\"sha256\":\"[0-9a-f]{64}\"", "");
        return head + entry.substring(nl);
    }
}
