#!/usr/bin/env bash
# handover against bare imports of the same files, measured in the same run (#11).
#
#   benches/compare.sh [SCALE] [ROUNDS]        (defaults: scale 100, 3 rounds)
#
# Generates the synthetic Sunderland extract at --scale SCALE (cached under target/bench/), then
# times, in ROUNDS interleaved rounds (medians reported):
#   handover-dry      handover migrate --dry-run of the whole extract (CSV and workbooks)
#   handover-out      handover migrate --out of the whole extract
#   sqlite3-import    the sqlite3 shell's `.import --csv` of the same three CSVs into a new file
#                     database (no types, no checks, no audit trail)
#   duckdb-read_csv   DuckDB's `CREATE TABLE .. AS SELECT * FROM read_csv(..)` of the same CSVs
#                     into a new file database (types sniffed, no checks)
# and prints each one's median wall time, peak RSS, rows per second, and handover's time per row
# divided by each baseline's, with the machine's load average at the start and end. The baselines
# read the three CSV files only (neither reads a workbook); handover reads the whole extract, so
# the comparison is per row. (A handover run over the CSV files alone is no fair measure: without
# the placements, every looked-after child becomes a finding, and findings cost more than rows.)
# Installs what it lacks: sqlite3 with apt-get, DuckDB's Python package with pip into
# target/bench/py.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-100}
ROUNDS=${2:-3}
root=$(pwd)
BIN="$root/target/release/handover"
bench="$root/target/bench"
mkdir -p "$bench"

if ! command -v sqlite3 >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null
fi
export PYTHONPATH="$bench/py${PYTHONPATH:+:$PYTHONPATH}"
if ! python3 -c 'import duckdb' 2>/dev/null; then
    python3 -m pip install --quiet --target "$bench/py" duckdb
fi
if [ ! -x /usr/bin/time ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
fi

cargo build --release --quiet
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

extract="$bench/extract-$SCALE"
if [ ! -f "$extract.complete" ]; then
    rm -rf "$extract"
    "$BIN" -q generate --as-at 2017-03-31 --out "$extract" --scale "$SCALE"
    touch "$extract.complete"
fi
csvs=(hr/teams.csv hr/staff.csv cases/cases.csv)

fullset="$root/mappings/sunderland"

work="$bench/work"
rm -rf "$work"
mkdir -p "$work"

# Runs one named job once: appends "name seconds rss_kb" to $work/times.
run() {
    local name=$1
    shift
    rm -f "$work"/out.db "$work"/out.duckdb
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" >"$work/$name.stdout" 2>"$work/$name.stderr" || {
        local code=$?
        # migrate exits 1 when it has findings: still a complete run.
        if [ "$code" -ne 1 ]; then
            echo "$name failed with exit $code:" >&2
            cat "$work/$name.stderr" >&2
            exit 1
        fi
    }
    echo "$name $(tail -1 "$work/t")" >>"$work/times"
}

# The two baselines' scripts, written once: the same three CSVs into a new file database each.
: >"$work/import.sql"
for f in "${csvs[@]}"; do
    echo ".import --csv '$extract/$f' t_$(basename "$f" .csv)" >>"$work/import.sql"
done
cat >"$work/duck.py" <<'EOF'
import sys, duckdb, os
db, extract, files = sys.argv[1], sys.argv[2], sys.argv[3:]
con = duckdb.connect(db)
for f in files:
    name = "t_" + os.path.basename(f)[:-4]
    # The staff export is Windows-1252, as HR systems write it.
    enc = ", encoding = 'latin-1'" if f.endswith("staff.csv") else ""
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{extract}/{f}', all_varchar = true{enc})")
con.close()
EOF

: >"$work/times"
for round in $(seq "$ROUNDS"); do
    echo "round $round of $ROUNDS" >&2
    run handover-dry "$BIN" -q migrate --mappings "$fullset" --input "$extract" --dry-run --as-at 2017-03-31
    run handover-out "$BIN" -q migrate --mappings "$fullset" --input "$extract" --out "$work/out.db" --as-at 2017-03-31 --allow-findings
    run sqlite3-import bash -c "sqlite3 '$work/out.db' <'$work/import.sql'"
    run duckdb-read_csv python3 "$work/duck.py" "$work/out.duckdb" "$extract" "${csvs[@]}"
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# Rows: data rows of the three CSVs (one header line each), and of the whole extract as handover
# read it (its JSON summary's ledger).
csv_rows=0
for f in "${csvs[@]}"; do
    csv_rows=$((csv_rows + $(python3 -c "import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding='latin-1', newline=''))) - 1)" "$extract/$f")))
done
all_rows=$("$BIN" -q migrate --mappings "$fullset" --input "$extract" --dry-run --as-at 2017-03-31 --format json 2>/dev/null |
    python3 -c "import json,sys; d=json.load(sys.stdin); print(sum(e['source_rows'] for e in d['entities']))" || echo "?")

python3 - "$work/times" "$SCALE" "$csv_rows" "$all_rows" "$load_start" "$load_end" <<'EOF'
import sys, statistics
path, scale, csv_rows, all_rows, load_start, load_end = sys.argv[1:]
runs = {}
for line in open(path):
    name, secs, rss = line.split()
    runs.setdefault(name, []).append((float(secs), int(rss)))
med = {n: statistics.median(s for s, _ in v) for n, v in runs.items()}
rss = {n: max(r for _, r in v) for n, v in runs.items()}
rows = {n: (int(all_rows) if n in ("handover-dry", "handover-out") and all_rows != "?" else int(csv_rows)) for n in runs}
print(f"scale {scale}: whole extract {all_rows} rows, the three CSVs {csv_rows} rows")
print(f"load average (1, 5, 15 min): {load_start} at start, {load_end} at end; {len(next(iter(runs.values())))} interleaved rounds, medians")
print(f"{'job':<16} {'median s':>9} {'rows/s':>10} {'peak RSS MiB':>13}")
for n in runs:
    print(f"{n:<16} {med[n]:>9.2f} {rows[n]/med[n]:>10.0f} {rss[n]/1024:>13.1f}")
print()
for base in ("sqlite3-import", "duckdb-read_csv"):
    for h in ("handover-dry", "handover-out"):
        ratio = (rows[base] / med[base]) / (rows[h] / med[h])
        print(f"{h} ÷ {base}, time per row: {ratio:.2f}")
EOF
