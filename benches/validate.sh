#!/usr/bin/env bash
# The end-to-end dry-run benchmark (issues 2 and 7): generates exports with
# gen_sales, runs `offconv validate` with the report and the payload dump
# written, and prints rows per second (median of RUNS) and peak RSS.
#
#   bash benches/validate.sh                 # 1,000,000 and 10,000,000 rows
#   SIZES="1000000 5000000" RUNS=5 bash benches/validate.sh
#   MAPPING=/path/to/other.toml bash benches/validate.sh
#   LINE_ITEMS=1 MAPPING=benches/line_items_bench.toml SIZES=1000000 bash benches/validate.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SIZES=${SIZES:-"1000000 10000000"}
RUNS=${RUNS:-3}
MAPPING=${MAPPING:-fixtures/store_sales.toml}
LINE_ITEMS=${LINE_ITEMS:-}
NOW=2026-11-26T12:00:00Z
WORK=${WORK:-$(mktemp -d)}
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet --bin offconv --example gen_sales
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; mapping $MAPPING"
for rows in $SIZES; do
  target/release/examples/gen_sales --rows "$rows" --now "$NOW" ${LINE_ITEMS:+--line-items} --out "$WORK/sales.csv"
  rates=()
  cpus=()
  rss=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" target/release/offconv validate "$WORK/sales.csv" \
      --mapping "$MAPPING" --now "$NOW" --report "$WORK/report.csv" \
      --payloads "$WORK/payloads.ndjson" -q || true
    read -r wall user sys kb < <(tail -n 1 "$WORK/time")
    rates+=("$(python3 -c "print(int($rows / $wall))")")
    cpus+=("$(python3 -c "print(round($user + $sys, 2))")")
    rss=$((kb > rss ? kb : rss))
    rm -f "$WORK/report.csv" "$WORK/payloads.ndjson"
  done
  median=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  # CPU seconds (user + sys) tell more than wall time on a shared virtual
  # machine, whose speed drifts by a third from one minute to the next.
  echo "$rows rows: median $median rows/s over $RUNS runs (${rates[*]}); median CPU $cpu s; peak RSS $((rss / 1024)) MB"
  rm -f "$WORK/sales.csv"
done
