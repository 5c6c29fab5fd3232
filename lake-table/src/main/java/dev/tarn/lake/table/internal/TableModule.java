package dev.tarn.lake.table.internal;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.catalog.DatasetModule;
import dev.tarn.lake.catalog.PurgeResult;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.table.HistoryEntry;
import dev.tarn.lake.table.Table;
import dev.tarn.lake.table.Tables;
import dev.tarn.lake.table.VacuumResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What the table layer tells the catalog's drop and purge (registered as a {@link DatasetModule}
 * service): a table reads a dataset when its history records a conversion from it ({@code source})
 * or its creation from a query over it ({@code tarn.lineage}); and a live table's unneeded files
 * are those its vacuum would delete with the same retention.
 */
public final class TableModule implements DatasetModule {
    @Override
    public List<String> readersOf(Lake lake, DatasetId dataset) {
        Tables tables = Tables.of(lake);
        List<String> out = new ArrayList<>();
        for (Dataset d : lake.catalog().datasets()) {
            if (d.kind() != DatasetKind.TABLE || d.id().equals(dataset) || !tables.exists(d.id())) {
                continue;
            }
            Table t;
            TreeSet<Long> versions = new TreeSet<>();
            try {
                t = tables.load(d.id());
                for (HistoryEntry h : t.history()) {
                    if (dataset.toString().equals(h.parameters().get("source"))) {
                        versions.add(h.version());
                    }
                }
                String saved = t.snapshot(0).properties().get("tarn.lineage");
                if (saved != null
                        && Json.MAPPER.readTree(saved).path("sources").has(dataset.toString())) {
                    versions.add(0L);
                }
            } catch (TarnException | java.io.IOException e) {
                // A table whose lineage cannot be read may read the dataset: say so rather than let
                // it go.
                out.add(d.id() + " (whose lineage cannot be read: " + e.getMessage() + ")");
                continue;
            }
            if (!versions.isEmpty()) {
                out.add(
                        d.id()
                                + " (lineage: table version"
                                + (versions.size() == 1 ? " " : "s ")
                                + String.join(", ", versions.stream().map(String::valueOf).toList())
                                + ")");
            }
        }
        return out;
    }

    @Override
    public List<PurgeResult.Item> unneeded(Lake lake, Duration retention) {
        Tables tables = Tables.of(lake);
        List<PurgeResult.Item> out = new ArrayList<>();
        for (Dataset d : lake.catalog().datasets()) {
            if (d.kind() != DatasetKind.TABLE || !tables.exists(d.id())) {
                continue;
            }
            VacuumResult r = tables.load(d.id()).newVacuum().retention(retention).apply();
            for (String rel : r.deletedFiles()) {
                String key = d.id().keyPrefix() + rel;
                lake.store()
                        .stat(key)
                        .ifPresent(
                                st ->
                                        out.add(
                                                new PurgeResult.Item(
                                                        key,
                                                        st.size(),
                                                        d.id().toString(),
                                                        "a file no table version within the retention needs")));
            }
        }
        return out;
    }
}
