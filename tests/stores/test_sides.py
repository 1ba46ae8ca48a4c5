"""The two sides of an embedded store (the property graph, the RDF store) end up holding the same
graph as a clean build whatever stopped a build between them: a process killed after the graph's
commit and before the RDF write, a build with --no-rdf, an RDF side deleted or changed by hand.
Every check runs the real ``kg`` command on real stores."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "kg" / "data" / "sample" / "papers.jsonl"


def kg(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def hashes(store: Path) -> dict:
    return json.loads(kg("stats", "--hash", "--format", "json", "--store", str(store)).stdout)


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> dict:
    """``kg stats --hash`` of a clean build of the sample corpus (batches of 10 papers)."""
    store = tmp_path_factory.mktemp("clean") / "store"
    kg("build", str(SAMPLE), "--store", str(store), "--batch-size", "10", "-q", "--workers", "1")
    found = hashes(store)
    assert found["rdf_sha256"] == found["ntriples_sha256"]  # both sides hold one graph
    return found


# A build that dies (SIGKILL: no cleanup, nothing flushed) after the property graph committed its
# third batch and before the RDF store was written: the point where the two sides part.
KILLED_BUILD = textwrap.dedent("""
    import os, signal, sys
    from kg.build import build
    from kg.stores.base import StoreSet
    from kg.stores.open import open_store

    class DiesBeforeItsThirdWrite:
        def __init__(self, side):
            self.side, self.writes = side, 0
        def write(self, batch):
            if hasattr(batch, "nodes"):  # a batch of graph tables (not a metadata-only plan)
                self.writes += 1
                if self.writes == 3:
                    os.kill(os.getpid(), signal.SIGKILL)
            return self.side.write(batch)
        def __getattr__(self, name):
            return getattr(self.side, name)

    store = open_store(sys.argv[2], "write")
    graph, rdf = store.sides
    build([sys.argv[1]], StoreSet([graph, DiesBeforeItsThirdWrite(rdf)]), workers=1, batch_size=10)
""")


def test_a_build_killed_between_the_two_writes_is_completed_by_running_it_again(clean, tmp_path):
    store = tmp_path / "store"
    proc = subprocess.run([sys.executable, "-c", KILLED_BUILD, str(SAMPLE), str(store)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == -9, proc.stderr  # it was killed, not finished
    parted = hashes(store)
    assert parted["rdf_sha256"] != parted["ntriples_sha256"]  # the RDF side lacks the third batch
    kg("build", str(SAMPLE), "--store", str(store), "--batch-size", "10", "-q", "--workers", "1")
    after = hashes(store)
    assert after["rdf_sha256"] == clean["rdf_sha256"]
    assert after["graph_sha256"] == clean["graph_sha256"]
    query = ["query", "top_datasets", "--format", "json", "--store", str(store)]
    assert json.loads(kg(*query, "--lang", "sparql").stdout) == json.loads(kg(*query).stdout)


@pytest.mark.parametrize("damage", ["deleted", "emptied", "no-rdf"])
def test_a_missing_rdf_side_is_restored_by_kg_build(clean, tmp_path, damage):
    store = tmp_path / "store"
    if damage == "no-rdf":
        kg("build", str(SAMPLE), "--store", str(store), "--no-rdf", "-q", "--workers", "1")
    else:
        kg("build", str(SAMPLE), "--store", str(store), "-q", "--workers", "1")
        shutil.rmtree(store / "rdf")
        if damage == "emptied":
            (store / "rdf").mkdir()
    kg("build", str(SAMPLE), "--store", str(store), "-q", "--workers", "1")
    after = hashes(store)
    assert after["rdf_sha256"] == clean["rdf_sha256"] and after["graph_sha256"] == clean["graph_sha256"]


def test_kg_repair_rebuilds_an_rdf_side_that_differs(clean, tmp_path):
    import pyoxigraph as ox

    store = tmp_path / "store"
    kg("build", str(SAMPLE), "--store", str(store), "-q", "--workers", "1")
    assert "nothing to repair" in kg("repair", "--store", str(store)).stderr
    db = ox.Store(str(store / "rdf"))
    graph = next(g for g in db.named_graphs() if "/graph/paper/" in g.value)
    db.remove_graph(graph)  # a paper lost by hand: its content hash went with it
    db.flush()
    del db
    warned = kg("stats", "--hash", "--store", str(store))
    assert "the RDF side differs" in warned.stderr and "kg repair" in warned.stderr
    assert "differed from the property graph; rebuilt" in kg("repair", "--store", str(store)).stderr
    assert hashes(store)["rdf_sha256"] == clean["rdf_sha256"]


@pytest.mark.parametrize("flags", [[], ["--no-rdf"]])
def test_the_earliest_date_wins_whatever_the_order_and_with_or_without_rdf(tmp_path, flags):
    record = {"id": "2301.00001", "title": "Zorbnet: a backbone", "abstract": "Zorbnet outperforms ResNet-50 on ImageNet."}
    late = tmp_path / "late.jsonl"
    early = tmp_path / "early.jsonl"
    late.write_text(json.dumps({**record, "date": "2023-05-01"}) + "\n")
    early.write_text(json.dumps({**record, "date": "2021-01-01"}) + "\n")
    dates = set()
    for n, order in enumerate(([late, early], [early, late], [late], [early])):
        store = tmp_path / f"s{n}"
        inputs = [str(p) for p in order]
        if n >= 2:  # two runs: the second record meets the stored paper
            kg("build", inputs[0], "--store", str(store), "-q", *flags)
            inputs = [str(early if order == [late] else late)]
        kg("build", *inputs, "--store", str(store), "-q", *flags)
        rows = json.loads(kg("cypher", "-e", "MATCH (p:Paper) RETURN p.date AS date", "--format", "json",
                             "--store", str(store)).stdout)
        dates.add(rows[0]["date"])
        if not flags:
            found = json.loads(kg("sparql", "-e", "SELECT ?d WHERE { ?p dcterms:issued ?d }", "--format", "json",
                                  "--store", str(store)).stdout)
            dates.add(found[0]["d"])
    assert dates == {"2021-01-01"}
