#!/usr/bin/env bash
# The README's table of coach scenarios: builds each history in its own temporary data folder
# (times relative to now, TZ=UTC) and prints what `lumbar coach --check` answers, with its exit
# status. Usage: scripts/coach-scenarios.sh [path/to/lumbar]   (default: target/release/lumbar)
set -uo pipefail
L=${1:-target/release/lumbar}
export TZ=UTC NO_COLOR=1
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
n=0
at() { date -u -d "$1" +%Y-%m-%dT%H:%M; }
new() { n=$((n + 1)); export LUMBAR_DATA_DIR="$root/$n"; }
run() { "$L" run add "$2" "$3" --date "$(at "$1")" >/dev/null; }
pain() { local when=$1 level=$2; shift 2; "$L" pain add "$level" --date "$(at "$when")" "$@" >/dev/null 2>&1; }
show() {
    local line code
    line=$("$L" coach --check)
    code=$?
    printf '| %s | %s | %s |\n' "$1" "${line#Next run · }" "$code"
}
# Six 10 km runs every third day from $1 days ago, 1/10 after each.
tens() {
    for d in $1 $(($1 - 3)) $(($1 - 6)) $(($1 - 9)) $(($1 - 12)) $(($1 - 15)); do
        run "$d days ago 07:00" 10k 60:00
        pain "$d days ago 09:00" 1 --run last
    done
}

echo '| history | `lumbar coach --check` | exit |'
echo '|---|---|---|'
new; show "nothing logged"
new; run "2 days ago 07:00" 5k 30:00; show "one 5 km run"
new; tens 18; show "six 10 km runs, 1/10 after each"
new; run "6 days ago 07:00" 5k 30:00; run "1 day ago 07:00" 10k 60:00; show "a second run ever, twice the first"
new; tens 18; run "1 day ago 07:00" 18k 1:48:00; pain "1 day ago 10:00" 1 --run last; show "an 18 km run after the 10 km runs"
new; tens 18; run "1 day ago 07:00" 8k 48:00; pain "1 day ago 09:00" 4 --run last; show "4/10 after yesterday's run"
new; tens 18; run "1 day ago 07:00" 8k 48:00; pain "1 day ago 09:00" 6 --run last; show "6/10 after yesterday's run"
new; tens 18; pain "2 days ago 05:00" 1; run "2 days ago 07:00" 8k 48:00; pain "1 day ago 07:00" 2 --run last --when next-day
show "next-day 2/10 after a run, 1/10 before it"
new; tens 18; pain "5 days ago 20:00" 3; run "20 hours ago" 8k 48:00; show "no entry for the last run, 3/10 five days ago"
new; tens 18; run "3 hours ago" 6k 36:00; pain "160 minutes ago" 4 --when during --run last; show "4/10 during today's run"
new; tens 40; run "22 days ago 07:00" 21.1k 2:06:00; pain "22 days ago 10:00" 9 --run last
show "9/10 after a 21.1 km run, then three silent weeks"
new; tens 40; pain "16 days ago 10:00" 8; pain "2 days ago 10:00" 4; pain "1 day ago 10:00" 4
show "8/10 16 days ago, 4/10 on each of the last two days"
new; tens 45; show "a month without a run, no pain"
new; tens 45; run "28 days ago 07:00" 21.1k 2:06:00; pain "28 days ago 10:00" 8 --run last; pain "27 days ago 10:00" 4
pain "25 days ago 10:00" 1; show "8/10 after a 21.1 km run, settled, then four weeks off"
new; tens 18; pain "2 hours ago" 3 --symptom fever; show "fever logged today (urgent)"
new; tens 18; pain "2 hours ago" 2 --symptom saddle-numbness; show "saddle numbness logged today (emergency)"
new; "$L" config set age 40 >/dev/null; tens 18; pain "2 hours ago" 2 --symptom leg-numbness
show "numbness down one leg at 40 (soon)"
new; "$L" config set age 40 >/dev/null; tens 18; pain "3 days ago 10:00" 1 --symptom fever; "$L" redflags --seen >/dev/null
show "that fever, seen by a clinician"
new; "$L" demo >/dev/null; show "the 12-week demo (\`lumbar demo\`)"
