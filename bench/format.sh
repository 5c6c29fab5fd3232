#!/usr/bin/env bash
# Benchmark lake-format against DuckDB on the reference data set.
#   bench/format.sh [ROWS] [RUNS]     (defaults: 2000000 rows, 3 runs each)
#   ENGINES=tarn bench/format.sh 8000000 1    (Tarn only, e.g. to check that memory does not grow with input size)
# Generates the data with /work/shared/bench/Gen.java (seed 42) unless present, builds lake-format, then runs
# Tarn and DuckDB (both with 2 threads) on NDJSON and CSV, each run in a fresh JVM under /usr/bin/time for peak RSS.
# Tarn runs with -Xmx256m. Prints one line per run and the medians.
set -euo pipefail
ROWS=${1:-2000000}
RUNS=${2:-3}
THREADS=${THREADS:-2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-/tmp/tarn-bench}
DATA=${DATA:-$WORK/data-$ROWS}
GEN=${GEN:-/work/shared/bench/Gen.java}
mkdir -p "$WORK"
if [ ! -f "$DATA/events.ndjson" ]; then
  echo "generating $ROWS rows into $DATA" >&2
  java "$GEN" "$ROWS" "$DATA" 42
fi
cd "$ROOT"
source bench/common.sh
bench_format_build
RESULTS=$WORK/results-$ROWS.txt
: > "$RESULTS"
run() { # engine fmt input heap cp
  local engine=$1 fmt=$2 input=$3 heap=$4 cp=$5
  local out
  out=$( { /usr/bin/time -f "peak_rss_kb=%M cpu_s=%U+%S" java "$heap" -cp "$WORK/classes:$cp" FormatBench "$engine" "$fmt" "$input" "$WORK/out-$engine-$fmt" "$THREADS" 2>"$WORK/last.err"; } 2>&1 )
  local rss cpu
  rss=$(grep -o 'peak_rss_kb=[0-9]*' "$WORK/last.err" | tail -1)
  cpu=$(grep -o 'cpu_s=[0-9.+]*' "$WORK/last.err" | tail -1 | sed 's/cpu_s=//' | bc)
  echo "$out $rss cpu_s=$cpu load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$RESULTS"
}
ENGINES=${ENGINES:-"tarn duckdb"}
for i in $(seq 1 "$RUNS"); do
  for e in $ENGINES; do
    run "$e" json "$DATA/events.ndjson" -Xmx256m "$([ "$e" = tarn ] && echo "$TARN_CP" || echo "$DUCK")"
  done
  for e in $ENGINES; do
    run "$e" csv "$DATA/events.csv" -Xmx256m "$([ "$e" = tarn ] && echo "$TARN_CP" || echo "$DUCK")"
  done
done
echo "--- medians ($RUNS runs, $THREADS threads, $ROWS rows)"
for e in $ENGINES; do for f in json csv; do
  grep "^$e $f " "$RESULTS" | sed -E 's/.*seconds=([0-9.]+).*peak_rss_kb=([0-9]+) cpu_s=([0-9.]+).*/\1 \2 \3/' | sort -n |
    awk -v e=$e -v f=$f -v rows=$ROWS '{s[NR]=$1; m[NR]=$2; c[NR]=$3} END {i=int((NR+1)/2); printf "%s %s median_seconds=%.3f rows_per_s=%.0f peak_rss_mib=%.0f cpu_s=%.1f\n", e, f, s[i], rows/s[i], m[i]/1024, c[i]}'
done; done | tee "$WORK/medians-$ROWS.txt"
if [ "$ENGINES" = "tarn duckdb" ]; then
  awk '{split($3,a,"="); t[$1" "$2]=a[2]} END {printf "wall-time ratio tarn/duckdb: json %.2f, csv %.2f\n", t["tarn json"]/t["duckdb json"], t["tarn csv"]/t["duckdb csv"]}' "$WORK/medians-$ROWS.txt"
fi
