/**
 * Data-quality expectations of a pipeline step: rules ({@code not_null}, {@code range}, {@code in},
 * {@code pattern}, {@code unique}, {@code row_count}, {@code freshness}) with an action ({@code
 * warn}, {@code quarantine}, {@code fail}), parsed from a step's {@code expect:} list ({@link
 * Expectations#parse}), planned as SQL over the step's output ({@link Expectations#plan}),
 * evaluated through lake SQL ({@link ExpectationPlan#evaluate}) and recorded in the lake ({@link
 * ExpectationResults#record}), where SQL shows them as {@code tarn.expectations}.
 */
package dev.tarn.lake.pipeline.expect;
