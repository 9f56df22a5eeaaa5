#!/usr/bin/env bash
# Uploads yesterday's point-of-sale export to Meta as offline conversions.
#
#   run.sh [DAY] [-- extra offconv upload flags]
#
# DAY defaults to yesterday (YYYY-MM-DD, local time). Re-running for the
# same day continues where the last run stopped (--resume): rows already
# sent are skipped, so a failed night can simply be run again.
#
# Exit code: offconv's own (0 all sent, 1 rows failed or rejected beyond
# --max-rejected, 2 nothing could be done), or 2 when the export is missing.
#
# Settings (environment):
#   OFFCONV_EXPORT_DIR   where sales-YYYY-MM-DD.csv[.gz] arrive
#   OFFCONV_STATE_DIR    reports, summaries and the lock live here
#   OFFCONV_MAPPING      the mapping file [offconv.toml next to this script]
#   OFFCONV_TOKEN_FILE   file holding the access token [/etc/offconv/token]
#   OFFCONV_KEEP_DAYS    days of reports to keep [90]
#   OFFCONV_LEDGER       the ledger of events already sent
#                        [$OFFCONV_STATE_DIR/ledger.sqlite]; a postgres://
#                        URL when other machines upload to the same dataset
#   META_DATASET_ID      the dataset (offline event set) id
#
# An export window that overlaps the night before ("the last 10 days", to
# catch late corrections) is fine: the ledger skips every event sent before
# (`skipped` / `already_sent` in the report), also past Meta's 7 days.
#
# Try it without a Meta account: run.sh 2026-11-25 -- --sandbox

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export_dir=${OFFCONV_EXPORT_DIR:-/srv/pos-exports}
state_dir=${OFFCONV_STATE_DIR:-/var/lib/offconv}
mapping=${OFFCONV_MAPPING:-$here/offconv.toml}
token_file=${OFFCONV_TOKEN_FILE:-/etc/offconv/token}
keep_days=${OFFCONV_KEEP_DAYS:-90}

log() { printf '%s nightly: %s\n' "$(date '+%Y-%m-%dT%H:%M:%S%z')" "$*" >&2; }

day=""
if [[ $# -gt 0 && $1 != -- ]]; then
    day=$1
    shift
fi
if [[ $# -gt 0 && $1 == -- ]]; then
    shift
fi
if [[ -z $day ]]; then
    # GNU date first, then BSD/macOS date.
    day=$(date -d yesterday +%F 2>/dev/null || date -v-1d +%F)
fi
if [[ ! $day =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
    log "DAY must be YYYY-MM-DD, not '$day'"
    exit 2
fi

export_file=""
for candidate in "$export_dir/sales-$day.csv.gz" "$export_dir/sales-$day.csv.zst" "$export_dir/sales-$day.csv"; do
    if [[ -f $candidate ]]; then
        export_file=$candidate
        break
    fi
done
if [[ -z $export_file ]]; then
    log "no export for $day in $export_dir (expected sales-$day.csv[.gz|.zst])"
    exit 2
fi

reports="$state_dir/reports"
mkdir -p "$reports"

# One run at a time: a slow night must not overlap the next one.
exec 9>"$state_dir/nightly.lock"
if command -v flock >/dev/null 2>&1 && ! flock -n 9; then
    log "another run holds $state_dir/nightly.lock; not starting"
    exit 2
fi

# The token goes to offconv as a file path, never as an argument: command
# lines are visible to every user in `ps` and end up in shell history.
token_args=()
if [[ " $* " != *" --sandbox "* ]]; then
    # The sandbox keeps a throw-away ledger; real runs keep it with the
    # reports (one writer at a time: the lock above).
    export OFFCONV_LEDGER=${OFFCONV_LEDGER:-$state_dir/ledger.sqlite}
    if [[ ! -r $token_file ]]; then
        log "cannot read the token file $token_file"
        exit 2
    fi
    if [[ -n $(find "$token_file" -perm /077 2>/dev/null) ]]; then
        log "warning: $token_file is readable by others; chmod 600 it"
    fi
    token_args=(--access-token-file "$token_file")
fi

log "uploading $export_file"
status=0
offconv upload "$export_file" \
    --mapping "$mapping" \
    --upload-tag "pos-nightly-$day" \
    --report "$reports/$day.report.csv" \
    --summary-json "$reports/$day.summary.json" \
    --max-rejected 1% \
    --resume \
    ${token_args[@]+"${token_args[@]}"} \
    "$@" || status=$?

case $status in
    0) log "done: every row of $day sent; report $reports/$day.report.csv" ;;
    1) log "rows of $day failed or were rejected beyond 1%: see $reports/$day.report.csv; run again to resume" ;;
    *) log "offconv could not run (exit $status); nothing more was sent" ;;
esac

# Reports older than the retention go; the summaries stay (they are small
# and hold no customer data).
find "$reports" -name '*.report.csv*' -mtime +"$keep_days" -delete 2>/dev/null || true

exit "$status"
