package dev.tarn.lake.format.internal.read;

import dev.tarn.lake.exceptions.FormatException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding: invalid input is an error naming the byte offset, never a replacement
 * character.
 */
public final class Utf8 {
    private final CharsetDecoder decoder =
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
    private CharBuffer chars = CharBuffer.allocate(256);

    /**
     * Decodes {@code len} bytes at {@code off}; {@code base} is the input offset of {@code b[0]}
     * for the error message.
     */
    public String decode(byte[] b, int off, int len, long base, String source) {
        boolean ascii = true;
        for (int i = off, e = off + len; i < e; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        if (chars.capacity() < len) {
            chars = CharBuffer.allocate(Math.max(len, chars.capacity() * 2));
        }
        chars.clear();
        decoder.reset();
        ByteBuffer in = ByteBuffer.wrap(b, off, len);
        CoderResult r = decoder.decode(in, chars, true);
        if (!r.isError()) {
            r = decoder.flush(chars);
        }
        if (r.isError()) {
            throw invalid(source, base + (in.position() - off));
        }
        chars.flip();
        return chars.toString();
    }

    /** Checks that {@code len} bytes at {@code off} are valid UTF-8. */
    void validate(byte[] b, int off, int len, long base, String source) {
        decode(b, off, len, base, source);
    }

    static FormatException invalid(String source, long offset) {
        return new FormatException(
                source
                        + ": invalid UTF-8 at byte offset "
                        + offset
                        + " (of the decompressed input). Convert the file to UTF-8",
                FormatException.Remedy.CHARSET,
                ", or set the input charset with Conversion.charset(...) if it is in another encoding.");
    }
}
