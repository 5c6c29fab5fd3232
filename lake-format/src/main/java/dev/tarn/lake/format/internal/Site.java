package dev.tarn.lake.format.internal;

/** Where a parser is: the source, line and record, for messages and quarantine entries. Mutable, per worker. */
final class Site {
    String source;
    long line;
    long record;
    long offset;

    Site(String source) {
        this.source = source;
    }

    String describe() {
        return source + " line " + line;
    }
}
