package dev.tarn.lake.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options every command takes, before or after the command's name: a mixin of the top command
 * and of each command. Given twice, the later one wins (options after the command come after those
 * before it).
 */
final class GlobalOptions {
    @Option(
            names = "--lake",
            paramLabel = "LOCATION",
            description =
                    "the lake directory or s3://bucket/prefix (default: $TARN_LAKE, else ./lake-data)")
    List<String> lake;

    @Option(
            names = "--store-option",
            paramLabel = "K=V",
            description = {
                "an option of the lake's store, repeatable (S3: endpoint, region, profile,",
                "access-key-id, secret-access-key, sse, ...; see docs/s3.md)"
            })
    List<String> storeOptions;

    @Option(
            names = {"--output", "-o"},
            paramLabel = "FORMAT",
            description = "table (default), json or csv, for commands that list or report")
    List<String> output;

    @Option(names = "--verbose", arity = "0", description = "show stack traces on errors")
    boolean[] verbose;

    @Option(
            names = {"--help", "-h"},
            usageHelp = true,
            description = "show help")
    boolean help;

    boolean outputGiven() {
        return output != null && !output.isEmpty();
    }

    /** Sets what was given on {@code ctx}; checks it as the hand-written parser did. */
    void applyTo(Context ctx) {
        if (lake != null && !lake.isEmpty()) {
            String l = lake.get(lake.size() - 1);
            if (l.isBlank()) {
                throw new UsageException("--lake is empty; give the lake's directory");
            }
            ctx.location = l;
        }
        for (String kv : storeOptions == null ? List.<String>of() : storeOptions) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UsageException(
                        "--store-option '"
                                + kv
                                + "' is not KEY=VALUE (e.g. --store-option"
                                + " endpoint=http://127.0.0.1:9000)");
            }
            ctx.storeOptions.put(kv.substring(0, eq).trim(), kv.substring(eq + 1));
        }
        if (verbose != null && verbose.length > 0) {
            ctx.verbose = true;
        }
        if (outputGiven()) {
            ctx.output = Context.Output.parse(output.get(output.size() - 1));
            ctx.outputGiven = true;
        }
    }
}
