#!/usr/bin/env python3
"""The edition of a generated city (`sozmon generate`) written as a researcher would in Python: pandas, vectorised
numpy, libpysal, esda and scikit-learn, with the scope of `Benchmarks/compare.sh`'s end-to-end row (index, trends,
quarter comparisons, spatial statistics, k-means and contiguity-constrained Ward; CSV out; no profiles, no supply, no
workbook, no SKATER: spopt's takes minutes from 10⁴ areas, and compare.sh measures it on its own).

Usage: pipeline.py CITY_FOLDER OUT_FOLDER  → one JSON line: seconds per step and in all, numba's
compile time measured on its own (a first call on a tiny input, before the clock starts), and check sums.

Each step uses the strongest form of its library: vectorised numpy for the trends (all series at once), esda's
numba `crand` for the permutation tests (warm: compiled before timing), scikit-learn for k-means and Ward.
"""
import json
import os
import sys
import time
import warnings

import numpy as np


def timed(steps, name, body):
    start = time.perf_counter()
    result = body()
    steps[name] = steps.get(name, 0) + time.perf_counter() - start
    return result


def zscore(x, include):
    m = x[include].mean(axis=0)
    s = x[include].std(axis=0)
    z = (x - m) / s
    z[~include] = np.nan
    return z


def classes(values, bounds, labels, inclusive):
    """The MSS classes: the first class whose upper bound the value stays below (or equals, where inclusive)."""
    out = np.full(values.shape, "", dtype=object)
    assigned = np.isnan(values)
    for bound, label, inc in zip(bounds, labels, inclusive):
        hit = ~assigned & ((values <= bound) if inc else (values < bound))
        out[hit] = label
        assigned |= hit
    out[~assigned] = labels[-1]
    return out


def bh(p):
    """Benjamini–Hochberg q-values of the non-NaN p-values."""
    q = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    pv = p[ok]
    order = np.argsort(pv)
    ranked = pv[order] * len(pv) / np.arange(1, len(pv) + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty_like(pv)
    out[order] = np.minimum(ranked, 1)
    q[ok] = out
    return q


def mann_kendall(y):
    """Mann–Kendall S, its tie-corrected variance, z and two-sided p for every row of y (no NaN), vectorised over
    the pairs (O(T²) columns, all series at once)."""
    from scipy.stats import norm
    n = y.shape[1]
    i, j = np.triu_indices(n, 1)
    s = np.sign(y[:, j] - y[:, i]).sum(axis=1)
    # Ties: each value in a group of t equal values adds (t − 1)(2t + 5), so a group adds t(t − 1)(2t + 5).
    t = (y[:, :, None] == y[:, None, :]).sum(axis=2)
    ties = ((t - 1) * (2 * t + 5)).sum(axis=1)
    var = (n * (n - 1) * (2 * n + 5) - ties) / 18
    z = np.where(s > 0, (s - 1) / np.sqrt(var), np.where(s < 0, (s + 1) / np.sqrt(var), 0))
    p = 2 * norm.sf(np.abs(z))
    return s, var, z, p


def main():
    warnings.simplefilter("ignore")  # esda's notes on islands and on G*'s self-weight: not timed, not needed here
    city, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    import esda
    import geopandas
    import libpysal
    import pandas as pd
    from sklearn.cluster import AgglomerativeClustering, KMeans

    # numba's compilation, on its own: esda's crand on a tiny lattice, before the clock starts.
    start = time.perf_counter()
    tiny = libpysal.weights.lat2W(4, 4)
    tiny.transform = "R"
    esda.Moran_Local(np.arange(16.0), tiny, permutations=9, seed=1, n_jobs=1)
    esda.Moran(np.arange(16.0), tiny, permutations=9)
    compile_seconds = time.perf_counter() - start

    steps = {}
    total_start = time.perf_counter()
    annual = timed(steps, "read tables", lambda: pd.read_csv(os.path.join(city, "indicators_annual.csv"),
                                                             dtype={"PLR_ID": str, "ZEIT": int}, na_values=["."]))
    quarterly = timed(steps, "read tables", lambda: pd.read_csv(os.path.join(city, "indicators_quarterly.csv"),
                                                                dtype={"PLR_ID": str, "ZEIT": str}, na_values=["."]))
    frame = timed(steps, "read geometry", lambda: geopandas.read_file(os.path.join(city, "planungsraeume.geojson"),
                                                                      engine="pyogrio"))

    def index():
        last = annual["ZEIT"].max()
        now = annual[annual["ZEIT"] == last].set_index("PLR_ID")
        before = annual[annual["ZEIT"] == last - 2].set_index("PLR_ID").reindex(now.index)
        eligible = (now["EW"] >= 300).to_numpy()
        status = now[["S1", "S3", "S4"]].to_numpy()
        dyn = now[["S1", "S3", "S4"]].to_numpy() - before[["S1", "S3", "S4"]].to_numpy()
        result = pd.DataFrame(index=now.index)
        for name, x, bounds, labels, inclusive in [
                ("status", status, [-1, 1, 1.5], ["hoch", "mittel", "niedrig", "sehr niedrig"], [False, True, True]),
                ("dynamik", dyn, [-1, 1], ["positiv", "stabil", "negativ"], [False, True])]:
            complete = eligible & ~np.isnan(x).any(axis=1)
            z = zscore(x, complete)
            total = z.sum(axis=1)
            value = (total - total[complete].mean()) / total[complete].std()
            value[~complete] = np.nan
            result[f"{name}_sum"] = total
            result[f"{name}_value"] = value
            result[f"{name}_class"] = classes(value, bounds, labels, inclusive)
        result["combined_class"] = result["status_class"] + "/" + result["dynamik_class"]
        result["S4"] = now["S4"]
        result.to_csv(os.path.join(out, "areas.csv"))
        return result
    areas = timed(steps, "index", index)

    def trends():
        q = quarterly.pivot(index="PLR_ID", columns="ZEIT")
        periods = sorted(quarterly["ZEIT"].unique())
        t = np.array([int(p[:4]) + (int(p[-1]) - 0.5) / 4 for p in periods])
        rows = []
        for name in ["S1", "S3", "S4"]:
            y = q[name][periods].to_numpy()
            y = np.where(np.isnan(y), np.nanmean(y, axis=1, keepdims=True), y)
            n = len(t)
            tc = t - t.mean()
            slope = (y - y.mean(axis=1, keepdims=True)) @ tc / (tc @ tc)
            resid = y - y.mean(axis=1, keepdims=True) - np.outer(slope, tc)
            se = np.sqrt((resid ** 2).sum(axis=1) / (n - 2) / (tc @ tc))
            from scipy.stats import t as student
            p_ols = 2 * student.sf(np.abs(slope / se), n - 2)
            s, var, z, p_mk = mann_kendall(y)
            i, j = np.triu_indices(n, 1)
            sen = np.median((y[:, j] - y[:, i]) / (t[j] - t[i]), axis=1)
            # Seasonal Mann–Kendall: the sum of the per-quarter statistics.
            ss, sv = np.zeros(len(y)), np.zeros(len(y))
            for season in range(4):
                s_k, v_k, _, _ = mann_kendall(y[:, season::4])
                ss += s_k
                sv += v_k
            zs = np.where(ss > 0, (ss - 1) / np.sqrt(sv), np.where(ss < 0, (ss + 1) / np.sqrt(sv), 0))
            from scipy.stats import norm
            p_smk = 2 * norm.sf(np.abs(zs))
            for method, p, sl in [("ols", p_ols, slope), ("mann-kendall", p_mk, sen), ("theil-sen", None, sen),
                                  ("seasonal-mann-kendall", p_smk, None)]:
                rows.append(pd.DataFrame({"area_id": q.index, "indicator": name, "method": method,
                                          "slope": sl if sl is not None else np.nan,
                                          "p_value": p if p is not None else np.nan,
                                          "q_value": bh(p) if p is not None else np.nan}))
        table = pd.concat(rows)
        table.to_csv(os.path.join(out, "trends.csv"), index=False)
        # Quarter comparisons: the last quarter against the previous one and a year earlier, ranked per district.
        last, previous, year = periods[-1], periods[-2], periods[-5]
        comp = []
        for name in ["S1", "S3", "S4"]:
            v = q[name]
            c = pd.DataFrame({"area_id": q.index, "district_id": q.index.str[:2], "indicator": name,
                              "value": v[last].to_numpy(), "change_prev": (v[last] - v[previous]).to_numpy(),
                              "change_year": (v[last] - v[year]).to_numpy()})
            c["rank_in_district"] = c.groupby("district_id")["change_year"].rank(ascending=False, method="first")
            comp.append(c)
        pd.concat(comp).to_csv(os.path.join(out, "quarters.csv"), index=False)
        return table
    trend_table = timed(steps, "trends", trends)

    def spatial():
        w = libpysal.weights.Queen.from_dataframe(frame, use_index=False, ids=list(frame["PLR_ID"]))
        w.transform = "R"
        return w
    w = timed(steps, "spatial weights", spatial)

    def statistics():
        order = frame["PLR_ID"].to_numpy()
        local_rows, global_rows = [], []
        for name in ["status_value", "S4"]:
            y = areas[name].reindex(order).to_numpy()
            present = ~np.isnan(y)
            sub = libpysal.weights.w_subset(w, list(order[present]), silence_warnings=True)
            sub.transform = "R"
            yp = y[present]
            m = esda.Moran(yp, sub, permutations=999)
            lm = esda.Moran_Local(yp, sub, permutations=999, seed=1, n_jobs=1)
            g = esda.G_Local(yp - yp.min() if yp.min() < 0 else yp, sub, star=True, permutations=0)
            global_rows.append({"variable": name, "moran_i": m.I, "p_sim": m.p_sim})
            local_rows.append(pd.DataFrame({"area_id": order[present], "variable": name, "local_i": lm.Is,
                                            "p_sim": lm.p_sim, "q_value": bh(lm.p_sim), "quadrant": lm.q,
                                            "gi_star_z": g.Zs}))
        pd.DataFrame(global_rows).to_csv(os.path.join(out, "spatial_global.csv"), index=False)
        pd.concat(local_rows).to_csv(os.path.join(out, "spatial_local.csv"), index=False)
        return global_rows
    moran = timed(steps, "spatial statistics", statistics)

    def clusters():
        order = frame["PLR_ID"].to_numpy()
        now = annual[annual["ZEIT"] == annual["ZEIT"].max()].set_index("PLR_ID").reindex(order)
        x = now[["S1", "S3", "S4"]].to_numpy()
        keep = ~np.isnan(x).any(axis=1)
        xs = (x[keep] - x[keep].mean(axis=0)) / x[keep].std(axis=0)
        labels = {"kmeans": KMeans(n_clusters=6, n_init=10, random_state=1).fit_predict(xs)}
        sub = libpysal.weights.w_subset(w, list(order[keep]), silence_warnings=True)
        labels["regions"] = AgglomerativeClustering(n_clusters=6, linkage="ward",
                                                    connectivity=sub.sparse).fit_predict(xs)
        pd.concat([pd.DataFrame({"area_id": order[keep], "method": m, "cluster": l + 1}) for m, l in labels.items()]
                  ).to_csv(os.path.join(out, "clusters.csv"), index=False)
        return labels
    timed(steps, "clusters", clusters)
    total = time.perf_counter() - total_start
    print(json.dumps({"seconds": total, "steps": steps, "numba_compile_seconds": compile_seconds,
                      "check": {"status_value_abs_sum": float(np.nansum(np.abs(areas["status_value"]))),
                                "moran_i": [float(r["moran_i"]) for r in moran],
                                "trend_rows": int(len(trend_table))}}))


if __name__ == "__main__":
    main()
