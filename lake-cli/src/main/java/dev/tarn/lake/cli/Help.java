package dev.tarn.lake.cli;

import java.util.Map;

/** The text of {@code --help} for the CLI and each command. */
final class Help {
    private Help() {
    }

    static final String GLOBAL_OPTIONS = """
            Global options (before or after the command):
              --lake LOCATION        the lake directory or s3://bucket/prefix (default: $TARN_LAKE, else ./lake-data)
              --store-option K=V     an option of the lake's store, repeatable (S3: endpoint, region, profile,
                                     access-key-id, secret-access-key, sse, ...; see docs/s3.md)
              --output, -o FORMAT    table (default), json or csv, for commands that list or report
              --verbose              show stack traces on errors
              --help, -h             show help
            """;

    static final String MAIN = """
            Usage: lake [--lake LOCATION] [--verbose] [--output table|json|csv] <command> [args]

            Tarn: an embedded data lake. Commands:
              init                   create the lake (says so if it already exists)
              ingest ZONE/DATASET PATH...
                                     store files, directory trees or stdin (-) in a dataset
              ls [ZONE[/DATASET]]    list zones, the datasets of a zone, or the objects of a dataset
              cat ZONE/DATASET/OBJECT
                                     write an object's stored bytes to stdout
              rm ZONE/DATASET/OBJECT...
                                     remove objects from a dataset (their bytes stay until purge)
              drop ZONE/DATASET      drop a raw dataset or a table (its bytes stay until purge)
              purge                  delete bytes no catalog or table version within the retention needs
              describe ZONE/DATASET  show a dataset's properties, counts, size, format, partitions, schema
              sql ["QUERY"]          run SQL over the lake (no query: read statements from stdin)
              convert SOURCE TABLE   convert a raw dataset's new objects into a table (exactly once)
              convert-file INPUT... OUTPUT
                                     convert JSON, CSV or Avro files to Parquet, outside any lake
              history [ZONE/TABLE]   a table's versions, or the catalog's commits: time, operation, user
              lineage ZONE/TABLE     the sources (and their versions and objects) of each table version
              optimize ZONE/TABLE    compact a table's small files
              vacuum ZONE/TABLE      delete files no version within the retention needs
              delete ZONE/TABLE --where PREDICATE
                                     delete rows, rewriting the files that hold them
              restore ZONE/TABLE VERSION
                                     make a past version the newest again
              doctor                 check the lake's consistency (and --repair it)
              zone create NAME       declare a new zone
              dataset set ZONE/DATASET
                                     set a dataset's owner, description or tags
              help [COMMAND]         show help for a command
              --version              print the version

            """ + GLOBAL_OPTIONS + """

            Exit codes: 0 success, 1 failure (or doctor found problems), 2 usage error (including invalid names).
            Run 'lake COMMAND --help' for a command's options.
            """;

    static final Map<String, String> COMMANDS = Map.ofEntries(
            Map.entry("convert-file", """
                    Usage: lake convert-file INPUT... OUTPUT [--format F] [--schema F.avsc] [--policy P]
                                [--delimiter C] [--header|--no-header] [--comment C] [--null-value T]...
                                [--json-path A.B] [--charset CS]
                                [--compression C] [--partition-by COL]... [--max-errors N|P%]
                                [--quarantine FILE] [--threads N] [--max-columns N] [--output table|json|csv]

                    Converts files (JSON: NDJSON, arrays, documents; CSV/TSV; Avro; .gz and .zst decompressed) to
                    Parquet, inferring the schema unless --schema gives one. OUTPUT ending in .parquet is one file;
                    anything else is a directory of files (rolled at 256 MiB, or Hive-partitioned: about one file
                    per partition value). Files appear whole or not at all. A progress bar shows on a terminal.

                    By default any bad record fails the job, naming the record and why, and nothing is written.
                    --max-errors lets the job set that many aside (a count, or a share such as 1%) in a
                    quarantine: NDJSON records with the source, line, offset, raw text and reason, at --quarantine
                    FILE or beside OUTPUT (NAME.quarantine.ndjson). Past the budget the job fails, with no output.

                    Options:
                      --format F             auto (default: from the name and content), ndjson, json, csv, tsv, avro
                      --schema F.avsc        an explicit Avro schema; records that do not fit are quarantined
                      --policy P             strict, add-columns or widen: new columns and wider types across
                                             inputs (default: widen, or strict with --schema)
                      --delimiter C          CSV delimiter (default: detected); \\t or tab for a tab
                      --header, --no-header  whether the CSV's first line names the columns (default: detected)
                      --comment C            CSV lines starting with C are skipped (line numbers stay the file's)
                      --null-value T         an unquoted CSV field equal to T is null (repeatable; "T" quoted stays
                                             text); the empty unquoted field is always null
                      --json-path A.B        the array of records inside a single JSON document (e.g. features);
                                             by default a document whose only array of objects is one member
                                             yields its elements (a note names it); '.' reads each document
                                             as one record
                      --charset CS           the input's encoding (default UTF-8; invalid UTF-8 is an error)
                      --compression C        zstd (default), snappy, gzip or none
                      --partition-by COL     Hive-style directories by this column's values (repeatable)
                      --max-errors N|P%      bad records the job may quarantine before it fails (default 0)
                      --quarantine FILE      where quarantined records go (needs --max-errors)
                      --threads N            parsing/encoding threads (default: one per core)
                      --max-columns N        the most columns a record may have (default 10000): a wider JSON
                                             record or CSV header fails, naming the file, the line and the limit
                    """),
            Map.entry("convert", """
                    Usage: lake convert raw/DATASET ZONE/TABLE [--partition-by COL]... [--schema F.avsc]
                                        [--mode append|overwrite] [--policy strict|add-columns|widen] [--evolve]
                                        [--json-path A.B] [--max-errors N|P%] [--max-columns N]
                                        [--output table|json|csv]

                    Converts the objects of a raw dataset (NDJSON, JSON, CSV, TSV, Avro, Parquet) that the table
                    has not consumed yet into the table (Delta Lake), creating it on first use. Exactly once: a second
                    run, or one racing it in another process, finds the objects converted. Bad records go to
                    ZONE/TABLE/_quarantine/ with their reasons. Each commit records its source, the source's catalog
                    version and the objects it read ('lake lineage'). Parquet objects are copied as they are into an
                    unpartitioned table (no --partition-by, no --schema); one a table cannot hold fails the run.

                    Options:
                      --partition-by COL     Hive-style partitioning of a new table (repeatable)
                      --schema F.avsc        an explicit Avro schema; records that do not fit are quarantined
                      --mode MODE            append (default: new objects) or overwrite (all objects, replacing)
                      --policy P             how the table's schema may change for this data: strict (default:
                                             records with a new column or a wider value are quarantined),
                                             add-columns (new nullable columns), widen (also wider types, through
                                             Delta's typeWidening: int to long or double, float to double, date to
                                             timestamp without time zone, decimals to more digits)
                      --evolve               the same as --policy widen
                      --json-path A.B        the array of records inside JSON documents (e.g. features; default:
                                             detected, and named in a note)
                      --max-errors N|P%      bad records the run may quarantine before it fails with nothing
                                             committed (default 10%)
                      --max-columns N        the most columns a record may have (default 10000); a wider record
                                             fails the run, naming the object, the line and the limit
                    """),
            Map.entry("history", """
                    Usage: lake history [ZONE/TABLE] [--limit N] [--output table|json|csv]

                    The table's versions, newest first: version, time, operation, user, parameters, metrics.
                    Without a table: the catalog's commits, newest first: version, time, operation, user and
                    parameters (the dataset, and the reason given to rm, drop or purge).
                    """),
            Map.entry("rm", """
                    Usage: lake rm ZONE/DATASET/OBJECT... [--reason R] [--output table|json|csv]

                    Removes objects of one raw dataset from the catalog in one commit that records the user and
                    the reason. OBJECT is a path, a file name or a sha256 prefix, as for 'lake cat'. The objects'
                    bytes stay: earlier catalog versions still list and read them ('lake ls ZONE/DATASET --as-of
                    VERSION', 'lake cat ... --as-of VERSION') until 'lake purge' deletes them after the retention.
                    An object that does not exist fails the command (exit 1) and nothing is removed.

                    Options:
                      --reason R             why, recorded in the commit ('lake history')
                    """),
            Map.entry("drop", """
                    Usage: lake drop ZONE/DATASET [--force] [--reason R] [--output table|json|csv]

                    Drops a raw dataset or a table from the catalog in one commit that records the user and the
                    reason. Its bytes stay until 'lake purge' deletes them after the retention; earlier catalog
                    versions still list its objects. A dataset that another table's lineage reads (a table converted
                    from it, or saved from a query over it) is refused (exit 1, nothing changed) unless --force.
                    A dropped table's name can be used again once purge has deleted its files.

                    Options:
                      --force                drop even if other tables' lineage reads it (the commit names them)
                      --reason R             why, recorded in the commit ('lake history')
                    """),
            Map.entry("purge", """
                    Usage: lake purge [--older-than DURATION] [--dry-run] [--reason R] [--output table|json|csv]

                    Deletes the bytes no catalog version and no table version within the retention needs: objects
                    removed with 'lake rm' or datasets dropped with 'lake drop' longer ago than the retention, and
                    tables' files that time travel within it cannot reach (as 'lake vacuum' would). What the newest
                    catalog lists is never deleted, nor files the catalog never named ('lake doctor' reports those).
                    The purge is recorded as a catalog commit (user, reason, the keys deleted) before anything is
                    deleted. Lists the first 10 objects; --output json lists them all.

                    Options:
                      --older-than DURATION  the retention (default 7d; e.g. 0s, 90m, 36h, 7d)
                      --dry-run              list what would be deleted, delete nothing
                      --reason R             why, recorded in the commit ('lake history')
                    """),
            Map.entry("lineage", """
                    Usage: lake lineage ZONE/TABLE [--output table|json|csv]

                    For each table version that read from other datasets: the source dataset, the version of it
                    that was read (catalog@N or table@N) and the raw objects converted.
                    """),
            Map.entry("optimize", """
                    Usage: lake optimize ZONE/TABLE [--output table|json|csv]

                    Compacts small files into larger ones (a new version; the data does not change), and says
                    how many files and bytes it replaced with how many: 'optimize: 4,882 files → 201, 23.0 MiB →
                    1.9 MiB'. The paths of the files replaced and written are in --output json.
                    """),
            Map.entry("vacuum", """
                    Usage: lake vacuum ZONE/TABLE [--retain DURATION] [--dry-run] [--output table|json|csv]

                    Deletes files that no table version within the retention (default 7d) needs: the files of
                    removed and rewritten data, and files of writers that died before committing. Lists the first
                    10 files; --output json lists them all.

                    Options:
                      --retain DURATION      keep what versions of the last DURATION need (default 7d; e.g. 0s,
                                             90m, 36h, 7d; a bare number is hours, as in --retain 168)
                      --dry-run              list what would be deleted, delete nothing
                    """),
            Map.entry("delete", """
                    Usage: lake delete ZONE/TABLE --where PREDICATE [--output table|json|csv]

                    Deletes the rows matching PREDICATE by rewriting the files that hold them (a new version).
                    The old files stay for time travel until 'lake vacuum' removes them: erasure is complete then.
                    PREDICATE: comparisons of a column with a value, joined with AND, OR, NOT and parentheses:
                      user_id = 42     country IN ('DE', 'FR')     ts < '2026-01-01T00:00:00Z'
                      email IS NULL    NOT (amount >= 10.5 AND status != 'paid')
                    Strings, dates and timestamps are quoted; numbers and true/false are not.
                    The table's history records PREDICATE as the delete's predicate.
                    """),
            Map.entry("restore", """
                    Usage: lake restore ZONE/TABLE VERSION [--output table|json|csv]

                    Makes the table's content at VERSION the newest version again (history is kept).
                    """),
            Map.entry("sql", """
                    Usage: lake sql "QUERY[; QUERY...]" [--output table|json|csv] [--out FILE] [--timeout DURATION]
                                   [--max-rows N] [--memory-limit SIZE] [--skip-bad-objects]
                           lake sql --save ZONE/TABLE "QUERY"
                           lake sql                 (statements ending with ';' from stdin; a prompt on a terminal)

                    Runs SQL over the lake: every dataset is a relation zone.dataset (raw.clicks), raw files read as
                    they lie, tables of object metadata for other datasets, tarn.objects for every object.
                    Only queries run (SELECT, WITH, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN), over the lake's
                    datasets by name; anything else, and reading files by path, is refused (exit 1).
                    A script of several statements is checked whole first (one refused: none runs, exit 1), then
                    each prints its result in order: a blank line between them in table and csv output; with
                    -o json an array of {statement, sql, columns, rows, rowCount}, one per statement.
                    In a session: .tables lists the relations, .quit leaves; exit 1 if any statement failed.

                    Options:
                      --save ZONE/TABLE      save the query's result as a new table, its lineage the datasets it read
                      --out FILE             write the result to FILE instead: csv, json (NDJSON) or parquet, by
                                             its extension or --output csv|json; the file appears whole or not at all;
                                             never inside the lake (refused, exit 1)
                      --timeout DURATION     cancel a statement that runs longer (30s, 5m, 1h; default: none); exit 1
                      --max-rows N           fail (exit 1) once a result has more than N rows, after writing N
                      --memory-limit SIZE    DuckDB's memory (default 512MiB; larger work spills to the cache
                                             directory, ~/.cache/tarn/sql)
                      --skip-bad-objects     leave out the objects of raw datasets that cannot be read (mixed line
                                             endings, a row with too many fields, truncated JSON), reading each once
                                             in full to check it; stderr names each one left out (with -o json, one
                                             line {"skippedObjects":[...]}). Without it a query over such a dataset
                                             fails naming the objects and why (exit 1)

                    Rows are written as they are read, in constant memory (the table shows the first 40 rows and
                    counts the rest). STRUCT, MAP and LIST values print as JSON; timestamps as ISO 8601 in UTC
                    (2026-01-02T03:04:05.123000Z) in every output. Ctrl-C cancels the running statement.
                    """),
            Map.entry("init", """
                    Usage: lake init [--zones a,b,c] [--output table|json|csv]

                    Creates the lake at LOCATION with the zones raw, processed and analytics (or those given).
                    If a lake already exists there, says so and changes nothing (exit 0).

                    Options:
                      --zones a,b,c          the zones of a new lake (ignored if the lake exists)
                    """),
            Map.entry("ingest", """
                    Usage: lake ingest ZONE/DATASET PATH... [--partition K=V]... [--meta K=V]... [--force]
                                       [--name NAME] [--output table|json|csv]

                    Stores files byte for byte in a dataset, in one atomic commit; the dataset is created on first
                    ingest, and the lake too if there is none yet (with the default zones). A directory is ingested
                    as a tree (hidden files skipped). PATH '-' reads stdin.
                    Bytes the dataset already holds are reported as duplicates and not stored again (exit 0).

                    Options:
                      --partition K=V        store under K=V/ instead of ingest_date=YYYY-MM-DD/ (repeat for levels)
                      --meta K=V             add K=V to every object's metadata (repeatable)
                      --force                store bytes even if the dataset already holds them
                      --name NAME            the object name for stdin (default: stdin)
                    """),
            Map.entry("ls", """
                    Usage: lake ls [ZONE[/DATASET]] [--as-of VERSION] [--output table|json|csv]

                    No argument: the zones with their dataset counts.
                    ZONE: the datasets of the zone, raw datasets and tables alike, with their kind; for a table
                    OBJECTS counts its data files and LAST MODIFIED is its last commit.
                    ZONE/DATASET: the objects of the dataset, with size and sha256.
                    --as-of VERSION lists the catalog as it was at that version, with the objects removed and the
                    datasets dropped since.
                    """),
            Map.entry("cat", """
                    Usage: lake cat ZONE/DATASET/OBJECT [--as-of VERSION]

                    Writes the object's stored bytes to stdout, exactly. OBJECT is the object's path (as
                    'lake ls ZONE/DATASET' shows it), its file name if only one object has it, or a prefix of its
                    sha256 (at least 8 hex digits). --as-of VERSION finds it in that catalog version: an object
                    removed since is read until 'lake purge' deletes its bytes.
                    """),
            Map.entry("describe", """
                    Usage: lake describe ZONE/DATASET [--output table|json|csv]

                    Shows a dataset's properties (kind, format, owner, description, tags), its object count and
                    bytes, the formats and partition values of its objects, and when it last changed.
                    For a table, from its Delta log (no data is read): version, rows (the files' statistics, or
                    unknown), files, bytes, schema, partition columns, protocol and features, and the last commit
                    (time, version, operation, user).
                    Objects SQL cannot read (a CSV with mixed line endings, a JSON file that does not parse) are
                    named with their reasons; the description is printed, then exit 1 (as doctor does).
                    """),
            Map.entry("doctor", """
                    Usage: lake doctor [--repair] [--grace DURATION] [--no-verify] [--output table|json|csv]

                    Checks that the catalog and the stored objects agree: missing objects, size or checksum
                    mismatches, unreferenced objects, unfinished writes, stray files; and the catalog log itself
                    (missing or damaged entries and checkpoints), also when every other command refuses it.
                    Exit code 0 if the lake is clean (or all problems were repaired), 1 if problems remain.

                    Options:
                      --repair               remove what is safe to remove (unreferenced objects, abandoned writes)
                                             and rebuild the catalog log's damaged files (recovery entries,
                                             checkpoints), saying what could not be recovered; never removes
                                             bytes that any log entry names
                      --grace DURATION       how old such leftovers must be before --repair removes them
                                             (default 1h; e.g. 0s, 30s, 10m, 1h, 2d)
                      --no-verify            check sizes only, do not re-hash every object
                    """),
            Map.entry("zone", """
                    Usage: lake zone create NAME [--description D] [--output table|json|csv]

                    Commands:
                      create NAME            declare a new zone
                    """),
            Map.entry("zone create", """
                    Usage: lake zone create NAME [--description D] [--output table|json|csv]

                    Declares a new zone in an existing lake. Names SQL could not show as zone.dataset are refused
                    (exit 2): the SQL engine's catalogs and schemas (main, memory, system, information_schema,
                    pg_catalog) and SQL keywords such as select, order or join.

                    Options:
                      --description D        what the zone holds
                    """),
            Map.entry("dataset", """
                    Usage: lake dataset set ZONE/DATASET [--owner O] [--description D] [--tag K=V]... [--untag K]...

                    Commands:
                      set ZONE/DATASET       set a dataset's owner, description or tags
                    """),
            Map.entry("dataset set", """
                    Usage: lake dataset set ZONE/DATASET [--owner O] [--description D] [--tag K=V]... [--untag K]...
                                            [--output table|json|csv]

                    Changes the settable properties of an existing dataset in one commit; prints the dataset.

                    Options:
                      --owner O              who owns the dataset
                      --description D        what the dataset holds
                      --tag K=V              set tag K to V (repeatable)
                      --untag K              remove tag K (repeatable)
                    """),
            Map.entry("help", """
                    Usage: lake help [COMMAND]

                    Shows help for the CLI or for a command.
                    """));

    static String of(String command) {
        String h = COMMANDS.get(command);
        if (h == null) {
            return MAIN;
        }
        if (command.equals("help")) {
            return h;
        }
        return h + "\n" + GLOBAL_OPTIONS;
    }
}
