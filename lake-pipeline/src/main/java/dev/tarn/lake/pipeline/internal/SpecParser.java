package dev.tarn.lake.pipeline.internal;

import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.format.ErrorBudget;
import dev.tarn.lake.pipeline.sink.JdbcSinkSpec;
import dev.tarn.lake.pipeline.sink.SinkMode;
import dev.tarn.lake.pipeline.sink.SinkSpec;
import dev.tarn.lake.pipeline.sink.WebhookSinkSpec;
import dev.tarn.lake.table.Convert;
import dev.tarn.lake.types.SchemaPolicy;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a pipeline file into its steps, collecting every problem it finds (each with its line and
 * step) instead of stopping at the first: the file's author fixes them in one go.
 */
public final class SpecParser {
    // the keys each level takes, as the file spells them (docs/pipelines.md lists them)
    private static final Set<String> TOP_KEYS = keys("name description steps");
    private static final List<String> KINDS = List.of("convert", "sql", "sink");
    private static final Set<String> STEP_KEYS =
            keys("name convert sql sink expect after description");
    private static final Set<String> CONVERT_KEYS =
            keys(
                    "from to partition_by mode schema_policy policy json_path error_budget"
                            + " max_columns");
    private static final Set<String> SQL_KEYS = keys("to mode query");
    private static final Set<String> JDBC_KEYS =
            keys("from jdbc table mode key user password properties");
    private static final Set<String> WEBHOOK_KEYS = keys("from webhook mode headers batch_rows");
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final List<Problem> problems = new ArrayList<>();

    private static Set<String> keys(String spaced) {
        return Set.of(spaced.split(" "));
    }

    private final UnaryOperator<String> env;

    /**
     * @param env looks up environment variables for {@code ${VAR}} in sink settings (null: unset)
     */
    public SpecParser(UnaryOperator<String> env) {
        this.env = env;
    }

    /** A problem found: its line (0: none) and step (null: the file's). */
    public record Problem(int line, String step, String message) {
        @Override
        public String toString() {
            return (line > 0 ? "line " + line + ": " : "")
                    + (step != null ? "step '" + step + "': " : "")
                    + message;
        }
    }

    /** The parsed file. */
    public record Parsed(String name, List<StepSpec> steps, List<Problem> problems) {}

    /**
     * @param defaultName the pipeline's name when the file gives none (the file's stem)
     */
    public Parsed parse(String text, boolean json, String defaultName) {
        Node root;
        try {
            root = Node.parse(text, json);
        } catch (SpecError e) {
            problems.add(new Problem(e.line(), null, e.getMessage()));
            return new Parsed(defaultName, List.of(), List.copyOf(problems));
        }
        String name = defaultName;
        List<StepSpec> steps = new ArrayList<>();
        try {
            Map<String, Node> top = root.map("a pipeline file");
            unknownKeys(top, TOP_KEYS, "the pipeline", null);
            if (top.containsKey("name")) {
                Node n = top.get("name");
                name = n.text("name");
                if (!Names.isValid(name)) {
                    problems.add(
                            new Problem(
                                    n.line(),
                                    null,
                                    "pipeline name '"
                                            + name
                                            + "' is not valid: "
                                            + Names.RULE_TEXT));
                    name = defaultName;
                }
            }
            Node list = top.get("steps");
            if (list == null) {
                problems.add(new Problem(root.line(), null, "no 'steps:' list"));
            } else {
                List<Node> entries = list.list("steps");
                if (entries.isEmpty()) {
                    problems.add(new Problem(list.line(), null, "'steps:' is empty"));
                }
                for (int i = 0; i < entries.size(); i++) {
                    StepSpec s = step(entries.get(i), i + 1);
                    if (s != null) {
                        steps.add(s);
                    }
                }
            }
        } catch (SpecError e) {
            problems.add(new Problem(e.line(), null, e.getMessage()));
        }
        return new Parsed(name, List.copyOf(steps), List.copyOf(problems));
    }

    private StepSpec step(Node entry, int index) {
        String name = "#" + index;
        try {
            Map<String, Node> m = entry.map("a step");
            Node nameNode = m.get("name");
            if (nameNode == null) {
                throw new SpecError(entry.line(), "has no 'name:'");
            }
            name = nameNode.text("a step's name");
            if (!Names.isValid(name)) {
                throw new SpecError(nameNode.line(), "the name is not valid: " + Names.RULE_TEXT);
            }
            unknownKeys(m, STEP_KEYS, "a step", name);
            List<String> kinds = KINDS.stream().filter(m::containsKey).toList();
            if (kinds.size() != 1) {
                throw new SpecError(
                        entry.line(),
                        kinds.isEmpty()
                                ? "names no kind: give one of convert, sql, sink"
                                : "names "
                                        + kinds.size()
                                        + " kinds ("
                                        + String.join(", ", kinds)
                                        + "): give exactly one, and a step of its own for each");
            }
            List<String> after =
                    m.containsKey("after") ? m.get("after").strings("after") : List.of();
            List<Object> expect = List.of();
            if (m.containsKey("expect")) {
                List<Object> rules = new ArrayList<>();
                m.get("expect").list("expect").forEach(n -> rules.add(n.plain()));
                expect = java.util.Collections.unmodifiableList(rules);
            }
            Node body = m.get(kinds.get(0));
            String stepName = name;
            return switch (kinds.get(0)) {
                case "convert" -> convert(stepName, entry.line(), after, expect, body);
                case "sql" -> sql(stepName, entry.line(), after, expect, body);
                default -> sink(stepName, entry.line(), after, expect, body);
            };
        } catch (SpecError e) {
            problems.add(new Problem(e.line(), name, e.getMessage()));
            return null;
        }
    }

    private StepSpec convert(
            String name, int line, List<String> after, List<Object> expect, Node body) {
        Map<String, Node> m = body.map("convert");
        unknownKeys(m, CONVERT_KEYS, "convert", name);
        if (m.containsKey("schema_policy") && m.containsKey("policy")) {
            throw new SpecError(m.get("policy").line(), "give schema_policy or policy, not both");
        }
        Node policyNode = m.containsKey("policy") ? m.get("policy") : m.get("schema_policy");
        SchemaPolicy policy =
                policyNode == null ? null : choice(policyNode, "schema_policy", SchemaPolicy.class);
        Convert.Mode mode =
                m.containsKey("mode") ? choice(m.get("mode"), "mode", Convert.Mode.class) : null;
        List<String> partitionBy =
                m.containsKey("partition_by")
                        ? m.get("partition_by").strings("partition_by")
                        : List.of();
        List<String> jsonPath =
                m.containsKey("json_path") ? m.get("json_path").strings("json_path") : null;
        ErrorBudget budget = m.containsKey("error_budget") ? budget(m.get("error_budget")) : null;
        Integer maxColumns =
                m.containsKey("max_columns")
                        ? Math.toIntExact(m.get("max_columns").number("max_columns"))
                        : null;
        return new StepSpec.ConvertStep(
                name,
                line,
                after,
                expect,
                dataset(m, "from", body),
                dataset(m, "to", body),
                partitionBy,
                mode,
                policy,
                jsonPath,
                budget,
                maxColumns);
    }

    private StepSpec sql(
            String name, int line, List<String> after, List<Object> expect, Node body) {
        Map<String, Node> m = body.map("sql");
        unknownKeys(m, SQL_KEYS, "sql", name);
        boolean append = false;
        if (m.containsKey("mode")) {
            String mode = m.get("mode").text("mode").toLowerCase(Locale.ROOT);
            if (!mode.equals("replace") && !mode.equals("append")) {
                throw new SpecError(
                        m.get("mode").line(),
                        "sql mode '" + mode + "' is not one of replace, append");
            }
            append = mode.equals("append");
        }
        Node query = required(m, "query", body);
        String text = query.text("query");
        if (text.isBlank()) {
            throw new SpecError(query.line(), "the query is empty");
        }
        return new StepSpec.SqlStep(
                name, line, after, expect, dataset(m, "to", body), append, text, query.line());
    }

    private StepSpec sink(
            String name, int line, List<String> after, List<Object> expect, Node body) {
        Map<String, Node> m = body.map("sink");
        boolean jdbc = m.containsKey("jdbc");
        boolean webhook = m.containsKey("webhook");
        if (jdbc == webhook) {
            throw new SpecError(
                    body.line(),
                    jdbc
                            ? "a sink is jdbc or webhook, not both"
                            : "a sink names its target: jdbc: URL (with table:) or webhook: URL");
        }
        unknownKeys(
                m, jdbc ? JDBC_KEYS : WEBHOOK_KEYS, jdbc ? "a jdbc sink" : "a webhook sink", name);
        DatasetId from = dataset(m, "from", body);
        SinkMode mode =
                m.containsKey("mode")
                        ? choice(m.get("mode"), "mode", SinkMode.class)
                        : jdbc ? SinkMode.REPLACE : SinkMode.APPEND;
        SinkSpec spec;
        try {
            if (jdbc) {
                String url = expand(m.get("jdbc"), "jdbc");
                String table = required(m, "table", body).text("table");
                List<String> key = m.containsKey("key") ? m.get("key").strings("key") : List.of();
                if (mode == SinkMode.UPSERT && key.isEmpty()) {
                    throw new SpecError(body.line(), "mode upsert needs key: [columns]");
                }
                Map<String, String> props = new LinkedHashMap<>();
                if (m.containsKey("properties")) {
                    for (var e : m.get("properties").map("properties").entrySet()) {
                        props.put(e.getKey(), expand(e.getValue(), e.getKey()));
                    }
                }
                if (m.containsKey("user")) {
                    props.put("user", expand(m.get("user"), "user"));
                }
                if (m.containsKey("password")) {
                    props.put("password", expand(m.get("password"), "password"));
                }
                spec = new JdbcSinkSpec(url, table, mode, key, props);
            } else {
                if (mode == SinkMode.UPSERT) {
                    throw new SpecError(
                            m.get("mode").line(), "a webhook sink's mode is replace or append");
                }
                Map<String, String> headers = new LinkedHashMap<>();
                if (m.containsKey("headers")) {
                    for (var e : m.get("headers").map("headers").entrySet()) {
                        headers.put(e.getKey(), expand(e.getValue(), e.getKey()));
                    }
                }
                int batch =
                        m.containsKey("batch_rows")
                                ? Math.toIntExact(m.get("batch_rows").number("batch_rows"))
                                : 1000;
                URI url = URI.create(expand(m.get("webhook"), "webhook"));
                if (url.getScheme() == null
                        || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
                    throw new SpecError(
                            m.get("webhook").line(), "webhook must be an http or https URL");
                }
                spec = new WebhookSinkSpec(url, mode, headers, batch);
            }
        } catch (IllegalArgumentException e) {
            throw new SpecError(body.line(), e.getMessage());
        }
        return new StepSpec.SinkStep(name, line, after, expect, from, spec, body.line());
    }

    /** Expands {@code ${VAR}} from the environment: secrets stay out of the file. */
    private String expand(Node n, String what) {
        String s = n.text(what);
        Matcher mt = ENV.matcher(s);
        StringBuilder b = new StringBuilder();
        while (mt.find()) {
            String v = env.apply(mt.group(1));
            if (v == null) {
                throw new SpecError(
                        n.line(), what + " names ${" + mt.group(1) + "}, which is not set");
            }
            mt.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        mt.appendTail(b);
        return b.toString();
    }

    private static ErrorBudget budget(Node n) {
        String s = n.text("error_budget").trim().toLowerCase(Locale.ROOT);
        try {
            if (s.equals("none")) {
                return ErrorBudget.none();
            }
            if (s.equals("unlimited")) {
                return ErrorBudget.unlimited();
            }
            if (s.endsWith("%")) {
                return ErrorBudget.fraction(
                        Double.parseDouble(s.substring(0, s.length() - 1)) / 100);
            }
            return ErrorBudget.count(Long.parseLong(s));
        } catch (IllegalArgumentException e) {
            throw new SpecError(
                    n.line(),
                    "error_budget '"
                            + s
                            + "' is not a count (10), a share (5%), none or unlimited");
        }
    }

    private static <E extends Enum<E>> E choice(Node n, String what, Class<E> type) {
        String s = n.text(what).trim();
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s.replace('-', '_'))) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new SpecError(
                n.line(), what + " '" + s + "' is not one of " + String.join(", ", names));
    }

    private static Node required(Map<String, Node> m, String key, Node body) {
        Node n = m.get(key);
        if (n == null) {
            throw new SpecError(body.line(), "has no '" + key + ":'");
        }
        return n;
    }

    private static DatasetId dataset(Map<String, Node> m, String key, Node body) {
        Node n = required(m, key, body);
        String text = n.text(key);
        try {
            DatasetId id = DatasetId.parse(text);
            Names.check("zone", id.zone());
            Names.check("dataset", id.name());
            return id;
        } catch (RuntimeException e) {
            throw new SpecError(
                    n.line(),
                    key + " '" + text + "' is not a dataset ZONE/NAME: " + e.getMessage());
        }
    }

    private void unknownKeys(Map<String, Node> m, Set<String> known, String where, String step) {
        for (var e : m.entrySet()) {
            if (!known.contains(e.getKey())) {
                problems.add(
                        new Problem(
                                e.getValue().line(),
                                step,
                                "unknown key '"
                                        + e.getKey()
                                        + "' in "
                                        + where
                                        + " (known: "
                                        + String.join(", ", new java.util.TreeSet<>(known))
                                        + ")"));
            }
        }
    }
}
