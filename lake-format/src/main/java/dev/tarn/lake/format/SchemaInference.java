package dev.tarn.lake.format;

import dev.tarn.lake.types.StructType;
import java.util.List;

/**
 * What {@link Conversion#inspect()} found: the schema a conversion of the inputs would use, and
 * where each input holds its records. Lets another reader of the same files (SQL over raw objects)
 * read the records a conversion would read, with the same types.
 *
 * @param schema the merged schema, as {@link Conversion#inferSchema()} returns it
 * @param inputs one entry per input, in the order given
 */
public record SchemaInference(StructType schema, List<InputLayout> inputs) {
    public SchemaInference {
        inputs = List.copyOf(inputs);
    }

    /** Where an input holds its records. */
    public enum Layout {
        /** The rows of a CSV/TSV file, the records of an Avro file. */
        ROWS,
        /** JSON documents, each whole on its own line. */
        LINES,
        /** The elements of a top-level JSON array. */
        ARRAY,
        /** JSON documents spread over lines or sharing one (a single document is one record). */
        DOCUMENTS,
        /**
         * The elements of an array inside a single JSON document, at {@link
         * InputLayout#recordPath()}.
         */
        PATH
    }

    /**
     * How one input was read.
     *
     * @param name the input's name
     * @param format the detected format: NDJSON, JSON, CSV (TSV input is CSV with a tab delimiter)
     *     or AVRO
     * @param layout where its records are
     * @param recordPath with {@link Layout#PATH}, the field names leading to the array of records
     *     inside the document (e.g. {@code [features]} for GeoJSON); empty otherwise
     */
    public record InputLayout(
            String name, InputFormat format, Layout layout, List<String> recordPath) {
        public InputLayout {
            recordPath = List.copyOf(recordPath);
        }
    }
}
