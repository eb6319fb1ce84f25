#!/usr/bin/env bash
# Benchmark of `handover validate` (issue #4), documented in docs/ci.md.
#
#   benches/validate.sh [RUNS] [SCALE]      (defaults: 200 runs, scale 100)
#
# 1. `validate --mappings mappings/sunderland` RUNS times: median wall time in ms, against the
#    median of as many `handover --version` runs (starting the process at all), interleaved in
#    batches of 10 timed together.
# 2. `validate --input` over a `generate --as-at 2017-01-31 --scale SCALE` extract (generated
#    once, cached under target/bench/): rows per second, against `migrate --dry-run` of the same
#    extract, which reads the same rows through the same conversions and also loads them.
# hyperfine is not installed on the build machines, hence the loops timed with `date +%s%N`.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-200}
SCALE=${2:-100}
BIN=target/release/handover
MAPPINGS=mappings/sunderland

cargo build --release --quiet

# Wall time in ns of one run of a command, as the mean of BATCH runs timed together, so that
# reading the clock (a `date` process before and after) weighs 1/BATCH on a run.
BATCH=10
batch_ns() {
    local start end
    start=$(date +%s%N)
    for _ in $(seq "$BATCH"); do
        "$@" >/dev/null 2>&1 || true
    done
    end=$(date +%s%N)
    echo $(((end - start) / BATCH))
}

# The median, in ms, of the numbers (ns) on stdin.
median_ms() {
    sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1e6}'
}

# Wall time in seconds of one run of a command (output discarded, exit code ignored).
once_s() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'BEGIN {printf "%.3f", ns/1e9}'
}

echo "== validate --mappings $MAPPINGS ($RUNS runs of each, interleaved in batches of $BATCH)"
versions=() validates=()
for _ in $(seq $((RUNS / BATCH))); do
    versions+=("$(batch_ns "$BIN" --version)")
    validates+=("$(batch_ns "$BIN" validate --mappings "$MAPPINGS")")
done
floor=$(printf '%s\n' "${versions[@]}" | median_ms)
mapping=$(printf '%s\n' "${validates[@]}" | median_ms)
echo "validate (mappings only): median ${mapping} ms"
echo "baseline handover --version: median ${floor} ms"
awk -v a="$mapping" -v b="$floor" 'BEGIN {printf "ratio: %.2fx the process start-up\n", a/b}'

EXTRACT=target/bench/2017-01-31-scale$SCALE
if [ ! -f "$EXTRACT/controls.csv" ]; then
    rm -rf "$EXTRACT"
    mkdir -p "$(dirname "$EXTRACT")"
    "$BIN" --quiet generate --as-at 2017-01-31 --scale "$SCALE" --out "$EXTRACT"
fi
rows=$({ "$BIN" validate --mappings "$MAPPINGS" --input "$EXTRACT" --format json || true; } | awk -F': ' '/"rows_read"/ {print $2+0}')
echo "== validate --input $EXTRACT ($rows rows)"
v=$(once_s "$BIN" --quiet validate --mappings "$MAPPINGS" --input "$EXTRACT")
m=$(once_s "$BIN" --quiet migrate --mappings "$MAPPINGS" --input "$EXTRACT" --dry-run)
awk -v r="$rows" -v v="$v" -v m="$m" 'BEGIN {
    printf "validate --input: %.3f s, %.0f rows/s\n", v, r/v
    printf "baseline migrate --dry-run: %.3f s, %.0f rows/s\n", m, r/m
    printf "ratio: validate reads %.2fx as many rows per second as the dry run\n", m/v
}'
