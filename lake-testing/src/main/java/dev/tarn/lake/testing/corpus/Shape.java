package dev.tarn.lake.testing.corpus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One shape of real-world export data: the files (in the order they arrive), the columns and types
 * Tarn must give them (in Tarn's SQL spelling, as {@code DESCRIBE} shows them), and every record
 * they hold, in file order, as Java values ({@code Integer}, {@code Long}, {@code Double}, {@code
 * String}, {@code LocalDate}, {@code LocalDateTime}, {@code Instant}, nested {@code Map}/{@code
 * List}).
 *
 * @param name a short name, usable as a dataset name
 * @param files the files, in arrival order
 * @param columns expected column name to expected type (SQL spelling), in column order
 * @param rows the expected records, in file order; a column missing from a map is null
 * @param partitionBy the column to partition a table by, or null
 * @param jsonPath the path of the array holding the records inside one JSON document, or null
 */
public record Shape(
        String name,
        List<ExportFile> files,
        Map<String, String> columns,
        List<Map<String, Object>> rows,
        String partitionBy,
        String jsonPath) {
    public Shape {
        files = List.copyOf(files);
        columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        rows = List.copyOf(rows);
    }

    /** Writes every file into {@code dir}; returns their paths in arrival order. */
    public List<Path> writeTo(Path dir) {
        List<Path> out = new ArrayList<>();
        for (ExportFile f : files) {
            out.add(f.writeTo(dir));
        }
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
