package dev.tarn.lake.pipeline.expect;

import java.util.Objects;

/**
 * One rule of a step's {@code expect:} list, with what breaking it does.
 *
 * @param name how results name it: given in YAML ({@code name:}), or made from the rule ({@code
 *     not_null_user_id}, {@code range_price}, {@code unique_event_id}...)
 * @param rule what rows (or the whole output) must keep
 * @param action what breaking it does
 */
public record Expectation(String name, Rule rule, Action action) {
    public Expectation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(action, "action");
        if (action == Action.QUARANTINE && !rule.rowLevel()) {
            throw new IllegalArgumentException(
                    rule.kind()
                            + " is about the whole output, not rows: its action is warn or fail");
        }
    }

    /** The rule with its default name and action warn. */
    public static Expectation warn(Rule rule) {
        return new Expectation(rule.defaultName(), rule, Action.WARN);
    }
}
