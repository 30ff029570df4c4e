"""The Parquet files of a part run (python -m sozmon_dask) against those of `sozmon run`: every file the part run
wrote opens with dask.dataframe.read_parquet, has the single run's columns with the same Arrow types, one row group per
part (the tables the parts wrote; per indicator for trends and quarters; as the single run for the tables finish makes whole), and the
same rows (by their first column where it is a key): text identical,
numbers within 1e-12 of the column's largest value.

    python check_parquet_equal.py SINGLE_REPORT PART_REPORT PARTS"""
import os
import sys

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq


def main(single, parts_report, parts):
    folder = os.path.join(parts_report, "parquet")
    names = sorted(os.listdir(folder))
    failures = []
    for name in names:
        a_path, b_path = os.path.join(single, "parquet", name), os.path.join(folder, name)
        a_schema, b_schema = pq.read_schema(a_path), pq.read_schema(b_path)
        if a_schema.names != b_schema.names or a_schema.types != b_schema.types:
            failures.append(f"{name}: schema {b_schema} against {a_schema}")
            continue
        groups = pq.ParquetFile(b_path).num_row_groups
        # A row group per part; trends and quarters one per indicator; the tables finish makes whole as the single run.
        expected = parts
        if name.startswith(("trends", "quarters")):
            expected = pd.read_parquet(a_path, columns=["indicator"])["indicator"].nunique()
        elif name.startswith(("diagnostics", "spatial")):
            expected = pq.ParquetFile(a_path).num_row_groups
        if groups != expected:
            failures.append(f"{name}: {groups} row groups, expected {expected}")
        a = pd.read_parquet(a_path)
        b = dd.read_parquet(b_path).compute().reset_index(drop=True)
        key = a.columns[0]
        if a[key].is_unique:
            a, b = a.sort_values(key).reset_index(drop=True), b.sort_values(key).reset_index(drop=True)
        if len(a) != len(b):
            failures.append(f"{name}: {len(b)} rows against {len(a)}")
            continue
        worst = 0.0
        for column in a.columns:
            x, y = a[column], b[column]
            if pd.api.types.is_float_dtype(x):
                scale = max(np.nanmax(np.abs(x.to_numpy(dtype=float))) if x.notna().any() else 0.0, 1e-300)
                same_nulls = (x.isna() == y.isna()).all()
                difference = np.nanmax(np.abs(x.to_numpy(dtype=float) - y.to_numpy(dtype=float))) / scale if x.notna().any() else 0.0
                if not same_nulls or difference > 1e-12:
                    failures.append(f"{name} {column}: differs by {difference:.2e} (nulls alike: {same_nulls})")
                worst = max(worst, difference)
            else:  # text, integers, booleans: the same values (dask may hold them in other pandas dtypes)
                plain = lambda s: [None if pd.isna(v) else v for v in s.tolist()]
                if plain(x) != plain(y):
                    failures.append(f"{name} {column}: values differ")
        print(f"{name}: {len(b)} rows, {groups} row groups, worst difference {worst:.2e} of the column's largest value")
    if not names:
        failures.append("the part run wrote no Parquet file")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
