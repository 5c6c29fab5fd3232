package dev.tarn.lake.pipeline.internal;

import dev.tarn.lake.catalog.DatasetId;
import java.util.Locale;
import java.util.Map;

/**
 * Replaces a query's dataset relations ({@code processed.clicks}, {@code "processed"."clicks"}) by
 * other relations (a pinned version, the rows added between two versions), leaving string literals,
 * comments and every other name alone. The query was parsed before (its relations come from
 * DuckDB's parser), so only the lexical shape of {@code zone.name} has to be recognised here.
 */
final class RelationRewrite {
    private RelationRewrite() {}

    static String rewrite(String sql, Map<DatasetId, String> replacements) {
        StringBuilder out = new StringBuilder(sql.length() + 64);
        int i = 0;
        int n = sql.length();
        char prev = ' ';
        while (i < n) {
            char ch = sql.charAt(i);
            if (ch == '\'') {
                int end = skipQuoted(sql, i, '\'');
                out.append(sql, i, end);
                i = end;
            } else if (ch == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(sql, i, end);
                i = end;
            } else if (ch == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(sql, i, end);
                i = end;
            } else if ((ch == '"' || isIdentStart(ch)) && prev != '.') {
                // a name, maybe the first part of zone.name
                int[] first = ident(sql, i);
                int j = first[0];
                String zone = sql.substring(first[1], first[2]);
                boolean quotedZone = ch == '"';
                if (j < n && sql.charAt(j) == '.' && j + 1 < n) {
                    int[] second = ident(sql, j + 1);
                    if (second != null) {
                        boolean quotedName = sql.charAt(j + 1) == '"';
                        String name = sql.substring(second[1], second[2]);
                        boolean followedByDot = second[0] < n && sql.charAt(second[0]) == '.';
                        DatasetId id =
                                followedByDot
                                        ? null
                                        : find(
                                                replacements,
                                                quotedZone ? zone : zone.toLowerCase(Locale.ROOT),
                                                quotedName ? name : name.toLowerCase(Locale.ROOT));
                        if (id != null) {
                            out.append(replacements.get(id));
                            i = second[0];
                            prev = '"';
                            continue;
                        }
                    }
                }
                out.append(sql, i, j);
                i = j;
                prev = sql.charAt(j - 1);
                continue;
            } else {
                out.append(ch);
                i++;
            }
            prev = sql.charAt(i - 1);
        }
        return out.toString();
    }

    private static DatasetId find(Map<DatasetId, String> m, String zone, String name) {
        for (DatasetId id : m.keySet()) {
            if (id.zone().equals(zone) && id.name().equals(name)) {
                return id;
            }
        }
        return null;
    }

    /** {end, textStart, textEnd} of the identifier at {@code i}, or null if none starts there. */
    private static int[] ident(String sql, int i) {
        int n = sql.length();
        if (i >= n) {
            return null;
        }
        if (sql.charAt(i) == '"') {
            int end = skipQuoted(sql, i, '"');
            return new int[] {end, i + 1, Math.max(i + 1, end - 1)};
        }
        if (!isIdentStart(sql.charAt(i))) {
            return null;
        }
        int j = i + 1;
        while (j < n
                && (Character.isLetterOrDigit(sql.charAt(j))
                        || sql.charAt(j) == '_'
                        || sql.charAt(j) == '$')) {
            j++;
        }
        return new int[] {j, i, j};
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    /** The index after a quoted token starting at {@code i} (doubled quotes stay inside). */
    private static int skipQuoted(String sql, int i, char q) {
        int j = i + 1;
        while (j < sql.length()) {
            if (sql.charAt(j) == q) {
                if (j + 1 < sql.length() && sql.charAt(j + 1) == q) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return sql.length();
    }
}
