#!/usr/bin/env bash
# Benchmark the event-driven lake (issue 14, acceptance 7), with bench/EventsBench.java:
#   (a) end-to-end latency from the ingest commit of one small raw object to its row in the SQLite sink, the pipeline
#       (convert -> sql append -> SQLite append sink) running in watch mode, a pass every INTERVAL_MS (the CLI's
#       default --interval is 1s): DROPS drops per run;
#   (b) events delivered per second to a no-op subscription over COMMITS catalog commits prepared first (kept in
#       $BENCH_DIR/events-COMMITS and reused), next to the anchor: the same events read with lake.events().poll().
#   bench/events.sh [RUNS] [DROPS] [COMMITS]      (defaults: 3 runs, 30 drops, 10000 commits)
#   INTERVAL_MS=250 bench/events.sh               another pass interval (default 1000)
#   DELIVER=0 INTERVAL_MS=250 bench/events.sh     the latency part alone
#   LATENCY=0 bench/events.sh                     the delivery part alone
#   JFR=1 bench/events.sh 1                       records each latency run with JFR into $BENCH_DIR/events-*.jfr
# Every run is a fresh JVM (-Xmx512m). Prints one line per run and the medians, with the load average.
set -euo pipefail
RUNS=${1:-3}
DROPS=${2:-30}
COMMITS=${3:-10000}
INTERVAL_MS=${INTERVAL_MS:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-/tmp/tarn-bench}
mkdir -p "$WORK"
cd "$ROOT"
# build in this checkout's reactor (never `mvn install`), then snapshot this checkout's classes so that edits during
# a run do not leak in
mvn -B -o -q -pl lake-examples -am package -DskipTests >&2
rm -rf "$WORK/events-snap" "$WORK/events-classes" && mkdir -p "$WORK/events-snap" "$WORK/events-classes"
CP=$( (echo "$ROOT/lake-examples/target/classes"; tr ':' '\n' < lake-examples/target/classpath.txt) |
  while read -r p; do
    case "$p" in "$ROOT"/*) d="$WORK/events-snap/$(echo "${p#"$ROOT"/}" | tr '/' '_')"; cp -r "$p" "$d" && echo "$d" ;; *) echo "$p" ;; esac
  done | paste -sd:)
javac -d "$WORK/events-classes" -cp "$CP" bench/EventsBench.java
run() { java -Xmx512m -cp "$WORK/events-classes:$CP" "$@"; }
RESULTS=$WORK/events-results-$INTERVAL_MS.txt
: > "$RESULTS"
load() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' ','; }
DELIVER=${DELIVER:-1}
if [ "$DELIVER" = 1 ]; then run EventsBench prepare "$WORK/events-$COMMITS" "$COMMITS" >&2; fi
for i in $(seq 1 "$RUNS"); do
  jfr=()
  if [ -n "${JFR:-}" ]; then jfr=(-XX:StartFlightRecording=filename="$WORK/events-latency-$i.jfr",settings=profile); fi
  if [ "${LATENCY:-1}" = 1 ]; then
    java -Xmx512m "${jfr[@]}" -cp "$WORK/events-classes:$CP" EventsBench latency "$WORK/events-latency" "$DROPS" "$INTERVAL_MS" \
      > "$WORK/events-latency-$i.txt"
    echo "run $i $(tail -1 "$WORK/events-latency-$i.txt") load=$(load)" | tee -a "$RESULTS"
  fi
  if [ "$DELIVER" = 1 ]; then
    echo "run $i $(run EventsBench deliver "$WORK/events-$COMMITS" "run$i-$$") load=$(load)" | tee -a "$RESULTS"
  fi
done
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
field() { grep " $1 " "$RESULTS" | grep -o "$2=[0-9.]*" | cut -d= -f2 | median; }
echo "--- medians of $RUNS runs ($DROPS drops, pass interval ${INTERVAL_MS} ms; $COMMITS commits)"
if [ "${LATENCY:-1}" = 1 ]; then
  echo "latency median_ms=$(field latency median_ms) p90_ms=$(field latency p90_ms) max_ms=$(field latency max_ms)"
fi
if [ "$DELIVER" = 1 ]; then
  echo "deliver drain_events_per_s=$(field deliver drain_events_per_s) drain100_events_per_s=$(field deliver drain100_events_per_s) poll_events_per_s=$(field deliver poll_events_per_s)"
fi
