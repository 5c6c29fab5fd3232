package dev.tarn.lake.format.parquet;

import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.types.StructType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;

/**
 * Reading Parquet files of a store without Hadoop: the footer, and the rows (as parquet-java's
 * example {@link Group}s) row group by row group. parquet-java's {@code ParquetFileReader} cannot
 * be opened without Hadoop through its public API (both builders of its read options load Hadoop
 * classes), so this reads the column chunks itself, splits them into pages with parquet-format's
 * {@link Util#readPageHeader}, decompresses them with {@link ParquetCodecs} and hands them to
 * parquet-column's record assembly ({@link ColumnIOFactory}) — public API only. {@code
 * ParquetLayerContractTest} pins what this relies on.
 */
public final class ParquetFiles {
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final ParquetCodecs CODECS = new ParquetCodecs(3);

    private ParquetFiles() {}

    /** The footer of a Parquet object; a clear error when the object is not Parquet. */
    public static ParquetMetadata footer(ObjectStore store, ObjectStat stat) {
        String key = stat.key();
        if (stat.size() < 12) {
            throw new UncheckedIOException(
                    new IOException(key + " is not a Parquet file (" + stat.size() + " bytes)"));
        }
        try {
            byte[] tail = read(store, key, stat.size() - 8, 8);
            if (!Arrays.equals(tail, 4, 8, MAGIC, 0, 4)) {
                throw new IOException(key + " is not a Parquet file (no PAR1 at its end)");
            }
            long len =
                    (tail[0] & 0xffL)
                            | (tail[1] & 0xffL) << 8
                            | (tail[2] & 0xffL) << 16
                            | (tail[3] & 0xffL) << 24;
            if (len <= 0 || len > stat.size() - 12) {
                throw new IOException(key + " has a corrupt Parquet footer length " + len);
            }
            byte[] footer = read(store, key, stat.size() - 8 - len, (int) len);
            return new ParquetMetadataConverter()
                    .readParquetMetadata(
                            new ByteArrayInputStream(footer), ParquetMetadataConverter.NO_FILTER);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the Parquet footer of " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * The compression of a file's pages (of its first column chunk); UNCOMPRESSED for a file
     * without rows.
     */
    public static CompressionCodecName codec(ParquetMetadata footer) {
        for (BlockMetaData b : footer.getBlocks()) {
            if (!b.getColumns().isEmpty()) {
                return b.getColumns().get(0).getCodec();
            }
        }
        return CompressionCodecName.UNCOMPRESSED;
    }

    /**
     * Calls {@code rows} with every row of the file, in order, as parquet-java's example {@link
     * Group}s.
     */
    public static void forEachRow(
            ObjectStore store, ObjectStat stat, ParquetMetadata footer, Consumer<Group> rows) {
        MessageType schema = footer.getFileMetaData().getSchema();
        read(store, stat, footer, new GroupRecordConverter(schema), rows);
    }

    /**
     * Calls {@code rows} with every row of the file, in order, as the rows {@link RowWriter} takes,
     * with the fields of {@code struct} (see {@link Rows}).
     */
    public static void forEachRow(
            ObjectStore store,
            ObjectStat stat,
            ParquetMetadata footer,
            StructType struct,
            Consumer<Object[]> rows) {
        read(
                store,
                stat,
                footer,
                Rows.materializer(footer.getFileMetaData().getSchema(), struct),
                rows);
    }

    private static <T> void read(
            ObjectStore store,
            ObjectStat stat,
            ParquetMetadata footer,
            RecordMaterializer<T> records,
            Consumer<T> rows) {
        MessageType schema = footer.getFileMetaData().getSchema();
        MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
        try {
            for (BlockMetaData block : footer.getBlocks()) {
                if (block.getRowCount() == 0) {
                    continue;
                }
                RowGroup pages = rowGroup(store, stat.key(), schema, block);
                RecordReader<T> reader = io.getRecordReader(pages, records);
                for (long i = 0; i < block.getRowCount(); i++) {
                    rows.accept(reader.read());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stat.key() + ": " + e.getMessage(), e);
        }
    }

    private static RowGroup rowGroup(
            ObjectStore store, String key, MessageType schema, BlockMetaData block)
            throws IOException {
        Map<String, ColumnChunkMetaData> byPath = new HashMap<>();
        for (ColumnChunkMetaData c : block.getColumns()) {
            byPath.put(c.getPath().toDotString(), c);
        }
        RowGroup g = new RowGroup(block.getRowCount());
        for (ColumnDescriptor d : schema.getColumns()) {
            ColumnChunkMetaData c = byPath.get(String.join(".", d.getPath()));
            if (c == null) {
                throw new IOException("row group without column " + String.join(".", d.getPath()));
            }
            g.columns.put(d, chunk(store, key, d, c));
        }
        return g;
    }

    /** Reads one column chunk and splits it into (decompressed) pages. */
    private static Chunk chunk(
            ObjectStore store, String key, ColumnDescriptor d, ColumnChunkMetaData c)
            throws IOException {
        byte[] bytes = read(store, key, c.getStartingPos(), Math.toIntExact(c.getTotalSize()));
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        Chunk chunk = new Chunk(c.getValueCount());
        long values = 0;
        while (values < c.getValueCount()) {
            PageHeader h = Util.readPageHeader(in);
            byte[] data = in.readNBytes(h.getCompressed_page_size());
            if (data.length < h.getCompressed_page_size()) {
                throw new IOException("column chunk " + d + " ends inside a page");
            }
            switch (h.getType()) {
                case DICTIONARY_PAGE:
                    chunk.dictionary =
                            new DictionaryPage(
                                    BytesInput.from(
                                            inflate(c, data, h.getUncompressed_page_size())),
                                    h.getDictionary_page_header().getNum_values(),
                                    encoding(h.getDictionary_page_header().getEncoding()));
                    break;
                case DATA_PAGE:
                    {
                        DataPageHeader dh = h.getData_page_header();
                        chunk.pages.add(
                                new DataPageV1(
                                        BytesInput.from(
                                                inflate(c, data, h.getUncompressed_page_size())),
                                        dh.getNum_values(),
                                        h.getUncompressed_page_size(),
                                        noStats(d),
                                        encoding(dh.getRepetition_level_encoding()),
                                        encoding(dh.getDefinition_level_encoding()),
                                        encoding(dh.getEncoding())));
                        values += dh.getNum_values();
                        break;
                    }
                case DATA_PAGE_V2:
                    {
                        // levels are never compressed in a V2 page; the values may be
                        DataPageHeaderV2 dh = h.getData_page_header_v2();
                        int rl = dh.getRepetition_levels_byte_length();
                        int dl = dh.getDefinition_levels_byte_length();
                        byte[] values2 = Arrays.copyOfRange(data, rl + dl, data.length);
                        if (!dh.isSetIs_compressed() || dh.isIs_compressed()) {
                            values2 = inflate(c, values2, h.getUncompressed_page_size() - rl - dl);
                        }
                        chunk.pages.add(
                                DataPageV2.uncompressed(
                                        dh.getNum_rows(),
                                        dh.getNum_nulls(),
                                        dh.getNum_values(),
                                        BytesInput.from(Arrays.copyOfRange(data, 0, rl)),
                                        BytesInput.from(Arrays.copyOfRange(data, rl, rl + dl)),
                                        encoding(dh.getEncoding()),
                                        BytesInput.from(values2),
                                        noStats(d)));
                        values += dh.getNum_values();
                        break;
                    }
                default:
                    // index pages and unknown page types carry no values
                    break;
            }
        }
        return chunk;
    }

    private static byte[] inflate(ColumnChunkMetaData c, byte[] data, int size) throws IOException {
        return CODECS.getDecompressor(c.getCodec())
                .decompress(BytesInput.from(data), size)
                .toByteArray();
    }

    private static Statistics<?> noStats(ColumnDescriptor d) {
        return Statistics.getBuilderForReading(d.getPrimitiveType()).build();
    }

    private static Encoding encoding(org.apache.parquet.format.Encoding e) {
        return Encoding.valueOf(e.name());
    }

    private static byte[] read(ObjectStore store, String key, long offset, int length)
            throws IOException {
        try (InputStream in = store.get(key, offset, length)) {
            byte[] b = in.readNBytes(length);
            if (b.length < length) {
                throw new IOException("unexpected end of " + key + " at " + (offset + b.length));
            }
            return b;
        }
    }

    private static final class RowGroup implements PageReadStore {
        final long rows;
        final Map<ColumnDescriptor, Chunk> columns = new HashMap<>();

        RowGroup(long rows) {
            this.rows = rows;
        }

        @Override
        public PageReader getPageReader(ColumnDescriptor descriptor) {
            return columns.get(descriptor);
        }

        @Override
        public long getRowCount() {
            return rows;
        }
    }

    private static final class Chunk implements PageReader {
        final long valueCount;
        final ArrayDeque<DataPage> pages = new ArrayDeque<>();
        DictionaryPage dictionary;

        Chunk(long valueCount) {
            this.valueCount = valueCount;
        }

        @Override
        public DictionaryPage readDictionaryPage() {
            return dictionary;
        }

        @Override
        public long getTotalValueCount() {
            return valueCount;
        }

        @Override
        public DataPage readPage() {
            return pages.poll();
        }
    }
}
