package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/** {@code lake cat ZONE/DATASET/OBJECT}: the stored bytes, exactly, to stdout. */
final class CatCommand implements Command {
    /** Whoever reads stdout stopped reading ({@code lake cat ... | head}): exit 1 without a message. */
    static final class StdoutClosedException extends RuntimeException {
        StdoutClosedException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    @Override
    public String name() {
        return "cat";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of(Args.Opt.value("--as-of"));
    }

    /** {@code ZONE/DATASET/OBJECT} split into the dataset and the object's reference. */
    static Map.Entry<DatasetId, String> objectRef(String ref) {
        int first = ref.indexOf('/');
        int second = first < 0 ? -1 : ref.indexOf('/', first + 1);
        if (second < 0 || second == ref.length() - 1) {
            DatasetId.parse(second < 0 ? ref : ref.substring(0, second)); // a bad dataset says so first
            throw new UsageException("'" + ref + "' names no object; write ZONE/DATASET/OBJECT, where OBJECT is a"
                    + " path, a file name or a sha256 prefix (see 'lake ls ZONE/DATASET')");
        }
        return Map.entry(DatasetId.parse(ref.substring(0, second)), ref.substring(second + 1));
    }

    /** {@code --as-of VERSION}: read an earlier catalog version; null for the newest. */
    static Long asOf(Args args) {
        return args.has("--as-of") ? TableCommands.nonNegative("--as-of", args.value("--as-of")) : null;
    }

    @Override
    public boolean reports() {
        return false;
    }

    @Override
    public int run(Context ctx, Args args) throws IOException {
        args.expectPositionals("ZONE/DATASET/OBJECT");
        Map.Entry<DatasetId, String> ref = objectRef(args.positionals().get(0));
        DatasetId id = ref.getKey();
        String object = ref.getValue();
        Long asOf = asOf(args);
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
