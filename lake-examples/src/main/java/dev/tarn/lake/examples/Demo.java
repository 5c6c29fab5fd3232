package dev.tarn.lake.examples;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.doctor.DoctorReport;
import dev.tarn.lake.ingest.IngestResult;
import dev.tarn.lake.ingest.IngestedObject;
import dev.tarn.lake.query.SavedTable;
import dev.tarn.lake.query.Sql;
import dev.tarn.lake.table.Convert;
import dev.tarn.lake.table.ConvertResult;
import dev.tarn.lake.table.Tables;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The end-to-end demo: a small retailer's clickstream and order exports arrive in the raw zone, as
 * they are, with their metadata; the catalog knows what is where; duplicates are caught; the lake
 * checks itself.
 *
 * <p>Run it with {@code ./demo} (or {@code ./demo DIR} for another lake directory).
 */
public final class Demo {
    private final PrintStream out;

    Demo(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "demo-lake");
        new Demo(System.out).run(dir);
    }

    void run(Path dir) {
        Sample.deleteTree(dir);
        Path inbox = dir.resolveSibling(dir.getFileName() + "-inbox");
        Sample.deleteTree(inbox);
        out.println(
                "== Tarn "
                        + dev.tarn.lake.Tarn.VERSION
                        + " demo: an embedded data lake in "
                        + dir.toAbsolutePath());

        step(
                "1. Sample data arrives: a clickstream (NDJSON), an order export (CSV), product images");
        Path events = Sample.clickstream(inbox.resolve("events.ndjson"), 1_000, 42);
        Path orders = Sample.orders(inbox.resolve("orders.csv"), 200, 42);
        Path images = Sample.images(inbox.resolve("images"), 3, 42);
        out.printf(
                "   %s (%,d bytes), %s (%,d bytes), %d images%n",
                events.getFileName(), size(events), orders.getFileName(), size(orders), 3);

        try (Lake lake = Lake.open(dir)) {
            out.println(
                    "   zones: "
                            + String.join(", ", lake.zones().stream().map(z -> z.name()).toList()));

            step("2. Ingest into the raw zone, byte for byte, with a metadata record per object");
            report(lake.ingest("raw/clicks").file(events).meta("system", "web-shop").commit());
            report(lake.ingest("raw/orders").file(orders).meta("system", "erp").commit());
            report(
                    lake.ingest("raw/images")
                            .directory(images)
                            .partition("catalog", "spring")
                            .commit());

            step("3. The same export arrives twice: Tarn notices and stores it once");
            report(lake.ingest("raw/clicks").file(events).commit());

            step("4. Datasets get owners, descriptions and tags");
            lake.updateDataset("raw/clicks")
                    .owner("web-team")
                    .description("page views and purchases")
                    .tag("pii", "user ids")
                    .commit();

            step("5. The catalog: what is where (version " + lake.catalog().version() + ")");
            for (Dataset d : lake.catalog().datasets()) {
                out.printf(
                        "   %-12s %-7s %3d object(s) %,10d bytes  owner=%s tags=%s%n",
                        d.id(),
                        d.format(),
                        d.objects(),
                        d.bytes(),
                        d.owner() == null ? "-" : d.owner(),
                        d.tags());
            }
            LakeObject first = lake.catalog().objects(DatasetId.parse("raw/clicks")).get(0);
            out.println(
                    "   raw/clicks/"
                            + first.path()
                            + " sha256="
                            + first.sha256().substring(0, 16)
                            + "...");
            out.println(
                    "   format="
                            + first.format().id()
                            + " contentType="
                            + first.contentType()
                            + " metadata="
                            + first.metadata());

            step(
                    "6. SQL over the raw files as they lie (schema on read): revenue by category; top customers");
            Sql sql = Sql.of(lake);
            out.println(
                    indent(
                            sql.query(
                                    """
                    SELECT category, count(*) AS purchases, round(sum(amount), 2) AS revenue
                    FROM raw.clicks WHERE type = ? GROUP BY category ORDER BY revenue DESC""",
                                    "purchase")));
            out.println(
                    indent(
                            sql.query(
                                    """
                    SELECT o.user_id, count(*) AS orders, round(sum(o.total), 2) AS spent,
                           (SELECT count(*) FROM raw.clicks c WHERE c.user_id = o.user_id) AS clicks
                    FROM raw.orders o GROUP BY o.user_id ORDER BY spent DESC, o.user_id LIMIT 3""")));
            out.println(
                    indent(
                            sql.query(
                                    "SELECT path, size, content_type FROM raw.images ORDER BY path")));

            step(
                    "7. Refine: the clickstream becomes a processed table (Delta Lake), partitioned by event type");
            Tables tables = Tables.of(lake);
            // every change has one shape: configure, preview with apply() (nothing is written),
            // commit()
            Convert convert =
                    tables.newConvert("raw/clicks", "processed/clicks").partitionBy("type");
            out.printf(
                    "   apply() previews: %d object(s) to convert, nothing written yet%n",
                    convert.apply().objects().size());
            ConvertResult converted = convert.commit();
            out.printf(
                    "   converted %d object(s) of raw/clicks: %d rows at table version %d%n",
                    converted.objects().size(), converted.rowsWritten(), converted.tableVersion());
            ConvertResult again = tables.newConvert("raw/clicks", "processed/clicks").commit();
            out.println(
                    "   converting again: "
                            + (again.converted()
                                    ? "converted AGAIN (wrong!)"
                                    : "nothing new, each raw object is converted exactly once"));

            step(
                    "8. Analytics: a KPI table saved from SQL over the processed table, with its lineage");
            SavedTable kpis =
                    sql.saveAsTable(
                            """
                    SELECT category, count(*) AS purchases, round(sum(amount), 2) AS revenue
                    FROM processed.clicks WHERE type = 'purchase' GROUP BY category""",
                            DatasetId.parse("analytics/revenue_by_category"));
            out.printf(
                    "   analytics/revenue_by_category: %d rows, read from %s%n",
                    kpis.rows(), kpis.lineage());
            out.println(
                    indent(
                            sql.query(
                                    "SELECT * FROM analytics.revenue_by_category ORDER BY revenue DESC")));
            out.println(
                    indent(
                            sql.query(
                                    "SELECT (SELECT count(*) FROM processed.\"clicks@0\") AS at_creation,"
                                            + " (SELECT count(*) FROM processed.clicks) AS now")));

            step("9. Doctor: is every object where the catalog says, with the bytes it recorded?");
            DoctorReport r = lake.doctor().check();
            out.println(
                    "   "
                            + (r.isClean() ? "clean" : "PROBLEMS: " + r.findings())
                            + " ("
                            + r.objectsChecked()
                            + " objects checked)");
        }
        out.println();
        out.println("Look around with the CLI:  ./lake --lake " + dir + " ls raw/clicks");
        out.println("or in JShell:              TARN_LAKE=" + dir + " ./tarn-shell");
    }

    private static String indent(Object text) {
        return "   " + text.toString().replace("\n", "\n   ");
    }

    private void step(String title) {
        out.println();
        out.println(title);
    }

    private void report(IngestResult r) {
        for (IngestedObject o : r.objects()) {
            if (o.status() == IngestedObject.Status.STORED) {
                out.printf(
                        "   stored    %s/%s (%,d bytes, %s)%n",
                        r.dataset(),
                        o.object().path(),
                        o.object().size(),
                        o.object().format().id());
            } else {
                out.printf(
                        "   duplicate %s: same bytes as %s/%s, not stored again%n",
                        o.originalName(), r.dataset(), o.object().path());
            }
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deterministic sample data, so the demo prints the same story every time. */
    static final class Sample {
        private static final List<String> PAGES =
                List.of("/", "/shoes", "/shirts", "/cart", "/checkout");
        private static final List<String> CATEGORIES = List.of("shoes", "shirts", "hats");

        static Path clickstream(Path file, int rows, long seed) {
            return clickstream(file, rows, seed, 0);
        }

        /** Clicks numbered from {@code firstId}, later in time the higher it is (a later drop). */
        static Path clickstream(Path file, int rows, long seed, int firstId) {
            Random rnd = new Random(seed);
            StringBuilder b = new StringBuilder();
            long t = 1_767_225_600_000L + firstId * 2_500L; // 2026-01-01T00:00:00Z, then later
            for (int i = firstId; i < firstId + rows; i++) {
                t += rnd.nextInt(5_000);
                String type = rnd.nextInt(10) == 0 ? "purchase" : "view";
                b.append(
                        String.format(
                                java.util.Locale.ROOT,
                                "{\"event_id\":%d,\"ts\":\"%s\",\"user_id\":%d,\"type\":\"%s\",\"page\":\"%s\","
                                        + "\"category\":\"%s\",\"amount\":%s}%n",
                                i,
                                java.time.Instant.ofEpochMilli(t),
                                1 + rnd.nextInt(50),
                                type,
                                PAGES.get(rnd.nextInt(PAGES.size())),
                                CATEGORIES.get(rnd.nextInt(CATEGORIES.size())),
                                type.equals("purchase")
                                        ? String.format(
                                                java.util.Locale.ROOT,
                                                "%.2f",
                                                5 + rnd.nextInt(20_000) / 100.0)
                                        : "null"));
            }
            return write(file, b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        static Path orders(Path file, int rows, long seed) {
            Random rnd = new Random(seed + 1);
            StringBuilder b = new StringBuilder("order_id,user_id,zip,total,note\r\n");
            for (int i = 0; i < rows; i++) {
                b.append(
                        String.format(
                                java.util.Locale.ROOT,
                                "%d,%d,%05d,%.2f,%s\r\n",
                                10_000 + i,
                                1 + rnd.nextInt(50),
                                rnd.nextInt(100_000),
                                rnd.nextInt(50_000) / 100.0,
                                i % 7 == 0 ? "\"gift, wrapped\"" : ""));
            }
            return write(file, b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        static Path images(Path dir, int count, long seed) {
            Random rnd = new Random(seed + 2);
            for (int i = 0; i < count; i++) {
                byte[] png = new byte[256 + rnd.nextInt(256)];
                rnd.nextBytes(png);
                byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
                System.arraycopy(magic, 0, png, 0, magic.length);
                write(dir.resolve(CATEGORIES.get(i % CATEGORIES.size()) + "-" + i + ".png"), png);
            }
            return dir;
        }

        static Path write(Path file, byte[] bytes) {
            try {
                Files.createDirectories(file.getParent());
                return Files.write(file, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static void deleteTree(Path root) {
            if (!Files.exists(root)) {
                return;
            }
            try (var s = Files.walk(root)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot clear " + root, e);
            }
        }
    }
}
