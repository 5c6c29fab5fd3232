package dev.tarn.lake.internal.catalog;

import dev.tarn.lake.TarnException;

/**
 * The catalog log cannot be read to its end: an entry is missing with later ones after it, a checkpoint or the hint
 * names a version no entry reaches, or an entry cannot be parsed. Readers refuse rather than answer from the state
 * before the damage; writers refuse rather than write into (and so hide) a gap. The message names the damage and
 * says to run {@code lake doctor}.
 */
public final class CatalogDamagedException extends TarnException {
    public CatalogDamagedException(String message) {
        super(message);
    }

    public CatalogDamagedException(String message, Throwable cause) {
        super(message, cause);
    }
}
