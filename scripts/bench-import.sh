#!/usr/bin/env bash
# Benchmark: `lumbar import` of a 200 000-point GPX (about 45 MB) beside GPSBabel and gpxpy on
# the same file, in one hyperfine run, then the peak memory of each with /usr/bin/time -v.
#
# Needs: a release build (cargo build --release), hyperfine, gpsbabel, python3 with gpxpy,
# and GNU time (apt-get install -y hyperfine gpsbabel time; pip install gpxpy).
# Usage: scripts/bench-import.sh [POINTS]   (default 200000)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
lumbar="$root/target/release/lumbar"
points="${1:-200000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for tool in hyperfine gpsbabel python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
python3 -c 'import gpxpy' 2>/dev/null || { echo "missing: gpxpy (pip install gpxpy)" >&2; exit 1; }
[ -x "$lumbar" ] || { echo "build first: cargo build --release" >&2; exit 1; }

gpx="$work/big.gpx"
python3 "$root/scripts/gen-big-gpx.py" "$points" >"$gpx"
echo "file: $points points, $(stat -c %s "$gpx") bytes"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo

# lumbar does a real import into an empty data folder each run (the store write, with its
# fsyncs, included), and a dry run (everything but the write), like the two tools beside it.
lumbar_cmd="$lumbar --data-dir $work/data --quiet import $gpx"
dry_cmd="$lumbar --data-dir $work/data --quiet import --dry-run $gpx"
gpsbabel_cmd="gpsbabel -i gpx -f $gpx -o unicsv -F /dev/null"
gpxpy_cmd="python3 -c 'import gpxpy,sys; print(gpxpy.parse(open(sys.argv[1])).length_2d())' $gpx"

hyperfine --warmup 1 --runs "${RUNS:-5}" --prepare "rm -rf $work/data" \
    --export-markdown "$work/bench.md" \
    -n "lumbar import" "$lumbar_cmd" -n "lumbar import --dry-run" "$dry_cmd" \
    -n gpsbabel "$gpsbabel_cmd" -n gpxpy "$gpxpy_cmd"
echo
cat "$work/bench.md"
echo

peak() {
    /usr/bin/time -v bash -c "$2" 2>&1 >/dev/null | awk -v n="$1" '/Maximum resident set size/ { printf "%-9s peak RSS %6.1f MB\n", n, $6 / 1024 }'
}
rm -rf "$work/data"
peak lumbar "$lumbar_cmd"
echo "  (what lumbar imported: $("$lumbar" --data-dir "$work/data" --json run list | python3 -c 'import json,sys; r=json.load(sys.stdin)["runs"][0]; print(r["distance_m"], "m in", r["duration_s"], "s")'))"
peak gpsbabel "$gpsbabel_cmd"
peak gpxpy "$gpxpy_cmd"
