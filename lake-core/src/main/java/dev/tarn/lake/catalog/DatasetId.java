package dev.tarn.lake.catalog;

import dev.tarn.lake.exceptions.IllegalNameException;

/**
 * A dataset's address: its zone and its name, written {@code zone/name} ({@code raw/clicks}). Both
 * parts are validated by {@link Names}, so a DatasetId is always safe as a path and as a SQL
 * identifier.
 */
public record DatasetId(String zone, String name) implements Comparable<DatasetId> {
    public DatasetId {
        Names.check("zone", zone);
        Names.check("dataset", name);
    }

    public static DatasetId of(String zone, String name) {
        return new DatasetId(zone, name);
    }

    /** Parses {@code zone/name}. */
    public static DatasetId parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalNameException(
                    "dataset is empty; write it as ZONE/DATASET, e.g. raw/clicks");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalNameException(
                    "'"
                            + Names.printable(text)
                            + "' names no zone; write a dataset as ZONE/DATASET, e.g. raw/clicks");
        }
        String zone = text.substring(0, slash);
        String name = text.substring(slash + 1);
        if (name.contains("/")) {
            throw new IllegalNameException(
                    "'"
                            + Names.printable(text)
                            + "' has more than one '/'; write a dataset as ZONE/DATASET, e.g. raw/clicks");
        }
        return new DatasetId(zone, name);
    }

    /** The key prefix of this dataset's objects in the store, ending with '/'. */
    public String keyPrefix() {
        return zone + "/" + name + "/";
    }

    @Override
    public int compareTo(DatasetId o) {
        int c = zone.compareTo(o.zone);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return zone + "/" + name;
    }
}
