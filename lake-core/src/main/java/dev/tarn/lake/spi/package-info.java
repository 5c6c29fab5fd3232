/**
 * The seam between the lake core and Tarn's other modules (tables, SQL, the S3 store, test
 * support): what they need from a lake and that its users do not. {@link
 * dev.tarn.lake.spi.LakeInternals} (a lake's trusted store, clock, principal, authorization,
 * dataset registration, commit events) is handed out only to code in Tarn's packages; {@link
 * dev.tarn.lake.spi.CommitLog} is the put-if-absent log primitive that the catalog and Delta tables
 * build on; {@link dev.tarn.lake.spi.Keys}, {@link dev.tarn.lake.spi.LocalStore} and {@link
 * dev.tarn.lake.spi.FileTrees} are the storage rules and helpers the store implementations and
 * engines share.
 *
 * <p>Other modules use the public API and this package only, never {@code dev.tarn.lake.internal}:
 * an architecture test in lake-suite enforces it. Applications should not need anything here.
 */
package dev.tarn.lake.spi;
