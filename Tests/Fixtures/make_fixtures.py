#!/usr/bin/env python3
"""Reference values for sozmon's tests, computed by the established Python peers.

Run from the repository root:  python3 Tests/Fixtures/make_fixtures.py
Writes Tests/Fixtures/*.json (committed), so that `swift test` needs no Python. Versions: requirements.txt.
Floats are written with repr(), which round-trips exactly.
"""
import json
import math
import pathlib
from fractions import Fraction

import numpy as np
import scipy
import scipy.linalg
import scipy.stats
import statsmodels
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.weightstats import DescrStatsW

HERE = pathlib.Path(__file__).resolve().parent
rng = np.random.default_rng(20261121)


def rows(a):
    a = np.asarray(a, dtype=float)
    return [[float(v) for v in r] for r in (a if a.ndim == 2 else a.reshape(-1, 1))]


def vec(a):
    return [None if (isinstance(v, float) and math.isnan(v)) else float(v) for v in np.asarray(a, dtype=float)]


def dump(name, payload):
    payload["_generated_by"] = {
        "script": "Tests/Fixtures/make_fixtures.py",
        "numpy": np.__version__, "mpmath": __import__("mpmath").__version__, "scipy": scipy.__version__, "statsmodels": statsmodels.__version__,
    }
    (HERE / name).write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n")


# ---------------------------------------------------------------- linear algebra
def linear_algebra():
    a = rng.normal(size=(5, 3)); b = rng.normal(size=(3, 4))
    at = rng.normal(size=(6, 3)); bt = rng.normal(size=(6, 2)); ct = rng.normal(size=(4, 3))
    x = rng.normal(size=(7, 4)) * [1, 10, 0.1, 3]
    v = rng.normal(size=3); w = rng.normal(size=5)
    s = x.T @ x + np.eye(4)  # symmetric positive definite
    sym = rng.normal(size=(6, 6)); sym = (sym + sym.T) / 2
    evals, evecs = scipy.linalg.eigh(sym, driver="evr")
    m = rng.normal(size=(7, 4))
    u, sv, vt = scipy.linalg.svd(m, full_matrices=False, lapack_driver="gesdd")
    wide = rng.normal(size=(3, 5))
    uw, svw, vtw = scipy.linalg.svd(wide, full_matrices=False, lapack_driver="gesdd")
    la = rng.normal(size=(10, 3)); lb = rng.normal(size=(10, 2))
    sol, res, _, _ = np.linalg.lstsq(la, lb, rcond=None)
    spd_b = rng.normal(size=(4, 2))
    chol = scipy.linalg.cho_solve(scipy.linalg.cho_factor(s), spd_b)
    return {
        "gemm": {"a": rows(a), "b": rows(b), "ab": rows(a @ b)},
        "gemm_transposed": {"a": rows(at), "b": rows(bt), "c": rows(ct),
                            "at_b": rows(at.T @ bt), "a_ct": rows(at @ ct.T)},
        "syrk": {"x": rows(x), "xtx": rows(x.T @ x)},
        "gemv": {"a": rows(a), "x": vec(v), "y": vec(w), "ax": vec(a @ v), "aty": vec(a.T @ w)},
        "dot": {"x": vec(w), "y": vec(a[:, 0]), "dot": float(w @ a[:, 0])},
        "eigh": {"a": rows(sym), "values": vec(evals), "vectors": rows(evecs)},
        "svd": {"a": rows(m), "u": rows(u), "s": vec(sv), "vt": rows(vt)},
        "svd_wide": {"a": rows(wide), "u": rows(uw), "s": vec(svw), "vt": rows(vtw)},
        "lstsq": {"a": rows(la), "b": rows(lb), "x": rows(sol), "rss": vec(res)},
        "cholesky_solve": {"a": rows(s), "b": rows(spd_b), "x": rows(chol)},
    }


# ---------------------------------------------------------------- statistics
def exact_moments(x, w):
    """Mean and variances in exact rational arithmetic of the given doubles: the reference without rounding."""
    pairs = [(Fraction(float(a)), Fraction(float(b))) for a, b in zip(x, w) if not math.isnan(a)]
    n = len(pairs)
    mean = sum(a for a, _ in pairs) / n
    ss = sum((a - mean) ** 2 for a, _ in pairs)
    wsum = sum(b for _, b in pairs)
    wmean = sum(a * b for a, b in pairs) / wsum
    wss = sum(b * (a - wmean) ** 2 for a, b in pairs)
    sd = math.sqrt(ss / n)
    z = [float("nan") if math.isnan(a) else float((Fraction(float(a)) - mean)) / sd for a in x]
    return {"mean": float(mean), "var0": float(ss / n), "var1": float(ss / (n - 1)),
            "wmean": float(wmean), "wvar0": float(wss / wsum), "wvar1": float(wss / (wsum - 1)), "z0": vec(z)}


def moments():
    """Each case: exact values (Fraction) and the peers' (numpy nanmean/nanvar, statsmodels DescrStatsW).

    peer_tolerance says how close the peers themselves come to the exact values: the large-offset case
    (1e9 + noise of 1e-3) is ill-conditioned, and numpy's plain two-pass loses digits there.
    """
    cases = []
    for name, x, w, peer_tolerance in [
        ("plain", rng.normal(3, 2, size=25), rng.uniform(1, 500, size=25), 1e-12),
        ("large_offset", 1e9 + rng.normal(0, 1e-3, size=30), rng.integers(1, 50, size=30).astype(float), 1e-6),
        ("shares_with_missing", np.round(rng.uniform(0, 40, size=20), 1),
         rng.integers(300, 9000, size=20).astype(float), 1e-12),
    ]:
        if name == "shares_with_missing":
            x[[2, 7, 13]] = np.nan
        keep = ~np.isnan(x)
        peers = {"mean": float(np.nanmean(x)), "var0": float(np.nanvar(x)), "var1": float(np.nanvar(x, ddof=1))}
        for ddof in (0, 1):
            d = DescrStatsW(x[keep], weights=w[keep], ddof=ddof)
            peers["wmean"] = float(d.mean)
            peers[f"wvar{ddof}"] = float(d.var)
        peers["z0"] = vec((x - np.nanmean(x)) / np.nanstd(x))
        cases.append({"name": name, "x": vec(x), "weights": vec(w), "exact": exact_moments(x, w),
                      "peers": peers, "peer_tolerance": peer_tolerance})
    return cases


def quantiles():
    x = np.array([3.5, 1.0, 7.25, 7.25, 2.0, 10.0, -4.0, 0.5, 7.25, 12.0, 6.0])
    ps = [0.0, 0.05, 0.1, 0.25, 1 / 3, 0.5, 0.9, 0.975, 1.0]
    methods = ["linear", "weibull", "hazen", "median_unbiased", "normal_unbiased", "lower", "higher", "nearest",
               "midpoint"]
    return {"x": vec(x), "p": ps, "by_method": {m: vec(np.quantile(x, ps, method=m)) for m in methods},
            "even_x": vec(x[:10]), "even_by_method": {m: vec(np.quantile(x[:10], ps, method=m)) for m in methods}}


def ranks():
    x = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0])
    return {"x": vec(x), "by_method": {m: vec(scipy.stats.rankdata(x, method=m))
                                      for m in ["average", "min", "max", "dense", "ordinal"]}}


def distributions():
    """Exact references by mpmath at 50 digits; scipy's values beside them for the record."""
    import mpmath
    mpmath.mp.dps = 50
    xs = [-37.0, -20.0, -8.5, -5.0, -1.96, -0.5, 0.0, 0.3, 1.0, 2.5, 6.0, 7.0, 8.0, 9.0, 15.0, 37.0]
    ps = [1e-300, 1e-100, 1e-15, 1e-12, 1e-6, 0.001, 0.025, 0.3, 0.5, 0.7, 0.975, 0.999, 1 - 1e-12]
    def mp_ppf(p):  # root of Φ(x) = p from scipy's start; the lower tail for p < ½ keeps tiny p exact
        if p < 0.5:
            return float(mpmath.findroot(lambda x: mpmath.ncdf(x) / mpmath.mpf(p) - 1, scipy.stats.norm.ppf(p)))
        return float(mpmath.findroot(lambda x: mpmath.ncdf(-x) - (1 - mpmath.mpf(p)), scipy.stats.norm.ppf(p)))
    normal = {"x": xs, "cdf": [float(mpmath.ncdf(x)) for x in xs], "sf": [float(mpmath.ncdf(-x)) for x in xs],
              "pdf": [float(mpmath.npdf(x)) for x in xs], "p": ps, "ppf": [mp_ppf(p) for p in ps],
              "scipy_ppf": vec(scipy.stats.norm.ppf(ps))}

    def t_sf(t, df):
        t, df = mpmath.mpf(t), mpmath.mpf(df)
        tail = mpmath.betainc(df / 2, mpmath.mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2
        return tail if t >= 0 else 1 - tail

    def t_pdf(t, df):
        t, df = mpmath.mpf(t), mpmath.mpf(df)
        return mpmath.gamma((df + 1) / 2) / (mpmath.sqrt(df * mpmath.pi) * mpmath.gamma(df / 2)) \
            * (1 + t * t / df) ** (-(df + 1) / 2)

    def t_ppf(p, df):
        start = scipy.stats.t.ppf(p, df)
        if p < 0.5:
            return float(mpmath.findroot(lambda t: (1 - t_sf(t, df)) - p, start))
        return float(mpmath.findroot(lambda t: t_sf(t, df) - (1 - mpmath.mpf(p)), start))

    ts = [-250.0, -12.0, -3.0, -1.0, -0.1, 0.0, 0.05, 0.7, 1.5, 2.2, 4.0, 9.0, 30.0, 1000.0]
    tps = [1e-15, 1e-12, 1e-6, 0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999999]
    student = []
    for df in [1, 2, 3, 4.5, 8, 30, 100, 1000, 100000]:
        student.append({"df": df, "t": ts, "sf": [float(t_sf(t, df)) for t in ts],
                        "cdf": [float(t_sf(-t, df)) for t in ts], "pdf": [float(t_pdf(t, df)) for t in ts],
                        "p": tps, "ppf": [t_ppf(p, df) for p in tps]})
    return {"normal": normal, "student_t": student}


def fdr():
    p = rng.uniform(0, 1, size=40) ** 3
    p[[5, 6]] = p[4]  # ties
    p[[11, 30]] = np.nan
    keep = ~np.isnan(p)
    q = np.full_like(p, np.nan)
    q[keep] = multipletests(p[keep], method="fdr_bh")[1]
    return {"p": vec(p), "q": vec(q)}


# ---------------------------------------------------------------- random streams (independent re-implementation)
MASK = (1 << 64) - 1


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class SplitMix:
    def __init__(self, state):
        self.state = state & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        return mix(self.state)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Xoshiro:
    def __init__(self, seed, stream=0):
        key = SplitMix(seed).next()
        sm = SplitMix(key ^ mix(stream))
        self.s = [sm.next() for _ in range(4)]

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result


def random_streams():
    # Published SplitMix64 test vector (seed 1234567), as a check of this re-implementation.
    sm = SplitMix(1234567)
    assert [sm.next() for _ in range(3)] == [6457827717110365317, 3203168211198807973, 9817491932198370423]
    out = []
    for seed, stream in [(42, 0), (42, 1), (0, 0), (2**64 - 1, 123456789)]:
        g = Xoshiro(seed, stream)
        values = [g.next() for _ in range(8)]
        g2 = Xoshiro(seed, stream)
        uniforms = [(g2.next() >> 11) * 2.0**-53 for _ in range(5)]
        out.append({"seed": str(seed), "stream": str(stream), "next": [str(v) for v in values], "uniform": uniforms})
    return out


# ---------------------------------------------------------------- projections
def projections():
    import pyproj
    points = [(13.404954, 52.520008), (13.0, 52.3), (13.8, 52.7), (9.993682, 53.551086), (6.958281, 50.941278),
              (15.0, 0.0), (12.1, 60.2)]
    out = []
    for zone in (32, 33):
        t = pyproj.Transformer.from_crs("EPSG:4326", f"EPSG:258{zone}", always_xy=True)
        for lon, lat in points:
            e, n = t.transform(lon, lat)
            out.append({"zone": zone, "lon": lon, "lat": lat, "easting": e, "northing": n})
    return {"pyproj": pyproj.__version__, "utm": out}


# ---------------------------------------------------------------- indicators
def indicators():
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import MinMaxScaler
    n, k = 40, 4
    latent = rng.normal(size=n)
    x = np.column_stack([10 + 3 * (0.8 * latent + 0.6 * rng.normal(size=n)) for _ in range(k)])
    x = np.round(x, 2)
    pop = rng.integers(100, 9000, size=n).astype(float)
    eligible = pop >= 300
    e = x[eligible]
    z = (x - e.mean(axis=0)) / e.std(axis=0)  # ddof 0 over eligible areas, applied to all
    zw = np.empty_like(x)
    for j in range(k):
        d = DescrStatsW(e[:, j], weights=pop[eligible], ddof=0)
        zw[:, j] = (x[:, j] - d.mean) / d.std
    zs1 = (x - e.mean(axis=0)) / e.std(axis=0, ddof=1)
    mm = MinMaxScaler().fit(e).transform(x)
    med = np.median(e, axis=0)
    robust = (x - med) / scipy.stats.median_abs_deviation(e, axis=0, scale="normal")
    # MSS: sum of z, then z of the sum over eligible areas.
    total = z.sum(axis=1)
    index = (total - total[eligible].mean()) / total[eligible].std()
    corr = np.corrcoef(e, rowvar=False)
    item_var = e.var(axis=0, ddof=1).sum()
    alpha = k / (k - 1) * (1 - item_var / e.sum(axis=1).var(ddof=1))
    ze = (e - e.mean(axis=0)) / e.std(axis=0)
    pca = PCA().fit(ze)
    eig = np.linalg.eigvalsh(corr)[::-1]
    loadings = pca.components_.T * np.sqrt(eig)
    for c in range(k):  # sign convention: largest |loading| positive
        if loadings[np.argmax(np.abs(loadings[:, c])), c] < 0:
            loadings[:, c] *= -1
    import sklearn
    return {"sklearn": sklearn.__version__, "x": rows(x), "population": vec(pop), "eligible": [bool(b) for b in eligible],
            "z": rows(z), "z_weighted": rows(zw), "z_ddof1": rows(zs1), "minmax": rows(mm), "robust": rows(robust),
            "mss_sum": vec(total), "mss_index": vec(index), "correlation": rows(corr), "cronbach_alpha": float(alpha),
            "explained_variance_ratio": vec(pca.explained_variance_ratio_), "eigenvalues": vec(eig),
            "loadings": rows(loadings)}


# ---------------------------------------------------------------- the small golden edition, recomputed independently
def small_edition():
    import csv
    path = HERE / "golden" / "small-edition" / "indikatoren.csv"
    data = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            def num(v):
                return float("nan") if v.strip() == "." else float(v.replace(",", "."))
            data[(row["PLR_ID"], row["ZEIT"])] = {k: num(row[k]) for k in ("EW", "S1", "S3", "S4")}
    ids = sorted({a for a, _ in data})
    eligible = np.array([data[(a, "2021")]["EW"] >= 300 and a != "02200201" for a in ids])

    def index(columns):
        x = np.column_stack(columns)
        complete = eligible & ~np.isnan(x).any(axis=1)
        z = (x - x[complete].mean(axis=0)) / x[complete].std(axis=0)
        total = z.sum(axis=1)
        value = (total - total[complete].mean()) / total[complete].std()
        return np.where(complete, value, np.nan)

    status = index([np.array([data[(a, "2021")][k] for a in ids]) for k in ("S1", "S3", "S4")])
    dynamik = index([np.array([data[(a, "2021")][k] - data[(a, "2019")][k] for a in ids]) for k in ("S1", "S3", "S4")])
    return {"area_id": ids, "status_value": vec(status), "dynamik_value": vec(dynamik)}


# ---------------------------------------------------------------- trends
def trends():
    import pymannkendall as mk
    import statsmodels.api as sm
    cases = []
    series = {
        "rising_noisy": 5 + 0.3 * np.arange(12) + rng.normal(0, 0.8, 12),
        "falling_24": 20 - 0.1 * np.arange(24) + rng.normal(0, 0.5, 24),
        "ties": np.array([3.0, 3.0, 4.0, 4.0, 4.0, 5.0, 3.0, 6.0, 6.0, 7.0]),
        "flat_noise": rng.normal(10, 1, 15),
        "with_gaps": np.array([2.0, 2.5, np.nan, 3.1, 3.0, np.nan, 4.2, 4.0, 4.8, 5.1]),
        "three_points": np.array([1.0, 3.0, 2.0]),
        "seasonal_quarters": np.array([10 + 0.2 * k + 2.0 * np.cos(2 * np.pi * (k % 4) / 4) for k in range(24)])
                             + rng.normal(0, 0.3, 24),
    }
    for name, y in series.items():
        t = np.arange(len(y), dtype=float)
        keep = ~np.isnan(y)
        fit = sm.OLS(y[keep], sm.add_constant(t[keep])).fit()
        ci = fit.conf_int(0.05)
        o = mk.original_test(y)
        ts = scipy.stats.theilslopes(y[keep], t[keep], 0.95)
        case = {"name": name, "y": vec(y),
                "ols": {"intercept": float(fit.params[0]), "slope": float(fit.params[1]), "se": float(fit.bse[1]),
                        "t": float(fit.tvalues[1]), "p": float(fit.pvalues[1]), "ci_low": float(ci[1][0]),
                        "ci_high": float(ci[1][1]), "r2": float(fit.rsquared)},
                "mk": {"s": float(o.s), "var_s": float(o.var_s), "z": float(o.z), "p": float(o.p), "tau": float(o.Tau),
                       "trend": o.trend, "slope": float(o.slope), "intercept": float(o.intercept)},
                "theil_sen": {"slope": float(ts[0]), "intercept": float(ts[1]), "low": float(ts[2]), "high": float(ts[3])}}
        if len(y) % 4 == 0:
            sz = mk.seasonal_test(y, period=4)
            case["seasonal_mk"] = {"s": float(sz.s), "var_s": float(sz.var_s), "z": float(sz.z), "p": float(sz.p),
                                   "tau": float(sz.Tau), "slope": float(sz.slope), "intercept": float(sz.intercept)}
        cases.append(case)
    return {"pymannkendall": mk.__version__, "cases": cases}


# ---------------------------------------------------------------- trends on the real data in ../shared/data
SHARED = HERE.parent.parent.parent / "shared" / "data"


def real_trends():
    """Reference trends on real public files (only derived statistics are stored, not the data)."""
    import csv
    import pymannkendall as mk
    import statsmodels.api as sm
    if not SHARED.exists():
        return None
    # Köln: monthly unemployment → quarterly means (a quarter needs all three months) → trend per year.
    months = {}
    with open(SHARED / "koeln-unemployment-monthly" / "13211-03ir.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            y, m = int(row["datum"][:4]), int(row["datum"][5:7])
            months[(y, m)] = float(row["gesamt"]) if row["gesamt"].strip() else np.nan
    quarters, labels = [], []
    for y in range(2000, 2015):
        for q in range(4):
            vals = [months.get((y, 3 * q + k + 1), np.nan) for k in range(3)]
            quarters.append(np.mean(vals) if not np.isnan(vals).any() else np.nan)
            labels.append(f"{y}Q{q + 1}")
    qv = np.array(quarters)
    keep = ~np.isnan(qv)
    t = np.array([2000 + i // 4 + (i % 4 + 0.5) / 4 for i in range(len(qv))])
    fit = sm.OLS(qv[keep], sm.add_constant(t[keep])).fit()
    o = mk.original_test(qv)
    sz = mk.seasonal_test(qv, period=4)
    koeln = {"first_quarters": vec(qv[:4]), "quarters": len(qv), "complete": int(keep.sum()),
             "ols_slope": float(fit.params[1]), "ols_p": float(fit.pvalues[1]), "ols_r2": float(fit.rsquared),
             "mk_s": float(o.s), "mk_z": float(o.z), "mk_tau": float(o.Tau),
             "smk_s": float(sz.s), "smk_var_s": float(sz.var_s), "smk_slope": float(sz.slope), "smk_z": float(sz.z),
             "ts_slope": float(scipy.stats.theilslopes(qv[keep], t[keep])[0]), "mk_p": float(o.p)}
    # Berlin: share of children under 6 per planning area, half-years 2015–2020, from the counts.
    series = {}
    for y in range(2015, 2021):
        for h in (1, 2):
            name = f"berlin-lor-population-{y}-0{h}"
            with open(SHARED / "berlin-ewr-population-lor" / f"{name}-csv" / f"{name}-t2-planning-areas.csv") as f:
                for row in csv.DictReader(f):
                    total, small = float(row["inhabitants"]), float(row["inhabitants_age_below_6"])
                    series.setdefault(row["id"], {})[(y, h)] = 100 * small / total if total > 0 else np.nan
    spots = {}
    for area in ["01011101", "02020202", "08010117", "12214424"]:
        if area not in series:
            continue
        yv = np.array([series[area].get((y, h), np.nan) for y in range(2015, 2021) for h in (1, 2)])
        tt = np.array([y + (h - 0.5) / 2 for y in range(2015, 2021) for h in (1, 2)])
        keep = ~np.isnan(yv)
        fit = sm.OLS(yv[keep], sm.add_constant(tt[keep])).fit()
        o = mk.original_test(yv)
        spots[area] = {"first": float(yv[0]), "ols_slope": float(fit.params[1]), "ols_p": float(fit.pvalues[1]),
                       "mk_s": float(o.s), "mk_p": float(o.p)}
    complete = sum(1 for a in series.values() if len(a) == 12 and not any(np.isnan(v) for v in a.values()))
    return {"koeln": koeln, "berlin_under6": {"spots": spots, "areas": len(series), "complete": complete}}


# ---------------------------------------------------------------- spatial statistics (libpysal, esda)
def spatial_statistics():
    import csv
    import esda
    import geopandas
    import libpysal
    out = {"libpysal": libpysal.__version__, "esda": esda.__version__}
    # The 3 × 3 lattice with y = 1 … 9 and binary rook weights (esda's own test case).
    w = libpysal.weights.lat2W(3, 3)
    w.transform = "B"
    y = np.arange(1, 10, dtype=float)
    m = esda.Moran(y, w, transformation="B", permutations=0)
    out["lattice"] = {"I": float(m.I), "EI": float(m.EI), "VI_norm": float(m.VI_norm), "VI_rand": float(m.VI_rand),
                      "z_norm": float(m.z_norm), "z_rand": float(m.z_rand), "p_norm": float(m.p_norm),
                      "p_rand": float(m.p_rand), "s0": float(w.s0), "s1": float(w.s1), "s2": float(w.s2)}
    # The shipped synthetic city: queen and rook weights from its polygons, y = inhabitants 2024.
    root = HERE.parent.parent / "datasets" / "synthetic-berlin"
    frame = geopandas.read_file(root / "planungsraeume.geojson")
    # y: each area's mean child-poverty share S4 over the years (suppressed cells left out), a spatially smooth
    # variable; the few areas suppressed in every year take the city mean.
    shares = {}
    with open(root / "indicators_annual.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["S4"] not in ("", "."):
                shares.setdefault(row["PLR_ID"], []).append(float(row["S4"]))
    city_mean = np.mean([v for vals in shares.values() for v in vals])
    y = np.array([np.mean(shares[i]) if i in shares else city_mean for i in frame["PLR_ID"]])
    queen = libpysal.weights.Queen.from_dataframe(frame, use_index=False, ids=list(frame["PLR_ID"]))
    rook = libpysal.weights.Rook.from_dataframe(frame, use_index=False, ids=list(frame["PLR_ID"]))
    queen_r = libpysal.weights.Queen.from_dataframe(frame, use_index=False, ids=list(frame["PLR_ID"]))
    queen_r.transform = "R"
    mq = esda.Moran(y, queen_r, permutations=0)
    lm = esda.Moran_Local(y, queen_r, permutations=0)
    g_star = esda.G_Local(y, queen_r, star=True, permutations=0)
    gb = libpysal.weights.Queen.from_dataframe(frame, use_index=False, ids=list(frame["PLR_ID"]))
    gb.transform = "B"
    g_star_b = esda.G_Local(y, gb, transform="B", star=True, permutations=0)
    g_plain = esda.G_Local(y, queen_r, star=False, permutations=0)
    points = rng.uniform(0, 10000, size=(300, 2))  # random points: no distance ties
    knn = libpysal.weights.KNN.from_array(points, k=4)
    band = libpysal.weights.DistanceBand.from_array(points, threshold=800, binary=True)
    out["city"] = {
        "ids": list(frame["PLR_ID"]), "y": vec(y),
        "queen": [sorted(int(j) for j in queen.neighbors[i]) for i in range(queen.n)] if False else
                 [sorted(list(frame["PLR_ID"]).index(j) for j in queen.neighbors[i]) for i in frame["PLR_ID"]],
        "rook": [sorted(list(frame["PLR_ID"]).index(j) for j in rook.neighbors[i]) for i in frame["PLR_ID"]],
        "queen_s0_s1_s2_binary": [float(queen.s0), float(queen.s1), float(queen.s2)],
        "moran_r": {"I": float(mq.I), "VI_norm": float(mq.VI_norm), "VI_rand": float(mq.VI_rand),
                    "z_rand": float(mq.z_rand), "p_rand": float(mq.p_rand)},
        "local_moran_r": vec(lm.Is), "local_quadrant": [int(q) for q in lm.q],
        "g_star_r_z": vec(g_star.Zs), "g_star_r": vec(g_star.Gs), "g_star_b_z": vec(g_star_b.Zs),
        "g_r_z": vec(g_plain.Zs),
        "points": rows(points), "knn4": [sorted(int(j) for j in knn.neighbors[i]) for i in range(300)],
        "band800": [sorted(int(j) for j in band.neighbors[i]) for i in range(300)],
    }
    # k nearest neighbours are not symmetric: s1 = ½ Σ_ij (w_ij + w_ji)² has terms where only one of them is a link.
    knn.transform = "R"
    y_points = points[:, 0] / 1000 + np.sin(points[:, 1] / 700)
    mk = esda.Moran(y_points, knn, permutations=0)
    out["city"]["knn4_r"] = {"s0_s1_s2": [float(knn.s0), float(knn.s1), float(knn.s2)], "y": vec(y_points),
                             "I": float(mk.I), "VI_norm": float(mk.VI_norm), "VI_rand": float(mk.VI_rand)}
    # Clustering: k-means on well-separated blobs, cluster quality, Ward (scipy), contiguity-constrained Ward
    # (scikit-learn with the queen connectivity) on the city's standardised y and its lag.
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.cluster import AgglomerativeClustering, KMeans
    from sklearn.datasets import make_blobs
    from sklearn.metrics import calinski_harabasz_score, silhouette_score
    blobs, _ = make_blobs(n_samples=300, centers=4, n_features=3, cluster_std=0.6, random_state=3)
    km = KMeans(n_clusters=4, n_init=10, random_state=0).fit(blobs)
    out["blobs"] = {"x": rows(blobs), "labels": [int(v) for v in km.labels_], "inertia": float(km.inertia_),
                    "calinski_harabasz": float(calinski_harabasz_score(blobs, km.labels_)),
                    "silhouette": float(silhouette_score(blobs, km.labels_))}
    small = blobs[:40]
    link = linkage(small, method="ward")
    out["ward"] = {"x": rows(small), "heights": vec(link[:, 2]), "sizes": vec(link[:, 3]),
                   "labels4": [int(v) for v in fcluster(link, 4, criterion="maxclust")]}
    ys = (y - y.mean()) / y.std()
    features = np.column_stack([ys, queen_r.sparse @ ys])
    connectivity = queen.sparse
    agg = AgglomerativeClustering(n_clusters=12, linkage="ward", connectivity=connectivity).fit(features)
    out["city"]["constrained_ward12"] = [int(v) for v in agg.labels_]
    out["city"]["features"] = rows(features)
    return out


def real_spatial():
    """Queen weights of Berlin's 448 planning-area polygons before 2021 (the duplicated id dissolved into one area,
    as sozmon's duplicate_ids = "merge" does) and a local Moran of the share of children under 6 (2020H2)."""
    import csv
    import esda
    import geopandas
    import libpysal
    if not SHARED.exists():
        return None
    frame = geopandas.read_file(SHARED / "berlin-lor-geodata" / "berlin-lor-planning-areas-until-2020.geojson")
    frame = frame.dissolve(by="id", sort=False).reset_index()
    ids = list(frame["id"])
    queen = libpysal.weights.Queen.from_dataframe(frame, use_index=False, ids=ids)
    share = {}
    name = "berlin-lor-population-2020-02"
    with open(SHARED / "berlin-ewr-population-lor" / f"{name}-csv" / f"{name}-t2-planning-areas.csv") as f:
        for row in csv.DictReader(f):
            total = float(row["inhabitants"])
            share[row["id"]] = 100 * float(row["inhabitants_age_below_6"]) / total if total > 0 else np.nan
    keep = [i for i in ids if i in share and not np.isnan(share[i])]
    sub = libpysal.weights.w_subset(queen, keep)
    sub.transform = "R"
    y = np.array([share[i] for i in keep])
    lm = esda.Moran_Local(y, sub, permutations=0)
    m = esda.Moran(y, sub, permutations=0)
    index = {i: k for k, i in enumerate(ids)}
    return {"ids": ids, "queen": [sorted(index[j] for j in queen.neighbors[i]) for i in ids],
            "islands": [index[i] for i in queen.islands], "keep": keep, "y": vec(y),
            "moran_I": float(m.I), "moran_z_rand": float(m.z_rand), "local_I": vec(lm.Is), "quadrant": [int(q) for q in lm.q]}


# ---------------------------------------------------------------- contiguous regions (spopt SKATER)
def regionalisation():
    """spopt's SKATER with squared Euclidean dissimilarity (its score is then the within-region sum of squares, the
    objective of Assunção et al. 2006): a 15 × 15 rook lattice with three smooth features, without and with a floor
    on the region size, and the Berlin planning areas of real_spatial.json (queen, islands) with the share of
    children under 6."""
    import warnings
    import libpysal
    import spopt
    from spopt.region.skater import SpanningForest
    from sklearn.metrics.pairwise import euclidean_distances

    def squared(x, y=None):
        return euclidean_distances(x, y, squared=True)

    local = np.random.default_rng(542)
    side = 15
    w = libpysal.weights.lat2W(side, side, rook=True)
    gx, gy = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
    gx, gy = gx.ravel() / side, gy.ravel() / side   # lat2W numbers cells row by row
    x = np.column_stack([np.sin(3 * gx) + gy, np.cos(2 * gy) - gx, gx * gy]) + 0.15 * local.standard_normal((side * side, 3))
    out = {"spopt": spopt.__version__, "lattice": {"side": side, "x": rows(x),
           "neighbours": [sorted(int(j) for j in w.neighbors[i]) for i in range(w.n)]}}
    for k, floor in [(6, -np.inf), (8, 20)]:
        model = SpanningForest(dissimilarity=squared).fit(k, w, data=x, quorum=floor)
        labels = model.current_labels_
        ssd = sum(float(((x[labels == c] - x[labels == c].mean(axis=0)) ** 2).sum()) for c in np.unique(labels))
        out["lattice"][f"k{k}_floor{0 if floor == -np.inf else floor}"] = {"labels": [int(v) for v in labels], "ssd": ssd}
    real = json.loads((HERE / "real_spatial.json").read_text())
    keep = [real["ids"].index(i) for i in real["keep"]]
    position = {a: k for k, a in enumerate(keep)}
    neighbours = {k: [position[b] for b in real["queen"][a] if b in position] for k, a in enumerate(keep)}
    wb = libpysal.weights.W(neighbours, silence_warnings=True)
    y = np.array(real["y"]).reshape(-1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = SpanningForest(dissimilarity=squared).fit(10, wb, data=y, islands="increase")
    out["berlin"] = {"k_requested": 10, "components": int(len(np.unique(model.current_labels_)) - 10),
                     "labels": [int(v) for v in model.current_labels_]}
    return out


# ---------------------------------------------------------------- facilities in WGS84 (pyproj)
def facilities_wgs84():
    """Longitude/latitude of points in cells of the shipped synthetic city (square 1 km cells from (370 000,
    5 800 000) in EPSG:25833), by pyproj's inverse projection, with the cell each lies in: the expected areas of
    WGS84 facilities located through sozmon's forward projection."""
    import pyproj
    t = pyproj.Transformer.from_crs("EPSG:25833", "EPSG:4326", always_xy=True)
    points = [(370_350.0, 5_800_420.0), (371_600.0, 5_800_250.0), (372_900.0, 5_803_100.0), (375_450.0, 5_801_750.0),
              (380_120.0, 5_810_880.0), (365_000.0, 5_790_000.0)]
    out = []
    for k, (e, n) in enumerate(points):
        lon, lat = t.transform(e, n)
        out.append({"id": f"W{k + 1}", "lon": lon, "lat": lat, "cell": [int((e - 370_000) // 1000), int((n - 5_800_000) // 1000)]})
    return {"pyproj": pyproj.__version__, "points": out}


def moran_subset():
    """Moran's I and local Moran of a variable with missing values, as libpysal and esda compute them on the areas
    that have a value: the binary queen weights of the shipped city subset to those areas (w_subset), then
    row-standardised. Every 7th area has no value, and so have all neighbours of area 100, which becomes an island."""
    import esda
    import libpysal
    city = spatial_statistics_city()
    ids, y, queen = city["ids"], np.array(city["y"]), city["queen"]
    missing = set(range(0, len(ids), 7)) | set(queen[100])
    present = [i for i in range(len(ids)) if i not in missing]
    w = libpysal.weights.W({ids[i]: [ids[j] for j in queen[i]] for i in range(len(ids))}, silence_warnings=True)
    sub = libpysal.weights.w_subset(w, [ids[i] for i in present], silence_warnings=True)
    sub.transform = "R"
    ys = y[present]
    m = esda.Moran(ys, sub, permutations=0)
    lm = esda.Moran_Local(ys, sub, permutations=0)
    return {"libpysal": libpysal.__version__, "esda": esda.__version__, "present": present,
            "islands": [present.index(ids.index(i)) for i in sub.islands],
            "I": float(m.I), "EI": float(m.EI), "VI_norm": float(m.VI_norm), "VI_rand": float(m.VI_rand),
            "z_rand": float(m.z_rand), "local_I": vec(lm.Is)}


def local_moran_permutations():
    """esda's conditional permutation test of local Moran with its own table of permuted ids (crand's
    vec_permutations, seed 12345, 99 permutations), on the shipped city with row-standardised queen weights: the table
    and the pseudo p-values, so that sozmon's test with the same table can be compared exactly."""
    import esda
    import libpysal
    from esda.crand import vec_permutations
    city = spatial_statistics_city()
    ids, y, queen = city["ids"], np.array(city["y"]), city["queen"]
    w = libpysal.weights.W({ids[i]: [ids[j] for j in queen[i]] for i in range(len(ids))}, silence_warnings=True)
    w.transform = "R"
    permutations, seed = 99, 12345
    lm = esda.Moran_Local(y, w, permutations=permutations, seed=seed, n_jobs=1, keep_simulations=True)
    width = max(len(n) for n in queen)
    table = vec_permutations(width, len(ids), permutations, seed)
    return {"esda": esda.__version__, "seed": seed, "table": [[int(v) for v in row] for row in table],
            "local_I": vec(lm.Is), "p_sim": vec(lm.p_sim)}


def spatial_statistics_city():
    """The city part of spatial_statistics.json as written (ids, y, queen neighbour indices)."""
    with open(HERE / "spatial_statistics.json", encoding="utf-8") as f:
        return json.load(f)["city"]


def ward_large():
    """Unconstrained Ward beyond the old 2 000-row limit: 3 000 rows of 3 features (six blobs with noise) rounded to
    4 decimals (exact in JSON), scipy's linkage heights and sizes, and scikit-learn's labels for 6 clusters."""
    from scipy.cluster.hierarchy import linkage
    from sklearn.cluster import AgglomerativeClustering
    rng = np.random.default_rng(2026)
    centres = rng.normal(scale=4, size=(6, 3))
    x = np.round(centres[rng.integers(0, 6, 3000)] + rng.normal(size=(3000, 3)), 4)
    link = linkage(x, method="ward")
    labels = AgglomerativeClustering(n_clusters=6, linkage="ward").fit(x).labels_
    return {"x": rows(x), "heights": vec(link[:, 2]), "sizes": vec(link[:, 3]), "labels6": [int(v) for v in labels]}


def geoda_weights():
    """GeoDa weights files written by libpysal for the demo's planning areas (queen contiguity as .gal, the 4 nearest
    centroids row-standardised as .gwt; next to this script in geoda/), and what libpysal reads back from them."""
    import geopandas
    import libpysal
    folder = HERE / "geoda"
    folder.mkdir(exist_ok=True)
    frame = geopandas.read_file(HERE.parent.parent / "datasets" / "synthetic-berlin" / "planungsraeume.geojson")
    ids = list(frame["PLR_ID"])
    queen = libpysal.weights.Queen.from_dataframe(frame, ids=ids, use_index=False, silence_warnings=True)
    f = libpysal.io.open(str(folder / "queen.gal"), "w")
    f.write(queen)
    f.close()
    c = frame.geometry.centroid
    knn = libpysal.weights.KNN.from_array(np.column_stack([c.x, c.y]), k=4, ids=ids)
    knn.transform = "R"
    f = libpysal.io.open(str(folder / "knn4.gwt"), "w")
    f.shpName, f.varName = "planungsraeume", "PLR_ID"
    f.write(knn)
    f.close()
    out = {}
    for name in ("queen.gal", "knn4.gwt"):
        w = libpysal.io.open(str(folder / name)).read()
        out[name] = {str(i): {"neighbours": [str(j) for j in w.neighbors[i]], "weights": [float(v) for v in w.weights[i]]}
                     for i in w.neighbors}
    return out


def map_classes():
    """mapclassify's classes (upper bounds and each value's class) of the demo's S1 and K3 in 2024 and of 3 000 skewed
    values: quantiles, equal intervals, Fisher-Jenks natural breaks (k = 5) and user-defined bounds."""
    import mapclassify
    import pandas as pd
    frame = pd.read_csv(HERE.parent.parent / "datasets" / "synthetic-berlin" / "indicators_annual.csv",
                        dtype={"PLR_ID": str, "ZEIT": str}, na_values=["."])
    latest = frame[frame["ZEIT"] == frame["ZEIT"].max()]
    rng = np.random.default_rng(58)
    series = {"S1": latest["S1"].dropna().to_numpy(), "K3": latest["K3"].dropna().to_numpy(),
              "skewed": np.round(rng.lognormal(1.0, 0.8, 3000), 3)}
    out = {}
    for name, y in series.items():
        entry = {"values": vec(y)}
        for key, scheme in (("quantiles", mapclassify.Quantiles(y, k=5)), ("equal_interval", mapclassify.EqualInterval(y, k=5)),
                            ("natural_breaks", mapclassify.FisherJenks(y, k=5)),
                            ("manual", mapclassify.UserDefined(y, bins=[2.0, 4.0, 6.0]))):
            entry[key] = {"bins": vec(scheme.bins), "classes": [int(c) for c in scheme.yb]}
        out[name] = entry
    out["mapclassify"] = mapclassify.__version__
    return out


def similar_areas():
    """scikit-learn's NearestNeighbors (brute force) on the demo's S1, S3, S4 in 2024: the 5 nearest other areas of
    each by Euclidean distance between z-scores (ddof 0), and by Mahalanobis distance (VI = inverse of numpy's cov)."""
    import pandas as pd
    from sklearn.neighbors import NearestNeighbors
    frame = pd.read_csv(HERE.parent.parent / "datasets" / "synthetic-berlin" / "indicators_annual.csv",
                        dtype={"PLR_ID": str, "ZEIT": str}, na_values=["."])
    latest = frame[frame["ZEIT"] == frame["ZEIT"].max()].dropna(subset=["S1", "S3", "S4"])
    x = latest[["S1", "S3", "S4"]].to_numpy()
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    out = {"ids": list(latest["PLR_ID"]), "x": rows(x)}
    for name, model, data in (
            ("euclidean", NearestNeighbors(n_neighbors=6, algorithm="brute"), z),
            ("mahalanobis", NearestNeighbors(n_neighbors=6, algorithm="brute", metric="mahalanobis",
                                             metric_params={"VI": np.linalg.inv(np.cov(x.T))}), x)):
        distances, indices = model.fit(data).kneighbors(data)
        # The first neighbour of each point is itself (distance 0); ties among the rest are not expected.
        out[name] = {"neighbours": [[int(j) for j in row[1:]] for row in indices],
                     "distances": [[float(d) for d in row[1:]] for row in distances]}
    return out


def catchment_access():
    """PySAL access's two-stage floating catchment (two_stage_fca, without and with the Gaussian decay of E2SFCA) for
    the demo: area centroids and 2024 populations, the facilities' coordinates and places, radius 1 500 m."""
    import geopandas
    import pandas as pd
    from access import fca
    folder = HERE.parent.parent / "datasets" / "synthetic-berlin"
    areas = geopandas.read_file(folder / "planungsraeume.geojson")
    c = areas.geometry.centroid
    frame = pd.read_csv(folder / "indicators_annual.csv", dtype={"PLR_ID": str, "ZEIT": str}, na_values=["."])
    population = frame[frame["ZEIT"] == frame["ZEIT"].max()].set_index("PLR_ID")["EW"]
    demand = pd.DataFrame({"geoid": list(areas["PLR_ID"]), "pop": [float(population.get(i, 0)) for i in areas["PLR_ID"]]})
    facilities = pd.read_csv(folder / "einrichtungen.csv")
    supply = pd.DataFrame({"geoid": list(facilities["id"]), "cap": facilities["plaetze"].astype(float)}).set_index("geoid")
    cost = pd.DataFrame([(a, f, float(np.hypot(fx - ax, fy - ay)))
                         for a, ax, ay in zip(areas["PLR_ID"], c.x, c.y)
                         for f, fx, fy in zip(facilities["id"], facilities["x"], facilities["y"])],
                        columns=["origin", "dest", "cost"])
    radius = 1500.0
    gaussian = lambda d: (np.exp(-0.5 * (d / radius) ** 2) - np.exp(-0.5)) / (1 - np.exp(-0.5))
    out = {"radius": radius, "areas": {"ids": list(areas["PLR_ID"]), "x": vec(c.x), "y": vec(c.y), "pop": vec(demand["pop"])},
           "facilities": {"x": vec(facilities["x"]), "y": vec(facilities["y"]), "capacity": vec(supply["cap"])}}
    for name, weight in (("2sfca", None), ("e2sfca", gaussian)):
        result = fca.two_stage_fca(demand.set_index("geoid"), supply, cost, max_cost=radius, demand_index=True,
                                   demand_name="pop", supply_index=True, supply_name="cap", weight_fn=weight)
        out[name] = [float(result.get(i, 0.0)) * 1000 for i in areas["PLR_ID"]]
    return out


def ehsa_category(z, p, tau, trend_p, alpha):
    """ESRI's emerging hot spot rules, written out from its documentation (see EmergingHotSpots.swift)."""
    t = len(z)
    hot = [p[k] < alpha and z[k] > 0 for k in range(t)]
    cold = [p[k] < alpha and z[k] < 0 for k in range(t)]
    for kind, spot, other, rising in (("hot", hot, cold, tau > 0), ("cold", cold, hot, tau < 0)):
        if not spot[-1]:
            continue
        share = sum(spot) / t
        if share >= 0.9:
            if trend_p < alpha:
                return ("intensifying " if rising else "diminishing ") + kind + " spot"
            return "persistent " + kind + " spot"
        run = 0
        while run < t and spot[t - 1 - run]:
            run += 1
        clean = not any(spot[k] or other[k] for k in range(t - run))
        if run == 1 and clean:
            return "new " + kind + " spot"
        if run >= 2 and clean:
            return "consecutive " + kind + " spot"
        return ("oscillating " if any(other[:-1]) else "sporadic ") + kind + " spot"
    for kind, spot in (("hot", hot), ("cold", cold)):
        if sum(spot) / t >= 0.9:
            return "historical " + kind + " spot"
    return "no pattern"


def emerging_hotspots():
    """Space-time G* of the demo's quarterly S4 (24 quarters, the 477 areas with a value in every quarter, queen
    contiguity among them by libpysal) with a time window of 1 quarter: z by the spdep/sfdep formula through an
    explicit space-time weights matrix (scipy.sparse), checked against esda's G_Local(star=True) for a window of 0;
    conditional-permutation p-values with a given table per window length; pymannkendall's original_test of each
    area's z-values; and the categories by ESRI's rules (ehsa_category)."""
    import esda
    import geopandas
    import libpysal
    import pandas as pd
    import pymannkendall
    import scipy.sparse as sp
    folder = HERE.parent.parent / "datasets" / "synthetic-berlin"
    frame = pd.read_csv(folder / "indicators_quarterly.csv", dtype={"PLR_ID": str, "ZEIT": str}, na_values=["."])
    cube = frame.pivot(index="ZEIT", columns="PLR_ID", values="S4").sort_index()
    cube = cube.loc[:, ~cube.isna().any()]
    areas = geopandas.read_file(folder / "planungsraeume.geojson")
    areas = areas[areas["PLR_ID"].isin(cube.columns)].reset_index(drop=True)
    ids = list(areas["PLR_ID"])
    x = cube[ids].to_numpy()  # periods × areas
    t_count, n = x.shape
    queen = libpysal.weights.Queen.from_dataframe(areas, use_index=False, ids=ids)
    position = {a: k for k, a in enumerate(ids)}
    neighbours = [sorted(position[j] for j in queen.neighbors[a]) for a in ids]
    spatial = sp.lil_matrix((n, n))
    for i, js in enumerate(neighbours):
        spatial[i, i] = 1
        for j in js:
            spatial[i, j] = 1
    spatial = spatial.tocsr()
    alpha, permutations = 0.05, 99

    def z_values(window):
        # The space-time weights: block (t, s) is the spatial matrix (self included) for t - window <= s <= t.
        blocks = [[spatial if 0 <= t - s <= window else None for s in range(t_count)] for t in range(t_count)]
        w = sp.bmat(blocks, format="csr")
        sums = w @ x.reshape(-1)
        m = np.asarray(w.sum(axis=1)).reshape(-1)
        mean = np.repeat(x.mean(axis=1), n)
        var = np.repeat(x.var(axis=1), n)
        return ((sums - m * mean) / np.sqrt(var * (n * m - m * m) / (n - 1))).reshape(t_count, n), sums.reshape(t_count, n)

    z0, _ = z_values(0)
    gb = libpysal.weights.W({k: neighbours[k] for k in range(n)}, silence_warnings=True)
    gb.transform = "B"
    esda_z = np.array([esda.G_Local(x[t], gb, transform="B", star=True, permutations=0).Zs for t in range(t_count)])
    assert np.allclose(z0, esda_z, rtol=0, atol=1e-10), "the space-time formula at window 0 is esda's G*"
    z1, sums = z_values(1)
    widest = max(len(js) for js in neighbours) + 1
    # Rows of distinct indices, as the Swift tables are.
    tables = [np.array([rng.choice(length * n - 1, size=widest * length - 1, replace=False) for _ in range(permutations)])
              for length in (1, 2)]
    p1 = np.empty_like(z1)
    for t in range(t_count):
        start = max(0, t - 1)
        length = t - start + 1
        window = x[start:t + 1].reshape(-1)
        for i in range(n):
            drawn = (len(neighbours[i]) + 1) * length - 1
            own_offset = (t - start) * n + i
            e = tables[length - 1][:, :drawn]
            e = e + (e >= own_offset)
            simulated = window[own_offset] + window[e].sum(axis=1)
            larger = int((simulated >= sums[t, i] - 1e-11 * abs(sums[t, i])).sum())  # ties within 1e-11 count
            p1[t, i] = (min(larger, permutations - larger) + 1) / (permutations + 1)
    trend = [pymannkendall.original_test(z1[:, i], alpha=alpha) for i in range(n)]
    categories = [ehsa_category(list(z1[:, i]), list(p1[:, i]), float(trend[i].Tau), float(trend[i].p), alpha)
                  for i in range(n)]
    return {"pymannkendall": pymannkendall.__version__, "esda": esda.__version__, "alpha": alpha,
            "ids": ids, "periods": list(cube.index), "neighbours": neighbours, "x": rows(x),
            "esda_z_window0": rows(esda_z), "z": rows(z1), "p": rows(p1),
            "tables": [[[int(v) for v in r] for r in tab] for tab in tables],
            "tau": [float(r.Tau) for r in trend], "trend_p": [float(r.p) for r in trend], "categories": categories}


def max_p():
    """spopt's MaxPHeuristic (its defaults: top_n 2, 99 construction iterations, 10 annealing runs; numpy seed 7) on
    a 20 x 20 rook lattice (two smooth random attributes, floor values 1..5, floor 12) and on the demo's 2024 areas
    (S1, S3, S4 z-standardised with ddof 0, queen contiguity, floor: 25 000 inhabitants, EW). Kept: spopt's number of
    regions, its heterogeneity (the sum over regions of the pairwise city-block distances, spopt's objective) and
    labels; sozmon must find at least as many regions with a heterogeneity no worse."""
    import geopandas
    import libpysal
    import pandas as pd
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial.distance import pdist, squareform
    from spopt.region import MaxPHeuristic
    import spopt

    def heterogeneity(x, labels):
        d = squareform(pdist(x, metric="cityblock"))
        return float(sum(d[np.ix_(labels == r, labels == r)].sum() / 2 for r in np.unique(labels)))

    def solve(x, neighbours, floor_values, floor):
        n = len(floor_values)
        w = libpysal.weights.W({i: list(neighbours[i]) for i in range(n)}, silence_warnings=True)
        frame = pd.DataFrame(x, columns=[f"a{k}" for k in range(x.shape[1])])
        frame["floor"] = floor_values
        np.random.seed(7)
        model = MaxPHeuristic(frame, w, list(frame.columns[:-1]), "floor", floor, policy="keep")
        model.solve()
        labels = np.asarray(model.labels_)
        for r in np.unique(labels):  # spopt's regions are contiguous and above the floor
            members = np.flatnonzero(labels == r)
            assert floor_values[members].sum() >= floor
            assert connected_components(w.sparse[members][:, members])[0] == 1
        return {"x": rows(x), "neighbours": [sorted(int(j) for j in neighbours[i]) for i in range(n)],
                "floor_values": vec(floor_values), "floor": float(floor), "spopt_regions": int(model.p),
                "spopt_heterogeneity": heterogeneity(x, labels), "spopt_labels": [int(v) for v in labels]}

    side = 20
    lattice = libpysal.weights.lat2W(side, side, rook=True)
    local = np.random.default_rng(11)
    base = local.normal(size=(side * side, 2))
    smooth = np.array([base[i] + sum(base[j] for j in lattice.neighbors[i]) / len(lattice.neighbors[i]) for i in range(side * side)])
    out = {"spopt": spopt.__version__,
           "lattice": solve(smooth, lattice.neighbors, local.integers(1, 6, size=side * side).astype(float), 12.0)}
    folder = HERE.parent.parent / "datasets" / "synthetic-berlin"
    areas = geopandas.read_file(folder / "planungsraeume.geojson")
    frame = pd.read_csv(folder / "indicators_annual.csv", dtype={"PLR_ID": str, "ZEIT": str}, na_values=["."])
    latest = frame[frame["ZEIT"] == frame["ZEIT"].max()].set_index("PLR_ID")
    keep = [i for i in areas["PLR_ID"] if i in latest.index and latest.loc[i, ["S1", "S3", "S4", "EW"]].notna().all()]
    areas = areas[areas["PLR_ID"].isin(keep)].reset_index(drop=True)
    ids = list(areas["PLR_ID"])
    queen = libpysal.weights.Queen.from_dataframe(areas, use_index=False, ids=ids)
    position = {a: k for k, a in enumerate(ids)}
    x = latest.loc[ids, ["S1", "S3", "S4"]].to_numpy()
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    demo = solve(z, [[position[j] for j in queen.neighbors[a]] for a in ids], latest.loc[ids, "EW"].to_numpy(float), 25000.0)
    demo["ids"] = ids
    out["demo"] = demo
    return out


def robust_indices():
    """COINr's default outlier treatment written out again (while |skew| > 2 and kurt > 3.5 and fewer than winmax
    points are treated: the largest values take the next smaller one when skew > 0, else the smallest the next
    larger one), with scipy's skew and kurtosis (bias=False: Excel's SKEW and KURT, COINr's skew and kurt), on
    COINr's vignette example, a mirrored (negatively skewed) copy, a series with tied extremes, one that reaches
    winmax, and the demo's 2024 S1 (a mild series that needs nothing)."""
    import pandas as pd

    def treat(x, winmax):
        x = np.array(sorted(x), dtype=float)
        before = (float(scipy.stats.skew(x, bias=False)), float(scipy.stats.kurtosis(x, bias=False)))
        treated, lower, upper = 0, None, None
        while treated < winmax:
            skew, kurt = scipy.stats.skew(x, bias=False), scipy.stats.kurtosis(x, bias=False)
            if not (abs(skew) > 2 and kurt > 3.5):
                break
            if skew > 0:
                top = x.max(); nxt = x[x < top].max(); treated += int((x == top).sum()); x[x == top] = nxt; upper = float(nxt)
            else:
                low = x.min(); nxt = x[x > low].min(); treated += int((x == low).sum()); x[x == low] = nxt; lower = float(nxt)
        after = (float(scipy.stats.skew(x, bias=False)), float(scipy.stats.kurtosis(x, bias=False)))
        return {"points": treated, "lower": lower, "upper": upper, "before": list(before), "after": list(after)}

    frame = pd.read_csv(HERE.parent.parent / "datasets" / "synthetic-berlin" / "indicators_annual.csv",
                        dtype={"PLR_ID": str, "ZEIT": str}, na_values=["."])
    s1 = frame[frame["ZEIT"] == frame["ZEIT"].max()]["S1"].dropna().to_numpy()
    heavy = np.concatenate([rng.normal(size=200), [15, 18, 22, 30, 45, 60, 80]])
    cases = {"coinr_vignette": ([*range(1, 11), 30, 100], 5), "mirrored": ([-v for v in [*range(1, 11), 30, 100]], 5),
             "tied": ([*range(1, 21), 200, 200], 5), "reaches_winmax": (list(heavy), 3), "demo_s1": (list(s1), 5)}
    return {name: {"x": vec(x), "winmax": m, **treat(x, m)} for name, (x, m) in cases.items()}


def real_hotspots():
    """Emerging hot spots on real data: the share of children under 6 in Berlin's planning areas before 2021 over the
    12 half-years 2015H1–2020H2 (derived shares only are stored), the areas with a share in every half-year, queen
    contiguity among them (libpysal, the dissolved polygons of real_spatial), window 1, normal p-values: z through the
    explicit space-time weights matrix, pymannkendall's trend of each area's z, the categories by ESRI's rules."""
    import csv
    import geopandas
    import libpysal
    import pymannkendall
    import scipy.sparse as sp
    from scipy.stats import norm
    if not SHARED.exists():
        return None
    frame = geopandas.read_file(SHARED / "berlin-lor-geodata" / "berlin-lor-planning-areas-until-2020.geojson")
    frame = frame.dissolve(by="id", sort=False).reset_index()
    ids = list(frame["id"])
    periods = [f"{y}-{h:02d}" for y in range(2015, 2021) for h in (1, 2)]
    shares = []
    for period in periods:
        name = f"berlin-lor-population-{period}"
        share = {}
        with open(SHARED / "berlin-ewr-population-lor" / f"{name}-csv" / f"{name}-t2-planning-areas.csv") as f:
            for row in csv.DictReader(f):
                total = float(row["inhabitants"])
                share[row["id"]] = 100 * float(row["inhabitants_age_below_6"]) / total if total > 0 else np.nan
        shares.append(share)
    keep = [i for i in ids if all(i in s and not np.isnan(s[i]) for s in shares)]
    queen = libpysal.weights.w_subset(libpysal.weights.Queen.from_dataframe(frame, use_index=False, ids=ids), keep)
    n, t_count = len(keep), len(periods)
    position = {a: k for k, a in enumerate(keep)}
    x = np.array([[s[i] for i in keep] for s in shares])
    spatial = sp.lil_matrix((n, n))
    for a in keep:
        spatial[position[a], position[a]] = 1
        for b in queen.neighbors[a]:
            spatial[position[a], position[b]] = 1
    blocks = [[spatial.tocsr() if 0 <= t - u <= 1 else None for u in range(t_count)] for t in range(t_count)]
    w = sp.bmat(blocks, format="csr")
    sums, m = w @ x.reshape(-1), np.asarray(w.sum(axis=1)).reshape(-1)
    z = ((sums - m * np.repeat(x.mean(axis=1), n)) / np.sqrt(np.repeat(x.var(axis=1), n) * (n * m - m * m) / (n - 1))).reshape(t_count, n)
    p = 2 * norm.sf(np.abs(z))
    trend = [pymannkendall.original_test(z[:, i], alpha=0.05) for i in range(n)]
    return {"periods": periods, "keep": keep, "x": rows(x), "z": rows(z), "tau": [float(r.Tau) for r in trend],
            "trend_p": [float(r.p) for r in trend],
            "categories": [ehsa_category(list(z[:, i]), list(p[:, i]), float(trend[i].Tau), float(trend[i].p), 0.05)
                           for i in range(n)]}


# ---------------------------------------------------------------- location-allocation (spopt.locate)
def spopt_problems(demand_xy, weights, cand_xy, fixed, radius, sites, cover_radius):
    """MCLP, p-median and LSCP by spopt.locate (PuLP with CBC) on straight-line distances; for each problem its
    objective and the open sites (fixed ones included)."""
    import pulp
    from spopt.locate import LSCP, MCLP, PMedian
    d = np.hypot(demand_xy[:, None, 0] - cand_xy[None, :, 0], demand_xy[:, None, 1] - cand_xy[None, :, 1])
    predefined = None
    if fixed:
        predefined = np.zeros(len(cand_xy), dtype=int)
        predefined[fixed] = 1
    solver = pulp.PULP_CBC_CMD(msg=False)
    out = {}
    models = {
        "mclp": MCLP.from_cost_matrix(d, weights, service_radius=radius, p_facilities=sites + len(fixed),
                                      predefined_facilities_arr=predefined),
        "pmedian": PMedian.from_cost_matrix(d, weights, p_facilities=sites + len(fixed),
                                            predefined_facilities_arr=predefined),
        "lscp": LSCP.from_cost_matrix(d, service_radius=cover_radius, predefined_facilities_arr=predefined),
    }
    for name, model in models.items():
        model.solve(solver)
        out[name] = {"objective": float(model.problem.objective.value()),
                     "open": [j for j, v in enumerate(model.fac_vars) if v.value() > 0.5]}
    return out


def location_allocation():
    """spopt.locate on the demo's Bezirk 05 (area centroids, population 2024, the candidates every centroid plus the
    city's existing Stadtteilzentren, which stay open, as sozmon's [locate] keeps them) and on Berlin's real planning areas of Spandau (05,
    before 2021; children under 6 in 2020H2; candidates every centroid, none fixed), 3 new sites, MCLP radius 1 000 m,
    LSCP radius 1 500 m."""
    import csv
    import geopandas
    import pandas as pd
    import spopt
    cases = {}
    folder = HERE.parent.parent / "datasets" / "synthetic-berlin"
    areas = geopandas.read_file(folder / "planungsraeume.geojson")
    areas = areas[areas["PLR_ID"].str.startswith("05")].reset_index(drop=True)
    c = areas.geometry.centroid
    frame = pd.read_csv(folder / "indicators_annual.csv", dtype={"PLR_ID": str, "ZEIT": str}, na_values=["."])
    population = frame[frame["ZEIT"] == frame["ZEIT"].max()].set_index("PLR_ID")["EW"]
    weights = np.array([float(population.get(i, 0)) for i in areas["PLR_ID"]])
    demand = np.column_stack([c.x, c.y])
    facilities = pd.read_csv(folder / "einrichtungen.csv")
    existing = facilities[facilities["typ"] == "Stadtteilzentrum"]
    candidates = np.vstack([demand, existing[["x", "y"]].to_numpy(dtype=float)])
    fixed = list(range(len(demand), len(candidates)))
    cases["demo"] = {"ids": list(areas["PLR_ID"]), "existing": list(existing["id"]), "demand_x": vec(demand[:, 0]), "demand_y": vec(demand[:, 1]),
                     "weights": vec(weights), "candidate_x": vec(candidates[:, 0]), "candidate_y": vec(candidates[:, 1]),
                     "fixed": fixed, "sites": 3, "radius": 1000.0, "cover_radius": 1500.0,
                     **spopt_problems(demand, weights, candidates, fixed, 1000.0, 3, 1500.0)}
    if SHARED.exists():
        real = geopandas.read_file(SHARED / "berlin-lor-geodata" / "berlin-lor-planning-areas-until-2020.geojson")
        real = real.dissolve(by="id", sort=True).reset_index().to_crs(25833)
        real = real[real["id"].str.startswith("05")].reset_index(drop=True)
        children = {}
        name = "berlin-lor-population-2020-02"
        with open(SHARED / "berlin-ewr-population-lor" / f"{name}-csv" / f"{name}-t2-planning-areas.csv") as f:
            for row in csv.DictReader(f):
                children[row["id"]] = float(row["inhabitants_age_below_6"])
        c = real.geometry.centroid
        demand = np.column_stack([c.x, c.y])
        weights = np.array([children.get(i, 0.0) for i in real["id"]])
        cases["spandau"] = {"ids": list(real["id"]), "demand_x": vec(demand[:, 0]), "demand_y": vec(demand[:, 1]),
                            "weights": vec(weights), "candidate_x": vec(demand[:, 0]), "candidate_y": vec(demand[:, 1]),
                            "fixed": [], "sites": 3, "radius": 1000.0, "cover_radius": 1500.0,
                            **spopt_problems(demand, weights, demand, [], 1000.0, 3, 1500.0)}
    return {"cases": cases, "spopt": spopt.__version__, "pulp": __import__("pulp").__version__}


FIXTURES = [
    ("location_allocation.json", lambda: location_allocation()),
    ("max_p.json", lambda: max_p()),
    ("emerging_hotspots.json", lambda: emerging_hotspots()),
    ("robust_indices.json", lambda: robust_indices()),  # after emerging_hotspots.json (the shared generator)
    ("catchment_access.json", lambda: catchment_access()),
    ("similar_areas.json", lambda: similar_areas()),
    ("map_classes.json", lambda: map_classes()),
    ("geoda_weights.json", lambda: geoda_weights()),
    ("ward_large.json", lambda: ward_large()),
    ("facilities_wgs84.json", lambda: facilities_wgs84()),
    ("regions.json", lambda: regionalisation()),
    ("real_spatial.json", lambda: real_spatial()),
    ("real_hotspots.json", lambda: real_hotspots()),
    ("spatial_statistics.json", lambda: spatial_statistics()),
    ("moran_subset.json", lambda: moran_subset()),  # after spatial_statistics.json, whose city it reads
    ("local_moran_permutations.json", lambda: local_moran_permutations()),  # likewise
    ("real_trends.json", lambda: real_trends()),
    ("trends.json", lambda: trends()),
    ("small_edition.json", lambda: small_edition()),
    ("indicators.json", lambda: indicators()),
    ("spatial.json", lambda: projections()),
    ("linear_algebra.json", lambda: linear_algebra()),
    ("statistics.json", lambda: {"moments": moments(), "quantiles": quantiles(), "ranks": ranks(), "fdr": fdr(),
                                 "random_streams": random_streams(), **distributions()}),
]

if __name__ == "__main__":
    # python make_fixtures.py [NAME.json …]: only those fixtures (default: all). Fixtures of real data are skipped
    # when ../shared/data is absent (their function returns None).
    import sys
    only = set(sys.argv[1:])
    for name, make in FIXTURES:
        if only and name not in only:
            continue
        payload = make()
        if payload is not None:
            dump(name, payload)
    print("fixtures written to", HERE)
