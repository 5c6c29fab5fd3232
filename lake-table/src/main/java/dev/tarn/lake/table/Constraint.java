package dev.tarn.lake.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.Schema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A rule every row of a table must keep, as the Delta protocol stores it: a column declared not
 * null ({@code "nullable": false} in the schema), a CHECK constraint ({@code
 * delta.constraints.<name>} in the table properties, writer feature {@code checkConstraints}) or a
 * column invariant ({@code delta.invariants} in a column's metadata, writer version 2). A row
 * breaks a CHECK constraint or an invariant when its expression is false or null, as Delta's own
 * writers decide.
 *
 * @param name the constraint's name: the CHECK constraint's (lower case), or the column's for NOT
 *     NULL and invariants
 * @param kind what kind of rule it is
 * @param column the column a NOT NULL or invariant is declared on; null for CHECK constraints
 * @param expression the SQL expression rows must make true, in Spark SQL as Delta stores it ({@code
 *     `price` IS NOT NULL} for NOT NULL)
 */
public record Constraint(String name, Kind kind, String column, String expression) {
    /** The table property prefix of CHECK constraints. */
    public static final String PROPERTY_PREFIX = "delta.constraints.";

    /** The column metadata key of invariants. */
    public static final String INVARIANTS = "delta.invariants";

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final java.util.regex.Pattern NAME =
            java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    /**
     * A CHECK constraint's name as stored (lower case, as Delta stores it), or {@link
     * dev.tarn.lake.exceptions.IllegalNameException} if it is not a SQL identifier.
     */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new dev.tarn.lake.exceptions.IllegalNameException(
                    "constraint name '"
                            + name
                            + "' is not a SQL identifier: a letter or '_', then letters, digits or '_'"
                            + " (at most 128)");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** The expression, or an error if it is blank or has more than one line. */
    public static String checkExpression(String expression) {
        if (expression == null
                || expression.isBlank()
                || expression.indexOf('\n') >= 0
                || expression.indexOf('\r') >= 0
                || expression.length() > 4096) {
            throw new IllegalArgumentException(
                    "a constraint's expression is one line of SQL (at most 4096"
                            + " characters), not '"
                            + expression
                            + "'");
        }
        return expression.strip();
    }

    /** The kinds of constraint. */
    public enum Kind {
        NOT_NULL,
        CHECK,
        INVARIANT
    }

    public Constraint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(expression, "expression");
    }

    /** How a message names it: {@code CHECK constraint positive_price (price > 0)}. */
    public String describe() {
        return switch (kind) {
            case NOT_NULL -> "NOT NULL column " + column;
            case CHECK -> "CHECK constraint " + name + " (" + expression + ")";
            case INVARIANT -> "invariant of column " + column + " (" + expression + ")";
        };
    }

    /**
     * The constraints of a table with this schema and these properties: NOT NULL columns (top
     * level) and invariants in schema order, then CHECK constraints by name.
     */
    public static List<Constraint> of(Schema schema, Map<String, String> properties) {
        List<Constraint> out = new ArrayList<>();
        for (Field f : schema.fields()) {
            if (!f.nullable()) {
                out.add(
                        new Constraint(
                                f.name(),
                                Kind.NOT_NULL,
                                f.name(),
                                "`" + f.name().replace("`", "``") + "` IS NOT NULL"));
            }
            Object inv = f.metadata().get(INVARIANTS);
            if (inv != null) {
                out.add(new Constraint(f.name(), Kind.INVARIANT, f.name(), invariant(f, inv)));
            }
        }
        Map<String, String> checks = new TreeMap<>();
        properties.forEach(
                (k, v) -> {
                    if (k.toLowerCase(Locale.ROOT).startsWith(PROPERTY_PREFIX)) {
                        checks.put(k.substring(PROPERTY_PREFIX.length()), v);
                    }
                });
        checks.forEach((n, e) -> out.add(new Constraint(n, Kind.CHECK, null, e)));
        return out;
    }

    /** The expression of an invariant: {@code {"expression": {"expression": "x > 3"}}}. */
    private static String invariant(Field f, Object value) {
        try {
            JsonNode n = value instanceof String s ? JSON.readTree(s) : JSON.valueToTree(value);
            JsonNode e = n.path("expression").path("expression");
            if (e.isTextual() && !e.asText().isBlank()) {
                return e.asText();
            }
        } catch (IOException | IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new dev.tarn.lake.exceptions.TarnException(
                dev.tarn.lake.exceptions.ErrorCode.TABLE_LOG_BROKEN,
                "column "
                        + f.name()
                        + " has an invariant Tarn cannot read ("
                        + INVARIANTS
                        + " = "
                        + value
                        + "); the protocol stores {\"expression\": {\"expression\": \"...\"}}");
    }
}
