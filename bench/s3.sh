#!/usr/bin/env bash
# Benchmark the S3 backend: ingest, convert raw -> table, and the two anchor queries (raw NDJSON and table) on a lake
# in S3 (s3proxy on 127.0.0.1, in the benchmark's JVM) next to the same lake on the local filesystem; S3 queries cold
# (empty local cache) and warm.
#   bench/s3.sh [ROWS] [RUNS]     (defaults: 2000000 rows; 4 rounds, the first a warm-up; 5 warm runs each)
# Generates the data with Gen.java (seed 42) unless present; builds lake-query and its dependencies.
set -euo pipefail
ROWS=${1:-2000000}
RUNS=${2:-5}
source "$(dirname "$0")/common.sh"
bench_data "$ROWS"
cd "$ROOT"
bench_query_classpath "$WORK/s3.cp"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
java -Xmx2g -Drounds="${ROUNDS:-4}" -cp "$CP" dev.tarn.lake.query.bench.S3Bench "$DATA" "$WORK/s3-work" "$RUNS"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
