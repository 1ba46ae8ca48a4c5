"""Writing results: atomic files and DataFrames as table, JSON or CSV."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import pandas as pd

from kg.errors import UsageError

MAX_CELL = 60


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[str]:
    """A temporary path next to ``path``, renamed onto it only when the block succeeds: a failure
    leaves no half-written file (binary writers such as matplotlib write to the path). A path in
    a kg store is refused (kg.export_target)."""
    from kg.export_target import check_target

    target = Path(path)
    check_target(target)  # never a kg store's files
    folder = target.resolve().parent
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: no such directory {folder}")
    if target.is_dir():
        raise UsageError(f"cannot write {path}: it is a directory; give a file name")
    if target.exists() and not target.is_file():
        # /dev/null, /dev/stdout, a named pipe: written to as they are, never renamed over
        yield str(target)
        return
    fd, tmp = tempfile.mkstemp(prefix=".kg-", suffix=target.suffix or ".tmp", dir=folder)
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_writer(path: str) -> Iterator[TextIO]:
    """A text file written atomically (``-`` is standard output)."""
    if path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        yield fh


def parse_params(pairs) -> dict[str, str]:
    """``NAME=VALUE`` command-line parameters as a dict (a usage error otherwise)."""
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param expects NAME=VALUE, got {pair!r}")
        params[key.strip()] = value
    return params


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    text = str(value).replace("\n", " ")
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def format_table(df: pd.DataFrame) -> str:
    if df.empty:
        return "(no rows)"
    cols = list(df.columns)
    rows = [[_cell(v) for v in row] for row in df.itertuples(index=False)]
    widths = [max(len(str(c)), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]
    line = "  ".join(str(c).ljust(w) for c, w in zip(cols, widths))
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join([line.rstrip(), sep, *body, f"({len(rows)} row{'s' if len(rows) != 1 else ''})"])


def _jsonable(value: object) -> object:
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, float) and pd.isna(value):
        return None
    return value


def print_frame(df: pd.DataFrame, fmt: str, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if fmt == "json":
        rows = [{k: _jsonable(v) for k, v in row.items()} for row in df.to_dict(orient="records")]
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        df.to_csv(out, index=False)
    else:
        out.write(format_table(df) + "\n")
