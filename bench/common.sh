# Sourced by the benchmark scripts.
#   bench_data ROWS   sets DATA (a directory holding events.ndjson and events.csv) and WORK: the clickstream data,
#                     generated once per row count
bench_data() {
  local rows=$1
  ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  WORK=${BENCH_DIR:-/tmp/tarn-bench}
  DATA=$WORK/data-$rows
  local gen=${GEN:-$ROOT/../shared/bench/Gen.java}
  mkdir -p "$WORK"
  if [ ! -f "$DATA/events.ndjson" ]; then
    echo "generating $rows rows into $DATA" >&2
    java "$gen" "$rows" "$DATA" 42
  fi
}

# Every build here runs in the reactor of this checkout and never `mvn install`s: ~/.m2 may be shared with other
# checkouts, and a benchmark measures this checkout's code, not what another one installed last.

#   bench_format_build   (from ROOT, with WORK set) builds lake-format with this checkout's lake-core, snapshots the
#                        classes so that edits during a run do not leak in, compiles bench/FormatBench.java into
#                        $WORK/classes, and sets TARN_CP (Tarn's run-time class path) and DUCK (DuckDB's JDBC jar)
bench_format_build() {
  mvn -B -o -q -pl lake-format -am package dependency:build-classpath -DskipTests -Dmdep.outputFile="$WORK/all.cp" >&2
  rm -rf "$WORK/tarn-classes" && cp -r lake-format/target/classes "$WORK/tarn-classes"
  DUCK=$(tr ':' '\n' < "$WORK/all.cp" | grep duckdb_jdbc)
  # the run-time class path: drop test-scoped jars and the provided (compile-only) hadoop-common
  # (this checkout's own modules, e.g. lake-core, are copied too, for the same reason)
  rm -rf "$WORK/snap" && mkdir -p "$WORK/snap"
  local runtime
  runtime=$(tr ':' '\n' < "$WORK/all.cp" | grep -v -E '/org/apache/hadoop/|/org/junit/|/opentest4j/|/apiguardian/|/duckdb_jdbc/|slf4j-nop' |
    while read -r p; do case "$p" in "$ROOT"/*) cp -r "$p" "$WORK/snap/" && echo "$WORK/snap/$(basename "$p")" ;; *) echo "$p" ;; esac; done |
    paste -sd: -)
  TARN_CP="$WORK/tarn-classes:$runtime"
  javac -d "$WORK/classes" -cp "$TARN_CP" bench/FormatBench.java
}

#   bench_query_classpath FILE   (from ROOT) compiles lake-query's main and test classes (the benchmarks live in its
#                                tests) with the modules it needs, and sets CP to its test class path; FILE keeps the
#                                jars' part. NO_BUILD=1 compiles lake-query alone (the other modules as last built).
bench_query_classpath() {
  local file=$1
  local also=-am
  if [ -n "${NO_BUILD:-}" ]; then also=; fi
  mvn -B -q -pl lake-query $also test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$file" >&2
  CP="$ROOT/lake-query/target/test-classes:$ROOT/lake-query/target/classes:$(cat "$file")"
}
