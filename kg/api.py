"""The Python API: ``kg.open(store)`` and one helper per canned query, returning DataFrames.

>>> import kg
>>> g = kg.open("kg-data")                                   # doctest: +SKIP
>>> g.methods_beating("ResNet-50", "ImageNet")[["winner", "paper"]]   # doctest: +SKIP
"""

from __future__ import annotations

import pandas as pd

from kg.config import store_path
from kg.queries import list_queries, load_query, shape_rows
from kg.stores.ladybug import LadybugStore


class KnowledgeGraph:
    """A graph store opened for querying."""

    def __init__(self, store: LadybugStore):
        self.store = store

    # -- generic ------------------------------------------------------------------------
    def query(self, name: str, **params: object) -> pd.DataFrame:
        """Run a canned query by name; parameters as keyword arguments.

        >>> g.query("methods_beating", baseline="resnet50", dataset="imagenet")  # doctest: +SKIP
        """
        q = load_query(name, "cypher")
        return shape_rows(self.store.cypher(q.text, q.bind(params)), q.columns, q.order)

    def cypher(self, statement: str, **params: object) -> pd.DataFrame:
        """Run any Cypher statement with parameters bound by the engine (never spliced)."""
        return self.store.cypher(statement, params)

    def console_engine(self):
        """What ``kg cypher`` needs: run, interrupt, schema words, canned queries."""
        from kg.console import Engine
        from kg.graph import NODE_COLUMNS, REL_PROPERTIES, RELATIONSHIPS

        props = sorted({c for cols in NODE_COLUMNS.values() for c in cols}
                       | {p for ps in REL_PROPERTIES.values() for p in ps})
        return Engine(
            run=lambda st, params: self.store.cypher(st, params),
            interrupt=self.store.interrupt,
            labels=list(NODE_COLUMNS),
            rel_types=list(dict.fromkeys(r for r, _, _ in RELATIONSHIPS)),
            properties=props,
            canned=lambda name, params: self.query(name, **params),
            canned_names=self.canned_queries(),
        )

    def sparql(self, query: str, **bindings: object) -> pd.DataFrame:
        """Run SPARQL on the store's RDF side; values are bound by the engine, never spliced.

        >>> g.sparql("SELECT ?name WHERE { ?m skos:prefLabel ?name } LIMIT 3")  # doctest: +SKIP
        """
        from kg.stores.oxigraph import sparql_on_store

        return sparql_on_store(self.store.path, query, bindings)

    def stats(self) -> dict[str, int]:
        return self.store.counts()

    @staticmethod
    def canned_queries() -> list[str]:
        return list_queries("cypher")

    # -- one helper per canned query ----------------------------------------------------
    def methods_beating(self, baseline: str, dataset: str = "") -> pd.DataFrame:
        """Methods that beat ``baseline`` on ``dataset`` (a dataset or task; any alias, any case).

        Use ``baseline="SOTA"`` for claims against the unnamed state of the art.

        >>> g.methods_beating("resnet50", "ImageNet")["winner"].tolist()  # doctest: +SKIP
        ['FocalMix', 'HieraViT', ...]
        """
        return self.query("methods_beating", baseline=baseline, dataset=dataset)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open(store: str | None = None, timeout: float | None = None) -> KnowledgeGraph:  # noqa: A001
    """Open a built store read-only (default ``./kg-data`` or ``$KG_STORE``); queries stop after
    ``timeout`` seconds when given."""
    lb = LadybugStore(store_path(store), read_only=True)
    if timeout:
        lb.set_timeout(timeout)
    return KnowledgeGraph(lb)
