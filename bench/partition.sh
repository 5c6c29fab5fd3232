#!/usr/bin/env bash
# Benchmark partitioned conversion: Tarn's partitionBy against DuckDB's COPY ... (PARTITION_BY ...).
#   bench/partition.sh [ROWS] [RUNS]     (defaults: 2000000 rows, 3 runs each)
# The clickstream of /work/shared/bench/Gen.java (seed 42) has no column of about 1,000 values, so the NDJSON is
# derived with one: "shard" = user_id mod 1000 (users are random, so shards arrive in random order). Both engines run
# with 2 threads in a fresh JVM with -Xmx256m under /usr/bin/time (peak RSS); each line gives files written.
set -euo pipefail
ROWS=${1:-2000000}
RUNS=${2:-3}
THREADS=${THREADS:-2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-/tmp/tarn-bench-partition}
DATA=${DATA:-$WORK/data-$ROWS}
GEN=${GEN:-/work/shared/bench/Gen.java}
mkdir -p "$WORK"
if [ ! -f "$DATA/events.ndjson" ]; then
  echo "generating $ROWS rows into $DATA" >&2
  java "$GEN" "$ROWS" "$DATA" 42
fi
INPUT=$DATA/events-shard.ndjson
if [ ! -f "$INPUT" ]; then
  awk '{ match($0, /"user_id":[0-9]+/); u = substr($0, RSTART + 10, RLENGTH - 10);
         printf "{\"shard\":%d,%s\n", u % 1000, substr($0, 2) }' "$DATA/events.ndjson" > "$INPUT.tmp"
  mv "$INPUT.tmp" "$INPUT"
fi
cd "$ROOT"
source bench/common.sh
bench_format_build
RESULTS=$WORK/results-$ROWS.txt
: > "$RESULTS"
for i in $(seq 1 "$RUNS"); do
  for e in tarn duckdb; do
    cp=$([ "$e" = tarn ] && echo "$TARN_CP" || echo "$DUCK")
    out=$( { /usr/bin/time -f "peak_rss_kb=%M cpu_s=%U+%S" java -Xmx256m -cp "$WORK/classes:$cp" FormatBench "$e" json "$INPUT" "$WORK/out-$e" "$THREADS" shard 2>"$WORK/last.err"; } 2>&1 )
    rss=$(grep -o 'peak_rss_kb=[0-9]*' "$WORK/last.err" | tail -1)
    cpu=$(grep -o 'cpu_s=[0-9.+]*' "$WORK/last.err" | tail -1 | sed 's/cpu_s=//' | bc)
    dirs=$(find "$WORK/out-$e" -mindepth 1 -maxdepth 1 -type d -name 'shard=*' | wc -l)
    echo "$out partitions=$dirs $rss cpu_s=$cpu load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$RESULTS"
  done
done
echo "--- medians ($RUNS runs, $THREADS threads, $ROWS rows, partitioned by shard)"
for e in tarn duckdb; do
  grep "^$e json " "$RESULTS" | sed -E 's/.*seconds=([0-9.]+).*files=([0-9]+).*peak_rss_kb=([0-9]+) cpu_s=([0-9.]+).*/\1 \2 \3 \4/' | sort -n |
    awk -v e=$e '{s[NR]=$1; f[NR]=$2; m[NR]=$3; c[NR]=$4} END {i=int((NR+1)/2); printf "%s median_seconds=%.3f files=%d peak_rss_mib=%.0f cpu_s=%.1f\n", e, s[i], f[i], m[i]/1024, c[i]}'
done
