/**
 * The third stage: converting values to the schema. {@link
 * dev.tarn.lake.format.internal.convert.Plan} is the schema as the readers walk it, {@link
 * dev.tarn.lake.format.internal.convert.Values} turns text into a column's type (exactly, or as a
 * misfit), {@link dev.tarn.lake.format.internal.convert.Required} checks the non-null fields of an
 * explicit schema, and {@link dev.tarn.lake.format.internal.convert.BadRecord} says why a record
 * goes to the quarantine. Not part of the public API.
 */
package dev.tarn.lake.format.internal.convert;
