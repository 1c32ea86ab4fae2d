#!/usr/bin/env bash
# Times lumbar on a long history beside two personal-log peers and checks the targets of issues 9
# and 17. Prints a Markdown report on stdout.
#
# The peers keep a log the way each is meant to: taskwarrior holds TASKS (20,000) *completed*
# tasks and `task log` adds one more (a finished task, as a run is a finished run); jrnl holds as
# many entries as the lumbar store. Every command runs side by side in one hyperfine run.
#
#   scripts/bench.sh             # 25 years, then growth at 1, 5, 25 and 100 years, then the profile
#   YEARS=25 GROWTH=0 PROFILE=0 scripts/bench.sh
#   MAIN=0 GROWTH=0 scripts/bench.sh   # only the profile
#
# The profile counts instructions under callgrind (repeatable, unlike times on a shared machine)
# for each command, and where `run add`'s go, from a release build that keeps its symbols.
#
# Needs: hyperfine, taskwarrior and GNU time (apt-get install hyperfine taskwarrior time),
# jrnl (pip install jrnl), python3; for the profile, valgrind (apt-get install valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

need() { command -v "$1" >/dev/null 2>&1 || { echo "missing $1: $2" >&2; exit 1; }; }
need hyperfine "apt-get install hyperfine"
need task "apt-get install taskwarrior"
need jrnl "pip install jrnl"
[ -x /usr/bin/time ] || { echo "missing /usr/bin/time: apt-get install time" >&2; exit 1; }

YEARS=${YEARS:-25}
GROWTH=${GROWTH:-1}
RUNS=${RUNS:-20}
TASKS=${TASKS:-20000}
PROFILE=${PROFILE:-1}
MAIN=${MAIN:-1}
cargo build --release --locked --quiet
L=$PWD/target/release/lumbar
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

make_lumbar() { # years [tag] -> data dir
  local dir="$W/lumbar-$1${2:-}"
  "$L" --data-dir "$dir" demo --weeks $(( $1 * 52 )) --seed 1 -q >/dev/null
  echo "$dir"
}

entries() { # data dir -> runs + pain entries
  python3 - "$1/lumbar.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(len(d["runs"]) + len(d["pain"]))
PY
}

# --- the peers: a taskwarrior log of completed tasks, a journal as long as the store ----------
make_peers() { # journal entries, tasks
  local n=$1 tasks=$2
  mkdir -p "$W/task" "$W/cfg/jrnl"
  export TASKRC="$W/taskrc" TASKDATA="$W/task" XDG_CONFIG_HOME="$W/cfg"
  printf 'data.location=%s\nconfirmation=off\nverbose=nothing\nhooks=off\nnews.version=2.6.2\n' "$W/task" > "$TASKRC"
  python3 - "$n" "$W" "$tasks" <<'PY'
import datetime, json, sys, uuid
n, w, tasks = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
start = datetime.datetime(2001, 1, 1, 7, 0)
# What `task log` writes: a task that is already done, entered and ended at once.
with open(f"{w}/tasks.json", "w") as f:
    for i in range(tasks):
        t = (start + datetime.timedelta(hours=12 * i)).strftime("%Y%m%dT%H%M%SZ")
        f.write(json.dumps({"uuid": str(uuid.UUID(int=i + 1)), "status": "completed", "entry": t, "end": t,
                            "modified": t, "description": f"ran {5 + i % 10} km on the trail, back a little stiff"}) + "\n")
with open(f"{w}/journal.txt", "w") as f:
    for i in range(n):
        t = (start + datetime.timedelta(hours=12 * i)).strftime("%Y-%m-%d %H:%M")
        f.write(f"[{t}] Ran {5 + i % 10} km on the trail.\nBack a little stiff afterwards.\n\n")
PY
  task import "$W/tasks.json" >/dev/null 2>&1
  local logged
  logged=$(task status:completed count 2>/dev/null)
  [ "$logged" = "$tasks" ] || { echo "taskwarrior holds $logged completed tasks, not $tasks" >&2; exit 1; }
  cat > "$W/cfg/jrnl/jrnl.yaml" <<YAML
colors: {body: none, date: none, tags: none, title: none}
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: false
indent_character: '|'
journals:
  default:
    journal: $W/journal.txt
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%Y-%m-%d %H:%M'
version: v4.6
YAML
  jrnl -n 1 >/dev/null 2>&1 </dev/null || true
}

peak_kb() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null </dev/null | tail -n 1; }

summarise() { # hyperfine json, store dir
  python3 - "$1" "$2" "$3" <<'PY'
import json, os, statistics, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
store = os.path.getsize(os.path.join(sys.argv[2], "lumbar.json"))
mem = dict(line.rstrip("\n").split("\t") for line in open(sys.argv[3]))
med = {k: statistics.median(v["times"]) * 1000 for k, v in res.items()}
print("| command | median ms | peak RSS MiB |")
print("|---|---:|---:|")
for k in res:
    kb = mem.get(k)
    print(f"| `{k}` | {med[k]:.1f} | {int(kb) / 1024:.1f} |" if kb else f"| `{k}` | {med[k]:.1f} | |")
def ratio(a, b): return med[a] / med[b]
print()
print(f"Store on disk: {store / 1048576:.1f} MiB; 3x that is {3 * store / 1048576:.1f} MiB.")
print()
print("| target | measured | met |")
print("|---|---:|---|")
checks = [
    ("run add", "task log", 2.0, "at most 2x task log"),
    ("pain add", "task log", 2.0, "at most 2x task log"),
    ("run list", "jrnl -n 5", 1 / 20, "at most 1/20 of jrnl -n 5"),
    ("coach", "jrnl -n 5", 1 / 20, "at most 1/20 of jrnl -n 5"),
    ("stats", "jrnl -n 5", 1 / 20, "at most 1/20 of jrnl -n 5"),
]
for a, b, limit, text in checks:
    r = ratio(a, b)
    print(f"| `{a}` {text} | {r:.3f}x | {'yes' if r <= limit else 'NO'} |")
worst = max(int(v) * 1024 for k, v in mem.items() if not k.startswith(("task", "jrnl")))
print(f"| lumbar peak memory at most 3x the store | {worst / store:.2f}x | {'yes' if worst <= 3 * store else 'NO'} |")
PY
}

# --- the main comparison ---------------------------------------------------------------------
D=$(make_lumbar "$YEARS")
N=$(entries "$D")
make_peers "$N" "$TASKS"
cd "$W"
declare -A CMD=(
  ["lumbar --version"]="$L --version"
  ["run add"]="$L --data-dir $D run add 5k 25:00 --no-warmup --no-stretch --surface trail"
  ["run list"]="$L --data-dir $D run list --limit 10"
  ["pain add"]="$L --data-dir $D pain add 2 --when after"
  ["shoes"]="$L --data-dir $D shoes"
  ["coach"]="$L --data-dir $D coach"
  ["stats"]="$L --data-dir $D stats"
  ["task log"]="task log ran 5 km on the trail"
  ["jrnl -n 5"]="jrnl -n 5"
  ["jrnl add"]="jrnl today: Ran 5 km on the trail."
)
ORDER=("lumbar --version" "run add" "run list" "pain add" "shoes" "coach" "stats" "task log" "jrnl -n 5" "jrnl add")
if [ "$MAIN" = 1 ]; then
  args=()
  : > "$W/mem.tsv"
  for k in "${ORDER[@]}"; do
    args+=(-n "$k" "${CMD[$k]}")
    # shellcheck disable=SC2086
    printf '%s\t%s\n' "$k" "$(peak_kb ${CMD[$k]})" >> "$W/mem.tsv"
  done
  echo "## lumbar beside taskwarrior and jrnl ($YEARS years: $N runs and pain entries; $TASKS completed tasks; $N journal entries)"
  echo
  echo "$(date -u '+%Y-%m-%d'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(task --version | head -1 | sed 's/^/taskwarrior /'), $(jrnl --version 2>/dev/null | head -1), hyperfine $(hyperfine --version | cut -d' ' -f2)"
  echo
  hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$W/main.json" "${args[@]}" >/dev/null 2>&1 </dev/null
  summarise "$W/main.json" "$D" "$W/mem.tsv"
fi

# --- growth: the same lumbar timings at 1, 5, 25 and 100 years -------------------------------
if [ "$GROWTH" = 1 ]; then
  echo
  echo "## Growth"
  echo
  echo "| years | runs + pain | store MiB | run add ms | run list ms | coach ms | stats ms |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  for y in 1 5 25 100; do
    G=$(make_lumbar "$y" -growth)
    n=$(entries "$G")
    hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$W/g.json" \
      -n add "$L --data-dir $G run add 5k 25:00 --no-warmup --no-stretch" \
      -n list "$L --data-dir $G run list --limit 10" \
      -n coach "$L --data-dir $G coach" \
      -n stats "$L --data-dir $G stats" >/dev/null 2>&1 </dev/null
    python3 - "$W/g.json" "$y" "$n" "$G/lumbar.json" <<'PY'
import json, os, statistics, sys
r = {x["command"]: statistics.median(x["times"]) * 1000 for x in json.load(open(sys.argv[1]))["results"]}
mib = os.path.getsize(sys.argv[4]) / 1048576
print(f"| {sys.argv[2]} | {sys.argv[3]} | {mib:.1f} | {r['add']:.1f} | {r['list']:.1f} | {r['coach']:.1f} | {r['stats']:.1f} |")
PY
  done
fi

# --- profile: instructions per command, and where run add's go --------------------------------
if [ "$PROFILE" = 1 ]; then
  need valgrind "apt-get install valgrind"
  ( cd "$ROOT" && CARGO_PROFILE_RELEASE_STRIP=false CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
      cargo build --release --locked --quiet --target-dir target/profile )
  P=$ROOT/target/profile/release/lumbar
  count() { # label, command... -> "label<TAB>instructions"
    local label=$1; shift
    local n
    # Children too (jrnl starts through a shell shim); every process's count is added up.
    n=$(valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null </dev/null |
      awk '/refs:/ { gsub(",", "", $NF); n += $NF } END { printf "%d\n", n }')
    printf '%s\t%s\n' "$label" "$n"
  }
  fresh() { rm -rf "$W/prof"; cp -r "$D" "$W/prof"; }
  : > "$W/counts.tsv"
  for c in "run add|run add 5k 25:00 --no-warmup --no-stretch --surface trail" "pain add|pain add 2 --when after" \
           "run list|run list --limit 10" "coach|coach" "stats|stats"; do
    fresh
    # shellcheck disable=SC2086
    count "${c%%|*}" "$P" --data-dir "$W/prof" ${c#*|} >> "$W/counts.tsv"
  done
  count "task log" task log ran 5 km on the trail >> "$W/counts.tsv"
  count "jrnl -n 5" jrnl -n 5 >> "$W/counts.tsv"
  fresh
  valgrind --tool=callgrind --callgrind-out-file="$W/cg.add" "$P" --data-dir "$W/prof" \
    run add 5k 25:00 --no-warmup --no-stretch --surface trail >/dev/null 2>&1 </dev/null
  callgrind_annotate --inclusive=yes --threshold=100 "$W/cg.add" > "$W/cg.txt" 2>/dev/null
  echo
  echo "## Profile (instructions under callgrind)"
  echo
  python3 - "$W/counts.tsv" "$W/cg.txt" <<'PY'
import re, sys
counts = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
ins = {k: int(v) for k, v in counts}
print("| command | instructions | x task log |")
print("|---|---:|---:|")
for k, v in ins.items():
    print(f"| `{k}` | {v / 1e6:.1f} M | {v / ins['task log']:.1f} |")
# Inclusive counts of the functions that matter, each as a share of the whole `run add`.
text = open(sys.argv[2]).read()
total = int(re.search(r"([\d,]+) \(100\.0%\)\s+PROGRAM TOTALS", text).group(1).replace(",", ""))
def inclusive(pattern):
    best = 0
    # A function's own line ("N (x%)  file:name [binary]") or a call to it ("N (x%)  => file:name (1x)").
    for m in re.finditer(r"^\s*([\d,]+) \([\d. ]+%\)\s+(?:=> )?\S*" + pattern + r" [\[(]", text, re.M):
        best = max(best, int(m.group(1).replace(",", "")))
    return best
parts = [
    ("reading the store (`Store::read`)", [r"lumbar::store::Store::read"]),
    ("writing it (`Store::write_atomically`)", [r"lumbar::store::Store::write_atomically"]),
    ("the coach's decision and flags (`decide_now`, `entry::flags_after`)",
     [r"lumbar::rules::decision::decide_now", r"lumbar::rules::entry::flags_after"]),
    ("inside the write: escaping JSON strings", [r"serde_json::ser::format_escaped_str_contents"]),
    ("inside the write: writing times (`timefmt::serialize_stored`)", [r"lumbar::model::timefmt::serialize_stored"]),
]
print()
print(f"Where `run add`'s {total / 1e6:.0f} M instructions go (the syncs to disk are system calls, which")
print("callgrind does not count):")
print()
print("| part | instructions | share |")
print("|---|---:|---:|")
for label, patterns in parts:
    n = sum(inclusive(re.escape(p)) for p in patterns)
    print(f"| {label} | {n / 1e6:.1f} M | {100 * n / total:.1f} % |")
PY
fi
