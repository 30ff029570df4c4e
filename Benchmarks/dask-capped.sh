#!/usr/bin/env bash
# An edition that does not fit in one process under a memory cap, run over Dask workers each held below that cap
# (issue #30, item 7). The generated city with its index and [spatial] (status value and S4, 999 permutations):
#
#   1. `sozmon run` alone, in a memory cgroup limited to the cap: it must be killed (it does not fit);
#   2. a scheduler and two workers (`dask worker --memory-limit CAP`, each with the sozmon processes it starts in a
#      memory cgroup of its own limited to the cap), the tables served over HTTP from the client's side (`--data`),
#      the client outside any cgroup: wall time, each worker's peak (its Python process and its largest sozmon task),
#      the client's peak, the bytes the workers sent, and whether any process of a worker was killed.
#
#   Benchmarks/dask-capped.sh [AREAS] [CAP_MB]     # default 1000000 areas, 1000 MB; writes Benchmarks/dask-capped-results.md
#
# Needs root and a memory cgroup (v1 or v2), and .venv-dask (scripts/dask-test makes it). Not part of CI.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
n="${1:-1000000}"
cap_mb="${2:-1000}"
parts="${SOZMON_DASK_PARTS:-8}"
work="${SOZMON_BENCH_DATA:-$here/.data}/dask-capped-$n"
venv="$root/.venv-dask"
[ -x "$venv/bin/python" ] || { echo "run scripts/dask-test first (it makes .venv-dask)" >&2; exit 1; }
"$venv/bin/pip" install -q --no-deps "$root/integrations/dask"
(cd "$root" && swift build -c release --product sozmon >/dev/null)
sozmon="$root/.build/release/sozmon"

# The memory cgroup this shell is in (v1: the memory hierarchy; v2: the unified one), where the caps are made.
if [ -d /sys/fs/cgroup/memory ]; then
    version=1; base="/sys/fs/cgroup/memory$(sed -n 's/^[0-9]*:memory://p' /proc/self/cgroup)"
elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    version=2; base="/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)"
else
    echo "dask-capped: no memory cgroup here (needs /sys/fs/cgroup/memory or cgroup v2)" >&2; exit 1
fi
groups=()
make_group() {  # make_group NAME: a cgroup limited to the cap (no swap), its path on stdout
    local group="$base/sozmon-capped-$$-$1"
    mkdir "$group"
    if [ $version = 1 ]; then
        echo $((cap_mb << 20)) > "$group/memory.limit_in_bytes"
        [ -f "$group/memory.memsw.limit_in_bytes" ] && echo $((cap_mb << 20)) > "$group/memory.memsw.limit_in_bytes"
    else
        echo $((cap_mb << 20)) > "$group/memory.max"
        [ -f "$group/memory.swap.max" ] && echo 0 > "$group/memory.swap.max"
    fi
    echo "$group"
}
killed_in() {  # killed_in GROUP: how many processes the kernel killed for want of memory in it
    local file="$1/memory.events"; [ $version = 1 ] && file="$1/memory.oom_control"
    local count; count="$(sed -n 's/^oom_kill //p' "$file")"; echo "${count:-0}"
}
pids=()
cleanup() {
    kill "${pids[@]}" 2>/dev/null || true
    sleep 1
    for group in "${groups[@]}"; do
        for pid in $(cat "$group/cgroup.procs" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
        rmdir "$group" 2>/dev/null || true
    done
}
trap cleanup EXIT

city="$work/city"
if [ ! -f "$city/index.toml" ]; then
    rm -rf "$work"; mkdir -p "$work"
    "$sozmon" generate --areas "$n" --periods 2022..2024 --seed 1 --out "$city" --quiet >/dev/null
    printf '\n[spatial]\nvariables = ["status_value", "S4"]\npermutations = 999\nseed = 1\n' >> "$city/index.toml"
fi
rm -rf "$work/single" "$work/capped" "$work/dask"

# 1. One process, uncapped (its peak) and capped (it must not fit).
/usr/bin/time -f "%e %M" -o "$work/time-single.txt" "$sozmon" run "$city/index.toml" --out "$work/single" --quiet
single_group="$(make_group single)"; groups+=("$single_group")
set +e
sh -c "echo \$\$ > '$single_group/cgroup.procs' && exec '$sozmon' run '$city/index.toml' --out '$work/capped' --quiet" \
    > "$work/capped.txt" 2>&1
single_status=$?
set -e
single_killed="$(killed_in "$single_group")"
[ "$single_status" -ne 0 ] || { echo "dask-capped: sozmon run fits in $cap_mb MB at $n areas; give a smaller cap" >&2; exit 1; }

# 2. A scheduler and two workers, each worker (and the sozmon processes it starts) in a cgroup of its own.
port=$((20000 + RANDOM % 20000))
"$venv/bin/dask" scheduler --host 127.0.0.1 --port "$port" --no-dashboard > "$work/scheduler.log" 2>&1 &
pids+=($!)
worker_groups=()
for w in 1 2; do
    group="$(make_group "worker$w")"; groups+=("$group"); worker_groups+=("$group")
    sh -c "echo \$\$ > '$group/cgroup.procs' && exec '$venv/bin/dask' worker tcp://127.0.0.1:$port --nthreads 1 --no-nanny \
        --memory-limit ${cap_mb}MiB --no-dashboard --local-directory '$work/worker$w'" > "$work/worker$w.log" 2>&1 &
    pids+=($!)
done
http=$((port + 1))
(cd "$city" && exec "$venv/bin/python" -m http.server "$http" --bind 127.0.0.1) > "$work/http.log" 2>&1 &
pids+=($!)
sleep 3
set +e
/usr/bin/time -f "%e %M" -o "$work/time-dask.txt" "$venv/bin/python" -m sozmon_dask run "$city/index.toml" --parts "$parts" \
    --scheduler "tcp://127.0.0.1:$port" --data "http://127.0.0.1:$http/" --out "$work/dask" --sozmon "$sozmon" \
    --timings "$work/timings.json" > /dev/null 2> "$work/dask-stderr.txt"
dask_status=$?
set -e
workers_killed=0; for group in "${worker_groups[@]}"; do workers_killed=$((workers_killed + $(killed_in "$group"))); done
[ "$dask_status" -eq 0 ] || { cat "$work/dask-stderr.txt" >&2; echo "dask-capped: the part run failed under $cap_mb MB per worker (processes killed: $workers_killed)" >&2; exit 1; }
"$venv/bin/python" "$root/integrations/dask/check_equal.py" "$work/single" "$work/dask" > "$work/equal.txt"

"$venv/bin/python" - "$n" "$parts" "$work" "$here/dask-capped-results.md" "$cap_mb" "$single_status" "$single_killed" \
    "$workers_killed" "$version" <<'PY'
import json, sys, datetime, os
n, parts, work, out, cap = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
single_status, single_killed, workers_killed, version = sys.argv[6], sys.argv[7], sys.argv[8], sys.argv[9]
single_wall, single_kb = map(float, open(f"{work}/time-single.txt").read().split())
dask_wall, client_kb = map(float, open(f"{work}/time-dask.txt").read().split())
t = json.load(open(f"{work}/timings.json"))
size = sum(os.path.getsize(f"{work}/city/{f}") for f in os.listdir(f"{work}/city") if f.endswith(".csv")) / 1e9
tasks = ", ".join(f"{k} {v:.1f}" for k, v in t["sozmon_seconds_in_tasks"].items())
lines = [
    f"Measured {datetime.date.today()} (`Benchmarks/dask-capped.sh {n} {cap}`): {n:,} generated areas × 3 years "
    f"({size:.2f} GB of CSV tables), status and dynamics index with MSS classes and the Gesamtindex, `[spatial]` on the "
    f"status value and S4 (999 permutations); this 2-core machine; a memory cap of **{cap} MiB** (cgroup v{version}, no swap).", "",
    "| run | wall | peak memory | under the cap |", "|---|---|---|---|",
    f"| sozmon run, one process | {single_wall:.1f} s | {single_kb / 1e6:.2f} GB | does not fit: exit status {single_status}, "
    f"{single_killed} process killed by the kernel for want of memory |",
    f"| Dask: scheduler, 2 workers (`--memory-limit {cap}MiB`, each worker with its sozmon processes in a cgroup of "
    f"{cap} MiB), {t['parts']} parts | {dask_wall:.1f} s | per worker: Python process "
    + ", ".join(f"{b / 1e9:.2f}" for b in t["worker_process_peak_rss_bytes"])
    + " GB, largest sozmon task " + ", ".join(f"{b / 1e9:.2f}" for b in t["worker_peak_rss_bytes"])
    + f" GB; the client {client_kb / 1e6:.2f} GB | fits: {workers_killed} processes killed |", "",
    f"Bytes the workers sent (to each other and to the client): {t['bytes_sent_by_workers'] / 1e9:.2f} GB. "
    "Where the time goes (s): " + ", ".join(f"{k} {v:.1f}" for k, v in t["phases"].items())
    + f"; sozmon's own work in the tasks: {tasks}.", "",
    "Equality with the uncapped single run (integrations/dask/check_equal.py):", "", "```",
    open(f"{work}/equal.txt").read().strip(), "```", ""]
open(out, "w").write("\n".join(lines))
print("\n".join(lines))
PY
