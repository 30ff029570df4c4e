#!/usr/bin/env bash
# The whole edition side by side: `sozmon run` against the same edition written in Python (Benchmarks/peers/
# pipeline.py: pandas, vectorised numpy, libpysal, esda with warm numba, scikit-learn) on the same generated city,
# same scope (index, trends, quarter comparisons, spatial statistics with 999 permutations, clusterings; CSV out; no
# profiles, no supply, no SKATER: spopt's takes minutes from 10⁴ areas; compare.sh times it on its own). Wall time of
# each process and its peak memory (GNU time); numba's compile time reported on its own; check sums compared.
#
#   Benchmarks/pipeline_compare.sh [SIZES…]     # default 10000 100000; writes Benchmarks/pipeline-results.md
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
work="${SOZMON_BENCH_DATA:-$here/.data}"
py="${SOZMON_PEER_PYTHON:-$here/.venv-peers/bin/python}"
sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000)
reps="${SOZMON_PIPELINE_REPS:-3}"
(cd "$root" && swift build -c release --product sozmon >/dev/null)
sozmon="$root/.build/release/sozmon"
results="$work/pipeline.jsonl"; : > "$results"
for n in "${sizes[@]}"; do
    city="$work/e2e-$n"
    [ -f "$city/sozialindex.toml" ] || { rm -rf "$city"; "$sozmon" generate --areas "$n" --seed 7 --out "$city" --quiet >/dev/null; }
    # The same scope for sozmon: what pipeline.py computes — no [profiles], [supply], [similar] or [hotspots], no
    # SKATER or max-p (with its floor) — CSV only.
    python3 - "$city/sozialindex.toml" "$city/scope.toml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for section in ("profiles", "supply", "similar", "hotspots"):
    text = re.sub(r"\n\[" + section + r"\]\n(?:(?!\n\[).)*", "\n", text, flags=re.S)
text = re.sub(r"^formats = .*$", 'formats = ["csv"]', text, flags=re.M)
text = re.sub(r"^floor(_variable)? = .*\n", "", text, flags=re.M)
text = text.replace(', "skater"', "").replace(', "max-p"', "")
open(sys.argv[2], "w").write(text)
PY
    for r in $(seq "$reps"); do
        rm -rf "$city/out-sozmon"
        /usr/bin/time -f "%e %M" -o "$city/time-sozmon.txt" "$sozmon" run "$city/scope.toml" --out "$city/out-sozmon" --quiet 2>/dev/null
        rm -rf "$city/out-python"
        /usr/bin/time -f "%e %M" -o "$city/time-python.txt" "$py" "$here/peers/pipeline.py" "$city" "$city/out-python" > "$city/python.json"
        python3 - "$n" "$city" >> "$results" <<'PY'
import json, sys
n, city = sys.argv[1:]
def gnu(path):
    wall, kb = open(path).read().split()
    return float(wall), int(kb) / 2**20
sw, sm = gnu(f"{city}/time-sozmon.txt")
pw, pm = gnu(f"{city}/time-python.txt")
import csv
steps = json.load(open(f"{city}/out-sozmon/run.json"))["timings_seconds"]
peer = json.load(open(f"{city}/python.json"))
areas = list(csv.DictReader(open(f"{city}/out-sozmon/tables/areas.csv")))
moran = [float(r["value"]) for r in csv.DictReader(open(f"{city}/out-sozmon/tables/spatial_global.csv"))
         if r["statistic"] == "moran_i"]
check = {"status_value_abs_sum": sum(abs(float(a["status_value"])) for a in areas if a["status_value"] not in ("", ".")),
         "moran_i": moran}
print(json.dumps({"areas": int(n), "sozmon": {"wall": sw, "memory": sm, "steps": steps, "check": check},
                  "python": {"wall": pw, "memory": pm, **peer}}))
PY
    done
done
python3 - "$results" "$here/pipeline-results.md" <<'PY'
import datetime, json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
out = [f"Measured {datetime.date.today()}; median over the repetitions of each process's wall time (start to exit) and "
       "peak memory (GNU time); ratio = Python / sozmon.", "",
       "| areas | sozmon | peak | Python (process) | Python (edition, numba warm) | numba compile | peak | ratio (process) | ratio (warm edition) | same result |",
       "|---|---|---|---|---|---|---|---|---|---|"]
for n in sorted({r["areas"] for r in rows}):
    rs = [r for r in rows if r["areas"] == n]
    med = lambda f: statistics.median(f(r) for r in rs)
    s, p, warm = med(lambda r: r["sozmon"]["wall"]), med(lambda r: r["python"]["wall"]), med(lambda r: r["python"]["seconds"])
    a, b = rs[-1]["sozmon"]["check"], rs[-1]["python"]["check"]
    same = abs(a["status_value_abs_sum"] - b["status_value_abs_sum"]) <= 1e-6 * b["status_value_abs_sum"] and \
        all(abs(x - y) <= 1e-9 for x, y in zip(a["moran_i"], b["moran_i"]))
    verdict = (f"{'yes' if same else 'NO'} (Σ|status| {a['status_value_abs_sum']:.6g} vs {b['status_value_abs_sum']:.6g}; "
               f"Moran's I {', '.join(f'{x:.6f}' for x in a['moran_i'])} vs {', '.join(f'{y:.6f}' for y in b['moran_i'])})")
    out.append(f"| {n} | {s:.1f} s | {med(lambda r: r['sozmon']['memory']):.2f} GB | {p:.1f} s | "
               f"{warm:.1f} s | {med(lambda r: r['python']['numba_compile_seconds']):.1f} s | "
               f"{med(lambda r: r['python']['memory']):.2f} GB | {p / s:.1f} | {warm / s:.1f} | {verdict} |")
    steps = rs[-1]["python"]["steps"]
    out.append("")
    out.append(f"{n} areas, Python steps (s): " + ", ".join(f"{k} {v:.1f}" for k, v in steps.items()) + "; sozmon steps (s): "
               + ", ".join(f"{k} {v:.1f}" for k, v in sorted(rs[-1]["sozmon"]["steps"].items(), key=lambda kv: -kv[1])
                           if ":" not in k and v >= 0.1))
    out.append("")
open(sys.argv[2], "w").write("\n".join(out) + "\n")
print("\n".join(out))
PY
