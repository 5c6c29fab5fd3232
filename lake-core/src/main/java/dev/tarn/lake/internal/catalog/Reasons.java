package dev.tarn.lake.internal.catalog;

/**
 * The reason an operator gives for a removal, a drop or a purge: recorded as given, within bounds.
 */
final class Reasons {
    static final int MAX = 1000;

    private Reasons() {}

    static String check(String reason) {
        if (reason == null) {
            return null;
        }
        String r = reason.strip();
        if (r.isEmpty()) {
            throw new IllegalArgumentException("reason is blank; say why, or leave it out");
        }
        if (r.length() > MAX) {
            throw new IllegalArgumentException(
                    "reason is " + r.length() + " characters long; at most " + MAX);
        }
        return r;
    }
}
