package dev.tarn.lake.cli;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.event.ChangeEvent;
import dev.tarn.lake.event.ChangeFeed;
import dev.tarn.lake.event.FeedCursor;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lake events [--since POSITION|TIME] [--dataset ZONE/NAME]... [--follow]}: the lake's
 * change feed, one line per commit (NDJSON with {@code -o json}), flushed per event so that a
 * script reading a pipe sees each as it comes.
 */
@Command(
        name = "events",
        header = "print the lake's change feed: every commit of the catalog and of each table",
        description = {
            "Every commit of the catalog and of each table, read from their logs, one line each, in commit",
            "time order (per source strictly by version): position (source@version), time, operation,",
            "datasets, principal, objects or data files added and removed. With -o json one JSON object per",
            "line (NDJSON). --since takes the last position of each source from an earlier run",
            "(catalog@42,processed/clicks@7: nothing missed or repeated), an ISO-8601 time, or a duration",
            "back from now (10m, 2h). Only events on datasets you may read are shown."
        })
final class EventsCommand extends CliCommand {
    static final List<String> KEYS =
            List.of(
                    "position",
                    "source",
                    "kind",
                    "version",
                    "timestamp",
                    "principal",
                    "operation",
                    "datasets",
                    "added",
                    "removed",
                    "metrics");

    /** One event as {@code -o json} prints it: a line of NDJSON. */
    record EventView(
            String position,
            String source,
            String kind,
            long version,
            Instant timestamp,
            String principal,
            String operation,
            List<String> datasets,
            List<String> added,
            List<String> removed,
            Map<String, Long> metrics) {
        static EventView of(ChangeEvent e) {
            return new EventView(
                    e.position(),
                    e.source(),
                    e.kind().name().toLowerCase(Locale.ROOT),
                    e.version(),
                    e.timestamp(),
                    e.principal(),
                    e.operation(),
                    e.datasets().stream().map(DatasetId::toString).toList(),
                    e.added(),
                    e.removed(),
                    e.metrics());
        }
    }

    @Option(
            names = "--since",
            paramLabel = "POSITION|TIME",
            description = {
                "start after these positions (catalog@42,processed/clicks@7),",
                "or at a time: 2026-12-03T10:00:00Z, or 10m, 2h back from now"
            })
    String since;

    @Option(
            names = "--dataset",
            paramLabel = "ZONE/NAME",
            converter = Converters.Dataset.class,
            description = "only the events that change this dataset, repeatable")
    List<DatasetId> datasets;

    @Option(
            names = "--follow",
            arity = "0",
            description = "keep printing new events as they are committed, until stopped")
    boolean follow;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            converter = Converters.Time.class,
            description = "with --follow, how often to look for new commits (default 500ms)")
    Duration interval;

    @Override
    int run() throws Exception {
        if (ctx.output == Context.Output.CSV) {
            throw new UsageException(
                    "'events' prints text or -o json (one JSON object per line); " + helpHint());
        }
        if (interval != null && interval.isZero()) {
            throw new UsageException("--interval must be more than 0; " + helpHint());
        }
        Duration every = interval == null ? Duration.ofMillis(500) : interval;
        // checked before the lake is opened: a usage error is one whatever the lake
        java.util.function.Consumer<ChangeFeed> start = start();
        try (Lake lake = ctx.openExisting()) {
            ChangeFeed feed = lake.events();
            if (datasets != null) {
                feed.datasets(datasets);
            }
            start.accept(feed);
            while (true) {
                List<ChangeEvent> events = feed.poll(1000);
                for (ChangeEvent e : events) {
                    ctx.out.print(line(e));
                    ctx.out.flush();
                }
                if (events.isEmpty()) {
                    if (!follow) {
                        return Main.OK;
                    }
                    Thread.sleep(every.toMillis());
                }
            }
        }
    }

    /** What {@code --since} says: where the feed starts. */
    private java.util.function.Consumer<ChangeFeed> start() {
        if (since == null) {
            return feed -> {};
        }
        String s = since.trim();
        if (s.contains("@")) {
            try {
                FeedCursor cursor = FeedCursor.parse(s);
                return feed -> feed.since(cursor);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--since: " + e.getMessage() + "; " + helpHint());
            }
        }
        Instant t = time(s);
        return feed -> feed.since(t);
    }

    /** An ISO-8601 instant (with Z or an offset), or a duration back from now. */
    private Instant time(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException notAnInstant) {
            // with an offset, or a duration
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException notADateTime) {
            // a duration
        }
        try {
            return Instant.now().minus(Text.duration(s));
        } catch (UsageException notADuration) {
            throw new UsageException(
                    "--since '"
                            + since
                            + "' is neither a position (catalog@42,processed/clicks@7), an ISO-8601"
                            + " time (2026-12-03T10:00:00Z) nor a duration (10m, 2h); "
                            + helpHint());
        }
    }

    private String line(ChangeEvent e) throws Exception {
        if (ctx.output == Context.Output.JSON) {
            return CliJson.MAPPER.writeValueAsString(EventView.of(e)) + "\n";
        }
        List<String> parts = new ArrayList<>();
        parts.add(Text.time(e.timestamp()));
        parts.add(Text.oneLine(e.position()));
        parts.add(Text.oneLine(e.operation()));
        if (e.kind() != dev.tarn.lake.event.LakeEvent.Kind.TABLE && !e.datasets().isEmpty()) {
            parts.add(String.join(",", e.datasets().stream().map(DatasetId::toString).toList()));
        }
        if (!e.principal().isEmpty()) {
            parts.add("by " + Text.oneLine(e.principal()));
        }
        if (!e.added().isEmpty() || !e.removed().isEmpty()) {
            parts.add("+" + e.added().size() + " -" + e.removed().size());
        }
        return String.join("  ", parts) + "\n";
    }
}
