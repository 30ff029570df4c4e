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
/usr/bin/time -f "%e %M" -o "$work/time-dask.txt" "$venv/bin/python" -m sozmon_dask run "$city/index.toml" --parts "$parts" \
    --local 2 --out "$work/dask" --sozmon "$sozmon" --work "$work/scratch" --timings "$work/timings.json" >/dev/null
rm -rf "$work/scratch"
fi
"$venv/bin/python" "$root/integrations/dask/check_equal.py" "$work/single" "$work/dask" > "$work/equal.txt"
"$venv/bin/python" - "$n" "$parts" "$work" "$results" "$full" <<'PY'
import json, sys, datetime, os
n, parts, work, out, full = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5] == "1"
single_wall, single_kb = map(float, open(f"{work}/time-single.txt").read().split())
dask_wall, client_kb = map(float, open(f"{work}/time-dask.txt").read().split())
t = json.load(open(f"{work}/timings.json"))
p, tasks = t["phases"], t["sozmon_seconds_in_tasks"]
local = [k for k in ("split", "merge1", "merge2", "gather", "finish") if k in p]
passes = [k for k in ("stats1", "stats2", "apply", "spatial") if k in p]
critical = sum(tasks[k] / 2 for k in passes)  # 2 workers busy side by side
phases = sum(p.values())
size = os.path.getsize(f"{work}/city/indicators_annual.csv") / 1e9
what = ("; with [spatial] (status value and S4, 999 permutations) and [trends]/[quarters] on 8 quarters (S1, S4; "
        "OLS, Mann-Kendall, Theil-Sen, seasonal Mann-Kendall)") if full else ""
lines = [f"Measured {datetime.date.today()}: {n:,} generated areas × 3 years ({size:.1f} GB of CSV), status and dynamics "
         f"index with MSS classes and the Gesamtindex{what}; {parts} parts on a LocalCluster of 2 worker processes (1 thread "
         f"each) on this 2-core machine.", "",
         "| run | wall | peak memory |", "|---|---|---|",
         f"| sozmon run (one process) | {single_wall:.1f} s | {single_kb / 1e6:.2f} GB |",
         f"| Dask, 2 local workers | {dask_wall:.1f} s | {max(t['worker_peak_rss_bytes']) / 1e9:.2f} GB per worker "
         f"(largest sozmon task); client {client_kb / 1e6:.2f} GB (with split and finish, which run there) |", "",
         "Where the Dask run's time goes (s): " + ", ".join(f"{k} {v:.1f}" for k, v in p.items())
         + f"; cluster start and shutdown {dask_wall - phases:.1f}.",
         f"sozmon's own work: split {p['split']:.1f} (partition IO: the table read and written once more), "
         + ", ".join(f"{k} {p[k]:.1f}" for k in local[1:]) + f" on the client; the passes' tasks {sum(tasks[k] for k in passes):.1f} "
         f"in all ({critical:.1f} on 2 workers side by side). Outside sozmon (Dask's scheduling, task start, waiting on the "
         f"slowest part): {sum(p[k] for k in passes) - critical:.1f} s in the passes, plus the "
         f"cluster's {dask_wall - phases:.1f} s.", "",
         "Equality (integrations/dask/check_equal.py):", "", "```", open(f"{work}/equal.txt").read().strip(), "```"]
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
