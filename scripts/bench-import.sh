#!/usr/bin/env bash
# Benchmark of `lumbar import`:
# 1. a 200 000-point GPX (about 48 MB) beside GPSBabel and gpxpy on the same file, in one hyperfine
#    run, then the peak memory of each with /usr/bin/time -v;
# 2. a Garmin Connect export zip of about 500 MB (zips inside the zip, activity and monitoring FIT
#    files, summarizedActivities.json; generated here by scripts/gen-garmin-export.py, never kept):
#    the time and peak memory of importing it;
# 3. with BENCH_UNWIND=1, the cost of `panic = "unwind"` (which import's per-file isolation needs):
#    the same GPX import and the binary's size, beside a build with `panic = "abort"`.
#
# Needs: a release build (cargo build --release), hyperfine, gpsbabel, python3 with gpxpy,
# and GNU time (apt-get install -y hyperfine gpsbabel time; pip install gpxpy).
# Usage: scripts/bench-import.sh [POINTS [GARMIN_MB]]   (defaults 200000 and 500; GARMIN_MB=0 skips it)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
lumbar="$root/target/release/lumbar"
points="${1:-200000}"
garmin_mb="${2:-500}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for tool in hyperfine gpsbabel python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
python3 -c 'import gpxpy' 2>/dev/null || { echo "missing: gpxpy (pip install gpxpy)" >&2; exit 1; }
[ -x "$lumbar" ] || { echo "build first: cargo build --release" >&2; exit 1; }

peak() {
    /usr/bin/time -v bash -c "$2" 2>&1 >/dev/null | awk -v n="$1" '/Maximum resident set size/ { printf "%-22s peak RSS %7.1f MB\n", n, $6 / 1024 }'
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

gpx="$work/big.gpx"
python3 "$root/scripts/gen-big-gpx.py" "$points" >"$gpx"
echo "== GPX: $points points, $(stat -c %s "$gpx") bytes"

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
rm -rf "$work/data"
peak "lumbar import" "$lumbar_cmd"
echo "  (what lumbar imported: $("$lumbar" --data-dir "$work/data" --json run list | python3 -c 'import json,sys; r=json.load(sys.stdin)["runs"][0]; print(r["distance_m"], "m in", r["duration_s"], "s")'))"
peak gpsbabel "$gpsbabel_cmd"
peak gpxpy "$gpxpy_cmd"
echo

if [ "$garmin_mb" != 0 ]; then
    zip="$work/garmin-export.zip"
    python3 "$root/scripts/gen-garmin-export.py" "$zip" "$garmin_mb" 2>/dev/null
    echo "== Garmin export: $(stat -c %s "$zip") bytes"
    rm -rf "$work/data"
    /usr/bin/time -v "$lumbar" --data-dir "$work/data" import "$zip" >/dev/null 2>"$work/garmin.log" || true
    grep -E '^Imported|Elapsed \(wall|Maximum resident' "$work/garmin.log" | sed 's/^\t//'
    rm -rf "$work/data" "$zip"
    echo
fi

if [ "${BENCH_UNWIND:-0}" = 1 ]; then
    echo "== panic = \"unwind\" (this build) against \"abort\""
    (cd "$root" && cargo build --release --quiet --target-dir "$work/abort" --config 'profile.release.panic="abort"')
    abort="$work/abort/release/lumbar"
    echo "size: unwind $(stat -c %s "$lumbar") bytes, abort $(stat -c %s "$abort") bytes"
    hyperfine --warmup 1 --runs "${RUNS:-5}" --prepare "rm -rf $work/data" \
        -n unwind "$lumbar --data-dir $work/data --quiet import --dry-run $gpx" \
        -n abort "$abort --data-dir $work/data --quiet import --dry-run $gpx"
fi
