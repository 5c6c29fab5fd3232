package dev.tarn.lake.security;

/** What an operation needs to be allowed to do. */
public enum Privilege {
    /** Read data or metadata. */
    READ,
    /** Add, change or remove data. */
    WRITE,
    /** Change the lake itself: zones, dataset properties, repairs. */
    ADMIN
}
