"""A canonical fingerprint of a graph: equal graphs have equal hashes, whatever the order in which
their papers were read, the batches they were written in, or the runs that wrote them."""

from __future__ import annotations

import hashlib
import json
import math

from kg.graph import GraphTables


def _cell(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 9)
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return [_cell(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value


def tables_hash(tables: GraphTables) -> str:
    """SHA-256 over every node and relationship row, sorted, as canonical JSON."""
    digest = hashlib.sha256()
    for label in sorted(tables.nodes):
        df = tables.nodes[label]
        rows = sorted(json.dumps([_cell(v) for v in row], ensure_ascii=False, sort_keys=True)
                      for row in df[sorted(df.columns)].itertuples(index=False))
        digest.update(f"node {label} {len(rows)}\n".encode())
        for line in rows:
            digest.update(line.encode("utf-8") + b"\n")
    for spec in sorted(tables.edges):
        df = tables.edges[spec]
        rows = sorted(json.dumps([_cell(v) for v in row], ensure_ascii=False)
                      for row in df[sorted(df.columns)].itertuples(index=False))
        digest.update(f"rel {'/'.join(spec)} {len(rows)}\n".encode())
        for line in rows:
            digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def store_hash(store) -> str:
    """The canonical hash of everything in a property-graph store."""
    from kg.rdf.from_store import read_tables

    return tables_hash(read_tables(store))


def ntriples_hash(store) -> str:
    """SHA-256 of the store's N-Triples export, lines sorted (the RDF view of the same graph)."""
    from kg.rdf.from_store import read_tables

    return tables_ntriples_hash(read_tables(store))


def tables_ntriples_hash(tables: GraphTables, base: str | None = None) -> str:
    """SHA-256 of the N-Triples of graph tables (instance IRIs under ``base``), lines sorted."""
    from kg.rdf.export import source_triples
    from kg.rdf.mapping import DEFAULT_BASE

    lines = sorted(f"{t} ." for t in source_triples(tables, base or DEFAULT_BASE))
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def rdf_hash(store) -> str:
    """SHA-256 of the triples an RDF store holds (an :class:`~kg.stores.oxigraph.OxigraphStore`),
    as sorted N-Triples lines: equal to :func:`ntriples_hash` of the property graph when the two
    sides of a store hold the same graph."""
    digest = hashlib.sha256()
    for line in sorted(f"{t} ." for t in store.triples()):
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def rdf_side_hash(store_dir) -> tuple[str, str] | None:
    """(:func:`rdf_hash`, base IRI) of the RDF side of a store directory; None when it has none."""
    from pathlib import Path

    from kg.stores.open import open_store

    if not (Path(store_dir) / "rdf").is_dir():
        return None
    with open_store(store_dir, lang="sparql") as store:
        return rdf_hash(store), store.base
