#!/usr/bin/env bash
# One index edition of a generated city (3 years), single process against a Dask LocalCluster of 2 workers
# (integrations/dask), on this machine: wall time, peak memory, and where the Dask run's time goes.
#
#   Benchmarks/dask.sh 1000000            # areas (default 10^7: ~3 GB of input, ~25 GB of disk in all)
#   Benchmarks/dask.sh 10000000 --report  # only the comparison and the table, from the runs already made
#   Benchmarks/dask.sh 1000000 --full     # the edition with [spatial] (999 permutations) and [trends]/[quarters]
#                                         # (4 methods, 8 quarters) as well: Benchmarks/dask-full-results.md
#
# Writes Benchmarks/dask-results.md. Needs .venv-dask (scripts/dask-test makes it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
n="${1:-10000000}"
report_only=0; [ "${2:-}" = "--report" ] && report_only=1
full=0; [ "${2:-}" = "--full" ] && full=1
parts="${SOZMON_DASK_PARTS:-8}"
work="${SOZMON_BENCH_DATA:-$here/.data}/dask-$n$([ $full = 1 ] && echo -full || true)"
results="$here/dask-results.md"; [ $full = 1 ] && results="$here/dask-full-results.md"
venv="$root/.venv-dask"
[ -x "$venv/bin/python" ] || { echo "run scripts/dask-test first (it makes .venv-dask)" >&2; exit 1; }
"$venv/bin/pip" install -q --no-deps "$root/integrations/dask"
(cd "$root" && swift build -c release --product sozmon >/dev/null)
sozmon="$root/.build/release/sozmon"
city="$work/city"
if [ ! -f "$city/index.toml" ]; then  # the generated index edition (status, dynamics, Gesamtindex; CSV)
    rm -rf "$work"; mkdir -p "$work"
    quarters=2024Q1..2024Q1; [ $full = 1 ] && quarters=2023Q1..2024Q4
    "$sozmon" generate --areas "$n" --periods 2022..2024 --quarters "$quarters" --seed 1 --out "$city" --quiet >/dev/null
    if [ $full = 1 ]; then  # queen from the polygons (to 250 000 areas), else the generated rook neighbour list
        printf '\n[spatial]\nvariables = ["status_value", "S4"]\npermutations = 999\nseed = 1\n' >> "$city/index.toml"
        printf '\n[trends]\ntable = "indicators_quarterly.csv"\nindicators = ["S1", "S4"]\nmethods = ["ols", "mann-kendall", "theil-sen", "seasonal-mann-kendall"]\n\n[quarters]\nindicators = ["S1", "S4"]\n' >> "$city/index.toml"
    fi
fi
if [ $report_only = 0 ]; then
rm -rf "$work/single" "$work/dask"
/usr/bin/time -f "%e %M" -o "$work/time-single.txt" "$sozmon" run "$city/index.toml" --out "$work/single" --quiet
# The tables served over HTTP (--data): the workers read and split them, the client reads none of them.
port=$((20000 + RANDOM % 20000))
(cd "$city" && exec "$venv/bin/python" -m http.server "$port" --bind 127.0.0.1) > "$work/http.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1
/usr/bin/time -f "%e %M" -o "$work/time-dask.txt" "$venv/bin/python" -m sozmon_dask run "$city/index.toml" --parts "$parts" \
    --local 2 --data "http://127.0.0.1:$port/" --out "$work/dask" --sozmon "$sozmon" --work "$work/scratch" \
    --timings "$work/timings.json" >/dev/null 2>"$work/dask-stderr.txt"
rm -rf "$work/scratch"
fi
"$venv/bin/python" "$root/integrations/dask/check_equal.py" "$work/single" "$work/dask" > "$work/equal.txt"
"$venv/bin/python" - "$n" "$parts" "$work" "$results" "$full" <<'PY'
import json, sys, datetime, os
n, parts, work, out, full = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5] == "1"
single_wall, single_kb = map(float, open(f"{work}/time-single.txt").read().split())
dask_wall, _ = map(float, open(f"{work}/time-dask.txt").read().split())
t = json.load(open(f"{work}/timings.json"))
p, tasks = t["phases"], t["sozmon_seconds_in_tasks"]
client = max(t["client_peak_rss_bytes"].values())
single = [k for k in ("split", "gather", "finish") if k in p]  # one task each
passes = [k for k in ("stats1", "stats2", "apply", "spatial") if k in p]
critical = sum(tasks[k] / 2 for k in passes)  # 2 workers busy side by side
phases = sum(p.values())
size = sum(os.path.getsize(f"{work}/city/{f}") for f in os.listdir(f"{work}/city") if f.endswith(".csv")) / 1e9
what = ("; with [spatial] (status value and S4, 999 permutations) and [trends]/[quarters] on 8 quarters (S1, S4; "
        "OLS, Mann-Kendall, Theil-Sen, seasonal Mann-Kendall)") if full else ""
lines = [f"Measured {datetime.date.today()}: {n:,} generated areas × 3 years ({size:.1f} GB of CSV tables), status and "
         f"dynamics index with MSS classes and the Gesamtindex{what}; {parts} parts on a LocalCluster of 2 worker processes "
         f"(1 thread each) on this 2-core machine, the tables served over HTTP from the client's side (`--data`).", "",
         "| run | wall | peak memory |", "|---|---|---|",
         f"| sozmon run (one process) | {single_wall:.1f} s | {single_kb / 1e6:.2f} GB |",
         f"| Dask, 2 local workers | {dask_wall:.1f} s | client {client / 1e9:.2f} GB (its Python process; its only sozmon "
         f"calls are the merges of the moments); per worker: largest sozmon "
         f"task {max(t['worker_peak_rss_bytes']) / 1e9:.2f} GB, the worker's Python process (task results it holds) "
         + ", ".join(f"{b / 1e9:.2f}" for b in t["worker_process_peak_rss_bytes"]) + " GB |", "",
         f"Bytes the workers sent (to each other and to the client): {t['bytes_sent_by_workers'] / 1e9:.2f} GB.", "",
         "Where the Dask run's time goes (s): " + ", ".join(f"{k} {v:.1f}" for k, v in p.items())
         + f"; cluster start and shutdown {dask_wall - phases:.1f}.",
         "sozmon's own work in the tasks: " + ", ".join(f"{k} {tasks[k]:.1f}" for k in single)
         + f" (one task each); the per-part passes {sum(tasks[k] for k in passes):.1f} in all ({critical:.1f} on 2 workers "
         f"side by side). The rest of each phase is Dask's: moving the task's inputs and outputs as bytes, scheduling, "
         f"waiting on the slowest part.", "",
         "Equality (integrations/dask/check_equal.py):", "", "```", open(f"{work}/equal.txt").read().strip(), "```"]
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
