"""Helpers shared by the Neo4j tests (a module of its own: ``conftest`` is ambiguous as an import)."""

from __future__ import annotations

import copy

from kg.graph import GraphTables


def copy_tables(tables: GraphTables) -> GraphTables:
    """A deep copy, so that one store's write cannot change what another store is given."""
    return GraphTables(nodes={k: copy.deepcopy(v) for k, v in tables.nodes.items()},
                       edges={k: copy.deepcopy(v) for k, v in tables.edges.items()})
