"""Disclosure audit of a sozmon report folder: what can an attacker work out from everything published?

Reads the published CSV tables of a report (plain dialect) and its run.json, builds the linear system an attacker has,
and computes by linear programming (scipy's HiGHS) the feasible interval of every suppressed count of people:

  unknowns   every suppressed area count (population, each count column of input.counts), every suppressed indicator
             value, and for a population-weighted level mean the product of an area's population and its value where
             either is suppressed (bounded by 0 ≤ m ≤ 100·p for an indicator in %, a linear relaxation of m = p·x);
  equations  every published unit total, city total and class population (sums of area counts), every published
             level mean (Σ pᵢ·xᵢ = mean · Σ pᵢ over the unit's areas with a value), every count-based level share
             (100·Σ numerator = share · Σ denominator), z-values (x = mean + sd·z, mean and sd from published pairs),
             the z-values of a standardised indicator summing to 0 over the scored areas, and index sums and values
             (linear in the z-values, coefficients fitted on published rows);
             and a value quarters.csv publishes for the reference period is known;
  bounds     counts ≥ 0, shares in [0, 100] where the catalogue's unit is %.

With --truth (the data owner's view: the input table is read through run.json), every small count (0 < x < threshold)
must be suppressed and its interval [lo, hi] must reach hi ≥ x + protection. The exit status is 1 when a condition
fails, 0 otherwise; a summary line per count and a JSON report (--json) say what was found.

Not modelled: relations that are not linear (the variance of z-values, products of two unknowns beyond the relaxation
above), and tables other than the CSV ones (the workbook, GeoPackage, GeoJSON and HTML publish the same cells; tests
in Swift check that).
"""

import argparse
import csv
import json
import math
import os
import sys
from collections import defaultdict

import numpy as np
from scipy.optimize import linprog

SUPPRESSED = "."


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def number(cell):
    """A published number, SUPPRESSED for '.', None for empty or text."""
    if cell == SUPPRESSED:
        return SUPPRESSED
    try:
        v = float(cell)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def slug(label):
    return "unclassified" if label == "" else label.replace(" ", "_")


def level_slug(name):
    out = "".join(c if (c.isalnum()) else "_" for c in name.lower())
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        out = out.replace(a, b)
    return out


class System:
    """Linear equations over named unknowns; known values fold into the right-hand side."""

    def __init__(self):
        self.index = {}
        self.bounds = []
        self.rows = []  # (dict var → coefficient, rhs)

    def var(self, name, low=0.0, high=None):
        if name not in self.index:
            self.index[name] = len(self.bounds)
            self.bounds.append((low, high))
        return self.index[name]

    def equation(self, terms, rhs):
        """terms: list of (coefficient, value) where value is a float (known) or a variable name."""
        coefficients, constant = defaultdict(float), 0.0
        for c, v in terms:
            if isinstance(v, str):
                coefficients[self.index[v]] += c
            else:
                constant += c * v
        coefficients = {k: c for k, c in coefficients.items() if c != 0}
        if coefficients:
            self.rows.append((coefficients, rhs - constant))

    def interval(self, objective):
        """min and max of Σ c·var (objective: dict name → coefficient)."""
        n = len(self.bounds)
        a = np.zeros((len(self.rows), n))
        b = np.zeros(len(self.rows))
        for r, (coefficients, rhs) in enumerate(self.rows):
            for k, c in coefficients.items():
                a[r, k] = c
            b[r] = rhs
        # Scale each equation so that tolerances mean the same everywhere.
        scale = np.maximum(np.abs(a).max(axis=1, initial=0), 1.0) if len(b) else np.ones(0)
        a, b = (a / scale[:, None], b / scale) if len(b) else (a, b)
        c = np.zeros(n)
        for name, coefficient in objective.items():
            c[self.index[name]] = coefficient
        result = []
        for sign in (1, -1):
            res = linprog(sign * c, A_eq=a if len(b) else None, b_eq=b if len(b) else None, bounds=self.bounds,
                          method="highs")
            if res.status == 3:
                result.append(-sign * math.inf)
            elif res.status != 0:
                raise RuntimeError(f"linprog: {res.message}")
            else:
                result.append(sign * res.fun)
        return result[0], result[1]


class Report:
    def __init__(self, folder):
        self.folder = folder
        with open(os.path.join(folder, "run.json"), encoding="utf-8") as f:
            self.manifest = json.load(f)
        self.config = self.manifest["config"]
        report = self.config["report"]
        self.threshold = float(report["disclosure_threshold"])
        self.protection = float(report.get("disclosure_protection") or self.threshold)
        self.levels = self.config["input"].get("level_names", []) if self.config["input"].get("hierarchy", []) or \
            self.config["input"].get("parents") else []
        self.tables = {}
        for name in os.listdir(os.path.join(folder, "tables")):
            if name.endswith(".csv"):
                self.tables[name[:-4]] = read_csv(os.path.join(folder, "tables", name))
        header, rows = self.tables["areas"]
        self.areas = [dict(zip(header, row)) for row in rows]
        self.ids = [a["area_id"] for a in self.areas]
        self.period = self.areas[0]["period"] if self.areas else ""
        counts = self.config["input"].get("counts", {})
        self.shares = {share: (pair["numerator"], pair["denominator"]) for share, pair in counts.items()}
        self.count_columns = {c for pair in self.shares.values() for c in pair if c in header}
        catalogue = self.config.get("indicators", {})
        self.percent = {code for code, e in catalogue.items() if (e.get("entry") or e).get("unit") == "%"}
        self.percent |= set(self.shares)
        self.indices = self.config.get("indices", [])

    def parent(self, area, level):
        return area[level_slug(self.levels[level]) + "_id"]

    def members(self, level, unit):
        if level is None:
            return list(range(len(self.areas)))
        return [i for i, a in enumerate(self.areas) if self.parent(a, level) == unit]

    def unit_tables(self):
        """(table rows as dicts, level) for the tables with a row per unit: summaries, profiles, supply."""
        for level, name in enumerate(self.levels):
            s = level_slug(name)
            for table, key in ((f"summary_{s}", f"{s}_id"), (f"supply_{s}", f"{s}_id"), (f"profiles_{s}", "region_id")):
                if table in self.tables:
                    header, rows = self.tables[table]
                    yield table, [dict(zip(header, row)) for row in rows], level, key


def build(report, restore=None):
    """The attacker's system and the names of the suppressed count cells.

    restore: the true counts; with it, every suppressed count that is not small is taken as published (what primary
    suppression alone would publish), so that the audit can be seen to fail without secondary suppression.
    """
    system = System()

    def unsmall(x):
        return x is not None and not (0 < x < report.threshold)
    areas, n = report.areas, len(report.areas)
    variables = ["population"] + sorted(report.count_columns)
    supply_target = report.config.get("supply", {}).get("target") if report.config.get("supply") else None
    has_supply = report.config.get("supply") is not None

    supply_rows = {}
    if has_supply and "supply_areas" in report.tables:
        header, rows = report.tables["supply_areas"]
        supply_rows = {r[0]: dict(zip(header, r)) for r in rows}

    def cell(variable, i):
        """An area's count as published in every table that shows it (a number, or a variable name)."""
        published = [number(areas[i].get(variable, ""))]
        if variable == (supply_target or "population") and report.ids[i] in supply_rows:
            published.append(number(supply_rows[report.ids[i]]["target_population"]))
        numbers = [v for v in published if isinstance(v, float)]
        if numbers:
            return numbers[0]
        if restore and unsmall(restore[variable].get(report.ids[i])):
            return restore[variable][report.ids[i]]
        if SUPPRESSED in published:
            name = f"{variable}[{report.ids[i]}]"
            system.var(name)
            return name
        return 0.0  # missing: in no sum

    counts = {v: [cell(v, i) for i in range(n)] for v in variables}

    def restored(column, members):
        """A suppressed total as primary suppression alone would publish it (None where it is small)."""
        variable = "population" if column in ("population", "target_population") else column
        if variable in restore:
            total = sum(restore[variable].get(report.ids[i], 0.0) for i in members)
            return total if unsmall(total) else None
        for index in report.indices:
            prefix = index["name"] + "_"
            if column.startswith(prefix) and column.endswith("_population"):
                label_slug = column[len(prefix):-len("_population")]
                total = sum(restore["population"].get(report.ids[i], 0.0) for i in members
                            if slug(areas[i].get(index["name"] + "_class", "")) == label_slug)
                return total if unsmall(total) else None
        return None

    # Unit totals, class populations, count sums (summaries, profiles, supply; the city row of supply tables).
    for table, rows, level, key in report.unit_tables():
        for row in rows:
            unit = row[key]
            members = report.members(None if unit == "Stadt" else level, unit)
            for column, value in row.items():
                v = number(value)
                if v == SUPPRESSED and restore:
                    v = restored(column, members)
                if not isinstance(v, float):
                    continue
                variable = None
                if column == "population" or (column == "target_population" and not supply_target):
                    variable = "population"
                elif column in report.count_columns or (column == "target_population" and supply_target in report.count_columns):
                    variable = column if column != "target_population" else supply_target
                if variable:
                    system.equation([(1.0, counts[variable][i]) for i in members], v)
                    continue
                if table.startswith("summary_") and column.endswith("_population"):
                    for index in report.indices:
                        prefix = index["name"] + "_"
                        if column.startswith(prefix):
                            label_slug = column[len(prefix):-len("_population")]
                            inclass = [i for i in members if slug(areas[i].get(index["name"] + "_class", "")) == label_slug]
                            system.equation([(1.0, counts["population"][i]) for i in inclass], v)

    if (supply_target or "population") in counts:
        planning_equations(report, system, counts[supply_target or "population"])

    # Indicator values: known, derived from z, or unknown.
    indicators = [c for c in (report.tables["areas"][0]) if c in report.config["input"].get("indicators", [])
                  or c in report.shares or any(c in ix["indicators"] for ix in report.indices)]
    indicators = [c for c in indicators if c not in report.count_columns and not c.startswith("z_")]
    # Values published in other tables per area: quarters.csv's value of the reference period.
    elsewhere = defaultdict(dict)
    if "quarters" in report.tables:
        header, rows = report.tables["quarters"]
        for row in rows:
            q = dict(zip(header, row))
            v = number(q.get("value", ""))
            if q.get("period") == report.period and isinstance(v, float):
                elsewhere[q["indicator"]][q["area_id"]] = v
    values, scales = {}, {}
    for j in indicators:
        z_column = "z_" + j
        column = []
        pairs = [(number(a[j]), number(a.get(z_column, ""))) for a in areas]
        fit = [(x, z) for x, z in pairs if isinstance(x, float) and isinstance(z, float)]
        mean_sd = None
        if len(fit) >= 2 and len({z for _, z in fit}) >= 2:
            zs, xs = np.array([z for _, z in fit]), np.array([x for x, _ in fit])
            sd, mean = np.polyfit(zs, xs, 1)
            mean_sd = scales[j] = (mean, sd)
        for i, (x, z) in enumerate(pairs):
            if x == SUPPRESSED and report.ids[i] in elsewhere.get(j, {}):
                x = elsewhere[j][report.ids[i]]
            if isinstance(x, float):
                column.append(x)
            elif x == SUPPRESSED and isinstance(z, float) and mean_sd:
                column.append(mean_sd[0] + mean_sd[1] * z)
            elif x == SUPPRESSED:
                name = f"{j}[{report.ids[i]}]"
                system.var(name, 0.0, 100.0) if j in report.percent else system.var(name, None, None)
                column.append(name)
            else:
                column.append(None)
        values[j] = column
        # z-values sum to 0 over the scored areas: the suppressed ones' values add up to n·mean minus the rest.
        scored = [i for i, (_, z) in enumerate(pairs) if z is not None]
        if mean_sd and any(isinstance(values[j][i], str) for i in scored):
            system.equation([(1.0, values[j][i]) for i in scored], len(scored) * mean_sd[0])
        # A share from counts with a published denominator: 100·numerator = share·denominator.
        if j in report.shares:
            num, den = report.shares[j]
            for i in range(n):
                d = counts.get(den, [None] * n)[i]
                if isinstance(values[j][i], str) and isinstance(d, float) and num in counts:
                    system.equation([(100.0, counts[num][i]), (-d, values[j][i])], 0.0)
                elif isinstance(values[j][i], float) and isinstance(d, float) and num in counts:
                    system.equation([(1.0, counts[num][i])], values[j][i] * d / 100.0)

    # Index sums and values: linear in the z-values; coefficients fitted on fully published rows.
    for index in report.indices:
        name = index["name"]
        zs = ["z_" + j for j in index["indicators"] if j in values]
        for target in (f"{name}_sum", f"{name}_value"):
            rows = [(number(a.get(target, "")), [number(a.get(z, "")) for z in zs], i) for i, a in enumerate(areas)]
            full = [(t, z) for t, z, _ in rows if isinstance(t, float) and all(isinstance(v, float) for v in z)]
            if len(full) <= len(zs) + 1:
                continue
            design = np.array([z + [1.0] for _, z in full])
            coefficients, *_ = np.linalg.lstsq(design, np.array([t for t, _ in full]), rcond=None)
            for t, z, i in rows:
                if isinstance(t, float) and any(v == SUPPRESSED for v in z):
                    terms = []
                    for k, j in enumerate(index["indicators"]):
                        if j not in scales or values[j][i] is None:
                            terms = None
                            break
                        mean, sd = scales[j]  # z = (x − mean)/sd
                        terms += [(coefficients[k] / sd, values[j][i]), (-coefficients[k] * mean / sd, 1.0)]
                    if terms:
                        system.equation(terms, t - coefficients[-1])

    # Population-weighted level means: Σ pᵢ(xᵢ − mean) = 0 over the unit's areas with a value.
    for table, rows, level, key in report.unit_tables():
        if not table.startswith("summary_"):
            continue
        for row in rows:
            members = report.members(level, row[key])
            for j in indicators:
                if j in report.shares or not isinstance(number(row.get(j, "")), float):
                    continue
                mean = number(row[j])
                terms = []
                for i in members:
                    p, x = counts["population"][i], values[j][i]
                    if x is None or (isinstance(p, float) and p == 0):
                        continue
                    if isinstance(p, float) and isinstance(x, float):
                        terms.append((p, x - mean))
                    elif isinstance(p, str) and isinstance(x, float):
                        terms.append((x - mean, p))
                    elif isinstance(p, float):
                        terms += [(p, x), (-mean * p, 1.0)]
                    else:
                        m = f"m[{j},{report.ids[i]}]"
                        system.var(m, 0.0 if j in report.percent else None, None)
                        if j in report.percent and isinstance(p, str):  # m ≤ 100·p
                            slack = system.var(f"s[{j},{report.ids[i]}]", 0.0, None)
                            system.rows.append(({system.index[m]: 1.0, system.index[p]: -100.0, slack: 1.0}, 0.0))
                        terms.append((1.0, m))
                        terms.append((-mean, p))
                system.equation(terms, 0.0)
            # Count-based shares: 100·Σ numerator − share·Σ denominator = 0.
            for share, (num, den) in report.shares.items():
                q = number(row.get(share, ""))
                if isinstance(q, float) and num in counts and den in counts:
                    terms = [(100.0, counts[num][i]) for i in members] + [(-q, counts[den][i]) for i in members]
                    system.equation(terms, 0.0)
    return system, counts


def rows_of(report, name):
    header, rows = report.tables[name]
    return [dict(zip(header, row)) for row in rows]


def planning_equations(report, system, target):
    """The planning tables (#32) as the attacker reads them: the target group per area and unit of every scenario
    without a forecast, the target group in its gap areas before and after, and [locate]'s demand (the target group
    times the weight indicator's published value) with every sum of it: per site, the totals served before and
    after, the p-median's objective and the demand-weighted mean distances (a ratio of two sums: linear once the
    denominator is known)."""
    index = {a: i for i, a in enumerate(report.ids)}
    forecast = {s["name"] for s in report.config.get("scenarios", []) if s.get("population")}

    def publish(members, value, coefficients=None):
        v = number(value)
        if isinstance(v, float) and members is not None:
            system.equation([((coefficients or {}).get(i, 1.0), target[i]) for i in members], v)
    if "scenario_areas" in report.tables:
        gaps = defaultdict(lambda: ([], []))
        for r in rows_of(report, "scenario_areas"):
            if r["scenario"] in forecast:
                continue
            i = index[r["area_id"]]
            publish([i], r["target_population"])
            for k, column in enumerate(("gap_before", "gap_after")):
                if r[column] == "true":
                    gaps[r["scenario"]][k].append(i)
        for r in rows_of(report, "scenarios"):
            if r["scenario"] not in forecast:
                publish(gaps[r["scenario"]][0], r["gap_target_before"])
                publish(gaps[r["scenario"]][1], r["gap_target_after"])
    for level, name in enumerate(report.levels):
        table = f"scenario_{level_slug(name)}"
        for r in rows_of(report, table) if table in report.tables else []:
            if r["scenario"] not in forecast:
                unit = r[f"{level_slug(name)}_id"]
                publish(report.members(None if unit == "Stadt" else level, unit), r["target_population"])
    locate = report.config.get("locate")
    if not locate or "location_areas" not in report.tables:
        return
    indicator = locate.get("weight_indicator")
    factor = {}
    for i, a in enumerate(report.areas):
        v = number(a.get(indicator, "")) if indicator else 1.0
        factor[i] = v * (0.01 if indicator in report.percent else 1.0) if isinstance(v, float) else None
    demand, before, after, by_site, distance = [], [], [], defaultdict(list), {}
    for r in rows_of(report, "location_areas"):
        i = index[r["area_id"]]
        demand.append(i)
        if r["site_before"]:
            before.append(i)
        if r["site_after"]:
            after.append(i)
            by_site[r["site_after"]].append(i)
        distance[i] = (number(r["distance_before"]), number(r["distance_after"]))

    def weighted(members, extra=lambda i: 1.0):
        """Coefficients factor·extra per member, or None where a factor is unknown (not linear then)."""
        if any(factor[i] is None for i in members):
            return None, None
        return members, {i: factor[i] * extra(i) for i in members}
    for r in rows_of(report, "location_areas"):
        members, coefficients = weighted([index[r["area_id"]]])
        publish(members, r["demand"], coefficients)
    for r in rows_of(report, "location_sites"):
        members, coefficients = weighted(by_site[r["site_id"]])
        publish(members, r["demand_served"], coefficients)
    summary = rows_of(report, "location_summary")[0]
    for column, members in (("demand", demand), ("served_before", before), ("served_after", after)):
        m, coefficients = weighted(members)
        publish(m, summary[column], coefficients)
    if summary["problem"] == "p-median":
        m, coefficients = weighted(after, lambda i: distance[i][1])
        publish(m, summary["objective"], coefficients)
    for k, (column, served) in enumerate((("mean_distance_before", before), ("mean_distance_after", after))):
        mean = number(summary[column])
        if isinstance(mean, float) and all(isinstance(distance[i][k], float) for i in served):
            m, coefficients = weighted(served, lambda i: distance[i][k] - mean)
            publish(m, "0", coefficients)


def truth(report):
    """The input's counts for the reference period, per variable and area (the data owner's view)."""
    c = report.config["input"]
    base = report.config.get("base_folder") or os.path.dirname(report.manifest.get("config_file", ""))
    path = os.path.join(base, c["table"])
    with open(path, newline="", encoding="utf-8-sig") as f:
        sample = f.read(4096)
        f.seek(0)
        reader = csv.reader(f, delimiter=";" if sample.count(";") > sample.count(",") else ",")
        header = next(reader)
        rows = [dict(zip(header, r)) for r in reader]
    period = c.get("period")
    columns = {"population": c.get("population")} | {v: v for v in report.count_columns}
    out = defaultdict(dict)
    for r in rows:
        if period and r.get(period) != report.period:
            continue
        for variable, column in columns.items():
            if column and column in r:
                try:
                    out[variable][r[c["area_id"]]] = float(r[column])
                except ValueError:
                    pass
    return out


def audit(folder, with_truth, without_secondary=False):
    report = Report(folder)
    true = truth(report) if with_truth or without_secondary else None
    system, counts = build(report, true if without_secondary else None)
    findings, cells = [], []
    for variable, column in counts.items():
        for i, value in enumerate(column):
            x = true[variable].get(report.ids[i]) if true else None
            small = x is not None and 0 < x < report.threshold
            if isinstance(value, float):
                if small:
                    findings.append(f"{variable} of {report.ids[i]} = {x:g} is published")
                continue
            if not isinstance(value, str):
                continue
            lo, hi = system.interval({value: 1.0})
            cells.append({"variable": variable, "area": report.ids[i], "value": x, "primary": small, "low": lo, "high": hi})
            if small and hi < x + report.protection - 1e-6:
                findings.append(f"{variable} of {report.ids[i]} = {x:g}: an attacker narrows it to [{lo:.4g}, {hi:.4g}], "
                                f"short of {x:g} + {report.protection:g}")
    # Published small sums: any count column of a table per unit in (0, threshold).
    for table, rows, level, key in report.unit_tables():
        for row in rows:
            for column, value in row.items():
                v = number(value)
                if column.endswith("population") and isinstance(v, float) and 0 < v < report.threshold:
                    findings.append(f"{table}: {key} {row[key]}: {column} = {v:g} is published")
    primary = [c for c in cells if c["primary"]]
    narrowest = min((c["high"] - c["value"] for c in primary), default=None)
    return {"folder": folder, "threshold": report.threshold, "protection": report.protection,
            "suppressed_count_cells": len(cells), "primary": len(primary), "secondary": len(cells) - len(primary),
            "narrowest_upper_margin": narrowest, "equations": len(system.rows), "unknowns": len(system.bounds),
            "cells": cells, "findings": findings}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report")
    parser.add_argument("--truth", action="store_true", help="read the input table through run.json")
    parser.add_argument("--without-secondary", action="store_true",
                        help="take every suppressed count that is not small as published (implies --truth)")
    parser.add_argument("--json", help="write the full result here")
    args = parser.parse_args()
    result = audit(args.report, args.truth, args.without_secondary)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1)
    margin = result["narrowest_upper_margin"]
    print(f"audit {args.report}: {result['suppressed_count_cells']} suppressed count cells "
          f"({result['primary']} primary, {result['secondary']} secondary), {result['equations']} equations over "
          f"{result['unknowns']} unknowns; narrowest reach above a primary: "
          f"{'—' if margin is None else f'{margin:.4g}'} (protection {result['protection']:g})")
    for finding in result["findings"]:
        print("  LEAK: " + finding)
    sys.exit(1 if result["findings"] else 0)


if __name__ == "__main__":
    main()
