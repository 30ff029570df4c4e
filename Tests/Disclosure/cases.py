"""Runs sozmon on the demo and on adversarial variants of a generated city, and audits each report folder.

Each case must pass the audit (every small count suppressed, every interval reaching the protection range), and each
case with a small count must fail it when secondary suppression is taken away (audit --without-secondary): the audit
can see a leak. Prints one line per case; exit status 1 when any expectation fails.

  python cases.py SOZMON WORKDIR
"""

import csv
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import audit  # noqa: E402

PERIOD = "2024"


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([header] + rows)


def regions(rows):
    """Bezirksregion (6-digit prefix) → its area ids in the reference period."""
    out = {}
    for r in rows:
        if r[2] == PERIOD:
            out.setdefault(r[0][:6], []).append(r[0])
    return out


def set_population(rows, values):
    for r in rows:
        if r[2] == PERIOD and r[0] in values:
            r[3] = str(values[r[0]])


def case_alone(city, header, rows):
    """One area alone in its Bezirksregion, with 2 inhabitants (the issue's first case)."""
    alone = next(ids for ids in regions(rows).values() if len(ids) == 1)
    set_population(rows, {alone[0]: 2})
    return header, rows, None


def case_two_in_one_unit(city, header, rows):
    """Two small areas in one Bezirksregion of two: the region's total is small too (3 → a primary sum when 1 + 1)."""
    pair = next(ids for ids in regions(rows).values() if len(ids) == 2)
    set_population(rows, {pair[0]: 1, pair[1]: 1})
    return header, rows, None


def case_every_level(city, header, rows):
    """Small counts at every level: an area alone in its region (1), a region of two small areas (2 + 1), and one
    small area in a larger region (2)."""
    by_region = regions(rows)
    alone = [ids for ids in by_region.values() if len(ids) == 1]
    pairs = [ids for ids in by_region.values() if len(ids) == 2]
    larger = [ids for ids in by_region.values() if len(ids) >= 3] or pairs[1:]
    values = {alone[-1][0]: 1, pairs[-1][0]: 2, pairs[-1][1]: 1, larger[0][0]: 2}
    set_population(rows, values)
    return header, rows, None


def case_counts_behind_shares(city, header, rows):
    """S1 given by counts (arbeitslose / ew_15_65), with arbeitslose = 1 in one area (the issue's second case)."""
    s1 = header.index("S1")
    header = [h for k, h in enumerate(header) if k != s1] + ["arbeitslose", "ew_15_65"]
    target = next(r[0] for r in rows if r[2] == PERIOD and r[0].startswith("02"))
    out = []
    for r in rows:
        share = float(r[s1]) if r[s1] not in ("", ".") else 0.0
        people = float(r[3]) if r[3] not in ("", ".") else 0.0
        base = round(people * 0.65)
        count = 1 if (r[0] == target and r[2] == PERIOD) else round(base * share / 100)
        out.append([c for k, c in enumerate(r) if k != s1] + [str(count), str(base)])

    def config(text):
        text = text.replace('indicators = ["S1", "S2",', 'indicators = ["arbeitslose", "ew_15_65", "S2",', 1)
        return text.replace("[eligibility]", '[input.counts]\nS1 = ["arbeitslose", "ew_15_65"]\n\n[eligibility]', 1)
    return header, out, config


CASES = [case_alone, case_two_in_one_unit, case_every_level, case_counts_behind_shares]


def publish_planning_sums(report_folder, out_folder):
    """A copy of the report with every withheld sum of people in gap areas (scenarios.csv) published as its true
    value: what sozmon withholds because a withheld target group is among them. The audit must find the leak."""
    shutil.copytree(report_folder, out_folder)
    report = audit.Report(out_folder)
    true = audit.truth(report)["population"]
    gaps = {}
    for r in audit.rows_of(report, "scenario_areas"):
        for column in ("gap_before", "gap_after"):
            if r[column] == "true":
                gaps.setdefault((r["scenario"], column), []).append(r["area_id"])
    header, rows = report.tables["scenarios"]
    published = 0
    for row in rows:
        for column, flag in (("gap_target_before", "gap_before"), ("gap_target_after", "gap_after")):
            k = header.index(column)
            if row[k] == audit.SUPPRESSED:
                row[k] = repr(sum(true[a] for a in gaps.get((row[0], flag), [])))
                published += 1
    write(os.path.join(out_folder, "tables", "scenarios.csv"), header, rows)
    return published


def run(sozmon, config, out):
    result = subprocess.run([sozmon, "run", config, "--out", out, "--quiet"], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"sozmon run {config} failed ({result.returncode}): {result.stderr}")


def main():
    sozmon, work = sys.argv[1], sys.argv[2]
    failures = []

    def check(name, folder, small_counts):
        result = audit.audit(folder, with_truth=True)
        ok = not result["findings"]
        line = (f"{name}: {result['primary']} primary and {result['secondary']} secondary count cells; narrowest reach "
                f"above a primary {result['narrowest_upper_margin']}; protection {result['protection']:g}")
        if not ok:
            failures.append(f"{name}: {result['findings']}")
        if small_counts:
            unprotected = audit.audit(folder, with_truth=True, without_secondary=True)
            line += f"; without secondary suppression: {len(unprotected['findings'])} leaks found"
            if not unprotected["findings"]:
                failures.append(f"{name}: the audit finds no leak without secondary suppression")
        print(("ok    " if ok else "FAIL  ") + line)
        with open(os.path.join(work, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1)

    demo = os.path.join(work, "demo")
    subprocess.run([sozmon, "demo", "--out", demo, "--quiet"], check=True, capture_output=True)
    check("demo", demo, small_counts=False)

    city = os.path.join(work, "city")
    subprocess.run([sozmon, "generate", "--areas", "40", "--seed", "5", "--out", city], check=True, capture_output=True)
    for case in CASES:
        name = case.__name__[len("case_"):]
        folder = os.path.join(work, name)
        shutil.copytree(city, folder)
        header, rows = read(os.path.join(folder, "indicators_annual.csv"))
        header, rows, edit = case(folder, header, rows)
        write(os.path.join(folder, "indicators_annual.csv"), header, rows)
        config = os.path.join(folder, "sozialindex.toml")
        if edit:
            with open(config, encoding="utf-8") as f:
                text = edit(f.read())
            with open(config, "w", encoding="utf-8") as f:
                f.write(text)
        run(sozmon, config, os.path.join(folder, "report"))
        check(name, os.path.join(folder, "report"), small_counts=True)
    # The planning sums (#32) are in the attacker's system: published where sozmon withholds them, they give a count back.
    leaky = os.path.join(work, "every_level_planning_published")
    published = publish_planning_sums(os.path.join(work, "every_level", "report"), leaky)
    found = audit.audit(leaky, with_truth=True)["findings"] if published else []
    print(("ok    " if found else "FAIL  ") + f"every_level with its {published} withheld sums of people in gap areas "
          f"published: {len(found)} leaks found")
    if not found:
        failures.append("planning: the audit finds no leak through the sums of people in gap areas")
    cases = 1 + len(CASES)
    failed = len({f.split(":")[0] for f in failures})
    print(f"disclosure-audit: {cases - failed} passed, {failed} failed")
    for failure in failures:
        print("  " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
