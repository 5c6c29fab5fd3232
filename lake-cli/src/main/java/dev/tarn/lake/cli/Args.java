package dev.tarn.lake.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small option parser: {@code --name value}, {@code --name=value}, flags, repeatable options, positionals, and
 * {@code --} to end options. A lone {@code -} is a positional (stdin).
 */
final class Args {
    /** One option a command accepts. {@code aliases} are other spellings, e.g. {@code -o} for {@code --output}. */
    record Opt(String name, boolean takesValue, boolean repeatable, String... aliases) {
        static Opt flag(String name, String... aliases) {
            return new Opt(name, false, false, aliases);
        }

        static Opt value(String name, String... aliases) {
            return new Opt(name, true, false, aliases);
        }

        static Opt repeated(String name, String... aliases) {
            return new Opt(name, true, true, aliases);
        }
    }

    private final String command;
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final List<String> positionals = new ArrayList<>();

    private static String helpHint(String command) {
        return command.equals("lake") ? "see 'lake --help'" : "see 'lake " + command + " --help'";
    }

    private Args(String command) {
        this.command = command;
    }

    /**
     * Parses {@code tokens} for {@code command} (its name, for messages). Positional count is checked by the
     * command, which knows what is missing.
     */
    static Args parse(String command, List<String> tokens, List<Opt> options) {
        Map<String, Opt> byName = new LinkedHashMap<>();
        for (Opt o : options) {
            byName.put(o.name(), o);
            for (String a : o.aliases()) {
                byName.put(a, o);
            }
        }
        Args a = new Args(command);
        boolean optionsEnded = false;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (optionsEnded || t.equals("-") || !t.startsWith("-")) {
                a.positionals.add(t);
                continue;
            }
            if (t.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = t;
            String inline = null;
            int eq = t.indexOf('=');
            if (t.startsWith("--") && eq > 0) {
                name = t.substring(0, eq);
                inline = t.substring(eq + 1);
            }
            Opt o = byName.get(name);
            if (o == null) {
                throw new UsageException("unknown option '" + name + "'" + (command.equals("lake") ? "" : " for '" + command + "'")
                        + "; " + helpHint(command));
            }
            String value;
            if (o.takesValue()) {
                if (inline != null) {
                    value = inline;
                } else if (i + 1 < tokens.size()) {
                    value = tokens.get(++i);
                } else {
                    throw new UsageException("option " + o.name() + " needs a value; " + helpHint(command));
                }
            } else {
                if (inline != null) {
                    throw new UsageException("option " + o.name() + " takes no value; " + helpHint(command));
                }
                value = "";
            }
            List<String> list = a.values.computeIfAbsent(o.name(), k -> new ArrayList<>());
            if (!o.repeatable() && !list.isEmpty()) {
                throw new UsageException("option " + o.name() + " given twice; " + helpHint(command));
            }
            list.add(value);
        }
        return a;
    }

    /** True if {@code tokens} ask for help before any {@code --}. */
    static boolean wantsHelp(List<String> tokens) {
        for (String t : tokens) {
            if (t.equals("--")) {
                return false;
            }
            if (t.equals("--help") || t.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    String command() {
        return command;
    }

    boolean has(String option) {
        return values.containsKey(option);
    }

    String value(String option) {
        List<String> l = values.get(option);
        return l == null ? null : l.get(0);
    }

    /** The last value given, for options where a later one overrides an earlier one. */
    String last(String option) {
        List<String> l = values.get(option);
        return l == null ? null : l.get(l.size() - 1);
    }

    List<String> values(String option) {
        return values.getOrDefault(option, List.of());
    }

    List<String> positionals() {
        return positionals;
    }

    /** Exactly {@code names.length} positionals, named for the message when one is missing or extra. */
    void expectPositionals(String... names) {
        if (positionals.size() < names.length) {
            throw new UsageException("missing " + names[positionals.size()] + "; see 'lake " + command + " --help'");
        }
        if (positionals.size() > names.length) {
            throw new UsageException("unexpected argument '" + positionals.get(names.length) + "' for '" + command
                    + "'; see 'lake " + command + " --help'");
        }
    }

    /** Parses {@code K=V} (K non-empty); {@code what} names the option for the message. */
    static Map.Entry<String, String> keyValue(String what, String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new UsageException(what + " '" + text + "' is not KEY=VALUE, e.g. " + what + " source=web");
        }
        return Map.entry(text.substring(0, eq), text.substring(eq + 1));
    }
}
