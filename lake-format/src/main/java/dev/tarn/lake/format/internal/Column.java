package dev.tarn.lake.format.internal;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.PrimitiveType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One leaf column of a Parquet file being written: levels and values of the current page, the finished (compressed)
 * pages of the current column chunk, and the chunk's dictionary. Pages start at row boundaries so that a row never
 * straddles two pages (the offset index counts rows per page).
 */
abstract class Column {
    /** Levels per page, as parquet-java's default page row limit: keeps pages small enough for page skipping. */
    static final int PAGE_VALUES = 20_000;

    /** What the columns of one file share: the scratch page buffer, the compressor, limits. */
    static final class Shared {
        final ByteBuf page = new ByteBuf(1 << 16);
        final BytesInputCompressor compressor;
        final CompressionCodecName codec;
        final int pageBytes;
        final int dictionaryBytes;

        Shared(BytesInputCompressor compressor, CompressionCodecName codec, int pageBytes, int dictionaryBytes) {
            this.compressor = compressor;
            this.codec = codec;
            this.pageBytes = pageBytes;
            this.dictionaryBytes = dictionaryBytes;
        }
    }

    private static final class Page {
        final byte[] bytes;
        final int rawSize;
        final int values;
        final int rows;
        final Statistics<?> stats;
        final Encoding encoding;

        Page(byte[] bytes, int rawSize, int values, int rows, Statistics<?> stats, Encoding encoding) {
            this.bytes = bytes;
            this.rawSize = rawSize;
            this.values = values;
            this.rows = rows;
            this.stats = stats;
            this.encoding = encoding;
        }
    }

    final ColumnDescriptor desc;
    final PrimitiveType type;
    final int maxDef;
    final int maxRep;
    final Shared sh;
    final boolean dictionaryAllowed;

    private int[] defs = new int[1024];
    private int[] reps;
    /** Levels (values and nulls) in the current page. */
    int levels;
    private int pageRows;
    int pageNulls;
    /** Estimated encoded size of the current page's values, for the page size limit. */
    int est;

    private final List<Page> pages = new ArrayList<>();
    private long chunkValues;
    private long buffered;
    /** Whether the current chunk is still dictionary-encoded (it falls back to PLAIN for good when that stops paying). */
    boolean dictionary;
    private int dictionaryPages;

    Column(ColumnDescriptor desc, Shared sh, boolean dictionaryAllowed) {
        this.desc = desc;
        this.type = desc.getPrimitiveType();
        this.maxDef = desc.getMaxDefinitionLevel();
        this.maxRep = desc.getMaxRepetitionLevel();
        this.sh = sh;
        this.dictionaryAllowed = dictionaryAllowed;
        this.dictionary = dictionaryAllowed;
        if (maxRep > 0) {
            reps = new int[defs.length];
        }
    }

    /** Records the levels of the next value (or null); a new row may start a new page first. */
    final void level(int r, int d) {
        // rare paths live in their own methods so that the copies C2 inlines into every caller stay small
        if (r == 0) {
            startRow();
        }
        if (levels == defs.length) {
            growLevels();
        }
        defs[levels] = d;
        if (reps != null) {
            reps[levels] = r;
        }
        levels++;
    }

    private void startRow() {
        if (levels >= PAGE_VALUES || est >= sh.pageBytes) {
            flushPage();
        }
        pageRows++;
    }

    private void growLevels() {
        defs = Arrays.copyOf(defs, levels * 2);
        if (reps != null) {
            reps = Arrays.copyOf(reps, levels * 2);
        }
    }

    final void addNull(int r, int d) {
        level(r, d);
        pageNulls++;
    }

    /** Adds a non-null value at repetition level {@code r} and definition level {@code d}. */
    abstract void add(int r, int d, Object v);

    /**
     * Appends the current page's values to {@code out} (dictionary ids or PLAIN) and returns their encoding; may
     * give up the dictionary for this chunk when it does not pay.
     */
    abstract Encoding encodeValues(ByteBuf out, boolean firstPage);

    /** Min/max/null count of the current page. */
    abstract Statistics<?> pageStats();

    /** Forgets the current page's values (levels are reset by the caller). */
    abstract void resetPage();

    /** The chunk's dictionary, PLAIN-encoded, and its entry count. */
    abstract int dictionary(ByteBuf out);

    /** Forgets the chunk's dictionary. */
    abstract void resetChunk();

    /** Bytes held for the current chunk: compressed pages, the open page and the dictionary. */
    long bufferedBytes() {
        return buffered + est + levels + dictionaryBytes();
    }

    abstract long dictionaryBytes();

    final void flushPage() {
        if (levels == 0) {
            return;
        }
        ByteBuf out = sh.page;
        out.reset();
        if (maxRep > 0) {
            levels(reps, maxRep, out);
        }
        if (pageNulls == 0) {
            // every value present: the definition levels are one run of the maximum, no need to scan them
            // (one value byte: a definition level above 255 would take nesting deeper than any schema here)
            int at = out.n;
            out.putIntLE(0);
            out.putVarInt(levels << 1);
            out.put(maxDef);
            out.setIntLE(at, out.n - at - 4);
        } else {
            levels(defs, maxDef, out);
        }
        Encoding enc = encodeValues(out, pages.isEmpty());
        Statistics<?> st = pageStats();
        byte[] c = compress(out);
        pages.add(new Page(c, out.n, levels, pageRows, st, enc));
        if (enc == Encoding.PLAIN_DICTIONARY) {
            dictionaryPages++;
        }
        chunkValues += levels;
        buffered += c.length;
        levels = 0;
        pageRows = 0;
        pageNulls = 0;
        est = 0;
        resetPage();
    }

    private void levels(int[] v, int max, ByteBuf out) {
        int at = out.n;
        out.putIntLE(0);
        Rle.encode(v, levels, Rle.width(max), out);
        out.setIntLE(at, out.n - at - 4);
    }

    private byte[] compress(ByteBuf out) {
        if (sh.codec == CompressionCodecName.UNCOMPRESSED) {
            return out.copy();
        }
        try {
            return sh.compressor.compress(BytesInput.from(out.a, 0, out.n)).toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the column chunk (dictionary page first, then the data pages) and starts a new one. */
    final void writeChunk(ParquetFileWriter w) throws IOException {
        flushPage();
        w.startColumn(desc, chunkValues, sh.codec);
        if (dictionaryPages > 0) {
            ByteBuf out = sh.page;
            out.reset();
            int entries = dictionary(out);
            byte[] c = compress(out);
            w.writeDictionaryPage(new DictionaryPage(BytesInput.from(c), out.n, entries, Encoding.PLAIN_DICTIONARY));
        }
        Encoding rl = maxRep > 0 ? Encoding.RLE : Encoding.BIT_PACKED;
        for (Page p : pages) {
            w.writeDataPage(p.values, p.rawSize, BytesInput.from(p.bytes), p.stats, p.rows, rl, Encoding.RLE,
                    p.encoding);
        }
        w.endColumn();
        pages.clear();
        chunkValues = 0;
        buffered = 0;
        dictionaryPages = 0;
        dictionary = dictionaryAllowed;
        resetChunk();
    }
}
