package dev.tarn.lake.format.internal;

import dev.tarn.lake.format.DataType;
import dev.tarn.lake.format.FormatException;
import org.apache.avro.Schema;

import java.io.IOException;
import java.nio.file.Path;

/** Explicit schemas from Avro. */
public final class SchemaReader {
    private SchemaReader() {
    }

    public static DataType fromAvro(Schema avro) {
        return AvroRows.toDataType(avro);
    }

    public static DataType fromAvsc(Path avsc) {
        try {
            return fromAvro(new Schema.Parser().parse(avsc.toFile()));
        } catch (IOException | org.apache.avro.SchemaParseException e) {
            throw new FormatException(avsc + ": not a valid Avro schema: " + e.getMessage(), e);
        }
    }
}
