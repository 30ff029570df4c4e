#!/usr/bin/env bash
# Location-allocation side by side: sozmon (LocationAllocation: exact through GLPK, the heuristic with its Lagrangian
# bound) and PySAL spopt.locate (PuLP with CBC, the peer's only way: exact) on the same generated points (R2 sequences
# in a 30 km square, weights 1…1000, 10 sites, MCLP radius 1 500 m), end to end from the points (cost matrix, model,
# solve), median of the repetitions, and each process's peak memory (GNU time's maximum resident set). spopt is stopped
# after SOZMON_PEER_LIMIT seconds (default 600).
#
#   Benchmarks/locate_compare.sh        # writes Benchmarks/locate-results.md and prints it
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
"$root/scripts/bootstrap"
source "$here/peers/venv.sh"
(cd "$root" && swift build -c release --product SozmonTimings >/dev/null)
timings="$root/.build/release/SozmonTimings"
limit="${SOZMON_PEER_LIMIT:-600}"
out="$here/locate-results.md"
{
    echo "# Location-allocation: sozmon and spopt.locate"
    echo
    echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); spopt $("$py" -c 'import spopt; print(spopt.__version__)'), PuLP $("$py" -c 'import pulp; print(pulp.__version__)') with CBC; GLPK $(dpkg-query -W -f='${Version}' libglpk-dev)."
    echo
    echo "| problem | demand × candidates | sozmon exact (s, MB) | sozmon heuristic (s, MB) | heuristic gap to its bound | heuristic vs exact objective | spopt (s, MB) | spopt / sozmon exact | spopt / heuristic |"
    echo "|---|---|---|---|---|---|---|---|---|"
} > "$out"
mem="$(mktemp)"
peak() { /usr/bin/time -f "%M" -o "$mem" "$@"; }  # runs a command; its peak memory (KB) lands in $mem
row() {  # problem size repetitions exact(yes/no)
    local p=$1 size=$2 r=$3 exact=$4 e="null" h s em=0 hm sm=0
    if [ "$exact" = yes ]; then e=$(peak "$timings" "locate_${p}_exact" "$size" "$r"); em=$(cat "$mem"); fi
    h=$(peak "$timings" "locate_${p}_heuristic" "$size" "$r"); hm=$(cat "$mem")
    if ! s=$(peak timeout "$limit" "$py" "$here/peers/locate.py" "locate_${p}_exact" "$size" "$r"); then s="null"; fi
    sm=$(tail -1 "$mem")
    "$py" - "$p" "$size" "$e" "$h" "$s" "$limit" "$em" "$hm" "$sm" >> "$out" <<'PY'
import json, sys
p, size, e, h, s, limit = sys.argv[1], sys.argv[2], *(json.loads(a) for a in sys.argv[3:6]), sys.argv[6]
em, hm, sm = (int(v) // 1024 if v.isdigit() else 0 for v in sys.argv[7:10])
f = lambda x: "%.3f" % x
es = e["seconds"] if e else None
spopt = f"{f(s['seconds'])}, {sm}" if s else f"stopped after {limit}"
ratio = lambda a, b: ("%.1f×" % (a / b)) if a and b else "–"
agree = "–" if not e else "%.2e" % (abs(h["check"] - e["check"]) / abs(e["check"]))
peer_agree = "" if not (s and e) else (" (objectives equal)" if abs(s["check"] - e["check"]) <= 1e-6 * abs(e["check"]) else " (objectives differ: %s vs %s)" % (s["check"], e["check"]))
print(f"| {p} | {size.replace('x', ' × ')} | {f(es) + ', ' + str(em) if es else '–'} | {f(h['seconds'])}, {hm} | {'%.2e' % h['quality']} | {agree} | {spopt}{peer_agree} | {ratio(s['seconds'] if s else None, es)} | {ratio(s['seconds'] if s else None, h['seconds'])} |")
PY
}
row mclp 1000x100 3 yes
row pmedian 200x50 3 yes
row pmedian 400x100 1 yes
row mclp 10000x1000 1 yes
row pmedian 10000x1000 1 no
cat "$out"
