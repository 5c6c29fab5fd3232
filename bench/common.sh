# Sourced by the benchmark scripts: the clickstream data, generated once per row count.
#   bench_data ROWS   sets DATA (a directory holding events.ndjson and events.csv) and WORK
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
