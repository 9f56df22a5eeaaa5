#!/usr/bin/env bash
# The upload benchmark (issue 4): ROWS generated sales sent to a local
# sandbox that answers after LATENCY_MS, with CONCURRENCY requests in
# flight and no rate cap. Prints events per second and how close that is
# to the network limit CONCURRENCY × 1000 / latency.
#
#   bash benches/upload.sh                      # 1,000,000 rows, 50 ms, concurrency 8
#   ROWS=200000 LATENCY_MS=20 CONCURRENCY=4 bash benches/upload.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${ROWS:-1000000}
LATENCY_MS=${LATENCY_MS:-50}
CONCURRENCY=${CONCURRENCY:-8}
NOW=2026-11-26T12:00:00Z

cargo build --release --quiet --bin offconv --example gen_sales
bin=target/release/offconv
work=$(mktemp -d)
trap 'kill "$sandbox_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

target/release/examples/gen_sales --rows "$ROWS" --clean --now "$NOW" --out "$work/sales.csv"

"$bin" sandbox --listen 127.0.0.1:0 --latency-ms "$LATENCY_MS" --now "$NOW" >"$work/sandbox.out" &
sandbox_pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/sandbox.out" 2>/dev/null && break
  sleep 0.05
done
url=$(sed -n 's/^listening on //p' "$work/sandbox.out")

start=$(date +%s.%N)
META_ACCESS_TOKEN=bench "$bin" upload "$work/sales.csv" --mapping fixtures/store_sales.toml \
  --dataset 1234567890 --api-base "$url" --now "$NOW" --rate 0 \
  --concurrency "$CONCURRENCY" --report "$work/report.csv" \
  --summary-json "$work/summary.json" -q || true
end=$(date +%s.%N)

python3 - "$work/summary.json" "$start" "$end" "$CONCURRENCY" "$LATENCY_MS" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
wall = float(sys.argv[3]) - float(sys.argv[2])
conc, latency = int(sys.argv[4]), float(sys.argv[5]) / 1000
limit = conc * 1000 / latency
rate = summary["sent"] / wall
print(f"rows {summary['rows']}, sent {summary['sent']}, requests {summary['requests']}, retries {summary['retries']}")
print(f"wall {wall:.2f} s: {rate:,.0f} events/s; network limit {limit:,.0f} events/s ({rate / limit:.0%} of it)")
PY
