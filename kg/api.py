"""The Python API: ``kg.open(store)`` and one helper per canned query, returning DataFrames.

>>> import kg
>>> g = kg.open("kg-data")                                   # doctest: +SKIP
>>> g.methods_beating("ResNet-50", "ImageNet")[["winner", "paper"]]   # doctest: +SKIP
"""

from __future__ import annotations

import warnings

import pandas as pd

from kg.config import DEFAULT_MIN_CONFIDENCE
from kg.errors import UsageError
from kg.queries import list_queries
from kg.stores.readonly import check_cypher
from kg.suggest import find


class UnknownNameWarning(UserWarning):
    """A canned query was asked about a name the graph does not know (the message lists the
    closest known names)."""


class KnowledgeGraph:
    """A graph store opened for querying (any Cypher reader: kg/stores/base.py)."""

    def __init__(self, store, target: str | None = None):
        self.store = store
        self.target = target if target is not None else str(getattr(store, "path", "") or "") or None

    # -- generic ------------------------------------------------------------------------
    def query(self, name: str, min_confidence: float | None = DEFAULT_MIN_CONFIDENCE, **params: object) -> pd.DataFrame:
        """Run a canned query by name; parameters as keyword arguments. Claims and results below
        ``min_confidence`` are left out (0 or None: everything stored; see docs/evaluation.md).

        >>> g.query("methods_beating", baseline="resnet50", dataset="imagenet")  # doctest: +SKIP
        """
        from kg.canned import run_canned

        df = run_canned(self.store, name, params, "cypher", min_confidence=min_confidence)
        for message in df.attrs.get("unknown", []):
            warnings.warn(message, UnknownNameWarning, stacklevel=2)
        return df

    def _quiet_query(self, name: str, params: dict) -> pd.DataFrame:
        """A canned query whose unknown names the caller reports (``df.attrs["unknown"]``)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnknownNameWarning)
            return self.query(name, **params)

    def find(self, text: str, limit: int = 20) -> pd.DataFrame:
        """Entities whose names match ``text`` (any alias, any case, or close to it): kind,
        canonical name, aliases and how many papers name them.

        >>> g.find("resnet")[["kind", "name", "papers"]]  # doctest: +SKIP
        """
        return find(self.store, text, limit)

    def cypher(self, statement: str, **params: object) -> pd.DataFrame:
        """Run a reading Cypher statement with parameters bound by the engine (never spliced).

        Statements that write, load or export files, attach databases, install extensions,
        checkpoint or call procedures other than schema ones are refused
        (:class:`kg.stores.readonly.Refused`, a usage error), whatever the engine.
        """
        return self._read(statement, params)

    def _read(self, statement: str, params: dict) -> pd.DataFrame:
        """Every user statement goes through here: checked, then sent as a read (on Neo4j in a
        READ transaction, which the server enforces too)."""
        check_cypher(statement)
        run = getattr(self.store, "read_cypher", None) or self.store.cypher
        return run(statement, params)

    def console_engine(self):
        """What ``kg console`` needs: run, interrupt, canned queries (the graph's shape is the
        model's, the same on every engine: kg.console.schema)."""
        from kg.console import Engine

        return Engine(run=self._read, interrupt=self.store.interrupt, canned=self._quiet_query,
                      canned_names=self.canned_queries())

    def sparql(self, query: str, **bindings: object) -> pd.DataFrame:
        """Run a SPARQL query on the store's RDF side; values are bound by the engine, never
        spliced. SPARQL Update and ``SERVICE`` (a request to another server) are refused.

        >>> g.sparql("SELECT ?name WHERE { ?m skos:prefLabel ?name } LIMIT 3")  # doctest: +SKIP
        """
        from kg.stores.open import open_store

        if self.target is None:
            raise UsageError("this graph was opened from a store object: open it with kg.open(DIR) for SPARQL")
        with open_store(self.target, lang="sparql") as store:
            return store.sparql(query, bindings)

    def stats(self) -> dict[str, int]:
        return self.store.counts()

    @staticmethod
    def canned_queries() -> list[str]:
        return list_queries("cypher")

    # -- one helper per canned query ----------------------------------------------------
    def methods_beating(self, baseline: str, dataset: str = "",
                        min_confidence: float | None = DEFAULT_MIN_CONFIDENCE) -> pd.DataFrame:
        """Methods that beat ``baseline`` on ``dataset`` (a dataset or task; any alias, any case).

        Use ``baseline="SOTA"`` for claims against the unnamed state of the art.

        >>> g.methods_beating("resnet50", "ImageNet")["winner"].tolist()  # doctest: +SKIP
        ['FocalMix', 'HieraViT', ...]
        """
        return self.query("methods_beating", baseline=baseline, dataset=dataset, min_confidence=min_confidence)

    def sota_claims(self, dataset: str,
                    min_confidence: float | None = DEFAULT_MIN_CONFIDENCE) -> pd.DataFrame:
        """Methods that claim the state of the art on ``dataset`` (a dataset or task).

        >>> g.sota_claims("ImageNet")[["method", "paper"]]  # doctest: +SKIP
        """
        return self.query("sota_claims", dataset=dataset, min_confidence=min_confidence)

    def leaderboard(self, dataset: str, metric: str,
                    min_confidence: float | None = DEFAULT_MIN_CONFIDENCE) -> pd.DataFrame:
        """Reported values of ``metric`` on ``dataset``, best first by the metric's direction.

        >>> g.leaderboard("ImageNet", "top-1")[["rank", "method", "value", "paper"]]  # doctest: +SKIP
        """
        return self.query("leaderboard", dataset=dataset, metric=metric, min_confidence=min_confidence)

    def method_profile(self, method: str,
                       min_confidence: float | None = DEFAULT_MIN_CONFIDENCE) -> pd.DataFrame:
        """Papers proposing or mentioning ``method``, what it beats and what beats it.

        >>> g.method_profile("ResNet-50").relation.value_counts()  # doctest: +SKIP
        """
        return self.query("method_profile", method=method, min_confidence=min_confidence)

    def datasets_for_method(self, method: str) -> pd.DataFrame:
        """Datasets used by the papers that propose or mention ``method``, most used first."""
        return self.query("datasets_for_method", method=method)

    def methods_on_dataset(self, dataset: str) -> pd.DataFrame:
        """Methods in the papers that use ``dataset``, with how many papers and proposers."""
        return self.query("methods_on_dataset", dataset=dataset)

    def papers_with_code(self, method: str = "", dataset: str = "") -> pd.DataFrame:
        """Papers with a code repository, optionally about ``method`` and/or using ``dataset``.

        >>> g.papers_with_code(dataset="COCO")[["paper", "repository"]]  # doctest: +SKIP
        """
        return self.query("papers_with_code", method=method, dataset=dataset)

    def top_datasets(self, limit: int = 20) -> pd.DataFrame:
        """The datasets used by most papers."""
        return self.query("top_datasets", limit=limit)

    def beats_chain(self, winner: str, loser: str, max_hops: int = 3) -> pd.DataFrame:
        """Chains of "beats" claims from ``winner`` down to ``loser`` (at most ``max_hops``).

        >>> g.beats_chain("StrataNet", "ResNet-50")["chain"].tolist()  # doctest: +SKIP
        ['StrataNet > LatticeFormer > RippleConv > ResNet-50']
        """
        return self.query("beats_chain", winner=winner, loser=loser, max_hops=max_hops)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open(store: str | None = None, timeout: float | None = None) -> KnowledgeGraph:  # noqa: A001
    """Open a built store read-only: a store directory (default ``./kg-data`` or ``$KG_STORE``)
    or a Neo4j URI (``bolt://HOST:7687``; credentials from ``KG_NEO4J_USER``/``KG_NEO4J_PASSWORD``).
    Queries stop after ``timeout`` seconds when given (kg.stores.open.open_store)."""
    from kg.stores.open import open_store, resolve_target

    target = resolve_target(store)
    return KnowledgeGraph(open_store(target, timeout=timeout), target=target)
