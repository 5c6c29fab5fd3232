package dev.tarn.lake.format.internal.encode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.format.BoundaryOrder;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnIndex;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DictionaryPageHeader;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.OffsetIndex;
import org.apache.parquet.format.PageEncodingStats;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageLocation;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Statistics;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.PrimitiveType;

/**
 * One leaf column of a Parquet file being written: levels and values of the current page, the
 * finished (compressed) pages of the current column chunk, and the chunk's dictionary. Pages start
 * at row boundaries so that a row never straddles two pages (the offset index counts rows per
 * page).
 */
abstract class Column {
    /**
     * Levels per page, as parquet-java's default page row limit: keeps pages small enough for page
     * skipping.
     */
    static final int PAGE_VALUES = 20_000;

    /** What the columns of one file share: the scratch page buffer, the compressor, limits. */
    static final class Shared {
        final ByteBuf page = new ByteBuf(1 << 16);
        final BytesInputCompressor compressor;
        final CompressionCodecName codec;
        final int pageBytes;
        final int dictionaryBytes;

        Shared(
                BytesInputCompressor compressor,
                CompressionCodecName codec,
                int pageBytes,
                int dictionaryBytes) {
            this.compressor = compressor;
            this.codec = codec;
            this.pageBytes = pageBytes;
            this.dictionaryBytes = dictionaryBytes;
        }
    }

    private static final byte[] NONE = new byte[0];

    private static final class Page {
        final byte[] bytes;
        final int rawSize;
        final int values;
        final int rows;
        final int nulls;

        /** Bounds, PLAIN-encoded; null when the page has no (ordered) values. */
        final byte[] min;

        final byte[] max;
        final Encoding encoding;

        Page(
                byte[] bytes,
                int rawSize,
                int values,
                int rows,
                int nulls,
                byte[] min,
                byte[] max,
                Encoding encoding) {
            this.bytes = bytes;
            this.rawSize = rawSize;
            this.values = values;
            this.rows = rows;
            this.nulls = nulls;
            this.min = min;
            this.max = max;
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

    /**
     * Whether the current chunk is still dictionary-encoded (it falls back to PLAIN for good when
     * that stops paying).
     */
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
        // rare paths live in their own methods so that the copies C2 inlines into every caller stay
        // small
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
     * Appends the current page's values to {@code out} (dictionary ids or PLAIN) and returns their
     * encoding; may give up the dictionary for this chunk when it does not pay.
     */
    abstract Encoding encodeValues(ByteBuf out, boolean firstPage);

    /**
     * Sets {@link #pageMin} and {@link #pageMax} to the current page's bounds (null when it has
     * none).
     */
    abstract void bounds();

    /** Orders two bounds as the column's type orders its values. */
    abstract int compareBounds(byte[] a, byte[] b);

    byte[] pageMin;
    byte[] pageMax;

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
            // every value present: the definition levels are one run of the maximum, no need to
            // scan them
            // (one value byte: a definition level above 255 would take nesting deeper than any
            // schema here)
            int at = out.n;
            out.putIntLE(0);
            out.putVarInt(levels << 1);
            out.put(maxDef);
            out.setIntLE(at, out.n - at - 4);
        } else {
            levels(defs, maxDef, out);
        }
        Encoding enc = encodeValues(out, pages.isEmpty());
        pageMin = null;
        pageMax = null;
        bounds();
        byte[] c = compress(out);
        pages.add(new Page(c, out.n, levels, pageRows, pageNulls, pageMin, pageMax, enc));
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

    /**
     * Writes the column chunk (dictionary page first, then the data pages) and starts a new one.
     */
    final void writeChunk(ParquetFile f) throws IOException {
        flushPage();
        long start = f.pos();
        long uncompressed = 0;
        long compressed = 0;
        List<PageEncodingStats> encodingStats = new ArrayList<>();
        long dictionaryOffset = -1;
        if (dictionaryPages > 0) {
            ByteBuf out = sh.page;
            out.reset();
            int entries = dictionary(out);
            byte[] c = compress(out);
            PageHeader h = new PageHeader(PageType.DICTIONARY_PAGE, out.n, c.length);
            h.setDictionary_page_header(
                    new DictionaryPageHeader(entries, Encoding.PLAIN_DICTIONARY));
            dictionaryOffset = f.pos();
            f.page(h, c);
            long size = f.pos() - dictionaryOffset;
            uncompressed += size - c.length + out.n;
            compressed += size;
            encodingStats.add(
                    new PageEncodingStats(PageType.DICTIONARY_PAGE, Encoding.PLAIN_DICTIONARY, 1));
        }
        long dataOffset = f.pos();
        Encoding rl = maxRep > 0 ? Encoding.RLE : Encoding.BIT_PACKED;
        OffsetIndex oi = new OffsetIndex(new ArrayList<>(pages.size()));
        List<Boolean> nullPages = new ArrayList<>(pages.size());
        List<ByteBuffer> mins = new ArrayList<>(pages.size());
        List<ByteBuffer> maxs = new ArrayList<>(pages.size());
        List<Long> nullCounts = new ArrayList<>(pages.size());
        // a page with values but no bounds (only NaNs) cannot be described by a column index
        boolean indexable = true;
        byte[] min = null;
        byte[] max = null;
        long nulls = 0;
        int dictionaryData = 0;
        int plainData = 0;
        long firstRow = 0;
        for (Page p : pages) {
            PageHeader h = new PageHeader(PageType.DATA_PAGE, p.rawSize, p.bytes.length);
            h.setData_page_header(new DataPageHeader(p.values, p.encoding, Encoding.RLE, rl));
            long at = f.pos();
            f.page(h, p.bytes);
            long size = f.pos() - at;
            uncompressed += size - p.bytes.length + p.rawSize;
            compressed += size;
            oi.addToPage_locations(new PageLocation(at, (int) size, firstRow));
            firstRow += p.rows;
            nullPages.add(p.min == null);
            mins.add(ByteBuffer.wrap(p.min == null ? NONE : p.min));
            maxs.add(ByteBuffer.wrap(p.max == null ? NONE : p.max));
            nullCounts.add((long) p.nulls);
            indexable &= p.min != null || p.nulls == p.values;
            if (p.min != null) {
                if (min == null || compareBounds(p.min, min) < 0) {
                    min = p.min;
                }
                if (max == null || compareBounds(p.max, max) > 0) {
                    max = p.max;
                }
            }
            nulls += p.nulls;
            if (p.encoding == Encoding.PLAIN_DICTIONARY) {
                dictionaryData++;
            } else {
                plainData++;
            }
        }
        List<Encoding> encodings = new ArrayList<>();
        if (dictionaryData > 0) {
            encodings.add(Encoding.PLAIN_DICTIONARY);
            encodingStats.add(
                    new PageEncodingStats(
                            PageType.DATA_PAGE, Encoding.PLAIN_DICTIONARY, dictionaryData));
        }
        if (plainData > 0) {
            encodings.add(Encoding.PLAIN);
            encodingStats.add(new PageEncodingStats(PageType.DATA_PAGE, Encoding.PLAIN, plainData));
        }
        encodings.add(Encoding.RLE);
        if (maxRep == 0) {
            encodings.add(Encoding.BIT_PACKED);
        }
        Statistics st = new Statistics();
        st.setNull_count(nulls);
        if (min != null) {
            st.setMin_value(min);
            st.setMax_value(max);
            if (!(this instanceof BinaryColumn)) {
                // the deprecated fields too, for readers that predate min_value/max_value (signed
                // order only)
                st.setMin(min);
                st.setMax(max);
            }
        }
        ColumnMetaData md =
                new ColumnMetaData(
                        ParquetFile.type(type.getPrimitiveTypeName()),
                        encodings,
                        Arrays.asList(desc.getPath()),
                        ParquetFile.codec(sh.codec),
                        chunkValues,
                        uncompressed,
                        compressed,
                        dataOffset);
        if (dictionaryOffset >= 0) {
            md.setDictionary_page_offset(dictionaryOffset);
        }
        md.setStatistics(st);
        md.setEncoding_stats(encodingStats);
        ColumnChunk cc = new ColumnChunk(start);
        cc.setMeta_data(md);
        ColumnIndex ci = null;
        if (indexable) {
            ci = new ColumnIndex(nullPages, mins, maxs, BoundaryOrder.UNORDERED);
            ci.setNull_counts(nullCounts);
        }
        f.chunk(cc, ci, oi);
        pages.clear();
        chunkValues = 0;
        buffered = 0;
        dictionaryPages = 0;
        dictionary = dictionaryAllowed;
        resetChunk();
    }
}
