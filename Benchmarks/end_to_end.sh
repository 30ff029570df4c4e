#!/usr/bin/env bash
# End to end: `sozmon run` on generated cities (`sozmon generate --areas N --seed 7`) with their own configs, once
# with CSV only and once with every format the config can have (CSV, workbook, HTML, and GeoJSON where the city has
# polygons), each run twice; wall time and peak memory from GNU time, the slowest steps from run.json. Prints a
# Markdown table, then compares every step with the figures last recorded on this machine (end_to_end-last.json) and
# names each step whose best time got slower by more than its noise: more than 0.2 s, 20 % of the recorded best time,
# and twice the spread of either pair of runs (this one's, the recorded one's). Exit status 1 when one did. Not run in CI (a regression guard to run by hand
# before closing an issue that adds a method).
#
#   Benchmarks/end_to_end.sh                    # 10^4 and 10^5 areas
#   Benchmarks/end_to_end.sh 10000 1000000      # any sizes (10^6: 2.5 GB of input, ~4 minutes a run, CSV only)
#   SOZMON_BENCH_RECORD=1 Benchmarks/end_to_end.sh   # and record these figures as the new reference
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
work="${SOZMON_BENCH_DATA:-$here/.data}"
sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000)
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
(cd "$root" && swift build -c release --product sozmon >/dev/null)
sozmon="$root/.build/release/sozmon"
mkdir -p "$work"
runs="$work/e2e-runs.jsonl"; : > "$runs"
for n in "${sizes[@]}"; do
    city="$work/e2e-$n"
    [ -f "$city/sozialindex.toml" ] || { rm -rf "$city"; "$sozmon" generate --areas "$n" --seed 7 --out "$city" --quiet >/dev/null; }
    formats=('["csv"]')
    # Beyond 10^5 areas the city is a neighbour list (no polygons) and the workbook would need 12+ sheets per table.
    [ "$n" -le 100000 ] && formats+=('["csv", "xlsx", "html", "geojson"]')
    for f in "${formats[@]}"; do
        sed "s/^formats = .*/formats = $f/" "$city/sozialindex.toml" > "$city/bench.toml"
        [ -f "$city/planungsraeume.geojson" ] || sed -i 's/, "geojson"//' "$city/bench.toml"
        for _ in 1 2; do
            out="$city/out"; rm -rf "$out"
            /usr/bin/time -f "%e %M" -o "$city/time.txt" "$sozmon" run "$city/bench.toml" --out "$out" --quiet 2>/dev/null
            read -r wall kb < "$city/time.txt"
            python3 -c 'import json, sys; t = json.load(open(sys.argv[1]))["timings_seconds"]
print(json.dumps({"case": f"{sys.argv[2]} {sys.argv[3]}", "wall": float(sys.argv[4]), "kb": int(sys.argv[5]), "steps": t}))' \
                "$out/run.json" "$n" "$(echo "$f" | tr -d '[]"')" "$wall" "$kb" >> "$runs"
            rm -rf "$out"
        done
    done
done
python3 - "$runs" "$here/end_to_end-last.json" "${SOZMON_BENCH_RECORD:-0}" "$(git -C "$root" rev-parse --short HEAD)" <<'PY'
import json, sys, datetime, os
runs_path, record_path, record, commit = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]
cases = {}
for line in open(runs_path):
    run = json.loads(line)
    cases.setdefault(run["case"], []).append(run)
now = {}
print("| areas | formats | wall (best of 2) | peak memory | slowest steps (run.json, s) |")
print("|---|---|---|---|---|")
for case, runs in cases.items():
    steps = {k: [r["steps"][k] for r in runs if k in r["steps"]] for k in runs[0]["steps"]}
    now[case] = {"wall": [r["wall"] for r in runs], "kb": max(r["kb"] for r in runs),
                 "steps": {k: v for k, v in steps.items() if ":" not in k and "waited" not in k}}
    top = sorted(((min(v), k) for k, v in now[case]["steps"].items()), reverse=True)[:5]
    n, formats = case.split(" ", 1)
    print(f"| {n} | {formats} | {min(now[case]['wall']):.1f} s | {now[case]['kb'] / 2**20:.2f} GB | "
          + ", ".join(f"{k} {v:.1f}" for v, k in top) + " |")
last = json.load(open(record_path)) if os.path.exists(record_path) else {}
slower = []
for case, figures in now.items():
    before = last.get("cases", {}).get(case)
    if not before:
        continue
    for step, times in [("wall", figures["wall"])] + list(figures["steps"].items()):
        old = before["wall"] if step == "wall" else before["steps"].get(step)
        if old is None:
            continue
        noise = max(0.2, 0.2 * min(old), 2 * (max(times) - min(times)), 2 * (max(old) - min(old)))
        if min(times) > min(old) + noise:
            slower.append(f"{case}: {step} {min(old):.2f} → {min(times):.2f} s (noise {noise:.2f} s)")
if last:
    print(f"\nAgainst {last['commit']} ({last['date']}):", "no step slower than its noise" if not slower else "")
    for line in slower:
        print("slower:", line)
if record:
    json.dump({"commit": commit, "date": str(datetime.date.today()), "cases": now}, open(record_path, "w"), indent=1, sort_keys=True)
    print(f"recorded as the reference: {record_path}")
sys.exit(1 if slower else 0)
PY
