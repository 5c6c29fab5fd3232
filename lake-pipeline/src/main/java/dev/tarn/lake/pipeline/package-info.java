/**
 * Declarative pipelines: a YAML or JSON file of steps ({@code convert}, {@code sql}, {@code sink})
 * run incrementally and in dependency order, each step's progress recorded in the lake so that a
 * run killed at any point resumes without losing or duplicating data. {@code Pipelines.load(lake,
 * path)} is the entry point.
 */
package dev.tarn.lake.pipeline;
