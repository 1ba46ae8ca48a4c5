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

from kg.queries import CannedQuery, load_query

PARAM_PREFIX = "param_"
_LIMIT = re.compile(r"^#\s*limit:\s*(\w+)\s*$", re.MULTILINE)


def limit_param(q: CannedQuery) -> str | None:
    m = _LIMIT.search(q.text)
    return m.group(1) if m else None


def sparql_bindings(q: CannedQuery, bound: dict[str, object]) -> dict[str, object]:
    """``?param_NAME`` → value, for the parameters the query text uses."""
    out = {}
    for name, value in bound.items():
        var = PARAM_PREFIX + name
        if re.search(rf"[?$]{re.escape(var)}\b", q.text):
            out[var] = value
    return out


def shape(df: pd.DataFrame, columns: list[str], order: list[str]) -> pd.DataFrame:
    """Keep the header's columns and sort as ``KnowledgeGraph.query`` does: by ``order:`` (a
    leading ``-`` means descending), else by the columns. Rows that tie on ``order:`` are then
    ordered by the remaining columns, so the order is the same on every engine."""
    if columns:
        df = df[[c for c in columns if c in df.columns]]
    order = order or [c for c in columns if c in df.columns]
    if order and not df.empty:
        cols = [c.lstrip("-") for c in order]
        ascending = [not c.startswith("-") for c in order]
        rest = [c for c in df.columns if c not in cols]
        try:
            df = df.sort_values(cols + rest, ascending=ascending + [True] * len(rest), kind="stable")
        except TypeError:  # unorderable values in a tie-break column: the header's order only
            df = df.sort_values(cols, ascending=ascending, kind="stable")
        df = df.reset_index(drop=True)
    return df


def run_sparql_query(store, name: str, params: dict[str, object] | None = None) -> pd.DataFrame:
    """Run the canned SPARQL query ``name`` on ``store`` (an OxigraphStore) with ``params``
    (user values: names are normalised by ``CannedQuery.bind``)."""
    q = load_query(name, "sparql")
    bound = q.bind(dict(params or {}))
    df = store.sparql(q.text, sparql_bindings(q, bound))
    df = shape(df, q.columns, q.order)
    limit = limit_param(q)
    if limit is not None:
        df = df.head(max(0, int(bound[limit]))).reset_index(drop=True)
    return df
