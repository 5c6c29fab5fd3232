package dev.tarn.lake.cli;

import dev.tarn.lake.exceptions.NoSuchTableException;
import dev.tarn.lake.exceptions.QueryException;

/**
 * Errors of the API said in the command line's terms: where a message suggests a Java method or
 * option ({@code Sql.saveAsTable}, {@code Tables.create}, {@code SqlOptions.maxRows}), the command
 * and option that do the same are named instead. The exceptions say which remedy they suggest, and
 * what their message adds for it; that part is replaced, the rest kept as it is.
 */
final class CliTerms {
    private CliTerms() {}

    /**
     * {@code message} (the error's, possibly with context around it) in the command line's terms.
     */
    static String message(Throwable error, String message) {
        if (message == null) {
            return null;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof QueryException q && q.remedy() != QueryException.Remedy.NONE) {
                return replace(
                        message,
                        q.getMessage().substring(q.reason().length()),
                        switch (q.remedy()) {
                            case SAVE_AS_TABLE ->
                                    "; save results that belong in the lake as a table (lake sql --save"
                                            + " ZONE/TABLE \"QUERY\"), or export them outside the lake";
                            case SCRIPT -> " (lake sql runs a script's statements one by one)";
                            case STREAM ->
                                    "; lake sql streams results of any size (--max-rows N sets a limit)";
                            case LAKE_OPERATIONS ->
                                    "; the lake changes through its commands (lake ingest, convert, delete,"
                                            + " ...), and lake sql --save ZONE/TABLE \"QUERY\" saves a result as a table";
                            case NONE -> "";
                        });
            }
            if (t instanceof NoSuchTableException n) {
                return replace(
                        message,
                        n.getMessage().substring(n.reason().length()),
                        " ('lake convert SOURCE "
                                + n.table()
                                + "' or 'lake sql --save "
                                + n.table()
                                + " \"QUERY\"' creates it)");
            }
        }
        return message;
    }

    private static String replace(String message, String apiHint, String cliHint) {
        return apiHint.isEmpty() ? message : message.replace(apiHint, cliHint);
    }
}
