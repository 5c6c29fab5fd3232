package dev.tarn.lake.table.internal.parquet;

import dev.tarn.lake.storage.ObjectWriter;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

import java.io.IOException;

/**
 * A Parquet {@link OutputFile} over a store writer. Closing the Parquet stream does not publish the object: the
 * caller commits the {@link ObjectWriter} once the Parquet writer has closed without error.
 */
public final class StoreOutputFile implements OutputFile {
    private final ObjectWriter writer;

    public StoreOutputFile(ObjectWriter writer) {
        this.writer = writer;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
        return new PositionOutputStream() {
            private long pos;

            @Override
            public long getPos() {
                return pos;
            }

            @Override
            public void write(int b) throws IOException {
                writer.write(b);
                pos++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writer.write(b, off, len);
                pos += len;
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    @Override
    public String getPath() {
        return writer.key();
    }
}
