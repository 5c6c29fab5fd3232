package dev.tarn.lake.exceptions;

/**
 * The catalog log cannot be read to its end: an entry is missing with later ones after it, a
 * checkpoint or the hint names a version no entry reaches, or an entry cannot be parsed. Readers
 * refuse rather than answer from the state before the damage; writers refuse rather than write into
 * (and so hide) a gap. The message names the damage and says to run {@code lake doctor}.
 */
public final class CatalogDamagedException extends TarnException {
    public CatalogDamagedException(String message) {
        super(ErrorCode.CATALOG_DAMAGED, message);
    }

    public CatalogDamagedException(String message, Throwable cause) {
        super(ErrorCode.CATALOG_DAMAGED, message, cause);
    }
}
