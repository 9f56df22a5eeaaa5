#!/usr/bin/env bash
# Backfills a long point-of-sale export (up to Meta's 62 days) one sale day
# at a time, each day under its own upload tag.
#
#   backfill.sh EXPORT.csv[.gz|.zst] [-- extra offconv upload flags]
#
# 1. split_by_day.py writes one file per day into $OFFCONV_WORK_DIR/days/.
# 2. `offconv validate` checks every day before a single event is sent:
#    rows too old for Meta's window, unreadable times, missing currencies
#    show up here, with a report per row.
# 3. Days are uploaded oldest first (the oldest are the next to fall out of
#    the 62-day window), each with --upload-tag backfill-<export>-<day>, its
#    own report and summary, and --resume.
#
# Overlapping the nightly uploads (a backfill of 60 days after a month of
# nightly runs)? The ledger (OFFCONV_LEDGER, the same one the nightly job
# uses) skips every event sent before, `skipped` / `already_sent`, so no sale
# is counted twice past Meta's 7 days; with META_DATASET_ID set, step 2
# already shows how many would be skipped.
#
# Stopped or failed half-way? Run the same command again: days already sent
# are skipped by --resume, the rest continue. Exit code: 0 when every day
# went through, 1 when a day had failed rows or too many rejected (the run
# stops there), 2 when nothing could be done.
#
# Settings (environment):
#   OFFCONV_MAPPING      the mapping [offconv.toml next to this script]
#   OFFCONV_WORK_DIR     day files and reports [./backfill-<export name>]
#   OFFCONV_MAX_REJECTED rejected rows a day may have [1%]
#   META_ACCESS_TOKEN    the token; or pass `-- --access-token-file FILE`.
#                        Never put the token itself on a command line
#                        (`ps` and shell history show it): `read -rs
#                        META_ACCESS_TOKEN && export META_ACCESS_TOKEN`
#   META_DATASET_ID      the dataset id
#   OFFCONV_LEDGER       the ledger [$XDG_STATE_HOME/offconv/ledger.sqlite]:
#                        give the nightly job's, file or postgres:// URL
#
# Try it without a Meta account: backfill.sh export.csv -- --sandbox

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
    sed -n '2,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
    exit 2
fi
export_file=$1
shift
if [[ $# -gt 0 && $1 == -- ]]; then
    shift
fi
if [[ ! -f $export_file ]]; then
    echo "backfill: no such export: $export_file" >&2
    exit 2
fi

name=$(basename "$export_file")
name=${name%.gz}
name=${name%.zst}
name=${name%.csv}
mapping=${OFFCONV_MAPPING:-$here/offconv.toml}
work=${OFFCONV_WORK_DIR:-./backfill-$name}
max_rejected=${OFFCONV_MAX_REJECTED:-1%}
days_dir="$work/days"
reports="$work/reports"
mkdir -p "$reports"

# Split once: a re-run must upload the very same day files, or --resume
# would see other inputs and refuse to continue.
if [[ ! -f $work/days.tsv ]]; then
    python3 "$here/split_by_day.py" "$export_file" "$mapping" "$days_dir" > "$work/days.tsv.tmp"
    mv "$work/days.tsv.tmp" "$work/days.tsv"
fi
days=()
files=()
while IFS=$'\t' read -r day rows file; do
    days+=("$day")
    files+=("$file")
    printf 'backfill: %s  %6d rows\n' "$day" "$rows" >&2
done < "$work/days.tsv"
if [[ ${#days[@]} -eq 0 ]]; then
    echo "backfill: no dated rows in $export_file" >&2
    exit 2
fi

# Everything is checked before anything is sent. `validate` exits 1 when
# rows are rejected; that is worth reading, not a reason to stop here:
# the per-day uploads below apply --max-rejected.
status=0
offconv validate "${files[@]}" \
    --mapping "$mapping" \
    --report "$reports/validate.report.csv" \
    --summary-json "$reports/validate.summary.json" || status=$?
if [[ $status -ge 2 ]]; then
    echo "backfill: validate could not run (exit $status); nothing was sent" >&2
    exit "$status"
fi

for i in "${!days[@]}"; do
    day=${days[$i]}
    status=0
    offconv upload "${files[$i]}" \
        --mapping "$mapping" \
        --upload-tag "backfill-$name-$day" \
        --report "$reports/$day.report.csv" \
        --summary-json "$reports/$day.summary.json" \
        --max-rejected "$max_rejected" \
        --resume \
        "$@" || status=$?
    if [[ $status -ne 0 ]]; then
        echo "backfill: $day stopped with exit $status (report: $reports/$day.report.csv)." >&2
        echo "backfill: fix the cause and run the same command again; sent days are skipped." >&2
        exit "$status"
    fi
done
echo "backfill: ${#days[@]} days sent; reports in $reports" >&2
