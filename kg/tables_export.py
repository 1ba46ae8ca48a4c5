"""The graph tables as files: one CSV or Parquet file per node label and relationship type."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from kg.errors import UsageError
from kg.graph import GraphTables


def write_tables(tables: GraphTables, out_dir: str | os.PathLike, fmt: str) -> list[Path]:
    """Write ``Label.fmt`` and ``REL__Src__Dst.fmt`` files into ``out_dir`` (replaced as a whole,
    so a failed export leaves no half-written folder). Lists become JSON text in CSV."""
    if fmt not in ("csv", "parquet"):
        raise UsageError(f"unknown table format {fmt!r} (csv or parquet)")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a directory")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".kg-export-", dir=out.parent))
    written = []
    try:
        items = [(label, df) for label, df in tables.nodes.items()]
        items += [("__".join(spec), df) for spec, df in tables.edges.items()]
        for name, df in items:
            path = tmp / f"{name}.{fmt}"
            if fmt == "csv":
                df = df.copy()
                for col in df.columns:
                    if df[col].map(lambda v: isinstance(v, list | tuple)).any():
                        df[col] = df[col].map(lambda v: json.dumps(list(v)) if isinstance(v, list | tuple) else v)
                df.to_csv(path, index=False)
            else:
                df.to_parquet(path, index=False)
            written.append(out / path.name)
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return written
