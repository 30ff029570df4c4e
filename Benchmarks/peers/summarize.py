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
    if s["operation"] == "kmeans":  # different restarts reach different local optima: compare the inertia
        agree = s["check"] <= p["check"] * (1 + 1e-9)
        verdict = f"{'inertia no worse' if agree else 'inertia WORSE'} ({s['check']:.6g} vs {p['check']:.6g})"
    else:
        agree = abs(s["check"] - p["check"]) <= 1e-6 * max(1.0, abs(p["check"]))
        verdict = f"{'yes' if agree else 'NO'} ({s['check']:.6g} vs {p['check']:.6g})"
    out.append(f"| {r['label']} | {fmt(s['seconds'])} | {fmt(p['seconds'])} | {p['seconds']/s['seconds']:.2f} | {verdict} |")
rows = [r for r in rows if not r["peer"].get("timed_out")]
g = next(r for r in rows if r["sozmon"]["operation"] == "gemm")
t = next(r for r in rows if r["sozmon"]["operation"] == "axpy")
z = next(r for r in rows if r["sozmon"]["operation"] == "zscores")
flops = 2 * 2000**3
bandwidth = 3 * 8 * 2e7 / min(t["peer"]["seconds"], t["sozmon"]["seconds"])
out += ["", f"Physical limits in the same run: dgemm {flops/g['sozmon']['seconds']/1e9:.0f} GFLOP/s (sozmon, system OpenBLAS: "
        f"{g['sozmon']['blas']}), {flops/g['peer']['seconds']/1e9:.0f} GFLOP/s (numpy: {g['peer']['blas']}); "
        f"memory bandwidth by in-place axpy (3 × 8 bytes per element) ≈ {bandwidth/1e9:.1f} GB/s.",
        f"z-scores of 10^6 × 10 into a new matrix move at least 4 × 80 MB (two reading passes, a copy and the "
        f"rewrite): sozmon {320e6/z['sozmon']['seconds']/1e9:.1f} GB/s = {320e6/z['sozmon']['seconds']/bandwidth*100:.0f} % "
        f"of the axpy bandwidth."]
open(sys.argv[2], "w").write("\n".join(out) + "\n")
print("\n".join(out))
