package dev.tarn.lake.table;

/**
 * Adds data files to a table. A blind append: it reads nothing, so it never conflicts with a
 * concurrent commit (except one that changes the table's schema or protocol).
 */
public interface AppendFiles extends TableWrite<AppendFiles> {}
