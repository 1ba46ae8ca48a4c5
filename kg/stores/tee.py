"""Write every batch to two stores (the property-graph store and the RDF store)."""

from __future__ import annotations

import pandas as pd

from kg.graph import GraphTables
from kg.stores.base import WriteStats


class TeeStore:
    """Writes to ``primary`` then ``secondary``; reads and statistics come from ``primary``.

    Each store decides on its own which papers are new, changed or unchanged, so a build that
    failed between the two writes is completed by running it again."""

    def __init__(self, primary, secondary):
        self.primary = primary
        self.secondary = secondary

    def write(self, tables: GraphTables) -> WriteStats:
        stats = self.primary.write(tables)
        self.secondary.write(tables)
        return stats

    def merge_metadata(self, papers: list) -> int:
        """Fold duplicate records' metadata into both stores (a store without the method keeps
        its own); the count is the primary's."""
        counts = [merge(papers) for store in (self.primary, self.secondary)
                  if (merge := getattr(store, "merge_metadata", None)) is not None]
        return counts[0] if counts and hasattr(self.primary, "merge_metadata") else 0

    def paper_hashes(self, ids: list[str]) -> dict[str, str]:
        return self.primary.paper_hashes(ids)

    def cypher(self, statement: str, params: dict | None = None) -> pd.DataFrame:
        return self.primary.cypher(statement, params)

    def names(self, key: str, label: str) -> bool:
        return self.primary.names(key, label)

    def counts(self) -> dict[str, int]:
        return self.primary.counts()

    def close(self) -> None:
        try:
            self.primary.close()
        finally:
            self.secondary.close()
