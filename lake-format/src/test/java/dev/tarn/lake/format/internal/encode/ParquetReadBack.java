package dev.tarn.lake.format.internal.encode;

import dev.tarn.lake.format.parquet.ParquetCodecs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * An independent reader: parquet-java's own file reader and example record model (no DuckDB
 * involved).
 */
public final class ParquetReadBack {
    private ParquetReadBack() {}

    public record Contents(MessageType schema, List<Group> rows, int rowGroups, String codec) {}

    public static Contents read(Path file) throws IOException {
        ParquetReadOptions opts =
                ParquetReadOptions.builder(new PlainParquetConfiguration())
                        .withCodecFactory(new ParquetCodecs(3))
                        .build();
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), opts)) {
            MessageType schema = r.getFooter().getFileMetaData().getSchema();
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
            List<Group> rows = new ArrayList<>();
            PageReadStore pages;
            while ((pages = r.readNextRowGroup()) != null) {
                RecordReader<Group> rr =
                        io.getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    rows.add(rr.read());
                }
            }
            String codec =
                    r.getFooter().getBlocks().isEmpty()
                            ? "none"
                            : r.getFooter()
                                    .getBlocks()
                                    .get(0)
                                    .getColumns()
                                    .get(0)
                                    .getCodec()
                                    .name();
            return new Contents(schema, rows, r.getFooter().getBlocks().size(), codec);
        }
    }
}
