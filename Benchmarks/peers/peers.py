#!/usr/bin/env python3
"""The peers' side of Benchmarks/compare.sh: the same operations as SozmonTimings, on the same inputs.

Usage: peers.py OPERATION ARGUMENT REPETITIONS  → one JSON line, like SozmonTimings.
"""
import json
import os
import sys
import time

import numpy as np


def test_matrix(rows, columns):
    i = np.arange(rows, dtype=np.int64)[:, None]
    j = np.arange(columns, dtype=np.int64)[None, :]
    return ((i * 7919 + j * 104729) % 1000003) / 1000003


def read_panel(path):
    import pandas as pd
    frame = pd.read_csv(path, dtype={"PLR_ID": str, "ZEIT": str}, na_values=["."], keep_default_na=True)
    return frame


def last_period(frame):
    last = frame["ZEIT"].max()
    return frame[frame["ZEIT"] == last]


def clustering_features(frame):
    """The two standardised features of SozmonTimings' clusteringFeatures."""
    c = frame.geometry.centroid
    x, y, i = c.x.to_numpy(), c.y.to_numpy(), np.arange(len(frame))
    a = np.sin(x / 5000) + np.cos(y / 7000) + (i * 7919 % 1000) / 2000
    b = np.cos(x / 3000) * np.sin(y / 4000) + (i * 104729 % 1000) / 3000
    f = np.column_stack([a, b])
    return (f - f.mean(axis=0)) / f.std(axis=0)


def within_ss(x, labels):
    return sum(((x[labels == c] - x[labels == c].mean(axis=0)) ** 2).sum() for c in np.unique(labels))


def run(operation, argument, body, check, repetitions):
    """Times body() only; check(result) is computed afterwards, outside the timing."""
    times, result = [], None
    for _ in range(repetitions):
        start = time.perf_counter()
        result = body()
        times.append(time.perf_counter() - start)
    return {"operation": operation, "argument": argument, "seconds": sorted(times)[len(times) // 2],
            "times": times, "check": float(check(result)), "_last": result}


def main():
    operation, argument, repetitions = sys.argv[1], sys.argv[2], int(sys.argv[3])
    check = lambda r: np.nansum(r)
    if operation == "gemm":
        n = int(argument)
        a = test_matrix(n, n)
        b = test_matrix(n, n).T.copy()
        body = lambda: a @ b
    elif operation == "zscores":
        x = test_matrix(int(argument), 10)
        body = lambda: (x - x.mean(axis=0)) / x.std(axis=0)
        check = lambda r: np.abs(r).sum()
    elif operation == "axpy":
        from scipy.linalg.blas import daxpy
        n = int(argument)
        x, y = np.full(n, 2.0), np.ones(n)
        daxpy(x, y, a=3.0)  # in place on y (contiguous float64); touches the pages once before timing
        body = lambda: daxpy(x, y, a=3.0)
        check = lambda r: r[n // 2]
    elif operation == "dot":
        n = int(argument)
        x, y = np.arange(n) % 7 * 1.0, np.arange(n) % 5 * 1.0
        body = lambda: np.dot(x, y)
        check = lambda r: r
    elif operation == "read_csv":
        columns = ["S1", "S2", "S3", "S4", "K1", "K2", "K3", "K4"]
        body = lambda: read_panel(argument)
        check = lambda frame: np.nansum(last_period(frame)[columns].to_numpy())
    elif operation == "standardise_index":
        n = int(argument)
        i = np.arange(n, dtype=np.int64)[:, None]
        periods = [((i * 7919 + (p * 8 + np.arange(8, dtype=np.int64)[None, :]) * 104729) % 1000003) / 1000003
                   for p in range(10)]
        eligible = np.arange(n) % 50 != 0

        def body():
            results = []
            for x in periods:
                complete = eligible & ~np.isnan(x).any(axis=1)
                ref = x[complete]
                z = (x - ref.mean(axis=0)) / ref.std(axis=0)
                total = z.sum(axis=1)
                value = np.where(complete, (total - total[complete].mean()) / total[complete].std(), np.nan)
                # MSS status classes: x < -1, -1 <= x <= 1, 1 < x <= 1.5, x > 1.5
                classes = np.where(np.isnan(value), 0, np.digitize(value, [-1, 1, 1.5], right=True) + 1)
                classes[value == -1] = 2
                results.append((z, value, classes))
            return results
        check = lambda r: sum(np.nansum(np.abs(v)) for _, v, _ in r)
    elif operation == "mss_index":
        frame = last_period(read_panel(argument))
        x = frame[["S1", "S3", "S4"]].to_numpy()
        eligible = frame["EW"].to_numpy() >= 300

        def body():
            complete = eligible & ~np.isnan(x).any(axis=1)
            ref = x[complete]
            z = (x - ref.mean(axis=0)) / ref.std(axis=0)
            total = z.sum(axis=1)
            value = (total - total[complete].mean()) / total[complete].std()
            return np.where(complete, value, np.nan)
        check = lambda r: np.nansum(np.abs(r))
    elif operation == "pca":
        frame = last_period(read_panel(argument))
        x = frame[["S1", "S2", "S3", "S4", "K1", "K2", "K3", "K4"]].dropna().to_numpy()
        body = lambda: np.linalg.eigvalsh(np.corrcoef(x, rowvar=False))
        check = lambda r: r.sum()
    elif operation in ("ols_trends", "mk_sen", "mk_sen_numpy", "ols_statsmodels"):
        n, periods = int(argument), 40
        s_idx = np.arange(n, dtype=np.int64)[None, :]
        t_idx = np.arange(periods, dtype=np.int64)[:, None]
        y = ((s_idx * 7919 + t_idx * 104729) % 1000003) / 1000003 + 0.01 * t_idx
        if operation == "ols_trends":
            from scipy import stats
            t = 2015 + np.arange(periods) / 4

            def body():  # numpy's vectorised OLS: slope, standard error and p-value of every series at once
                tc = t - t.mean()
                sxx = tc @ tc
                yc = y - y.mean(axis=0)
                slope = tc @ yc / sxx
                resid = yc - np.outer(tc, slope)
                se = np.sqrt((resid * resid).sum(axis=0) / (periods - 2) / sxx)
                p = 2 * stats.t.sf(np.abs(slope / se), periods - 2)
                return slope, p
            check = lambda r: r[0].sum()
        elif operation == "ols_statsmodels":
            import statsmodels.api as sm
            design = sm.add_constant(2015 + np.arange(periods) / 4)

            def body():  # statsmodels' per-series OLS: slope, standard error, p-value, confidence interval, R²
                fits = [sm.OLS(y[:, s], design).fit() for s in range(n)]
                return [(f.params[1], f.bse[1], f.pvalues[1], f.conf_int()[1], f.rsquared) for f in fits]
            check = lambda r: sum(f[0] for f in r)
        elif operation == "mk_sen_numpy":
            from scipy.special import ndtr
            i, j = np.triu_indices(periods, 1)
            dt = (j - i).astype(float)[:, None]

            def body():  # vectorised numpy over blocks of series: S, tie-corrected variance, z, p, Sen's slope
                out = []
                for lo in range(0, n, 20000):
                    block = y[:, lo:lo + 20000]
                    d = block[j] - block[i]
                    s = np.sign(d).sum(axis=0)
                    # Ties: each value's run length L in its sorted column; Σ over runs t(t−1)(2t+5) = Σ (L−1)(2L+5).
                    v = np.sort(block, axis=0)
                    k = np.arange(periods)[:, None]
                    new = np.vstack([np.ones((1, v.shape[1]), bool), v[1:] != v[:-1]])
                    start = np.maximum.accumulate(np.where(new, k, 0), axis=0)
                    last = np.vstack([v[1:] != v[:-1], np.ones((1, v.shape[1]), bool)])
                    end = np.minimum.accumulate(np.where(last, k, periods)[::-1], axis=0)[::-1]
                    run = end - start + 1
                    ties = ((run - 1) * (2 * run + 5)).sum(axis=0)
                    var = (periods * (periods - 1) * (2 * periods + 5) - ties) / 18
                    z = np.where(s > 0, s - 1, np.where(s < 0, s + 1, 0)) / np.sqrt(var)
                    p = 2 * ndtr(-np.abs(z))
                    slope = np.median(d / dt, axis=0)
                    out.append(s + slope + 0 * p)
                return np.concatenate(out)
            check = lambda r: r.sum()
        else:
            import pymannkendall as mk

            def body():
                return [mk.original_test(y[:, s]).s + mk.sens_slope(y[:, s]).slope for s in range(n)]
            check = lambda r: sum(r)
    elif operation in ("queen", "local_moran"):
        import geopandas
        import libpysal
        frame = geopandas.read_file(argument)
        if operation == "queen":
            body = lambda: libpysal.weights.Queen.from_dataframe(frame, use_index=False)
            check = lambda w: w.s0
        else:
            import esda
            w = libpysal.weights.Queen.from_dataframe(frame, use_index=False)
            w.transform = "R"
            c = frame.geometry.centroid
            y = np.sin(c.x.to_numpy() / 5000) + np.cos(c.y.to_numpy() / 7000) + (np.arange(len(frame)) * 7919 % 1000) / 2000
            body = lambda: esda.Moran_Local(y, w, permutations=999, seed=1)
            check = lambda r: r.Is.sum()
    elif operation == "read_geojson":
        import pyogrio
        body = lambda: pyogrio.read_dataframe(argument)
        check = lambda frame: len(frame)
    elif operation in ("skater", "ward_regions", "knn", "ward"):
        import geopandas
        import libpysal
        frame = geopandas.read_file(argument)
        if operation == "knn":
            c = frame.geometry.centroid
            points = np.column_stack([c.x.to_numpy(), c.y.to_numpy()])
            body = lambda: libpysal.weights.KNN.from_array(points, k=6)
            check = lambda w: w.s0
        elif operation == "ward":
            from sklearn.cluster import AgglomerativeClustering
            x = clustering_features(frame)
            body = lambda: AgglomerativeClustering(n_clusters=6, linkage="ward").fit(x).labels_
            check = lambda labels: within_ss(x, labels)
        else:
            w = libpysal.weights.Queen.from_dataframe(frame, use_index=False, silence_warnings=True)
            x = clustering_features(frame)
            if operation == "skater":
                from sklearn.metrics.pairwise import euclidean_distances
                from spopt.region.skater import SpanningForest
                squared = lambda a, b=None: euclidean_distances(a, b, squared=True)
                body = lambda: SpanningForest(dissimilarity=squared).fit(6, w, data=x).current_labels_
            else:
                from sklearn.cluster import AgglomerativeClustering
                body = lambda: AgglomerativeClustering(n_clusters=6, linkage="ward", connectivity=w.sparse).fit(x).labels_
            check = lambda labels: within_ss(x, labels)
    elif operation == "local_moran_edges":
        import esda
        import libpysal
        import pandas as pd
        edges = pd.read_csv(argument, dtype=str)
        ids = pd.unique(pd.concat([edges["area_id"], edges["neighbour_id"]]))
        position = {a: k for k, a in enumerate(sorted(ids))}
        neighbours = {k: [] for k in range(len(position))}
        for a, b in zip(edges["area_id"], edges["neighbour_id"]):
            neighbours[position[a]].append(position[b])
        w = libpysal.weights.W(neighbours, silence_warnings=True)
        w.transform = "R"
        i = np.arange(len(position))
        y = np.sin(i / 5000) + np.cos(i / 7000) + (i * 7919 % 1000) / 2000
        body = lambda: esda.Moran_Local(y, w, permutations=999, seed=1)
        check = lambda r: r.Is.sum()
    elif operation == "global_moran_edges":
        # The strongest numpy form: W sparse (row-standardised), the permuted vectors 64 at a time as the columns of
        # one matrix (numpy's Fisher–Yates per column), all their cross sums from one sparse product.
        import pandas as pd
        import scipy.sparse
        edges = pd.read_csv(argument, dtype=str)
        ids = np.array(sorted(pd.unique(pd.concat([edges["area_id"], edges["neighbour_id"]]))))
        rows = np.searchsorted(ids, edges["area_id"].to_numpy())
        cols = np.searchsorted(ids, edges["neighbour_id"].to_numpy())
        n = len(ids)
        w = scipy.sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        w = scipy.sparse.diags(1 / np.asarray(w.sum(axis=1)).ravel()) @ w
        i = np.arange(n)
        y = np.sin(i / 5000) + np.cos(i / 7000) + (i * 7919 % 1000) / 2000

        def global_moran():
            z = y - y.mean()
            s0, z2 = w.sum(), z @ z
            observed = n / s0 * (z @ (w @ z)) / z2
            rng = np.random.default_rng(1)
            simulated = []
            for start in range(0, 999, 64):
                block = np.stack([z[rng.permutation(n)] for _ in range(min(64, 999 - start))], axis=1)
                simulated.append(n / s0 * np.einsum("ij,ij->j", block, w @ block) / z2)
            simulated = np.concatenate(simulated)
            return observed, (np.sum(simulated >= observed) + 1) / 1000
        body = global_moran
        check = lambda r: r[0]
    elif operation == "max_p":
        import geopandas
        import libpysal
        from scipy.spatial.distance import pdist, squareform
        from spopt.region import MaxPHeuristic
        frame = geopandas.read_file(argument)
        w = libpysal.weights.Queen.from_dataframe(frame, use_index=False, silence_warnings=True)
        x = clustering_features(frame)
        data = frame[[]].copy()
        data["a"], data["b"] = x[:, 0], x[:, 1]
        data["floor"] = 1 + (np.arange(len(frame)) * 7919) % 5  # SozmonTimings' floorValue
        np.random.seed(1)

        def body():
            model = MaxPHeuristic(data, w, ["a", "b"], "floor", 20, policy="keep")
            model.solve()
            return np.asarray(model.labels_)
        check = lambda labels: len(np.unique(labels))

        def quality(labels):  # spopt's objective: within-region sums of pairwise city-block distances
            d = squareform(pdist(x, metric="cityblock"))
            return float(sum(d[np.ix_(labels == r, labels == r)].sum() / 2 for r in np.unique(labels)))
    elif operation in ("hotspots", "hotspots_permutations"):
        import geopandas
        import libpysal
        import scipy.sparse as sp
        from scipy.stats import norm
        frame = geopandas.read_file(argument)
        w = libpysal.weights.Queen.from_dataframe(frame, use_index=False, silence_warnings=True)
        n, periods, alpha = len(frame), 24, 0.05
        c = frame.geometry.centroid
        cx, cy, i = c.x.to_numpy(), c.y.to_numpy(), np.arange(len(frame))
        x = np.array([np.sin(cx / 5000) + np.cos(cy / 7000) + (i * 7919 % 1000) / 2000 + 0.05 * t * np.sin(cx / 9000)
                      + ((i * 7919 + t * 104729) % 1000) / 2000 for t in range(periods)])  # SozmonTimings' spaceTimeValue
        spatial = (w.sparse + sp.identity(n)).tocsr()  # the area and its neighbours, weight 1
        size = np.asarray(spatial.sum(axis=1)).ravel()
        degree = size.astype(int) - 1
        width = int(size.max()) * 2 - 1
        draws = np.random.default_rng(1)
        tables = [np.array([draws.choice(length * n - 1, size=min(width, int(size.max()) * length - 1), replace=False)
                            for _ in range(199)]) for length in (1, 2)]

        def permutation_p(sums):  # conditional permutations as SpaceTimeGetisOrd, in blocks of areas
            p = np.empty_like(sums)
            for t in range(periods):
                start = max(0, t - 1)
                length = t - start + 1
                window = x[start:t + 1].reshape(-1)
                table = tables[length - 1]
                for lo in range(0, n, 2000):
                    block = np.arange(lo, min(n, lo + 2000))
                    own = (t - start) * n + block
                    e = table[None, :, :] + (table[None, :, :] >= own[:, None, None])
                    drawn = (degree[block] + 1) * length - 1
                    mask = np.arange(table.shape[1])[None, None, :] < drawn[:, None, None]
                    simulated = window[own][:, None] + (window[e] * mask).sum(axis=2)
                    larger = (simulated >= sums[block, t][:, None] - 1e-11 * np.abs(sums[block, t][:, None])).sum(axis=1)
                    p[block, t] = (np.minimum(larger, 199 - larger) + 1) / 200
            return p

        def body():
            sums = np.asarray(spatial @ x.T)  # n × periods: each area's neighbourhood in its own period
            sums[:, 1:] += sums[:, :-1].copy()  # and in the period before (window 1)
            m = size[:, None] * np.where(np.arange(periods) == 0, 1, 2)[None, :]
            z = (sums - m * x.mean(axis=1)) / np.sqrt(x.var(axis=1) * (n * m - m * m) / (n - 1))
            p = permutation_p(sums) if operation == "hotspots_permutations" else 2 * norm.sf(np.abs(z))
            s = sum(np.sign(z[:, b] - z[:, a]) for a in range(periods) for b in range(a + 1, periods))
            variance = periods * (periods - 1) * (2 * periods + 5) / 18
            trend_p = 2 * norm.sf(np.abs((s - np.sign(s)) / np.sqrt(variance)))
            tau = s / (periods * (periods - 1) / 2)
            hot, cold = (p < alpha) & (z > 0), (p < alpha) & (z < 0)
            significant_before = np.cumsum(hot | cold, axis=1)
            patterned = np.zeros(n, dtype=bool)
            for spot, other, rising in ((hot, cold, tau > 0), (cold, hot, tau < 0)):
                final, share = spot[:, -1], spot.mean(axis=1)
                run = np.where(spot.all(axis=1), periods, np.argmax(~spot[:, ::-1], axis=1))
                before = np.take_along_axis(significant_before, np.maximum(periods - run - 1, 0)[:, None], 1)[:, 0]
                clean = (run == periods) | (before == 0)
                # Every category of a final hot (cold) spot: intensifying, diminishing, persistent, new, consecutive,
                # oscillating, sporadic — all "a pattern"; kept apart as the rules have them.
                strong = final & (share >= 0.9)
                new = final & ~strong & (run == 1) & clean
                consecutive = final & ~strong & (run >= 2) & clean
                oscillating = final & ~strong & ~new & ~consecutive & other[:, :-1].any(axis=1)
                sporadic = final & ~strong & ~new & ~consecutive & ~oscillating
                patterned |= strong | new | consecutive | oscillating | sporadic
            historical = ~hot[:, -1] & ~cold[:, -1] & ((hot.mean(axis=1) >= 0.9) | (cold.mean(axis=1) >= 0.9))
            return tau, patterned | historical
        check = lambda r: r[0].sum()
        quality = lambda r: float(r[1].sum())
    elif operation == "kmeans":
        from sklearn.cluster import KMeans
        x = test_matrix(int(argument), 10)
        seed = int(os.environ.get("SOZMON_KMEANS_SEED", "1"))  # the same seed number on both sides (not the same draws)
        body = lambda: KMeans(n_clusters=8, n_init=10, random_state=seed).fit(x)
        check = lambda r: r.inertia_
    else:
        sys.exit(f"unknown operation {operation}")
    result = run(operation, argument, body, check, repetitions)
    if "quality" in locals():
        result["quality"] = quality(result.pop("_last"))
    else:
        result.pop("_last")
    try:
        from threadpoolctl import threadpool_info
        info = threadpool_info()
        result["blas"] = "; ".join(f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} "
                                   f"threads={i.get('num_threads')}" for i in info)
    except ImportError:
        result["blas"] = "unknown"
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
