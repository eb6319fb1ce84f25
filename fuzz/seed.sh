#!/usr/bin/env bash
# Builds each fuzz target's seed corpus from the repository's synthetic fixtures and mappings:
# fuzz/corpus/<target>/, one file per fixture, each prefixed with the knob byte the target reads
# first (0: header row 1, detected encoding; xlsx for the sheet reader). Safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."
seed() { # target, knob byte (octal), files...
    local target=$1 knob=$2
    shift 2
    mkdir -p "fuzz/corpus/$target"
    for f in "$@"; do
        local name
        name=$(printf '%s' "$f" | tr '/' '_')
        { printf "\\$knob"; cat "$f"; } >"fuzz/corpus/$target/seed_$name"
    done
}
mapfile -t csvs < <(find fixtures -name '*.csv' -size -64k | sort)
seed csv_reader 000 "${csvs[@]}"
mapfile -t xlsx < <(find fixtures -name '*.xlsx' | sort)
seed sheet_reader 000 "${xlsx[@]}"
mapfile -t ods < <(find fixtures -name '*.ods' | sort)
seed sheet_reader 003 "${ods[@]}"
mkdir -p fuzz/corpus/mapping_parser
for f in $(find mappings fixtures -name '*.toml' | sort); do
    cp "$f" "fuzz/corpus/mapping_parser/seed_$(printf '%s' "$f" | tr '/' '_')"
done
