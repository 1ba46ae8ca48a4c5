"""The graph tables as files: one CSV or Parquet file per node label and relationship type."""

from __future__ import annotations

import json
import os
from pathlib import Path

from kg.errors import UsageError
from kg.export_target import export_directory
from kg.graph import GraphTables


def write_tables(tables: GraphTables, out_dir: str | os.PathLike, fmt: str, force: bool = False,
                 store: str | os.PathLike | None = None) -> list[Path]:
    """Write ``Label.fmt`` and ``REL__Src__Dst.fmt`` files into ``out_dir``. Lists become JSON
    text in CSV.

    The files are written beside ``out_dir`` and put in place by rename (kg.export_target): a
    failed export changes nothing; a previous export there is replaced; a directory holding
    anything else is refused unless ``force`` (then only these files are written into it); a
    kg store (``store`` included) is never written to.
    """
    if fmt not in ("csv", "parquet"):
        raise UsageError(f"unknown table format {fmt!r} (csv or parquet)")
    out = Path(out_dir)
    names = []
    with export_directory(out, fmt, force=force, store=store) as tmp:
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
            names.append(path.name)
    return [out / name for name in names]
