"""The one small interface every store adapter implements (embedded, Neo4j, RDF)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pandas as pd

from kg.errors import UsageError
from kg.graph import GraphTables


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


class GraphStore(Protocol):
    def paper_hashes(self, ids: list[str]) -> dict[str, str]: ...
    def write(self, tables: GraphTables) -> WriteStats: ...
    def cypher(self, statement: str, params: dict | None = None) -> pd.DataFrame: ...
    def names(self, key: str, label: str) -> bool: ...  # the alias index has key for a label node
    def counts(self) -> dict[str, int]: ...
    def close(self) -> None: ...


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


def without_papers(tables: GraphTables, skip: set[str]) -> GraphTables:
    """A copy of the batch minus the papers already stored unchanged, and their facts (the
    caller's tables are never modified)."""
    if not skip:
        return GraphTables(nodes=dict(tables.nodes), edges=dict(tables.edges))
    out = GraphTables(nodes=dict(tables.nodes), edges={})
    papers = tables.nodes["Paper"]
    out.nodes["Paper"] = papers[~papers["id"].isin(skip)]
    facts_skipped: set[str] = set()
    for (rel, _src, _dst), df in tables.edges.items():
        if rel == "BEATS":
            continue
        if rel == "STATED_IN":
            facts_skipped |= set(df.loc[df["to"].isin(skip), "from"])
    for label in ("Comparison", "Result"):
        df = tables.nodes[label]
        out.nodes[label] = df[~df["id"].isin(facts_skipped)]
    for spec, df in tables.edges.items():
        rel, src, _ = spec
        if src == "Paper":
            df = df[~df["from"].isin(skip)]
        elif rel == "BEATS":
            df = df[~df["paper"].isin(skip)]
        elif src in ("Comparison", "Result"):
            df = df[~df["from"].isin(facts_skipped)]
        out.edges[spec] = df
    # entity and repository nodes stay: existing ones are skipped on write anyway
    return out
