package dev.tarn.lake.format.internal.infer;

import dev.tarn.lake.exceptions.FormatException;
import dev.tarn.lake.format.internal.read.AvroRows;
import dev.tarn.lake.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/** Explicit schemas from Avro. */
public final class SchemaReader {
    private SchemaReader() {}

    public static DataType fromAvro(Schema avro) {
        return AvroRows.toDataType(avro);
    }

    public static DataType fromAvsc(Path avsc) {
        return fromAvro(parseAvsc(avsc));
    }

    /**
     * Paths of the fields whose Avro type is a union of several non-null types ({@code u}, {@code
     * geo.u}, {@code tags[]}), in schema order.
     */
    public static List<String> unionPaths(Schema avro) {
        List<String> out = new ArrayList<>();
        unions(avro, "", out, new java.util.HashSet<>());
        return List.copyOf(out);
    }

    private static void unions(
            Schema s, String path, List<String> out, java.util.Set<String> seen) {
        switch (s.getType()) {
            case RECORD:
                if (!seen.add(s.getFullName())) {
                    return; // a recursive record
                }
                for (Schema.Field f : s.getFields()) {
                    unions(
                            f.schema(),
                            path.isEmpty() ? f.name() : path + "." + f.name(),
                            out,
                            seen);
                }
                seen.remove(s.getFullName());
                return;
            case UNION:
                {
                    long n =
                            s.getTypes().stream()
                                    .filter(t -> t.getType() != Schema.Type.NULL)
                                    .count();
                    if (n > 1) {
                        out.add(path);
                    }
                    for (Schema t : s.getTypes()) {
                        unions(t, path, out, seen);
                    }
                    return;
                }
            case ARRAY:
                unions(s.getElementType(), path + "[]", out, seen);
                return;
            case MAP:
                unions(s.getValueType(), path + "{}", out, seen);
                return;
            default:
        }
    }

    public static Schema parseAvsc(Path avsc) {
        try {
            return new Schema.Parser().parse(avsc.toFile());
        } catch (IOException | org.apache.avro.SchemaParseException e) {
            throw new FormatException(avsc + ": not a valid Avro schema: " + e.getMessage(), e);
        }
    }
}
