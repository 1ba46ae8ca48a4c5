"""The embedded Ladybug store: idempotent builds, incremental additions, replaced papers."""

import json

from conftest import SAMPLE

from kg.build import build
from kg.stores.ladybug import LadybugStore


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_building_twice_changes_nothing(sample_store, store_copy):
    with LadybugStore(sample_store, read_only=True) as s:
        before = s.counts()
    with LadybugStore(store_copy) as s:
        summary = build([str(SAMPLE)], s)
        after = s.counts()
    assert summary.writes.papers_new == 0
    assert summary.writes.papers_unchanged == before["Paper"]
    assert after == before
    assert before["Paper"] >= 40 and before["Comparison"] > 0 and before["Repository"] > 0


def test_a_second_corpus_adds_to_the_store(store_copy, tmp_path):
    extra = write_jsonl(tmp_path / "extra.jsonl", [
        {"id": "x1", "title": "NovaNet: a new backbone",
         "abstract": "NovaNet outperforms ResNet-50 on ImageNet. Code: https://github.com/nova/novanet"},
    ])
    with LadybugStore(store_copy) as s:
        before = s.counts()
        build([str(extra)], s)
        after = s.counts()
        winners = s.cypher("MATCH (c:Comparison)-[:WINNER]->(m:Method {key: 'novanet'}) RETURN count(c) AS n")
    assert after["Paper"] == before["Paper"] + 1
    assert after["Repository"] == before["Repository"] + 1
    assert after["Method"] == before["Method"] + 1  # NovaNet is new; ResNet-50 and ImageNet exist
    assert int(winners["n"][0]) == 1


def test_a_changed_paper_is_replaced_not_duplicated(tmp_path):
    store = tmp_path / "s"
    v1 = write_jsonl(tmp_path / "v1.jsonl", [
        {"id": "p", "title": "AlphaSeg: segmentation", "abstract": "AlphaSeg outperforms DETR on COCO."}])
    v2 = write_jsonl(tmp_path / "v2.jsonl", [
        {"id": "p", "title": "AlphaSeg: segmentation", "abstract": "AlphaSeg outperforms Mask R-CNN on ADE20K."}])
    with LadybugStore(store) as s:
        build([str(v1)], s)
    with LadybugStore(store) as s:
        summary = build([str(v2)], s)
        rows = s.cypher("MATCH (c:Comparison)-[:LOSER]->(m:Method) RETURN m.name AS loser")
        papers = s.cypher("MATCH (p:Paper) RETURN count(p) AS n")
    assert summary.writes.papers_updated == 1
    assert rows["loser"].tolist() == ["Mask R-CNN"]
    assert int(papers["n"][0]) == 1


def test_a_second_writer_is_refused(tmp_path):
    import pytest

    from kg.errors import StoreError

    with LadybugStore(tmp_path / "s"):
        with pytest.raises(StoreError, match="another kg process"):
            LadybugStore(tmp_path / "s")


def test_a_new_extractor_version_re_extracts_stored_papers(store_copy, monkeypatch):
    # the content hash covers the extractor version: papers stored by an older extractor are
    # extracted again (and replaced), not skipped as unchanged
    import kg.graph

    monkeypatch.setattr(kg.graph, "EXTRACTOR_VERSION", kg.graph.EXTRACTOR_VERSION + "-next")
    with LadybugStore(store_copy) as s:
        before = s.counts()
        summary = build([str(SAMPLE)], s)
        after = s.counts()
    assert summary.writes.papers_unchanged == 0
    assert after["Paper"] == before["Paper"]
    assert after["Comparison"] == before["Comparison"]


def test_a_long_build_that_reopens_the_database_stores_the_same_graph(sample_store, tmp_path, monkeypatch):
    # a long build closes and reopens the database every RECYCLE_PAPERS papers to give back the
    # engine's memory; with a tiny interval (every 5-paper batch) the graph must be the same
    import kg.stores.ladybug as ladybug_store

    monkeypatch.setattr(ladybug_store, "RECYCLE_PAPERS", 5)
    with LadybugStore(tmp_path / "recycled") as s:
        build([str(SAMPLE)], s, workers=1, batch_size=5)
        assert s._written < 5  # it did reopen
        recycled = s.counts()
        beaten = s.cypher("MATCH (w:Method)<-[:WINNER]-(:Comparison)-[:LOSER]->(l:Method) "
                          "RETURN w.key AS wk, l.key AS lk ORDER BY wk, lk")
    with LadybugStore(sample_store, read_only=True) as s:
        assert recycled == s.counts()
        assert beaten.equals(s.cypher("MATCH (w:Method)<-[:WINNER]-(:Comparison)-[:LOSER]->(l:Method) "
                                      "RETURN w.key AS wk, l.key AS lk ORDER BY wk, lk"))


def test_the_page_cache_is_capped_for_writing_and_sized_from_the_store_for_reading(tmp_path, monkeypatch):
    from kg.stores.ladybug import buffer_pool_bytes

    monkeypatch.delenv("KG_BUFFER_POOL_MB", raising=False)
    db = tmp_path / "graph.lbdb"
    with open(db, "wb") as f:
        f.truncate(600 * 2**20)  # a sparse 600 MB file
    mb = 2**20
    assert buffer_pool_bytes(db, read_only=False) == 512 * mb
    assert buffer_pool_bytes(db, read_only=True) == 1200 * mb
    assert buffer_pool_bytes(tmp_path / "absent.lbdb", read_only=True) == 512 * mb
    monkeypatch.setenv("KG_BUFFER_POOL_MB", "3072")
    assert buffer_pool_bytes(db, read_only=False) == buffer_pool_bytes(db, read_only=True) == 3072 * mb


def test_progress_is_reported_as_papers_arrive_and_adds_up(tmp_path):
    from kg.build import _reporting

    calls = []
    assert list(_reporting(iter(range(600)), calls.append)) == list(range(600))
    assert calls == [250, 250, 100]
    calls.clear()
    with LadybugStore(tmp_path / "s") as s:
        summary = build([str(SAMPLE)], s, workers=1, on_progress=calls.append)
    assert sum(calls) == summary.writes.papers_new == s_counts(tmp_path / "s")["Paper"]


def s_counts(path):
    with LadybugStore(path, read_only=True) as s:
        return s.counts()
