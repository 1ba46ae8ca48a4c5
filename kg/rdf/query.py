"""Canned SPARQL queries (``kg/queries/sparql/<name>.rq``) run on an OxigraphStore.

The header of a ``.rq`` file is the one of its Cypher twin (``# param``, ``# columns``,
``# order``). Parameter ``NAME`` is bound to the SPARQL variable ``?param_NAME`` by the engine
(pyoxigraph substitutions, SEP-0007): values are never spliced into the query text. pyoxigraph
only substitutes projected variables, so every query also selects its ``?param_*`` variables;
the runner keeps the header's columns only. One extra header line, ``# limit: NAME``, means
"keep the first NAME rows after sorting" (SPARQL has no parameterised LIMIT).
"""

from __future__ import annotations

import re

import pandas as pd

from kg.config import DEFAULT_MIN_CONFIDENCE
from kg.queries import CannedQuery, shape_rows

PARAM_PREFIX = "param_"
_LIMIT = re.compile(r"^#\s*limit:\s*(\w+)\s*$", re.MULTILINE)


def limit_param(q: CannedQuery) -> str | None:
    m = _LIMIT.search(q.text)
    return m.group(1) if m else None


def sparql_bindings(text: str, bound: dict[str, object]) -> dict[str, object]:
    """``?param_NAME`` → value, for the parameters the query ``text`` uses."""
    out = {}
    for name, value in bound.items():
        var = PARAM_PREFIX + name
        if re.search(rf"[?$]{re.escape(var)}\b", text):
            out[var] = value
    return out


def shape(df: pd.DataFrame, columns: list[str], order: list[str]) -> pd.DataFrame:
    """The same row shaping as the Cypher runner (:func:`kg.queries.shape_rows`)."""
    return shape_rows(df, columns, order)


def run_sparql_query(store, name: str, params: dict[str, object] | None = None,
                     min_confidence: float | None = DEFAULT_MIN_CONFIDENCE) -> pd.DataFrame:
    """Run the canned SPARQL query ``name`` on ``store`` (an OxigraphStore) with ``params``
    (user values: names are normalised by ``CannedQuery.bind``): :func:`kg.canned.run_canned`."""
    from kg.canned import run_canned

    return run_canned(store, name, params, "sparql", min_confidence)
