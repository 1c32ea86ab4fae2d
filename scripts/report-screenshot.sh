#!/usr/bin/env bash
# Regenerates docs/report.png, the README's picture of the demo report: fills a temporary data
# folder with the demo history (seed 42, 12 weeks ending today, TZ=UTC), writes the report, and
# has headless Chromium take a screenshot of its first screen, 1000 px wide.
# Usage: scripts/report-screenshot.sh [path/to/lumbar]   (default: target/release/lumbar)
# Needs Chromium (apt-get install chromium, or LUMBAR_CHROMIUM=/path/to/chrome); pngquant, when
# installed, makes the file smaller.
set -euo pipefail
cd "$(dirname "$0")/.."
L=${1:-target/release/lumbar}
if [ ! -x "$L" ]; then
    cargo build --release --locked
fi
browser=${LUMBAR_CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$browser" ]; then
    echo "no Chromium found: apt-get install chromium, or set LUMBAR_CHROMIUM" >&2
    exit 1
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
export TZ=UTC NO_COLOR=1 LUMBAR_DATA_DIR="$root/data"
"$L" demo --seed 42 >/dev/null
"$L" report --output "$root/report.html" >/dev/null
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --force-device-scale-factor=1 --user-data-dir="$root/profile" \
    --window-size=1000,1480 --screenshot="$root/report.png" "file://$root/report.html" 2>/dev/null
mkdir -p docs
if command -v pngquant >/dev/null; then
    pngquant --force --quality 70-90 --output docs/report.png "$root/report.png"
else
    cp "$root/report.png" docs/report.png
fi
echo "docs/report.png: $(wc -c < docs/report.png) bytes"
