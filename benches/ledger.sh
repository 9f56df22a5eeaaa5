#!/usr/bin/env bash
# The ledger's benchmark (issue 17).
#
# 1. Dry run: `offconv validate --dataset` of ROWS generated sales against a
#    SQLite ledger holding LEDGER_EVENTS events of that dataset (half of the
#    export's events among them, so half the rows end skipped), next to the
#    same run with --no-ledger: rows/s and peak RSS, RUNS runs each, median.
# 2. Upload: the same ROWS to a local sandbox (LATENCY_MS, CONCURRENCY, no
#    rate cap) with the ledger off, on a fresh SQLite file, and on a fresh
#    PostgreSQL database (a throw-away cluster from .ci/postgres).
#
#   bash benches/ledger.sh                     # 1,000,000 rows, 5,000,000 entries
#   ROWS=100000 LEDGER_EVENTS=500000 RUNS=1 bash benches/ledger.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${ROWS:-1000000}
LEDGER_EVENTS=${LEDGER_EVENTS:-5000000}
RUNS=${RUNS:-3}
LATENCY_MS=${LATENCY_MS:-50}
CONCURRENCY=${CONCURRENCY:-8}
NOW=2026-11-26T12:00:00Z
DATASET=1234567890
TARGET=${CARGO_TARGET_DIR:-target}
work=$(mktemp -d)
pg_dir=""
sandbox_pid=""
cleanup() {
  [[ -n $sandbox_pid ]] && kill "$sandbox_pid" 2>/dev/null || true
  [[ -n $pg_dir ]] && bash .ci/postgres stop "$pg_dir"
  rm -rf "$work"
}
trap cleanup EXIT

cargo build --release --quiet --bin offconv --example gen_sales
bin=$TARGET/release/offconv
echo "machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), $(free -g | awk '/Mem:/ {print $2}') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$TARGET/release/examples/gen_sales" --rows "$ROWS" --clean --now "$NOW" --out "$work/sales.csv"

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# The ledger: half the export's event ids (from a dry run's report) and
# filler ids up to LEDGER_EVENTS, sent a day before NOW.
"$bin" validate "$work/sales.csv" --mapping fixtures/store_sales.toml --now "$NOW" \
  --report "$work/ids.csv" -q || true
# offconv makes the file with its own schema (forgetting nothing), the
# script only fills it.
"$bin" ledger forget --dataset "$DATASET" --ledger "$work/ledger.sqlite" >/dev/null 2>&1
python3 - "$work/ids.csv" "$work/ledger.sqlite" "$LEDGER_EVENTS" "$DATASET" <<'PY'
import csv, sqlite3, sys
report, path, total, dataset = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
ids = [r["event_id"] for r in csv.DictReader(open(report)) if r["event_id"]][::2]
sent = 1795694400 - 86400
db = sqlite3.connect(path)
rows = ((dataset, i, sent, "bench-earlier", sent) for i in ids)
db.executemany("INSERT INTO offconv_ledger (dataset, event_id, first_sent_at, first_upload_tag, sent_at, sends) VALUES (?,?,?,?,?,1)", rows)
filler = ((dataset, f"filler-{n:09d}", sent, "bench-earlier", sent) for n in range(total - len(ids)))
db.executemany("INSERT INTO offconv_ledger (dataset, event_id, first_sent_at, first_upload_tag, sent_at, sends) VALUES (?,?,?,?,?,1)", filler)
db.commit()
print(f"ledger: {db.execute('select count(*) from offconv_ledger').fetchone()[0]} events, {len(ids)} of them in the export")
PY

dry() {
  local name=$1
  shift
  local rates=() rss=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin" validate "$work/sales.csv" \
      --mapping fixtures/store_sales.toml --now "$NOW" --dataset "$DATASET" \
      --report "$work/dry.csv" --summary-json "$work/dry.json" -q "$@" >/dev/null 2>&1 || true
    read -r wall kb <"$work/time"
    rates+=("$(python3 -c "print(int($ROWS / max($wall, 0.01)))")")
    rss+=("$kb")
  done
  local skipped
  skipped=$(python3 -c "import json; print(json.load(open('$work/dry.json'))['skipped'])")
  printf 'dry run %-28s %8s rows/s  peak RSS %5s MiB  skipped %s  (runs: %s)\n' "$name" \
    "$(median "${rates[@]}")" "$(( $(median "${rss[@]}") / 1024 ))" "$skipped" "${rates[*]}"
}
dry "--no-ledger" --no-ledger
dry "--ledger (SQLite, $LEDGER_EVENTS)" --ledger "$work/ledger.sqlite"

"$bin" sandbox --listen 127.0.0.1:0 --latency-ms "$LATENCY_MS" --now "$NOW" >"$work/sandbox.out" &
sandbox_pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/sandbox.out" 2>/dev/null && break
  sleep 0.05
done
url=$(sed -n 's/^listening on //p' "$work/sandbox.out")

up() {
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/time" env META_ACCESS_TOKEN=bench "$bin" upload "$work/sales.csv" \
    --mapping fixtures/store_sales.toml --dataset "$DATASET" --api-base "$url" --now "$NOW" \
    --rate 0 --concurrency "$CONCURRENCY" --report "$work/up.csv" --force \
    --summary-json "$work/up.json" -q "$@" >/dev/null 2>&1 || true
  read -r wall kb <"$work/time"
  local sent
  sent=$(python3 -c "import json; print(json.load(open('$work/up.json'))['sent'])")
  printf 'upload %-22s %8s events/s  peak RSS %5s MiB  sent %s\n' "$name" \
    "$(python3 -c "print(int($sent / max($wall, 0.01)))")" "$(( kb / 1024 ))" "$sent"
}
up "--no-ledger" --no-ledger
up "SQLite (new file)" --ledger "$work/up.sqlite"
if pg=$(bash .ci/postgres start); then
  pg_dir=${pg%%$'\t'*}
  up "PostgreSQL (new db)" --ledger "${pg#*$'\t'}"
else
  echo "upload PostgreSQL: skipped, no server binaries"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
