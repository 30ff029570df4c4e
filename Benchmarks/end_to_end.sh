#!/usr/bin/env bash
# End to end: `sozmon run` on generated cities (`sozmon generate --areas N --seed 7`) with their own configs, once
# with CSV only and once with every format the config can have (CSV, workbook, HTML, and GeoJSON where the city has
# polygons); wall time and peak memory from GNU time, the slowest steps from run.json. Prints a Markdown table.
#
#   Benchmarks/end_to_end.sh                    # 10^4 and 10^5 areas
#   Benchmarks/end_to_end.sh 10000 1000000      # any sizes (10^6: 2.5 GB of input, ~4 minutes, CSV only)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
work="${SOZMON_BENCH_DATA:-$here/.data}"
sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000)
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
(cd "$root" && swift build -c release --product sozmon >/dev/null)
sozmon="$root/.build/release/sozmon"
mkdir -p "$work"
echo "| areas | formats | wall | peak memory | slowest steps (run.json, s) |"
echo "|---|---|---|---|---|"
for n in "${sizes[@]}"; do
    city="$work/e2e-$n"
    [ -f "$city/sozialindex.toml" ] || { rm -rf "$city"; "$sozmon" generate --areas "$n" --seed 7 --out "$city" --quiet >/dev/null; }
    formats=('["csv"]')
    # Beyond 10^5 areas the city is a neighbour list (no polygons) and the workbook would need 12+ sheets per table.
    [ "$n" -le 100000 ] && formats+=('["csv", "xlsx", "html", "geojson"]')
    for f in "${formats[@]}"; do
        sed "s/^formats = .*/formats = $f/" "$city/sozialindex.toml" > "$city/bench.toml"
        [ -f "$city/planungsraeume.geojson" ] || sed -i 's/, "geojson"//' "$city/bench.toml"
        out="$city/out"; rm -rf "$out"
        /usr/bin/time -f "%e %M" -o "$city/time.txt" "$sozmon" run "$city/bench.toml" --out "$out" --quiet 2>/dev/null
        read -r wall kb < "$city/time.txt"
        python3 - "$out/run.json" "$n" "$f" "$wall" "$kb" <<'PY'
import json, sys
path, n, formats, wall, kb = sys.argv[1:]
t = json.load(open(path))["timings_seconds"]
top = sorted(((v, k) for k, v in t.items() if ":" not in k and "waited" not in k), reverse=True)[:5]
print(f"| {n} | {formats.strip('[]').replace(chr(34), '')} | {float(wall):.1f} s | {int(kb) / 2**20:.2f} GB | "
      + ", ".join(f"{k} {v:.1f}" for v, k in top) + " |")
PY
        rm -rf "$out"
    done
done
