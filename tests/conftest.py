"""Shared fixtures: the real pipeline, the real embedded store, the bundled sample corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.models import Paper

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "kg" / "data" / "sample" / "papers.jsonl"
EXPECTED = ROOT / "kg" / "data" / "sample" / "expected.json"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from kg.extract.pipeline import build_nlp

    return build_nlp()


@pytest.fixture
def extract_text():
    """Extract from a title and abstract written in the test."""
    from kg.extract.pipeline import extract

    def run(title: str, abstract: str, pid: str = "t1"):
        return extract(Paper(id=pid, title=title, abstract=abstract))

    return run


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads(EXPECTED.read_text())


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    """The sample corpus built once into a real Ladybug store (read-only use in tests)."""
    from kg.build import build
    from kg.stores.ladybug import LadybugStore

    path = tmp_path_factory.mktemp("sample") / "store"
    with LadybugStore(path) as store:
        build([str(SAMPLE)], store, workers=1)
    return path


@pytest.fixture
def store_copy(sample_store, tmp_path) -> Path:
    dest = tmp_path / "store"
    shutil.copytree(sample_store, dest, ignore=shutil.ignore_patterns("write.lock"))
    return dest


needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="../shared is absent (a user's clone has none)")


# -- real Bolt servers (tests/bolt_servers.py), for tests/neo4j and tests/stores --------------
@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory):
    from bolt_servers import close_connections, run_falkordb

    servers = run_falkordb(tmp_path_factory)
    server = next(servers)
    yield server
    close_connections()
    next(servers, None)  # stops the server


@pytest.fixture(scope="session")
def neo4j_server():
    from bolt_servers import close_connections, neo4j_from_env

    yield neo4j_from_env()
    close_connections()
