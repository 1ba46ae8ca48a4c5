"""One runner for the canned queries of both languages: :func:`run_canned`.

``kg query`` (``--lang cypher|sparql``), the Python helpers (``kg.open().methods_beating``…), the
consoles' ``:run`` and the SPARQL server's canned endpoint all go through it, so a query's
parameters are bound, its guards evaluated, its rows shaped and cut by confidence the same way
whatever the engine (docs/design.md, "Canned queries").
"""

from __future__ import annotations

import pandas as pd

from kg.config import DEFAULT_MIN_CONFIDENCE
from kg.queries import keep_confident, load_query, shape_rows
from kg.stores.readonly import check_cypher


def run_canned(store, name: str, params: dict[str, object] | None = None, lang: str = "cypher",
               min_confidence: float | None = DEFAULT_MIN_CONFIDENCE) -> pd.DataFrame:
    """Run the canned query ``name`` in ``lang`` on ``store`` (a Cypher reader for ``cypher``,
    the RDF reader for ``sparql``) with user ``params`` (names are normalised to keys).

    Rows are in the header's columns and order; claims and results below ``min_confidence``
    are left out. An empty answer to a name the graph does not know lists the closest known
    names in ``df.attrs["unknown"]``."""
    params = dict(params or {})
    q = load_query(name, lang)
    bound = q.bind(params)
    if lang == "sparql":
        df = _sparql(store, q, bound)
    else:
        statement = q.statement(bound, names=store.has_alias)
        if statement is None:  # no branch of the query can match these values
            df = pd.DataFrame(columns=q.columns)
        else:
            check_cypher(statement)
            run = getattr(store, "read_cypher", None) or store.cypher
            df = run(statement, bound)
        df = shape_rows(df, q.columns, q.order)
    df = keep_confident(df, min_confidence)
    if df.empty:
        from kg.suggest import unknown_names

        unknown = unknown_names(store, q, params, bound)
        if unknown:
            df.attrs["unknown"] = unknown
    return df


def _sparql(store, q, bound: dict[str, object]) -> pd.DataFrame:
    from kg.rdf.query import limit_param, sparql_bindings

    text = q.statement(bound)
    df = shape_rows(store.sparql(text, sparql_bindings(text, bound)), q.columns, q.order)
    limit = limit_param(q)
    if limit is not None:
        df = df.head(max(0, int(bound[limit]))).reset_index(drop=True)
    return df
