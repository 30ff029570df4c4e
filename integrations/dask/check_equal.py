"""Compares the report of a Dask run with that of `sozmon run` on the same config (scripts/dask-test, Benchmarks/dask.sh).

Every table the Dask run wrote must be in the single run's report with the same header and the same rows (matched by
their first column, the area or unit id, and their variable where the table has one): text cells identical (classes, attention, codes), numbers within 1e-12 of
the largest magnitude of their column; and the areas ranked alike by every index value (values that differ by less
than that are ties: the data's two decimals make exact ties, which the last bits may order either way). Tables are
streamed (10^7 rows fit): rows in the same order are compared as they come, rows in another order by their ids.
Prints the worst numeric difference per table; exits 1 on any difference."""
import csv
import math
import os
import sys
from array import array


def number(text):
    try:
        value = float(text)
        return value if math.isfinite(value) else None
    except ValueError:
        return None


def rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        yield from csv.reader(f)


def compare(name, single, dask, tolerance, failures):
    header = next(rows(dask))
    if header != next(rows(single)):
        failures.append(f"{name}: headers differ")
        return
    width = len(header)
    key = (lambda row: (row[0], row[header.index("variable")])) if "variable" in header else (lambda row: row[0])
    scale = [0.0] * width  # the largest magnitude of each column in the single run
    for row in list_or_stream(rows(single)):
        for j, cell in enumerate(row):
            x = number(cell)
            if x is not None and abs(x) > scale[j]:
                scale[j] = abs(x)
    values = [j for j, c in enumerate(header) if c.endswith("_value")]
    kept = {j: (array("d"), array("d")) for j in values}
    worst, where, count = 0.0, None, 0

    def cells(a, b):
        nonlocal worst, where
        for j in range(width):
            x, y = number(a[j]), number(b[j])
            if x is not None and y is not None:
                error = abs(x - y) / scale[j] if scale[j] > 0 else abs(x - y)
                if error > worst:
                    worst, where = error, (a[0], header[j], a[j], b[j])
            elif a[j] != b[j]:
                failures.append(f"{name}: {a[0]}, column {header[j]}: {a[j]!r} against {b[j]!r}")
        for j in values:
            kept[j][0].append(number(b[j]) if number(b[j]) is not None else math.nan)
            kept[j][1].append(number(a[j]) if number(a[j]) is not None else math.nan)

    first, second = rows(dask), rows(single)
    next(first), next(second)
    pending_a, pending_b = {}, {}
    for a, b in zip_longest(first, second):
        count += a is not None
        if a is not None and b is not None and key(a) == key(b) and not pending_a and not pending_b:
            cells(a, b)
            continue
        # Another order: match by id (only the rows out of step are held).
        if a is not None:
            if key(a) in pending_b:
                cells(a, pending_b.pop(key(a)))
            else:
                pending_a[key(a)] = a
        if b is not None:
            if key(b) in pending_a:
                cells(pending_a.pop(key(b)), b)
            else:
                pending_b[key(b)] = b
    if pending_a or pending_b:
        failures.append(f"{name}: {len(pending_a)} rows only in the Dask run, {len(pending_b)} only in the single run")
    if worst > tolerance:
        failures.append(f"{name}: {where[0]}, column {where[1]}: {where[2]} against {where[3]} ({worst:.2e} of the column's scale)")
    print(f"{name}: {count} rows, worst difference {worst:.2e} of the column's largest value")
    # Ranks: along the single run's order the Dask run's values never rise by more than the tolerance, and the other
    # way round.
    for j, (single_values, dask_values) in kept.items():
        tied = tolerance * scale[j]
        for a, b in ((single_values, dask_values), (dask_values, single_values)):
            order = sorted((i for i in range(len(a)) if not math.isnan(a[i])), key=lambda i: -a[i])
            if any(b[k] > b[i] + tied for i, k in zip(order, order[1:])):
                failures.append(f"{name}: the areas are ranked differently by {header[j]}")
                break


def list_or_stream(iterator):
    next(iterator)  # the header
    return iterator


def zip_longest(a, b):
    sentinel = object()
    while True:
        x, y = next(a, sentinel), next(b, sentinel)
        if x is sentinel and y is sentinel:
            return
        yield (None if x is sentinel else x), (None if y is sentinel else y)


def main(single, dask, tolerance=1e-12):
    failures = []
    names = sorted(os.listdir(os.path.join(dask, "tables")))
    for name in names:
        compare(name, os.path.join(single, "tables", name), os.path.join(dask, "tables", name), tolerance, failures)
    if not names:
        failures.append("the Dask run wrote no tables")
    for f in failures[:20]:
        print("DIFFERENT:", f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
