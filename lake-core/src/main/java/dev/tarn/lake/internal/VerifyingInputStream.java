package dev.tarn.lake.internal;

import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An object's bytes, checked against its catalog record as they stream: a reader that reaches the
 * end learns, with a {@link TarnException} in place of the end, that the bytes were cut or altered
 * behind the lake, rather than taking them for the object. (Bytes already read cannot be taken
 * back; the failure says they were not the object.)
 */
final class VerifyingInputStream extends FilterInputStream {
    private final LakeObject object;
    private final MessageDigest md;
    private long count;
    private boolean checked;

    VerifyingInputStream(InputStream in, LakeObject object) {
        super(in);
        this.object = object;
        try {
            this.md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            check();
        } else {
            md.update((byte) b);
            count++;
            tooLong();
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n < 0) {
            check();
        } else if (n > 0) {
            md.update(buf, off, n);
            count += n;
            tooLong();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes cannot be hashed, so nothing is verified once a reader skips.
        checked = true;
        return in.skip(n);
    }

    private void tooLong() {
        if (count > object.size()) {
            checked = true;
            throw new TarnException(
                    ErrorCode.OBJECT_DAMAGED,
                    "object "
                            + object.key()
                            + " is damaged: its stored bytes are longer than the "
                            + object.size()
                            + " bytes the catalog records; run 'lake doctor'");
        }
    }

    private void check() {
        if (checked) {
            return;
        }
        checked = true;
        if (count != object.size()) {
            throw new TarnException(
                    ErrorCode.OBJECT_DAMAGED,
                    "object "
                            + object.key()
                            + " is damaged: "
                            + count
                            + " bytes stored, the catalog"
                            + " records "
                            + object.size()
                            + " (truncated behind the lake); run 'lake doctor'");
        }
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equals(object.sha256())) {
            throw new TarnException(
                    ErrorCode.OBJECT_DAMAGED,
                    "object "
                            + object.key()
                            + " is damaged: its bytes hash to "
                            + actual
                            + ", the catalog records "
                            + object.sha256()
                            + " (altered behind the lake); run 'lake doctor'");
        }
    }
}
