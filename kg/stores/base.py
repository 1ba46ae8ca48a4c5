"""The one small interface every store adapter implements (embedded, Neo4j, RDF)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from kg.graph import GraphTables


@dataclass
class WriteStats:
    papers_new: int = 0
    papers_updated: int = 0
    papers_unchanged: int = 0
    nodes_created: dict[str, int] = field(default_factory=dict)
    edges_created: dict[str, int] = field(default_factory=dict)

    def add(self, other: "WriteStats") -> None:
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
    def counts(self) -> dict[str, int]: ...
    def close(self) -> None: ...
