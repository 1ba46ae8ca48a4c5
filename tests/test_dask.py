"""Extraction on a Dask LocalCluster with two workers gives the same graph as a local build."""

import pytest

pytest.importorskip("dask.distributed")

from kg.build import build  # noqa: E402
from kg.extract.distributed import dask_client  # noqa: E402
from kg.integrity import store_hash  # noqa: E402
from kg.stores.ladybug import LadybugStore  # noqa: E402


@pytest.mark.slow
def test_dask_build_equals_local_build(tmp_path):
    from bench.corpus import write

    corpus = tmp_path / "synth.jsonl"
    write(600, str(corpus), seed=5)
    hashes = {}
    with LadybugStore(tmp_path / "local") as store:
        build([str(corpus)], store, workers=1, batch_size=250)
        hashes["local"] = store_hash(store)
    with dask_client("local", workers=2) as client, LadybugStore(tmp_path / "dask") as store:
        assert len(client.scheduler_info()["workers"]) == 2
        summary = build([str(corpus)], store, batch_size=250, dask_client=client)
        hashes["dask"] = store_hash(store)
    assert summary.report.papers == 600
    assert hashes["dask"] == hashes["local"]


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    from test_contract import run_kg

    proc = run_kg("build", "kg/data/sample/papers.jsonl", "--store", str(tmp_path / "s"),
                  "--dask", "tcp://127.0.0.1:9", "-q")
    assert proc.returncode == 2
    assert "cannot reach the Dask scheduler" in proc.stderr and "Traceback" not in proc.stderr
