/**
 * The storage SPI: the object-store interface every byte of a lake goes through, so that a lake on
 * the local filesystem and one on S3 behave the same. Nothing above this package touches lake files
 * directly. {@link dev.tarn.lake.storage.ForwardingObjectStore} is the base of a store that wraps
 * another (request counting, fault injection in tests).
 */
package dev.tarn.lake.storage;
