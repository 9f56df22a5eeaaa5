#!/usr/bin/env bash
# Runs every fuzz target for a bounded time: fuzz/run.sh [SECONDS] [TARGET...]
# (default 60 s each, all five targets). Not run by CI (its time is tight);
# run it by hand after touching the reader, the mapper, the mapping checks,
# money, time or phone code.
#
# Needs the nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly && cargo install cargo-fuzz --locked
#
# Targets (each calls one function of src/fuzzing.rs, whose doc says what
# its input is and what must hold):
#   export   arbitrary bytes as an export, read and mapped as a run does
#   mapping  arbitrary text as a mapping file, checked as at start-up
#   amount   the value / amount parser, both decimal conventions
#   time     time_format, joined date + time, timezone cells
#   phone    the phone rule with and without a region
#
# Seeds: fuzz/corpus/<target>/seed-* (in git); the corpus libFuzzer grows
# next to them is not. A crash is saved under fuzz/artifacts/<target>/:
# replay it with `cargo +nightly fuzz run <target> <file>`, fix the library,
# and add the bytes as a test to tests/fuzz_regressions.rs.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(export mapping amount time phone)
fi
# Two cores shared with other builds: one build job, one fuzzing process.
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}"
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    echo "== $t: ${seconds}s"
    cargo +nightly fuzz run "$t" "corpus/$t" -- \
        -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1
done
