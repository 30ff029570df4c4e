"""Compares the report of a Dask run with that of `sozmon run` on the same config (scripts/dask-test).

Every table the Dask run wrote must be in the single run's report with the same header and the same rows (matched by
their first column, the area or unit id): text cells identical (classes, attention, codes), numbers within 1e-12 of
the largest magnitude of their column; and the areas ranked alike by every index value (values that differ by less
than that are ties: the data's two decimals make exact ties, which the last bits may order either way). Prints the worst numeric
difference per table; exits 1 on any difference."""
import csv
import math
import os
import sys


def read(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    return rows[0], {r[0]: r for r in rows[1:]}, [r[0] for r in rows[1:]]


def number(text):
    try:
        value = float(text)
        return value if math.isfinite(value) else None
    except ValueError:
        return None


def main(single, dask, tolerance=1e-12):
    failures = []
    names = sorted(os.listdir(os.path.join(dask, "tables")))
    for name in names:
        header, rows, order = read(os.path.join(dask, "tables", name))
        header1, rows1, _ = read(os.path.join(single, "tables", name))
        if header != header1:
            failures.append(f"{name}: headers differ")
            continue
        if set(rows) != set(rows1) or len(order) != len(rows):
            failures.append(f"{name}: {len(rows)} rows against {len(rows1)}, or other ids")
            continue
        scale = [max((abs(number(r[j])) for r in rows1.values() if number(r[j]) is not None), default=0) for j in range(len(header))]
        worst, where = 0.0, None
        for key, row in rows.items():
            for j, (a, b) in enumerate(zip(row, rows1[key])):
                x, y = number(a), number(b)
                if x is not None and y is not None:
                    error = abs(x - y) / scale[j] if scale[j] > 0 else abs(x - y)
                    if error > worst:
                        worst, where = error, (key, header[j], a, b)
                elif a != b:
                    failures.append(f"{name}: {key}, column {header[j]}: {a!r} against {b!r}")
        if worst > tolerance:
            failures.append(f"{name}: {where[0]}, column {where[1]}: {where[2]} against {where[3]} ({worst:.2e} of the column's scale)")
        print(f"{name}: {len(rows)} rows, worst difference {worst:.2e} of the column's largest value")
        # Ranks by every index value: the same order of areas, up to ties (values within the tolerance): along the
        # single run's order the Dask run's values never rise by more than the tolerance, and the other way round.
        for j, column in enumerate(header):
            if column.endswith("_value"):
                tied = tolerance * scale[j]
                for a, b in ((rows1, rows), (rows, rows1)):
                    order = sorted((k for k in a if number(a[k][j]) is not None), key=lambda k: -number(a[k][j]))
                    other = [number(b[k][j]) for k in order]
                    if any(y > x + tied for x, y in zip(other, other[1:])):
                        failures.append(f"{name}: the areas are ranked differently by {column}")
                        break
    if not names:
        failures.append("the Dask run wrote no tables")
    for f in failures:
        print("DIFFERENT:", f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
