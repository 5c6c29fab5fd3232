#!/usr/bin/env bash
# Benchmark lake-query: the two anchor queries on the clickstream, raw NDJSON vs processed table, Tarn's SQL vs plain
# DuckDB JDBC on the same files in the same warm process (both 2 threads), and time to first result in a fresh JVM.
#   bench/query.sh [ROWS] [RUNS]     (defaults: 2000000 rows, 7 runs each)
# Generates the data with Gen.java (seed 42) unless present; builds lake-query and its dependencies.
set -euo pipefail
ROWS=${1:-2000000}
RUNS=${2:-7}
source "$(dirname "$0")/common.sh"
bench_data "$ROWS"
cd "$ROOT"
bench_query_classpath "$WORK/query.cp"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
java -Xmx2g -cp "$CP" dev.tarn.lake.query.bench.QueryBench "$DATA" "$WORK/query-work" "$RUNS"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
