package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lake cat ZONE/DATASET/OBJECT}: the stored bytes, exactly, to stdout. */
@Command(
        name = "cat",
        header = "write an object's stored bytes to stdout",
        description = {
            "Writes the object's stored bytes to stdout, exactly. OBJECT is the object's path (as",
            "'lake ls ZONE/DATASET' shows it), its file name if only one object has it, or a prefix of its",
            "sha256 (at least 8 hex digits). --as-of VERSION finds it in that catalog version: an object",
            "removed since is read until 'lake purge' deletes its bytes."
        })
final class CatCommand extends CliCommand {
    /**
     * Whoever reads stdout stopped reading ({@code lake cat ... | head}): exit 1 without a message.
     */
    static final class StdoutClosedException extends RuntimeException {
        StdoutClosedException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    @Parameters(paramLabel = "ZONE/DATASET/OBJECT")
    String objectRef;

    @Option(
            names = "--as-of",
            paramLabel = "VERSION",
            converter = Converters.NonNegative.class,
            description = "read the catalog as it was at that version")
    Long asOf;

    /** {@code ZONE/DATASET/OBJECT} split into the dataset and the object's reference. */
    static Map.Entry<DatasetId, String> objectRef(String ref) {
        int first = ref.indexOf('/');
        int second = first < 0 ? -1 : ref.indexOf('/', first + 1);
        if (second < 0 || second == ref.length() - 1) {
            DatasetId.parse(
                    second < 0 ? ref : ref.substring(0, second)); // a bad dataset says so first
            throw new UsageException(
                    "'"
                            + ref
                            + "' names no object; write ZONE/DATASET/OBJECT, where OBJECT is a"
                            + " path, a file name or a sha256 prefix (see 'lake ls ZONE/DATASET')");
        }
        return Map.entry(DatasetId.parse(ref.substring(0, second)), ref.substring(second + 1));
    }

    @Override
    boolean reports() {
        return false;
    }

    @Override
    int run() throws IOException {
        Map.Entry<DatasetId, String> ref = objectRef(objectRef);
        DatasetId id = ref.getKey();
        String object = ref.getValue();
        try (Lake lake = ctx.openExisting()) {
            LakeObject o = (asOf == null ? lake.catalog() : lake.catalog(asOf)).object(id, object);
            ctx.out.flush();
            try (InputStream in = lake.open(o)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    try {
                        ctx.rawOut.write(buf, 0, n);
                    } catch (IOException e) {
                        throw new StdoutClosedException(e);
                    }
                }
            }
            try {
                ctx.rawOut.flush();
            } catch (IOException e) {
                throw new StdoutClosedException(e);
            }
        }
        return Main.OK;
    }
}
