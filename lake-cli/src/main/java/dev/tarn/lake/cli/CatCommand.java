package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

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
        return List.of();
    }

    @Override
    public boolean reports() {
        return false;
    }

    @Override
    public int run(Context ctx, Args args) throws IOException {
        args.expectPositionals("ZONE/DATASET/OBJECT");
        String ref = args.positionals().get(0);
        int first = ref.indexOf('/');
        int second = first < 0 ? -1 : ref.indexOf('/', first + 1);
        if (second < 0 || second == ref.length() - 1) {
            DatasetId.parse(second < 0 ? ref : ref.substring(0, second)); // a bad dataset says so first
            throw new UsageException("'" + ref + "' names no object; write ZONE/DATASET/OBJECT, where OBJECT is a"
                    + " path, a file name or a sha256 prefix (see 'lake ls ZONE/DATASET')");
        }
        DatasetId id = DatasetId.parse(ref.substring(0, second));
        String object = ref.substring(second + 1);
        try (Lake lake = ctx.openExisting()) {
            LakeObject o = lake.catalog().object(id, object);
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
