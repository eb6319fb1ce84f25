#!/usr/bin/env bash
# Builds each fuzz target's seed corpus from the repository's synthetic fixtures and mappings:
# fuzz/corpus/<target>/, one file per fixture, each prefixed with the knob byte the target reads
# first (0: header row 1, detected encoding; xlsx for the sheet reader; the 903 episodes layout for
# the XML reader). Safe to rerun.
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
mapfile -t xmls < <(find fixtures -name '*.xml' -size -256k | sort)
seed xml_reader 000 "${xmls[@]}"
mkdir -p fuzz/corpus/xml_reader
printf '\002<?xml version="1.0"?><Message><Children><Child id="A1"><CINdetails><CINreferralDate>2017-01-01</CINreferralDate><Assessments><A>x</A></Assessments></CINdetails></Child></Children></Message>' \
    >fuzz/corpus/xml_reader/seed_cin
printf '\003<a x="1"><b y="2"><c>&amp;&#233;</c><![CDATA[t]]></b><!-- c --><?pi x?></a>' >fuzz/corpus/xml_reader/seed_small
mkdir -p fuzz/corpus/mapping_parser
for f in $(find mappings fixtures -name '*.toml' | sort); do
    cp "$f" "fuzz/corpus/mapping_parser/seed_$(printf '%s' "$f" | tr '/' '_')"
done
