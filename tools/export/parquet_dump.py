#!/usr/bin/env python3
"""Reads a Parquet file with pyarrow and with DuckDB and prints what each saw as one JSON object.

The Swift tests write files with kcap's own writer and compare this against what they wrote: the readers
are the oracle, so nothing here interprets kcap's tables. Timestamps come back as integer nanoseconds,
strings as text, nulls as null.

usage: parquet_dump.py FILE
"""
import json
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq


def plain(v):
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return v


def main(path):
    pf = pq.ParquetFile(path)
    table = pf.read()
    columns = {}
    for name in table.column_names:
        col = table.column(name)
        if pa.types.is_timestamp(col.type):
            col = col.cast(pa.int64())
        columns[name] = [plain(v) for v in col.to_pylist()]
    groups = []
    meta = pf.metadata
    for g in range(meta.num_row_groups):
        rg = meta.row_group(g)
        stats = {}
        for c in range(rg.num_columns):
            cc = rg.column(c)
            s = cc.statistics
            entry = {"compression": cc.compression, "encodings": list(cc.encodings)}
            if s is not None:
                entry["null_count"] = s.null_count
                if s.has_min_max:
                    # Nanosecond timestamps do not fit datetime: their raw int64 is what the test wrote.
                    # (A struct's field has a dotted path and is no timestamp.)
                    top = table.schema.get_field_index(cc.path_in_schema) >= 0
                    ts = top and pa.types.is_timestamp(table.schema.field(cc.path_in_schema).type)
                    lo, hi = (s.min_raw, s.max_raw) if ts else (s.min, s.max)
                    entry["min"], entry["max"] = plain(lo), plain(hi)
            stats[cc.path_in_schema] = entry
        groups.append({"rows": rg.num_rows, "columns": stats})
    schema = [{"name": f.name, "type": str(f.type), "nullable": f.nullable} for f in table.schema]

    con = duckdb.connect()
    rel = con.execute(
        "SELECT * FROM read_parquet(?)", [path])
    names = [d[0] for d in rel.description]
    rows = rel.fetchall()
    ddb_types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
                                 [path]).fetchall())
    ddb_cols = {n: [] for n in names}
    for r in rows:
        for n, v in zip(names, r):
            if hasattr(v, "isoformat"):
                v = v.isoformat()
            ddb_cols[n].append(plain(v))
    out = {
        "pyarrow": {"schema": schema, "num_rows": meta.num_rows, "row_groups": groups, "columns": columns,
                    "metadata": {k.decode(): v.decode() for k, v in (pf.schema_arrow.metadata or {}).items()}},
        "duckdb": {"count": len(rows), "types": ddb_types, "columns": ddb_cols},
    }
    json.dump(out, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
