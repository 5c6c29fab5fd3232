package dev.tarn.lake.pipeline.internal;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Catalog;
import dev.tarn.lake.catalog.Dataset;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.query.Sql;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A pipeline file checked against the lake: every step's inputs known (in the lake or another
 * step's output), its dependencies, and the order the steps run in. Everything here is checked
 * before anything runs; {@link #problems} lists what is wrong, each with its line and step.
 *
 * @param steps in run order (dependencies first; file order among independent steps)
 * @param inputs each step's inputs (sql: the relations its query names; convert and sink: {@code
 *     from})
 * @param dependsOn each step's dependencies
 */
public record Plan(
        String name,
        List<StepSpec> steps,
        Map<String, List<DatasetId>> inputs,
        Map<String, Set<String>> dependsOn,
        List<SpecParser.Problem> problems) {

    public static Plan of(Lake lake, SpecParser.Parsed parsed) {
        List<SpecParser.Problem> problems = new ArrayList<>(parsed.problems());
        Map<String, StepSpec> byName = new LinkedHashMap<>();
        Map<DatasetId, StepSpec> producers = new HashMap<>();
        for (StepSpec s : parsed.steps()) {
            if (byName.containsKey(s.name())) {
                problems.add(
                        new SpecParser.Problem(
                                s.line(),
                                s.name(),
                                "a step of this name is already at line "
                                        + byName.get(s.name()).line()));
                continue;
            }
            byName.put(s.name(), s);
            if (s.output() != null) {
                StepSpec other = producers.putIfAbsent(s.output(), s);
                if (other != null) {
                    problems.add(
                            new SpecParser.Problem(
                                    s.line(),
                                    s.name(),
                                    "writes "
                                            + s.output()
                                            + ", which step '"
                                            + other.name()
                                            + "' (line "
                                            + other.line()
                                            + ") writes too"));
                }
            }
        }
        Catalog catalog = lake.catalog();
        Sql sql = null;
        Map<String, List<DatasetId>> inputs = new LinkedHashMap<>();
        Map<String, Set<String>> deps = new LinkedHashMap<>();
        for (StepSpec s : byName.values()) {
            Set<String> d = new LinkedHashSet<>();
            for (String a : s.after()) {
                if (!byName.containsKey(a)) {
                    problems.add(
                            new SpecParser.Problem(
                                    s.line(), s.name(), "after: names no step '" + a + "'"));
                } else {
                    d.add(a);
                }
            }
            if (!s.expect().isEmpty()) {
                try {
                    dev.tarn.lake.pipeline.expect.Expectations.parse(s.expect());
                } catch (IllegalArgumentException e) {
                    problems.add(new SpecParser.Problem(s.line(), s.name(), e.getMessage()));
                }
            }
            List<DatasetId> in = new ArrayList<>();
            try {
                if (s instanceof StepSpec.ConvertStep c) {
                    in.add(c.from());
                    Optional<Dataset> from = catalog.dataset(c.from());
                    if (from.isEmpty() && !producers.containsKey(c.from())) {
                        problems.add(missing(s, c.from()));
                    } else if (from.isPresent() && from.get().kind() == DatasetKind.TABLE) {
                        problems.add(
                                new SpecParser.Problem(
                                        s.line(),
                                        s.name(),
                                        c.from()
                                                + " is a table; convert reads a raw dataset"
                                                + " (an sql step reads tables)"));
                    }
                    notATable(catalog, s, c.to(), problems);
                } else if (s instanceof StepSpec.SqlStep q) {
                    if (sql == null) {
                        sql = Sql.of(lake);
                    }
                    in.addAll(sqlInputs(catalog, sql, q, producers, problems));
                    notATable(catalog, s, q.to(), problems);
                } else if (s instanceof StepSpec.SinkStep k) {
                    in.add(k.from());
                    Optional<Dataset> from = catalog.dataset(k.from());
                    if (from.isEmpty() && !producers.containsKey(k.from())) {
                        problems.add(missing(s, k.from()));
                    } else if (from.isPresent() && from.get().kind() != DatasetKind.TABLE) {
                        problems.add(
                                new SpecParser.Problem(
                                        k.specLine(),
                                        s.name(),
                                        k.from() + " is not a table; a sink sends a table"));
                    }
                }
            } catch (TarnException e) {
                problems.add(new SpecParser.Problem(s.line(), s.name(), e.getMessage()));
            }
            for (DatasetId id : in) {
                StepSpec p = producers.get(id);
                if (p != null && p != s) {
                    d.add(p.name());
                }
                if (p == s) {
                    problems.add(
                            new SpecParser.Problem(
                                    s.line(), s.name(), "reads " + id + ", which it writes"));
                }
            }
            inputs.put(s.name(), List.copyOf(in));
            deps.put(s.name(), d);
        }
        List<StepSpec> order = order(byName, deps, problems);
        return new Plan(parsed.name(), order, inputs, deps, List.copyOf(problems));
    }

    private static List<DatasetId> sqlInputs(
            Catalog catalog,
            Sql sql,
            StepSpec.SqlStep q,
            Map<DatasetId, StepSpec> producers,
            List<SpecParser.Problem> problems) {
        Set<DatasetId> rels;
        try {
            rels = sql.relations(q.query());
        } catch (TarnException e) {
            problems.add(new SpecParser.Problem(q.queryLine(), q.name(), e.getMessage()));
            return List.of();
        }
        if (rels.isEmpty()) {
            problems.add(
                    new SpecParser.Problem(q.queryLine(), q.name(), "the query reads no dataset"));
        }
        boolean allThere = true;
        for (DatasetId id : rels) {
            Optional<Dataset> d = catalog.dataset(id);
            if (d.isEmpty()) {
                allThere = false;
                if (!producers.containsKey(id)) {
                    problems.add(
                            new SpecParser.Problem(
                                    q.queryLine(),
                                    q.name(),
                                    "the query reads "
                                            + id.zone()
                                            + "."
                                            + id.name()
                                            + ", which is neither in the lake nor written by a step"));
                }
            } else if (q.append() && d.get().kind() != DatasetKind.TABLE) {
                problems.add(
                        new SpecParser.Problem(
                                q.queryLine(),
                                q.name(),
                                "mode append reads only the rows tables gained, and "
                                        + id
                                        + " is not a table (convert it first)"));
            }
        }
        if (allThere && !rels.isEmpty()) {
            try {
                sql.explain(q.query());
            } catch (TarnException e) {
                problems.add(new SpecParser.Problem(q.queryLine(), q.name(), e.getMessage()));
            }
        }
        return List.copyOf(rels);
    }

    private static void notATable(
            Catalog catalog, StepSpec s, DatasetId to, List<SpecParser.Problem> problems) {
        catalog.dataset(to)
                .filter(d -> d.kind() != DatasetKind.TABLE)
                .ifPresent(
                        d ->
                                problems.add(
                                        new SpecParser.Problem(
                                                s.line(),
                                                s.name(),
                                                "writes "
                                                        + to
                                                        + ", which is a raw dataset, not a table")));
    }

    private static SpecParser.Problem missing(StepSpec s, DatasetId id) {
        return new SpecParser.Problem(
                s.line(),
                s.name(),
                "reads " + id + ", which is neither in the lake nor written by a step");
    }

    /** Dependencies first, file order otherwise; steps on a cycle are reported and left out. */
    private static List<StepSpec> order(
            Map<String, StepSpec> byName,
            Map<String, Set<String>> deps,
            List<SpecParser.Problem> problems) {
        List<StepSpec> out = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (StepSpec s : byName.values()) {
                if (!done.contains(s.name()) && done.containsAll(deps.get(s.name()))) {
                    out.add(s);
                    done.add(s.name());
                    progress = true;
                    break; // restart: keeps file order among the ready steps
                }
            }
        }
        Set<String> reported = new LinkedHashSet<>();
        for (StepSpec s : byName.values()) {
            if (done.contains(s.name()) || reported.contains(s.name())) {
                continue;
            }
            List<String> cycle = cycleFrom(s.name(), deps, done);
            if (cycle.isEmpty()) {
                continue; // waits on a step of a cycle, reported there
            }
            reported.addAll(cycle);
            StepSpec first = byName.get(cycle.get(0));
            problems.add(
                    new SpecParser.Problem(
                            first.line(),
                            first.name(),
                            "is on a cycle: "
                                    + String.join(" -> ", cycle)
                                    + " -> "
                                    + cycle.get(0)
                                    + " (each reads what the next writes, or names it in after:)"));
        }
        return List.copyOf(out);
    }

    /** The cycle reached from {@code start} by following dependencies, or empty. */
    private static List<String> cycleFrom(
            String start, Map<String, Set<String>> deps, Set<String> done) {
        List<String> path = new ArrayList<>();
        String at = start;
        while (at != null && !path.contains(at)) {
            path.add(at);
            String next = null;
            for (String d : deps.getOrDefault(at, Set.of())) {
                if (!done.contains(d)) {
                    next = d;
                    break;
                }
            }
            at = next;
        }
        if (at == null) {
            return List.of();
        }
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(at), path.size()));
        java.util.Collections.reverse(cycle); // dependencies point backwards; say it in run order
        return cycle;
    }
}
