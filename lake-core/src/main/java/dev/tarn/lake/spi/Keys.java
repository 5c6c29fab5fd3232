package dev.tarn.lake.spi;

import java.util.Comparator;

/** Rules for object-store keys, shared by every store implementation. */
public final class Keys {
    public static final int MAX_KEY_LENGTH = 1024;

    /** Orders keys as S3 does: by UTF-8 bytes, which is code-point order. */
    public static final Comparator<String> ORDER = Keys::compare;

    private Keys() {}

    /** Throws IllegalArgumentException unless {@code key} is a valid object key. */
    public static String check(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("object key is empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(
                    "object key longer than " + MAX_KEY_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw new IllegalArgumentException(
                        "object key contains a control character or backslash: " + key);
            }
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.startsWith(".")) {
                throw new IllegalArgumentException(
                        "object key has an empty segment or one starting with '.': " + key);
            }
        }
        return key;
    }

    /** Checks a list prefix: like a key, but it may be empty and may end with '/'. */
    public static String checkPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (!trimmed.isEmpty()) {
            check(trimmed);
        }
        return prefix;
    }

    static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
