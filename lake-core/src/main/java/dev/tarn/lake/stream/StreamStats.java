package dev.tarn.lake.stream;

/**
 * What a stream has done since it was opened.
 *
 * @param appended records appended by this handle
 * @param durable records durable in the spool
 * @param committed records committed to the lake (recovered ones included)
 * @param objects objects committed to the catalog
 * @param bytes bytes of the committed objects as stored
 * @param segments spool segments committed
 * @param recovered records recovered from spools left by earlier processes when this one opened
 */
public record StreamStats(
        long appended,
        long durable,
        long committed,
        long objects,
        long bytes,
        long segments,
        long recovered) {}
