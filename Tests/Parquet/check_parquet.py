#!/usr/bin/env python3
"""The Parquet files of a report (`[report] formats` with "parquet") as researchers load them: pyarrow, DuckDB and
polars each read every `parquet/<table>.parquet` and must find the CSV table's rows, columns and values (text equal,
ids with their leading zeros; numbers equal to the CSV's full precision; a suppressed cell null with
`<column>_suppressed` true), typed columns and the row groups' statistics.

Usage: check_parquet.py REPORT_FOLDER. Exits 1 listing what failed.
"""
import csv
import math
import sys
from pathlib import Path

import duckdb
import polars
import pyarrow.parquet as pq

report = Path(sys.argv[1]).resolve()
failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def same(value, text):
    """A value read from Parquet against its CSV text (plain dialect)."""
    if text == "" or text == ".":
        return value is None
    if isinstance(value, bool):
        return text == ("true" if value else "false")
    if isinstance(value, (int, float)):
        return math.isclose(float(value), float(text), rel_tol=1e-15, abs_tol=0)
    return value == text


tables = sorted((report / "tables").glob("*.csv"))
check(len(tables) > 0 and all((report / "parquet" / (t.stem + ".parquet")).exists() for t in tables),
      f"a Parquet file for each of the {len(tables)} tables")
connection = duckdb.connect()
for path in tables:
    rows = list(csv.reader(open(path, encoding="utf-8")))
    header, body = rows[0], rows[1:]
    file = report / "parquet" / (path.stem + ".parquet")
    meta = pq.ParquetFile(file).metadata
    arrow = pq.read_table(file)
    columns = [c for c in arrow.column_names if not c.endswith("_suppressed") or c.removesuffix("_suppressed") not in header]
    readers = {
        "pyarrow": arrow.to_pylist(),
        "duckdb": [dict(zip([d[0] for d in cursor.description], r)) for cursor in [connection.execute(f"SELECT * FROM read_parquet('{file}')")] for r in cursor.fetchall()],
        "polars": polars.read_parquet(file).to_dicts(),
    }
    for name, records in readers.items():
        wrong = [(r, c) for r, (record, line) in enumerate(zip(records, body)) for c, text in zip(header, line)
                 if not same(record.get(c), text) and not (text == "." and record.get(c + "_suppressed") is True)]
        check(columns == header and len(records) == len(body) and not wrong,
              f"{path.stem}: {name} reads {len(records)} rows of {len(header)} columns as the CSV"
              + (f" (first difference: row {wrong[0][0]}, {wrong[0][1]})" if wrong else ""))
    ids = [c for c in header if c.endswith("_id") or c == "area_id"]
    check(all(str(arrow.schema.field(c).type) == "string" for c in ids), f"{path.stem}: ids as text ({', '.join(ids) or 'none'})")
    stats = [meta.row_group(g).column(k).statistics for g in range(meta.num_row_groups) for k in range(meta.num_columns)]
    check(meta.num_rows == len(body) and all(s is not None and s.has_null_count for s in stats),
          f"{path.stem}: {meta.num_row_groups} row group(s), statistics on every column chunk")
sys.exit(1 if failures else 0)
