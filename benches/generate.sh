#!/usr/bin/env bash
# Benchmark `handover generate` (#2): build release, generate --scale K (default 100) into a
# temporary folder, print total rows, seconds, rows per second and peak RSS. Installs nothing.
#
#   benches/generate.sh            # --scale 100 (about 730 thousand rows)
#   benches/generate.sh 1371       # about 10 million rows
set -euo pipefail

scale="${1:-100}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cargo build --release --quiet
bin="$root/target/release/handover"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
log="$out/.log"

start=$(date +%s.%N)
if [ -x /usr/bin/time ]; then
    /usr/bin/time -v "$bin" generate --as-at 2017-03-31 --out "$out/data" --scale "$scale" 2>"$log"
    rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$log")
    cpu=$(awk -F': *' '/User time/{u=$2} /System time/{s=$2} END{printf "%.2f", u+s}' "$log")
else
    # No GNU time: sample VmHWM from /proc while the generator runs.
    "$bin" generate --as-at 2017-03-31 --out "$out/data" --scale "$scale" 2>"$log" &
    pid=$!
    rss_kb=0
    while kill -0 "$pid" 2>/dev/null; do
        hwm=$(sed -n 's/^VmHWM: *\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null || true)
        if [ -n "$hwm" ] && [ "$hwm" -gt "$rss_kb" ]; then rss_kb=$hwm; fi
        sleep 0.05
    done
    wait "$pid"
    cpu="n/a"
fi
end=$(date +%s.%N)

rows=$(sed -n 's/^wrote \([0-9]*\) rows.*/\1/p' "$log")
secs=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", b-a}')
rate=$(awk -v r="$rows" -v s="$secs" 'BEGIN{printf "%.0f", r/s}')
size=$(du -sh "$out/data" | cut -f1)
echo "scale:        $scale"
echo "total rows:   $rows"
echo "seconds:      $secs (CPU ${cpu}s, load average $(cut -d' ' -f1 /proc/loadavg))"
echo "rows/second:  $rate"
echo "peak RSS:     $((rss_kb / 1024)) MiB ($rss_kb kB)"
echo "output size:  $size"
