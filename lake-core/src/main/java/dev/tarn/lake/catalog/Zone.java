package dev.tarn.lake.catalog;

import java.time.Instant;

/**
 * A zone of the lake ({@code raw}, {@code processed}, {@code analytics}, or one the lake declares).
 */
public record Zone(String name, String description, Instant createdAt) {}
