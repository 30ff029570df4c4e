#!/usr/bin/env bash
# Side by side: sozmon and its Python peers on the same generated data, in one run, alternating, medians, ratios.
#
#   Benchmarks/compare.sh            # sizes up to 10^5 areas (a few minutes)
#   Benchmarks/compare.sh --large    # adds 10^6 areas (several GB of disk, tens of minutes)
#
# Writes Benchmarks/results.md (and notebooks-exports/benchmarks.md) and prints it; then the whole edition side by
# side with the Python pipeline (pipeline_compare.sh → Benchmarks/pipeline-results.md). A peer that needs longer than
# SOZMON_PEER_LIMIT seconds (default 600) for an operation is stopped and marked as such, not waited for. sozmon runs with the
# environment as it is; numpy ships its own OpenBLAS, so OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE (set on some machines for
# the system OpenBLAS) are unset for the Python peers only, and threadpoolctl's view of their BLAS is recorded.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
large=0; [ "${1:-}" = "--large" ] && large=1
reps=5
work="${SOZMON_BENCH_DATA:-$here/.data}"
mkdir -p "$work"

"$root/scripts/bootstrap"
source "$here/peers/venv.sh"
(cd "$root" && swift build -c release --product sozmon >/dev/null)
(cd "$root" && swift build -c release --product SozmonTimings >/dev/null)
sozmon="$root/.build/release/sozmon"
timings="$root/.build/release/SozmonTimings"

sizes=(542 10000 100000); [ $large = 1 ] && sizes+=(1000000)
for n in "${sizes[@]}"; do
    if [ ! -f "$work/city-$n/indicators_annual.csv" ]; then
        rm -rf "$work/city-$n"
        "$sozmon" generate --areas "$n" --periods 2015..2024 --quarters 2024Q1..2024Q1 --seed 1 --out "$work/city-$n" --quiet >/dev/null
    fi
done

results="$work/results.jsonl"; : > "$results"
limit="${SOZMON_PEER_LIMIT:-600}"  # seconds a peer may take for all repetitions of one operation
measure() {  # operation argument label [repetitions] [peer limit in seconds]
    local s p r="${4:-$reps}" l="${5:-$limit}"
    s=$("$timings" "$1" "$2" "$r")
    if ! p=$(timeout "$l" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$py" "$here/peers/peers.py" "$1" "$2" "$r"); then
        p=$(printf '{"operation": "%s", "seconds": null, "check": null, "timed_out": %s}' "$1" "$l")
    fi
    printf '{"label": "%s", "sozmon": %s, "peer": %s}\n' "$3" "$s" "$p" >> "$results"
}
measure gemm 2000 "dgemm n=2000"
measure axpy 20000000 "axpy y ← 3x + y in place, 2·10^7 doubles (scipy.linalg.blas)"
measure dot 40000000 "dot x · y, 2 × 4·10^7 doubles (640 MB read; numpy)"
measure zscores 1000000 "z-scores 10^6 × 10"
measure ols_trends 100000 "OLS trends (slope, se, p), 10^5 series × 40 quarters (numpy vectorised)"
measure ols_statsmodels 10000 "OLS trends with full inference, 10^4 series × 40 quarters (statsmodels per-series loop)" 1
measure mk_sen 2000 "Mann–Kendall + Sen slope, 2000 series × 40 quarters (pymannkendall)"
measure mk_sen_numpy 100000 "Mann–Kendall + Sen slope, 10^5 series × 40 quarters (vectorised numpy, blocks of 2·10^4 series)"
for n in "${sizes[@]}"; do
    csv="$work/city-$n/indicators_annual.csv"
    measure read_csv "$csv" "CSV → panel, $n areas × 10 years × 8 indicators ($(du -m "$csv" | cut -f1) MB)"
    measure mss_index "$csv" "MSS status index, $n areas"
    measure pca "$csv" "correlation + PCA of 8 indicators, $n areas"
    geojson="$work/city-$n/planungsraeume.geojson"
    if [ -f "$geojson" ]; then
        measure read_geojson "$geojson" "GeoJSON → polygons, $n areas ($(du -m "$geojson" | cut -f1) MB; pyogrio.read_dataframe)"
        measure queen "$geojson" "queen weights from $n polygons (libpysal)"
        measure knn "$geojson" "KNN-6 weights, $n centroids (libpysal)"
        measure local_moran "$geojson" "local Moran, 999 permutations, $n areas (esda)"
        # Unconstrained Ward holds all n(n−1)/2 pairs (10^5 areas: 40 GB): up to 10^4 areas.
        [ "$n" -le 10000 ] && measure ward "$geojson" "unconstrained Ward k = 6, $n areas (scikit-learn)"
        measure ward_regions "$geojson" "contiguity-constrained Ward k = 6, $n areas (scikit-learn)"
        # spopt's SKATER is quadratic per cut (85 s at 10^4 here): one repetition from 10^4, at most 120 s.
        measure skater "$geojson" "SKATER k = 6, $n areas (spopt)" "$([ "$n" -ge 10000 ] && echo 1 || echo "$reps")" 120
        # max-p regions with a floor (spopt's MaxPHeuristic, its defaults; 27 s at 542 areas in the issue): up to 10^4.
        [ "$n" -le 10000 ] && measure max_p "$geojson" "max-p regions, floor 20 (floor values 1…5), $n areas (spopt MaxPHeuristic)" \
            "$([ "$n" -ge 10000 ] && echo 1 || echo 3)" 300
    fi
done
hotspot_map="$work/city-100000/planungsraeume.geojson"
measure hotspots "$hotspot_map" "emerging hot spots, 10^5 areas × 24 quarters, window 1, normal p (vectorised numpy + scipy.sparse)" 3
measure hotspots_permutations "$hotspot_map" "emerging hot spots, 10^5 areas × 24 quarters, 199 conditional permutations (numpy in blocks)" 1
measure standardise_index 1000000 "z-scores + MSS index + classes, 10^6 areas × 10 periods × 8 indicators (numpy)" 3
measure kmeans 100000 "k-means k = 8, 10 restarts, 10^5 × 10 (scikit-learn)"
if [ $large = 1 ]; then
    measure kmeans 1000000 "k-means k = 8, 10 restarts, 10^6 × 10 (scikit-learn)" 1
    measure zscores 10000000 "z-scores 10^7 × 10 (800 MB)" 1
    measure ols_trends 1000000 "OLS trends (slope, se, p), 10^6 series × 40 quarters (numpy vectorised)" 1
    measure mk_sen 1000000 "Mann–Kendall + Sen slope, 10^6 series × 40 quarters (pymannkendall)" 1
    measure global_moran_edges "$work/city-1000000/neighbours.csv" "global Moran, 999 permutations, 10^6 areas from a neighbour list (numpy/scipy, 64 permutations per sparse product)" 1
    measure local_moran_edges "$work/city-1000000/neighbours.csv" "local Moran, 999 permutations, 10^6 areas from a neighbour list (esda)" 1
fi

"$py" "$here/peers/summarize.py" "$results" "$here/results.md"
# The whole edition against the same edition written in Python (Benchmarks/pipeline-results.md).
SOZMON_PEER_PYTHON="$py" "$here/pipeline_compare.sh" 10000 100000
mkdir -p "$root/notebooks-exports"
cp "$here/results.md" "$root/notebooks-exports/benchmarks.md"
