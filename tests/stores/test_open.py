"""One way to open a store: the registry picks the backend by target, and every command that reads
a property graph — export, analyze, plot, the Python helpers — works on a Bolt server too."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kg.errors import UsageError
from kg.stores.open import BACKENDS, backend_for, open_store


def test_the_target_picks_the_backend():
    assert backend_for("kg-data").name == "embedded"
    for uri in ("bolt://h:7687", "neo4j://h", "neo4j+s://h", "BOLT+SSC://h"):
        assert backend_for(uri).name == "neo4j"
    with pytest.raises(UsageError, match=r"no store backend for 'http://h'.*bolt://"):
        backend_for("http://h")
    assert set(BACKENDS) >= {"", "bolt", "neo4j", "neo4j+s"}


def test_readers_and_writers_of_a_store_directory(sample_dual):
    with open_store(sample_dual) as graph, open_store(sample_dual, lang="sparql") as rdf:
        assert (graph.lang, rdf.lang) == ("cypher", "sparql")
        assert graph.counts() == rdf.counts()
        assert graph.has_alias("resnet50", "Method") and rdf.has_alias("resnet50", "Method")
        assert not rdf.has_alias("resnet50", "Dataset")
    with open_store(sample_dual, "write") as sides:
        assert [s.side for s in sides.sides] == ["graph", "rdf"]
    with open_store(sample_dual, "write", rdf=False) as sides:
        assert [s.side for s in sides.sides] == ["graph"]


def test_a_bolt_server_has_no_sparql_side():
    with pytest.raises(UsageError, match="answers cypher, not sparql"):
        open_store("bolt://127.0.0.1:1", lang="sparql")  # refused before any connection


@pytest.fixture(scope="module")
def sample_dual(tmp_path_factory):
    from pathlib import Path

    store = tmp_path_factory.mktemp("dual") / "store"
    sample = Path(__file__).resolve().parents[2] / "kg" / "data" / "sample" / "papers.jsonl"
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(sample), "--store", str(store), "-q",
                           "--workers", "1"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return store


def test_export_analyze_and_the_helpers_work_on_a_bolt_server(falkordb_server, sample_dual, tmp_path,
                                                               monkeypatch):
    from bolt_servers import bolt_connection

    import kg as api
    from kg.analytics import rank_methods
    from kg.rdf.from_store import read_tables

    bolt = bolt_connection(falkordb_server)
    bolt.clear()
    bolt.test_state = "contract"  # tests/neo4j reloads its sample after us
    with open_store(sample_dual) as graph:
        tables = read_tables(graph)
    bolt.write(tables)
    monkeypatch.setenv("KG_NEO4J_USER", falkordb_server.user)
    monkeypatch.setenv("KG_NEO4J_PASSWORD", falkordb_server.password)
    env = dict(os.environ)

    def kg(*args):
        proc = subprocess.run([sys.executable, "-m", "kg.cli", *args, "--neo4j", falkordb_server.uri],
                              capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return proc

    kg("export", "--format", "csv", "-o", str(tmp_path / "csv"))
    assert (tmp_path / "csv" / "Paper.csv").read_text().count("\n") == len(tables.nodes["Paper"]) + 1
    ranked = json.loads(kg("analyze", "rank", "--format", "json", "--top", "3").stdout)
    assert [r["method"] for r in ranked] == rank_methods(str(sample_dual), top=3)["method"].tolist()
    with api.open(falkordb_server.uri) as g, api.open(str(sample_dual)) as local:
        assert g.top_datasets().equals(local.top_datasets())
        assert g.methods_beating("ResNet-50", "ImageNet").equals(local.methods_beating("ResNet-50", "ImageNet"))
