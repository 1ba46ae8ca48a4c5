"""The two interfaces every store backend implements — a writer (what ``kg build`` writes
through) and a reader (what queries and analyses read through) — and the pieces they share.

Adding a backend: docs/design.md, "Adding a backend"."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pandas as pd

from kg.errors import UsageError
from kg.graph import ENTITY_LABELS, GraphTables
from kg.stores.plan import StoredEntity, StoredPaper, WritePlan, needs_text, plan_upsert


@dataclass
class WriteStats:
    papers_new: int = 0
    papers_updated: int = 0
    papers_unchanged: int = 0
    nodes_created: dict[str, int] = field(default_factory=dict)
    edges_created: dict[str, int] = field(default_factory=dict)

    def add(self, other: WriteStats) -> None:
        self.papers_new += other.papers_new
        self.papers_updated += other.papers_updated
        self.papers_unchanged += other.papers_unchanged
        for mine, theirs in ((self.nodes_created, other.nodes_created),
                             (self.edges_created, other.edges_created)):
            for k, v in theirs.items():
                mine[k] = mine.get(k, 0) + v


class GraphWriter(Protocol):
    """What ``kg build`` writes through (one per side of a store: the property graph, the RDF
    store). A writer reports what it holds; :func:`kg.stores.plan.plan_upsert` decides what a batch
    changes; ``write`` carries the plan out (given graph tables, it plans them first)."""

    side: str  # "graph" or "rdf": names the side in messages and statistics

    def stored_papers(self, ids: list[str], with_text: bool = False) -> dict[str, StoredPaper]: ...
    def stored_entities(self, label: str, keys: list[str]) -> dict[str, StoredEntity]: ...
    def write(self, batch: WritePlan | GraphTables) -> WriteStats: ...
    def close(self) -> None: ...


class GraphReader(Protocol):
    """What queries, stats, exports and analytics read through. A Cypher store has ``cypher``,
    the RDF store ``sparql`` (``lang`` says which); both answer ``has_alias`` (the alias index has
    ``key`` for a node of ``label``) and ``counts`` (nodes per label, relationships per type)."""

    lang: str

    def has_alias(self, key: str, label: str) -> bool: ...
    def counts(self) -> dict[str, int]: ...
    def set_timeout(self, seconds: float) -> None: ...
    def interrupt(self) -> None: ...
    def close(self) -> None: ...


class CypherReader(GraphReader, Protocol):
    def cypher(self, statement: str, params: dict | None = None) -> pd.DataFrame: ...


class SparqlReader(GraphReader, Protocol):
    def sparql(self, query: str, bindings: dict | None = None) -> pd.DataFrame: ...


GraphStore = CypherReader  # the name older code used


class PlannedWriter:
    """Mixin for backends: ``write`` takes a :class:`WritePlan` or plans graph tables against
    what this store holds (:func:`plan_batch`), then calls the backend's ``carry_out``."""

    def write(self, batch: WritePlan | GraphTables) -> WriteStats:
        self.check_writable()
        plan = batch if isinstance(batch, WritePlan) else plan_batch(self, batch)
        stats = plan_stats(plan)
        if not plan.empty:
            self.carry_out(plan, stats)
        return stats

    def carry_out(self, plan: WritePlan, stats: WriteStats) -> None:
        raise NotImplementedError

    def check_writable(self) -> None:
        """Raise a StoreError when this store was opened for reading only."""

    def has_alias(self, key: str, label: str) -> bool:
        raise NotImplementedError

    def names(self, key: str, label: str) -> bool:
        """Older name of :meth:`has_alias`."""
        return self.has_alias(key, label)

    def paper_hashes(self, ids: list[str]) -> dict[str, str]:
        """Content hashes of the completely written papers among ``ids``."""
        return {pid: p.hash for pid, p in self.stored_papers(ids).items() if p.hash is not None}


def read_stored(writer: GraphWriter, hashes: dict[str, str]) -> dict[str, StoredPaper]:
    """What ``writer`` holds of the papers in ``hashes`` (id → the batch's content hash), with
    the text of those stored with another hash (their text decides: kg.stores.plan)."""
    stored = writer.stored_papers(list(hashes))
    differing = needs_text(hashes, stored)
    if differing:
        stored.update(writer.stored_papers(differing, with_text=True))
    return stored


def plan_batch(writer: GraphWriter, tables: GraphTables) -> WritePlan:
    """The write plan of ``tables`` for the store behind ``writer``."""
    papers = tables.nodes["Paper"]
    stored = read_stored(writer, dict(zip(map(str, papers["id"]), map(str, papers["hash"]))))
    entities = {label: writer.stored_entities(label, [str(k) for k in tables.nodes[label]["key"]])
                for label in ENTITY_LABELS if not tables.nodes[label].empty}
    return plan_upsert(tables, stored, entities)


def plan_stats(plan: WritePlan) -> WriteStats:
    return WriteStats(papers_new=len(plan.add), papers_updated=len(plan.replace),
                      papers_unchanged=len(plan.skip))


class StoreSet:
    """The sides ``kg build`` writes, in order (the property graph first, then the RDF store).
    Each side plans every batch from its own record, so a build that stopped between two sides'
    writes is completed by running it again; statistics are the first side's."""

    def __init__(self, sides: list[GraphWriter]):
        if not sides:
            raise ValueError("a store set needs at least one side")
        self.sides = list(sides)

    @property
    def primary(self) -> GraphWriter:
        return self.sides[0]

    def write(self, tables: GraphTables) -> WriteStats:
        stats = [side.write(tables) for side in self.sides]
        return stats[0]

    def close(self) -> None:
        errors = []
        for side in reversed(self.sides):
            try:
                side.close()
            except Exception as exc:  # noqa: BLE001 - close the others, then report
                errors.append(exc)
        if errors:
            raise errors[0]

    def __getattr__(self, name: str):  # reading (counts, cypher, has_alias) comes from the primary
        if name == "sides":
            raise AttributeError(name)
        return getattr(self.primary, name)

    def __enter__(self) -> StoreSet:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def sides_of(store) -> list[GraphWriter]:
    """The writers behind ``store``: a :class:`StoreSet`'s sides, or the store itself."""
    return list(getattr(store, "sides", None) or [store])


def store_directory(path: str | os.PathLike, create: bool = False) -> Path:
    """The store directory ``path``, checked (and made when ``create``): a file there, or a
    directory that cannot be made, is one clear line rather than an engine's error."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"the store {folder} is a file, not a directory: give --store (or KG_STORE) "
                         "a directory; kg build creates it")
    if create:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create the store directory {folder}: {exc.strerror or exc}; "
                             "give --store a directory you can write") from None
    return folder
