package dev.tarn.lake.format.internal.read;

/**
 * Where a parser is: the source, line and record, for messages and quarantine entries. Mutable, per
 * worker.
 */
public final class Site {
    public String source;
    public long line;
    public long record;
    public long offset;

    public Site(String source) {
        this.source = source;
    }

    public String describe() {
        return source + " line " + line;
    }
}
