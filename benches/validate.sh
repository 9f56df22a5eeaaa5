#!/usr/bin/env bash
# The end-to-end dry-run benchmark (issues 2, 7 and 18): generates the
# US-heavy export and the international one with gen_sales, and runs, in
# one run and alternately, the machine's limit (benches/limit.rs) and
# `offconv validate` with the report and the payload dump written, on each.
# Prints per export the median rows/s and CPU seconds (user + sys) of the
# limit and of offconv, offconv's peak RSS, and the ratio to the limit.
# The limit writes offconv's bytes as offconv does, one dump file and one
# report file; beside it runs the limit of earlier rounds, the same bytes
# as a file per worker (`split`), which one dump file cannot be.
#
#   bash benches/validate.sh                 # 1,000,000 and 10,000,000 rows, 5 runs
#   SIZES=1000000 RUNS=5 bash benches/validate.sh
#   WORK=/dev/shm SIZES=1000000 bash benches/validate.sh   # scratch on tmpfs (WORK itself is kept)
#   MIXES=us MAPPING=/path/to/other.toml bash benches/validate.sh
#   LINE_ITEMS=1 MAPPING=benches/line_items_bench.toml MIXES=us SIZES=1000000 bash benches/validate.sh
#   FEATURES=1 SIZES=1000000 bash benches/validate.sh   # then each mapping feature (benches/features.py)
#
# With FEATURES=1, after the exports of the first size: the US-heavy export once per mapping
# feature (encoding, filter, joined date and time, zone per row, full name,
# semicolons, decimal commas, the ledger), each variant run alternately
# with the plain one, with its rows/s and CPU per row against the plain's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SIZES=${SIZES:-"1000000 10000000"}
RUNS=${RUNS:-5}
MIXES=${MIXES:-"us international"}
MAPPING=${MAPPING:-fixtures/store_sales.toml}
INTL_MAPPING=${INTL_MAPPING:-benches/international.toml}
LINE_ITEMS=${LINE_ITEMS:-}
NOW=2026-11-26T12:00:00Z
# The exports and outputs go to a directory of their own inside $WORK
# (default: $TMPDIR or /tmp), removed at the end; $WORK itself is left
# alone. On a tmpfs (WORK=/dev/shm) the runs write the same bytes without
# the disk's writeback, whose cost swings by 4x from run to run on a
# virtual machine (issue 18's twelfth round).
mkdir -p "${WORK:=${TMPDIR:-/tmp}}"
WORK=$(mktemp -d "$WORK/offconv-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
TARGET=${CARGO_TARGET_DIR:-target}

cargo build --release --quiet --bin offconv --example gen_sales
LIMIT=$(cargo bench --no-run --quiet --bench limit --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "limit" and m.get("executable"):
        print(m["executable"])')
echo "machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), $(free -g | awk '/Mem:/ {print $2}') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "outputs in $WORK ($(stat -f -c %T "$WORK"))"

# The machine's CPU time so far (/proc/stat, in ticks): all of it, and
# what the host took for other guests (steal). A virtual machine whose
# host is busy loses a share of its cores; its rows/s then mean little
# (five runs in issue 18's sixth round saw 30 %).
cpu_ticks() { awk '/^cpu / {t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $9}' /proc/stat; }
steal_since() {
  read -r t1 s1 < <(cpu_ticks)
  python3 -c "print(round(100 * ($s1 - $2) / max($t1 - $1, 1), 1))"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# The rows/s of each run in a list of .times lines, on one line.
rates() { printf '%s\n' "$@" | cut -d' ' -f1 | tr '\n' ' '; }
mapping_of() { if [ "$1" = international ]; then echo "$INTL_MAPPING"; else echo "$MAPPING"; fi; }

# One timed run: appends "rows/s cpu rss_kb" to $WORK/<name>.times.
# Each run starts with no dirty pages: without the untimed `sync`, what
# the previous run wrote (700+ MB at 1M rows) can still be flushing on the
# same two cores while the next run is timed. In issue 18's seventh round
# five runs without it fell run by run (781k to 621k rows/s); with it the
# runs still varied by a third, but not in one direction.
timed() {
  local name=$1 rows=$2
  shift 2
  sync
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" >/dev/null 2>&1 || true
  read -r wall user sys kb < <(tail -n 1 "$WORK/time")
  python3 -c "print(int($rows / max($wall, 0.01)), round($user + $sys, 2), $kb)" >>"$WORK/$name.times"
}

offconv_run() {
  local mix=$1 rows=$2
  timed "offconv-$mix" "$rows" "$TARGET/release/offconv" validate "$WORK/$mix.csv" \
    --mapping "$(mapping_of "$mix")" --now "$NOW" --report "$WORK/report.csv" \
    --payloads "$WORK/payloads.ndjson" -q
}

# The mapping features on the US-heavy export of `$1` rows.
features() {
  local rows=$1 dir=$WORK/features
  mkdir -p "$dir"
  "$TARGET/release/examples/gen_sales" --rows "$rows" --now "$NOW" --mix us --out "$WORK/us.csv"
  mapfile -t names < <(python3 benches/features.py "$WORK/us.csv" "$dir")
  rm -f "$dir"/*.times
  for _ in $(seq "$RUNS"); do
    for name in "${names[@]}"; do
      local ledger=()
      if [ "$name" = ledger ]; then
        rm -f "$dir"/ledger.sqlite*
        ledger=(--dataset 1234567890 --ledger "$dir/ledger.sqlite")
      fi
      timed "features/$name" "$rows" "$TARGET/release/offconv" validate "$dir/$name.csv" \
        --mapping "$dir/$name.toml" --now "$NOW" --report "$WORK/report.csv" \
        --payloads "$WORK/payloads.ndjson" -q "${ledger[@]}"
      rm -f "$WORK/report.csv" "$WORK/payloads.ndjson"
    done
  done
  echo "$rows rows, mapping features on the US-heavy export, median of $RUNS runs, alternating"
  local plain_rate plain_cpu
  for name in "${names[@]}"; do
    mapfile -t o < "$dir/$name.times"
    local rate cpu
    rate=$(median "${o[@]%% *}")
    cpu=$(median $(printf '%s\n' "${o[@]}" | cut -d' ' -f2))
    if [ "$name" = plain ]; then plain_rate=$rate plain_cpu=$cpu; fi
    echo "  $name: $rate rows/s (CPU $cpu s); against plain: rows/s $(python3 -c "print(round($rate / $plain_rate, 3))"), CPU $(python3 -c "print(round($cpu / $plain_cpu, 3))")"
  done
  rm -rf "$dir"
}

read -r first_size _ <<<"$SIZES"
for rows in $SIZES; do
  declare -A bytes=() report_bytes=()
  for mix in $MIXES; do
    "$TARGET/release/examples/gen_sales" --rows "$rows" --now "$NOW" --mix "$mix" \
      ${LINE_ITEMS:+--line-items} --out "$WORK/$mix.csv"
    # An untimed run: the bytes offconv writes, which the limit writes too.
    "$TARGET/release/offconv" validate "$WORK/$mix.csv" --mapping "$(mapping_of "$mix")" \
      --now "$NOW" --report "$WORK/report.csv" --payloads "$WORK/payloads.ndjson" -q || true
    report_bytes[$mix]=$(stat -c %s "$WORK/report.csv")
    bytes[$mix]=$((report_bytes[$mix] + $(stat -c %s "$WORK/payloads.ndjson")))
    rm -f "$WORK/report.csv" "$WORK/payloads.ndjson" "$WORK"/*.times
  done
  read -r ticks0 steal0 < <(cpu_ticks)
  for _ in $(seq "$RUNS"); do
    for mix in $MIXES; do
      timed "limit-$mix" "$rows" "$LIMIT" "$WORK/$mix.csv" --rows "$rows" \
        --bytes "${bytes[$mix]}" --report-bytes "${report_bytes[$mix]}" --out "$WORK/limit"
      rm -f "$WORK"/limit.*
      timed "split-$mix" "$rows" "$LIMIT" "$WORK/$mix.csv" --rows "$rows" \
        --bytes "${bytes[$mix]}" --out "$WORK/limit"
      rm -f "$WORK"/limit.*
      offconv_run "$mix" "$rows"
      rm -f "$WORK/report.csv" "$WORK/payloads.ndjson"
    done
  done
  echo "$rows rows, median of $RUNS runs, alternating; load average now $(cut -d' ' -f1-3 /proc/loadavg); host steal $(steal_since "$ticks0" "$steal0") % of CPU time"
  for mix in $MIXES; do
    mapfile -t l < "$WORK/limit-$mix.times"
    mapfile -t o < "$WORK/offconv-$mix.times"
    mapfile -t f < "$WORK/split-$mix.times"
    lrate=$(median "${l[@]%% *}")
    frate=$(median "${f[@]%% *}")
    orate=$(median "${o[@]%% *}")
    lcpu=$(median $(printf '%s\n' "${l[@]}" | cut -d' ' -f2))
    ocpu=$(median $(printf '%s\n' "${o[@]}" | cut -d' ' -f2))
    rss=$(printf '%s\n' "${o[@]}" | cut -d' ' -f3 | sort -n | tail -n 1)
    echo "  $mix: limit $lrate rows/s (CPU $lcpu s); offconv $orate rows/s (CPU $ocpu s, peak RSS $((rss / 1024)) MB, $((bytes[$mix] / 1000000)) MB written); ratio $(python3 -c "print(round($orate / $lrate, 2))")"
    echo "    limit runs: $(rates "${l[@]}")"
    echo "    split limit (a file per worker): $frate rows/s, runs $(rates "${f[@]}"); offconv's ratio to it $(python3 -c "print(round($orate / $frate, 2))")"
    echo "    offconv runs: $(rates "${o[@]}")"
    eval "cpu_$mix=$ocpu"
  done
  if [ -n "${cpu_us:-}" ] && [ -n "${cpu_international:-}" ]; then
    echo "  CPU per row, international / US-heavy: $(python3 -c "print(round($cpu_international / $cpu_us, 2))")"
  fi
  # The features at the first size only: at 10M rows nine more variants
  # times $RUNS would take most of an hour.
  if [ -n "${FEATURES:-}" ] && [ "$rows" = "$first_size" ]; then
    features "$rows"
  fi
  rm -f "$WORK"/*.csv
done
