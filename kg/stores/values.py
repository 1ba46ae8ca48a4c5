"""Cells read from a store or a DataFrame as plain Python values, and the records a writer reports
(:class:`kg.stores.plan.StoredPaper`, :class:`~kg.stores.plan.StoredEntity`) built from them."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from kg.graph import METADATA
from kg.stores.plan import StoredEntity, StoredPaper


def plain(value: object) -> object:
    """A pandas/numpy cell as a plain Python value a driver can send (NaN/NA → None)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, (str, bool, int)):
        return value
    if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
        value = value.tolist()  # numpy scalars and arrays
        if not isinstance(value, list):
            return plain(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def plain_rows(df: pd.DataFrame, columns: list[str] | None = None) -> list[dict]:
    cols = list(df.columns) if columns is None else columns
    return [dict(zip(cols, (plain(v) for v in row))) for row in df[cols].itertuples(index=False, name=None)]


def _string(value: object) -> str | None:
    value = plain(value)
    return value if isinstance(value, str) and value else None


def stored_paper(row: Mapping) -> StoredPaper:
    """From a row with ``hash``, the metadata fields and optionally ``title``/``abstract``."""
    return StoredPaper(hash=_string(row.get("hash")),
                       metadata={f: _string(row.get(f)) for f in METADATA},
                       title=_string(row.get("title")) or ("" if "title" in row else None),
                       abstract=_string(row.get("abstract")) or ("" if "abstract" in row else None))


def stored_entity(row: Mapping) -> StoredEntity:
    """From a row with ``name``, ``aliases``, ``keys`` and optionally ``higher_is_better``."""
    hib = plain(row.get("higher_is_better"))
    return StoredEntity(name=str(row["name"]), aliases=tuple(str(a) for a in plain(row.get("aliases")) or ()),
                        keys=tuple(str(k) for k in plain(row.get("keys")) or ()),
                        higher_is_better=hib if isinstance(hib, bool) else None)
