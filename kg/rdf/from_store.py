"""Read the whole graph back out of a built LadybugDB store as :class:`kg.graph.GraphTables`.

Every node label and every (relationship, from label, to label) triple of :mod:`kg.graph` is
read with one Cypher query through ``store.cypher``, so ``kg export`` and
:func:`sync_rdf_store` work from a store built earlier, without the original input files.
"""

from __future__ import annotations

import os

import pandas as pd

from kg.graph import NODE_COLUMNS, NODE_KEY, REL_PROPERTIES, RELATIONSHIPS, GraphTables


def _listify(value: object) -> list:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [str(v) for v in value]


def read_nodes(store, label: str) -> pd.DataFrame:
    cols = NODE_COLUMNS[label]
    key = NODE_KEY[label]
    returns = ", ".join(f"n.{c} AS {c}" for c in cols)
    df = store.cypher(f"MATCH (n:{label}) RETURN {returns} ORDER BY n.{key}")
    df = df.reindex(columns=cols)
    for col in ("aliases", "keys"):
        if col in df.columns:
            df[col] = df[col].map(_listify)
    return df.reset_index(drop=True)


def read_edges(store, rel: str, src: str, dst: str) -> pd.DataFrame:
    props = REL_PROPERTIES.get(rel, [])
    extra = "".join(f", r.{p} AS {p}" for p in props)
    df = store.cypher(
        f"MATCH (a:{src})-[r:{rel}]->(b:{dst}) "
        f"RETURN a.{NODE_KEY[src]} AS src, b.{NODE_KEY[dst]} AS dst{extra}"
    )
    df = df.rename(columns={"src": "from", "dst": "to"}).reindex(columns=["from", "to", *props])
    return df.sort_values(["from", "to", *props], kind="stable").reset_index(drop=True)


def read_tables(store) -> GraphTables:
    """All nodes and relationships of a LadybugDB store (anything with ``.cypher``)."""
    tables = GraphTables()
    for label in NODE_COLUMNS:
        tables.nodes[label] = read_nodes(store, label)
    for rel, src, dst in RELATIONSHIPS:
        tables.edges[(rel, src, dst)] = read_edges(store, rel, src, dst)
    return tables


def sync_rdf_store(store_dir: str | os.PathLike, base: str | None = None):
    """Write (or bring up to date) ``<store_dir>/rdf`` from the LadybugDB store in ``store_dir``:
    for stores built before the RDF store was enabled. Returns the write statistics."""
    from kg.stores.ladybug import LadybugStore
    from kg.stores.oxigraph import OxigraphStore

    with LadybugStore(store_dir, read_only=True) as lb:
        tables = read_tables(lb)
    with OxigraphStore(store_dir, base=base) as ox:
        return ox.write(tables)
