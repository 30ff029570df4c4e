#!/usr/bin/env bash
# results.gpkg side by side with GDAL: sozmon writes the GeoPackage of the generated city (`sozmon generate --areas N
# --seed 7`, its own config with formats = ["gpkg"]); GDAL (pyogrio, Arrow writing, the same machine, in the same run)
# writes the same layers — every layer and attribute table of sozmon's file, read into memory beforehand — into a new
# GeoPackage. Each side twice, best time. sozmon's figure is its "write: gpkg" step from run.json, which also dissolves
# each level's units into their outlines and makes the QGIS styles (the config without [profiles], so that their pages
# are not written beside it; the CSV tables are); GDAL's is writing alone.
#
#   Benchmarks/gpkg_compare.sh            # 10^5 areas
#   Benchmarks/gpkg_compare.sh 10000
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
n="${1:-100000}"
work="${SOZMON_BENCH_DATA:-$here/.data}"
py="$here/.venv-peers/bin/python"
[ -x "$py" ] || { echo "needs the peers' venv: run Benchmarks/compare.sh once" >&2; exit 1; }
"$py" -c "import pyarrow" 2>/dev/null || "$here/.venv-peers/bin/pip" install -q -r "$here/peers/requirements.txt"
(cd "$root" && swift build -c release --product sozmon >/dev/null)
sozmon="$root/.build/release/sozmon"
city="$work/e2e-$n"
[ -f "$city/sozialindex.toml" ] || { rm -rf "$city"; "$sozmon" generate --areas "$n" --seed 7 --out "$city" --quiet >/dev/null; }
# Without [profiles]: their pages would be written on both cores beside the GeoPackage (the CSV tables still are).
python3 - "$city/sozialindex.toml" "$city/gpkg.toml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
text = re.sub(r"^\[profiles\]\n(?:[^\[\n].*\n|\n)*", "", text, flags=re.M)
open(sys.argv[2], "w").write(re.sub(r"^formats = .*$", 'formats = ["gpkg"]', text, flags=re.M))
PY
best=""
for _ in 1 2; do
    rm -rf "$city/out-gpkg"
    "$sozmon" run "$city/gpkg.toml" --out "$city/out-gpkg" --quiet 2>/dev/null
    t=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["timings_seconds"]["write: gpkg"])' "$city/out-gpkg/run.json")
    best=$(python3 -c "print(min(float('$t'), float('${best:-inf}')))")
done
"$py" - "$city/out-gpkg/results.gpkg" "$best" "$n" <<'PY'
import os, sys, tempfile, time
import pyogrio
source, sozmon_seconds, n = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
layers = [(name, pyogrio.read_dataframe(source, layer=name, use_arrow=True)) for name, _ in pyogrio.list_layers(source)]
rows = sum(len(frame) for _, frame in layers)
best = float("inf")
for _ in range(2):
    with tempfile.TemporaryDirectory() as folder:
        target = os.path.join(folder, "gdal.gpkg")
        start = time.perf_counter()
        for name, frame in layers:
            pyogrio.write_dataframe(frame, target, layer=name, driver="GPKG", use_arrow=True, append=os.path.exists(target))
        best = min(best, time.perf_counter() - start)
        size = os.path.getsize(target)
print(f"| {n} areas: {len(layers)} layers, {rows} rows | sozmon {sozmon_seconds:.2f} s ({os.path.getsize(source) / 1e6:.0f} MB) "
      f"| GDAL {pyogrio.__gdal_version_string__} (pyogrio {pyogrio.__version__}, Arrow) {best:.2f} s ({size / 1e6:.0f} MB) "
      f"| {best / sozmon_seconds:.2f} |")
PY
rm -rf "$city/out-gpkg"
