#!/usr/bin/env python3
"""Turns the measurements of compare.sh (JSON lines) into the Markdown table of results.md."""
import datetime, json, platform, subprocess, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
def fmt(s): return f"{s*1e3:.1f} ms" if s < 1 else f"{s:.2f} s"
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
out = [f"Measured {datetime.date.today()} on {platform.machine()} ({cpu}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores); "
       f"median of the repetitions; ratio = peer time / sozmon time (> 1: sozmon is faster).", "",
       "| operation | sozmon | peer | ratio | same result (check sums) |", "|---|---|---|---|---|"]
for r in rows:
    s, p = r["sozmon"], r["peer"]
    if p.get("timed_out"):
        limit = p["timed_out"]
        out.append(f"| {r['label']} | {fmt(s['seconds'])} | > {limit} s (stopped) | > {limit / s['seconds']:.0f} | — |")
        continue
    if s["operation"] == "max_p":  # different heuristics: more regions is better, then a lower heterogeneity
        better = s["check"] > p["check"] or (s["check"] == p["check"] and s["quality"] <= p["quality"] * (1 + 1e-9))
        verdict = (f"{'no worse' if better else 'WORSE'}: {s['check']:.0f} vs {p['check']:.0f} regions, heterogeneity "
                   f"{s['quality']:.6g} vs {p['quality']:.6g}")
    elif s["operation"] == "kmeans":  # different restarts reach different local optima: compare the inertia
        agree = s["check"] <= p["check"] * (1 + 1e-9)
        verdict = f"{'inertia no worse' if agree else 'inertia WORSE'} ({s['check']:.6g} vs {p['check']:.6g})"
    else:
        agree = abs(s["check"] - p["check"]) <= 1e-6 * max(1.0, abs(p["check"]))
        verdict = f"{'yes' if agree else 'NO'} ({s['check']:.6g} vs {p['check']:.6g})"
        if s["operation"].startswith("hotspots"):  # Σ τ of the G* series; areas with a pattern (draws differ with permutations)
            verdict += f"; areas with a pattern {s['quality']:.0f} vs {p['quality']:.0f}"
    out.append(f"| {r['label']} | {fmt(s['seconds'])} | {fmt(p['seconds'])} | {p['seconds']/s['seconds']:.2f} | {verdict} |")
rows = [r for r in rows if not r["peer"].get("timed_out")]
g = next(r for r in rows if r["sozmon"]["operation"] == "gemm")
t = next(r for r in rows if r["sozmon"]["operation"] == "axpy")
z = next(r for r in rows if r["sozmon"]["operation"] == "zscores" and r["sozmon"]["argument"] == "1000000")
o = next(r for r in rows if r["sozmon"]["operation"] == "ols_trends" and r["sozmon"]["argument"] == "100000")
flops = 2 * 2000**3
bandwidth = 3 * 8 * 2e7 / min(t["peer"]["seconds"], t["sozmon"]["seconds"])
def fraction(bytes_moved, seconds): return f"{bytes_moved/seconds/1e9:.1f} GB/s = {bytes_moved/seconds/bandwidth*100:.0f} %"
out += ["", f"Physical limits in the same run: dgemm {flops/g['sozmon']['seconds']/1e9:.0f} GFLOP/s (sozmon, system OpenBLAS: "
        f"{g['sozmon']['blas']}), {flops/g['peer']['seconds']/1e9:.0f} GFLOP/s (numpy: {g['peer']['blas']}); "
        f"memory bandwidth by the in-place axpy triad (3 × 8 bytes per element) ≈ {bandwidth/1e9:.1f} GB/s.",
        f"Memory-bound kernels against it (the least traffic each needs): z-scores of 10^6 × 10 into a new matrix, one "
        f"reading pass for the moments and one read and one write for the result (3 × 80 MB): sozmon "
        f"{fraction(240e6, z['sozmon']['seconds'])}, numpy {fraction(240e6, z['peer']['seconds'])}; OLS trends of 10^5 × 40 "
        f"(one read of 32 MB): sozmon {fraction(32e6, o['sozmon']['seconds'])}, numpy {fraction(32e6, o['peer']['seconds'])}."]
d = next(r for r in rows if r["sozmon"]["operation"] == "dot")
reading = 16 * float(d["sozmon"]["argument"]) / min(d["peer"]["seconds"], d["sozmon"]["seconds"])
si = [r for r in rows if r["sozmon"]["operation"] == "standardise_index"]
if si:
    # Per period the z-values need the moments, which need a read of all the data first: two reads of 64 MB at
    # least, and the sum, index and classes written (8 + 8 + 1 MB) with the complete-area flags (1 MB).
    r, least = si[0], 10 * (2 * 64e6 + 18e6)
    def share(seconds): return f"{least/seconds/1e9:.1f} GB/s = {least/seconds/reading*100:.0f} %"
    out.append(f"Reading bandwidth by BLAS ddot over 640 MB: {reading/1e9:.1f} GB/s. Standardising and indexing "
               f"10^6 areas × 10 periods × 8 indicators against it (least traffic: per period one read of the data for "
               f"completeness and moments, a second for the z-values and their sum, which depend on the moments, and "
               f"18 MB of results, 1.46 GB in all; the z-values are not written out): sozmon {share(r['sozmon']['seconds'])}, "
               f"numpy {share(r['peer']['seconds'])}; the least traffic at that rate takes {least/reading*1e3:.0f} ms.")
import os
reads = [r for r in rows if r["sozmon"]["operation"] == "read_csv" and os.path.exists(r["sozmon"]["argument"])]
if reads:
    out.append("Reading CSV into the panel: " + "; ".join(
        f"{os.path.getsize(r['sozmon']['argument'])/1e6:.1f} MB at {os.path.getsize(r['sozmon']['argument'])/1e6/r['sozmon']['seconds']:.0f} MB/s "
        f"(pandas {os.path.getsize(r['sozmon']['argument'])/1e6/r['peer']['seconds']:.0f} MB/s)" for r in reads) + ".")
open(sys.argv[2], "w").write("\n".join(out) + "\n")
print("\n".join(out))
