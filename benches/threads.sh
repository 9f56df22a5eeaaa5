#!/usr/bin/env bash
# Where a run's CPU time goes, thread by thread (issue 18, tenth round):
# runs the command, reads each of its threads' user and system time from
# /proc every tenth of a second, and prints the last reading, then the run's
# wall time. offconv names its threads (reader, cpu-N, report; the main
# thread, which batches and writes the payload dump, is "offconv"), so a
# thread that is busy for the whole wall time is the run's bottleneck.
#
#   bash benches/threads.sh target/release/offconv validate sales.csv \
#     --mapping fixtures/store_sales.toml --report /tmp/r.csv --payloads /tmp/p.ndjson -q
#
# Each thread is read at its last sample, up to a tenth of a second
# before it ended: on a run of a few seconds, read the shares, not the
# last digit. The pipeline's threads all live to the end.
set -uo pipefail
if [ $# -eq 0 ]; then
  echo "usage: bash benches/threads.sh COMMAND [ARGS...]" >&2
  exit 2
fi
tck=$(getconf CLK_TCK)
start=$(date +%s.%N)
"$@" &
pid=$!
last=""
while kill -0 "$pid" 2>/dev/null; do
  # /proc/PID/task/TID/stat: the name in parentheses, then (counting from
  # the state after it) utime and stime in clock ticks, fields 12 and 13.
  # One awk a sample, to take as little of the machine as the run shares.
  now=$(awk '{
    a = index($0, "("); b = a
    for (i = length($0); i > a; i--) if (substr($0, i, 1) == ")") { b = i; break }
    split(substr($0, b + 2), f, " ")
    print substr($0, a + 1, b - a - 1) "\t" f[12] "\t" f[13]
  }' /proc/"$pid"/task/*/stat 2>/dev/null)
  [ -n "$now" ] && last=$now
  sleep 0.1
done
wait "$pid"
rc=$?
end=$(date +%s.%N)
printf '%s\n' "$last" | sort | awk -F'\t' -v tck="$tck" \
  '{printf "%-10s user %7.2f s  system %7.2f s\n", $1, $2 / tck, $3 / tck}'
python3 -c "print(f'wall {$end - $start:.2f} s, exit code $rc')"
exit "$rc"
