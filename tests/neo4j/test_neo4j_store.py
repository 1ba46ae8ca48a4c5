"""The Neo4j adapter against real Bolt servers: same graph as the embedded store, idempotent
writes, changed-paper replacement, alias union, recovery of interrupted loads, clear errors."""

from __future__ import annotations

import json
import math
import socket

import pandas as pd
import pytest
from neo4j_helpers import copy_tables

from kg.errors import StoreError
from kg.graph import NODE_COLUMNS, RELATIONSHIPS, build_tables
from kg.models import Comparison, Extraction, Mention, Paper
from kg.normalize import norm_key
from kg.rdf.from_store import read_tables


def extraction(pid: str, title: str = "A paper", abstract: str = "An abstract.", *, beats=(), aliases=(),
               **fields) -> Extraction:
    """A hand-made extraction, independent of the extractor: ``beats`` are (winner, loser,
    dataset) claims, ``aliases`` (label, text, canonical name) mentions. Every name used gets a
    mention of itself, as the extractor's output has."""
    comparisons = [Comparison(winner=w, loser=lo, dataset=d, metric=None, delta=None,
                              sentence=f"{w} outperforms {lo} on {d}.", start=0, end=10, confidence=0.9)
                   for w, lo, d in beats]
    names = [("METHOD", n) for f in ("methods_proposed", "methods") for n in fields.get(f, [])]
    names += [("DATASET", n) for f in ("datasets", "datasets_proposed") for n in fields.get(f, [])]
    names += [("TASK", n) for n in fields.get("tasks", [])] + [("METRIC", n) for n in fields.get("metrics", [])]
    names += [("METHOD", n) for w, lo, _ in beats for n in (w, lo)] + [("DATASET", d) for _, _, d in beats]
    mentions = [Mention(text=n, label=label, start=0, end=len(n), key=norm_key(n), name=n)
                for label, n in dict.fromkeys(names)]
    mentions += [Mention(text=text, label=label, start=0, end=len(text), key=norm_key(name), name=name)
                 for label, text, name in aliases]
    return Extraction(paper=Paper(id=pid, title=title, abstract=abstract, source="test"), comparisons=comparisons,
                      mentions=mentions, **fields)


def tables_for(*extractions: Extraction):
    return build_tables(list(extractions))


def _frame_rows(df: pd.DataFrame) -> list[tuple]:
    def plain(v):
        if isinstance(v, float) and math.isnan(v):
            return None
        if isinstance(v, (list, tuple)) or hasattr(v, "tolist") and not isinstance(v, str):
            return tuple(v)
        return v.item() if hasattr(v, "item") else v

    return sorted((tuple(plain(v) for v in row) for row in df.itertuples(index=False, name=None)), key=repr)


# -- the same graph as the embedded store ------------------------------------------------------

def test_counts_equal_the_embedded_store(loaded_store, ladybug_sample, sample_tables):
    counts = loaded_store.counts()
    assert counts == ladybug_sample.counts()
    assert counts["Paper"] == len(sample_tables.nodes["Paper"]) >= 40
    assert counts["BEATS"] > 0 and counts["Comparison"] > 0 and counts["Result"] > 0


def test_every_node_and_relationship_reads_back_identical(loaded_store, ladybug_sample):
    """All labels, properties (lists, booleans, numbers, empty strings), relationship types and
    BEATS properties, read with the same Cypher from both stores."""
    mine, reference = read_tables(loaded_store), read_tables(ladybug_sample)
    for label in NODE_COLUMNS:
        assert list(mine.nodes[label].columns) == NODE_COLUMNS[label]
        assert _frame_rows(mine.nodes[label]) == _frame_rows(reference.nodes[label]), label
    for spec in RELATIONSHIPS:
        assert _frame_rows(mine.edges[spec]) == _frame_rows(reference.edges[spec]), spec


def test_paper_hashes(loaded_store, sample_tables):
    papers = sample_tables.nodes["Paper"]
    hashes = loaded_store.paper_hashes(list(papers["id"]) + ["not-a-paper"])
    assert hashes == dict(zip(papers["id"], papers["hash"]))


# -- write semantics ---------------------------------------------------------------------------

def test_writing_the_same_tables_twice_changes_nothing(bolt_store, sample_tables):
    first = bolt_store.write(sample_tables)
    before = bolt_store.counts()
    second = bolt_store.write(sample_tables)
    assert bolt_store.counts() == before
    assert first.papers_new == len(sample_tables.nodes["Paper"])
    assert second.papers_unchanged == len(sample_tables.nodes["Paper"])
    assert second.papers_new == second.papers_updated == 0
    assert not second.nodes_created and not second.edges_created
    assert first.nodes_created["Paper"] == before["Paper"]
    assert sum(first.edges_created.values()) == sum(before[r] for r in dict.fromkeys(r for r, _, _ in RELATIONSHIPS))


def test_small_batches_give_the_same_graph(session_store, sample_tables, ladybug_sample):
    store = session_store
    store.clear()
    store.test_state = "dirty"
    old = store.batch_size
    store.batch_size = 7
    try:
        store.write(sample_tables)
    finally:
        store.batch_size = old
    assert store.counts() == ladybug_sample.counts()


def test_a_second_corpus_adds_to_the_graph(bolt_store, sample_tables):
    bolt_store.write(sample_tables)
    before = bolt_store.counts()
    stats = bolt_store.write(tables_for(extraction(
        "x1", "NovaNet: a new backbone", methods_proposed=["NovaNet"], methods=["ResNet-50"],
        datasets=["ImageNet"], repos=["https://github.com/nova/novanet"],
        beats=[("NovaNet", "ResNet-50", "ImageNet")])))
    after = bolt_store.counts()
    assert stats.papers_new == 1
    assert after["Paper"] == before["Paper"] + 1
    assert after["Repository"] == before["Repository"] + 1
    assert after["Method"] == before["Method"] + 1  # NovaNet is new; ResNet-50 exists
    df = bolt_store.cypher("MATCH (:Method {key: 'novanet'})-[b:BEATS]->(l:Method) RETURN l.name AS loser, b.paper AS paper")
    assert df.to_dict("records") == [{"loser": "ResNet-50", "paper": "x1"}]


def test_a_changed_paper_is_replaced_not_duplicated(bolt_store):
    v1 = extraction("p", "AlphaSeg: segmentation", "AlphaSeg outperforms Detrox on Zorbset.",
                    methods_proposed=["AlphaSeg"], methods=["Detrox"], datasets=["Zorbset"],
                    beats=[("AlphaSeg", "Detrox", "Zorbset")])
    v2 = extraction("p", "AlphaSeg: segmentation", "AlphaSeg outperforms Maskron on Quuxset.",
                    methods_proposed=["AlphaSeg"], methods=["Maskron"], datasets=["Quuxset"],
                    beats=[("AlphaSeg", "Maskron", "Quuxset")])
    bolt_store.write(tables_for(v1))
    stats = bolt_store.write(tables_for(v2))
    assert stats.papers_updated == 1 and stats.papers_new == 0
    losers = bolt_store.cypher("MATCH (c:Comparison)-[:LOSER]->(m:Method) RETURN m.name AS loser")
    assert losers["loser"].tolist() == ["Maskron"]
    beats = bolt_store.cypher("MATCH (a:Method)-[b:BEATS]->(l:Method) RETURN l.name AS loser, b.dataset AS d, "
                              "b.paper AS paper")
    assert beats.to_dict("records") == [{"loser": "Maskron", "d": "quuxset", "paper": "p"}]
    uses = bolt_store.cypher("MATCH (:Paper {id: 'p'})-[:USES_DATASET]->(d:Dataset) RETURN d.name AS d")
    assert uses["d"].tolist() == ["Quuxset"]
    counts = bolt_store.counts()
    assert counts["Paper"] == 1 and counts["Comparison"] == 1 and counts["STATED_IN"] == 1
    assert bolt_store.paper_hashes(["p"]) == {"p": tables_for(v2).nodes["Paper"]["hash"][0]}


def test_entity_aliases_are_united_on_update(bolt_store):
    bolt_store.write(tables_for(extraction("a", datasets=["Zorbset"], aliases=[("DATASET", "ZS", "Zorbset")])))
    stats = bolt_store.write(tables_for(extraction("b", datasets=["Zorbset"],
                                                   aliases=[("DATASET", "Zorb-S", "Zorbset")])))
    assert "Dataset" not in stats.nodes_created
    df = bolt_store.cypher("MATCH (d:Dataset {key: 'zorbset'}) RETURN d.name AS name, d.aliases AS aliases, "
                           "d.keys AS keys")
    assert len(df) == 1
    assert list(df["aliases"][0]) == ["ZS", "Zorb-S"]
    assert list(df["keys"][0]) == ["zorbs", "zorbset", "zs"]
    assert df["name"][0] == "Zorbset"
    found = bolt_store.cypher("MATCH (d:Dataset) WHERE $k IN d.keys RETURN d.name AS name", {"k": "zs"})
    assert found["name"].tolist() == ["Zorbset"]


def test_the_alias_index_gets_the_new_keys_of_a_stored_entity(bolt_store):
    bolt_store.write(tables_for(extraction("a", datasets=["Zorbset"], aliases=[("DATASET", "ZS", "Zorbset")])))
    assert not bolt_store.names("zorbs", "Dataset")
    bolt_store.write(tables_for(extraction("b", datasets=["Zorbset"], aliases=[("DATASET", "Zorb-S", "Zorbset")])))
    index = bolt_store.cypher("MATCH (a:Alias)-[:NAMES]->(d:Dataset) RETURN a.key AS a, d.key AS d ORDER BY a")
    assert index.values.tolist() == [["zorbs", "zorbset"], ["zorbset", "zorbset"], ["zs", "zorbset"]]
    assert bolt_store.names("zorbs", "Dataset") and not bolt_store.names("zorbs", "Task")


def test_a_graph_written_without_the_alias_index_gets_it_from_the_keys(bolt_store):
    bolt_store.write(tables_for(extraction("a", beats=[("Quuxnet", "Maskron", "Quuxset")],
                                           aliases=[("METHOD", "MR", "Maskron")])))
    want = bolt_store.cypher("MATCH (a:Alias)-[:NAMES]->(n) RETURN a.key AS a, n.key AS n ORDER BY a, n")
    bolt_store.cypher("MATCH (a:Alias) DETACH DELETE a")  # as an older kg (or neo4j-admin files) left it
    bolt_store._schema_ready = False
    bolt_store.ensure_schema()  # what `kg neo4j schema` and the next write run
    got = bolt_store.cypher("MATCH (a:Alias)-[:NAMES]->(n) RETURN a.key AS a, n.key AS n ORDER BY a, n")
    assert got.values.tolist() == want.values.tolist() and ["mr", "maskron"] in got.values.tolist()


def test_a_sequence_of_writes_leaves_the_same_graph_as_the_embedded_store(bolt_store, tmp_path):
    """New papers, a changed paper, entity alias updates, a repeated batch: compared property
    by property with LadybugDB after the same writes."""
    from kg.stores.ladybug import LadybugStore

    batches = [
        tables_for(extraction("p", "AlphaSeg", "v1", methods_proposed=["AlphaSeg"], datasets=["Zorbset"],
                              beats=[("AlphaSeg", "Detrox", "Zorbset")], aliases=[("DATASET", "ZS", "Zorbset")])),
        tables_for(extraction("q", "BetaNet", "q1", methods_proposed=["BetaNet"], methods=["AlphaSeg"],
                              beats=[("BetaNet", "AlphaSeg", "Zorbset")], aliases=[("METHOD", "A-Seg", "AlphaSeg")],
                              repos=["https://github.com/beta/net"])),
        tables_for(extraction("p", "AlphaSeg", "v2", methods_proposed=["AlphaSeg"], datasets=["Quuxset"],
                              beats=[("AlphaSeg", "Maskron", "Quuxset")],
                              aliases=[("DATASET", "Zorb-S", "Zorbset")], tasks=["Segmentation"])),
    ]
    batches.append(batches[1])
    with LadybugStore(tmp_path / "lb") as lb:
        for tables in batches:
            expected_stats = lb.write(copy_tables(tables))
            stats = bolt_store.write(copy_tables(tables))
            assert (stats.papers_new, stats.papers_updated, stats.papers_unchanged) == (
                expected_stats.papers_new, expected_stats.papers_updated, expected_stats.papers_unchanged)
        reference = read_tables(lb)
        assert bolt_store.counts() == lb.counts()
    mine = read_tables(bolt_store)
    for label in NODE_COLUMNS:
        assert _frame_rows(mine.nodes[label]) == _frame_rows(reference.nodes[label]), label
    for spec in RELATIONSHIPS:
        assert _frame_rows(mine.edges[spec]) == _frame_rows(reference.edges[spec]), spec


def test_an_interrupted_load_is_completed_by_the_next_build(bolt_store, sample_tables):
    """A paper written without its hash (the hash is written last) is rewritten, not skipped."""
    bolt_store.write(sample_tables)
    before = bolt_store.counts()
    bolt_store.cypher("MATCH (p:Paper {id: $id}) REMOVE p.hash", {"id": "kgs-002"})
    bolt_store.cypher("MATCH (c:Comparison)-[:STATED_IN]->(:Paper {id: $id}) DETACH DELETE c", {"id": "kgs-002"})
    stats = bolt_store.write(sample_tables)
    assert stats.papers_updated == 1
    assert bolt_store.counts() == before


def test_a_load_that_fails_midway_leaves_no_hash_and_is_redone(bolt_store, sample_tables, ladybug_sample,
                                                             monkeypatch):
    """The hash is written last: if writing relationships fails, no paper counts as stored."""
    real = bolt_store._write_rows

    def failing(session, statement, rows):
        if "MERGE (a)-[r:" in statement:
            raise StoreError("simulated failure while writing relationships")
        return real(session, statement, rows)

    monkeypatch.setattr(bolt_store, "_write_rows", failing)
    with pytest.raises(StoreError, match="simulated"):
        bolt_store.write(sample_tables)
    monkeypatch.setattr(bolt_store, "_write_rows", real)
    assert bolt_store.counts()["Paper"] == len(sample_tables.nodes["Paper"])
    assert bolt_store.paper_hashes(list(sample_tables.nodes["Paper"]["id"])) == {}
    stats = bolt_store.write(sample_tables)
    assert stats.papers_updated == len(sample_tables.nodes["Paper"])
    assert bolt_store.counts() == ladybug_sample.counts()


def test_values_are_parameters_never_query_text(bolt_store):
    tricky = "x' }) DETACH DELETE n // \"quoted\" back\\slash it's {braces} $param\nline two"
    bolt_store.write(tables_for(extraction("q'1", tricky, "It's fast.", methods_proposed=["Trick'Net"])))
    df = bolt_store.cypher("MATCH (p:Paper) WHERE p.id = $id RETURN p.title AS title, p.id AS id", {"id": "q'1"})
    assert df.to_dict("records") == [{"title": tricky, "id": "q'1"}]
    assert bolt_store.cypher("MATCH (p:Paper) WHERE p.title = $t RETURN count(p) AS n", {"t": tricky})["n"][0] == 1


def test_schema_is_created_once_and_is_idempotent(bolt_store, sample_tables):
    bolt_store.write(sample_tables)
    bolt_store._schema_ready = False
    bolt_store.ensure_schema()  # again: no error
    if bolt_store.flavor == "falkordb":
        df = bolt_store.cypher("CALL db.indexes() YIELD label, properties RETURN label, properties")
        indexed = {(label, p) for label, props in zip(df["label"], df["properties"]) for p in props}
        assert {("Paper", "id"), ("Method", "key"), ("Method", "keys"), ("BEATS", "paper")} <= indexed
    else:
        df = bolt_store.cypher("SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties, type "
                               "WHERE name STARTS WITH 'kg_' RETURN name, labelsOrTypes, properties, type")
        assert {(lt[0], p[0]) for lt, p in zip(df["labelsOrTypes"], df["properties"])} >= {
            ("Paper", "id"), ("Method", "key"), ("Comparison", "id"), ("Result", "id")}


def test_the_server_is_recognised(session_store, bolt_server):
    assert session_store.flavor == bolt_server.name


# -- errors: one clear line ---------------------------------------------------------------------

def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_server_is_one_clear_line():
    port = _closed_port()
    with pytest.raises(StoreError) as err:
        open_store_at(f"bolt://127.0.0.1:{port}")
    msg = str(err.value)
    assert msg == (f"cannot connect to Neo4j at bolt://127.0.0.1:{port}: connection refused — "
                   "is the server running? (set KG_NEO4J_URI)")


def open_store_at(uri: str, user: str = "neo4j", password: str | None = "pw"):
    from kg.stores.neo4j import Neo4jStore

    return Neo4jStore(uri, user, password, connect_timeout=2, connect_attempts=2)


def test_wrong_password_is_one_clear_line(bolt_server):
    with pytest.raises(StoreError) as err:
        open_store_at(bolt_server.uri, bolt_server.user, "certainly-wrong")
    msg = str(err.value)
    assert "\n" not in msg
    assert f"at {bolt_server.uri}" in msg and f"user '{bolt_server.user}'" in msg
    assert "KG_NEO4J_USER/KG_NEO4J_PASSWORD" in msg


@pytest.mark.parametrize("uri", ["http://localhost:7474", "localhost:7687", "bolt://"])
def test_a_bad_uri_is_one_clear_line(uri):
    with pytest.raises(StoreError) as err:
        open_store_at(uri)
    assert "\n" not in str(err.value) and "KG_NEO4J_URI" in str(err.value)


def test_open_from_env(monkeypatch, bolt_server):
    from kg.stores.neo4j import open_neo4j_from_env

    monkeypatch.setenv("KG_NEO4J_URI", bolt_server.uri)
    monkeypatch.setenv("KG_NEO4J_USER", bolt_server.user)
    if bolt_server.password is None:
        monkeypatch.delenv("KG_NEO4J_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("KG_NEO4J_PASSWORD", bolt_server.password)
    with open_neo4j_from_env(connect_timeout=5, database=bolt_server.database) as store:
        assert store.uri == bolt_server.uri
        assert int(store.cypher("RETURN 1 AS one")["one"][0]) == 1
    monkeypatch.delenv("KG_NEO4J_URI")
    with pytest.raises(StoreError, match="KG_NEO4J_URI"):
        open_neo4j_from_env()


def test_a_row_too_large_for_falkordb_is_refused_not_sent(bolt_store):
    if bolt_store.flavor != "falkordb":
        pytest.skip("only FalkorDB limits parameter size")
    with pytest.raises(StoreError, match="4 KiB"):
        bolt_store.write(tables_for(extraction("big", "Big", "We propose BigNet. " + "word " * 2000)))
    assert int(bolt_store.cypher("RETURN 1 AS one")["one"][0]) == 1  # the server is still up


def test_statements_are_built_from_model_constants_only():
    from kg.stores.neo4j import _ident, constraint_statements, edge_statement, node_statement

    assert node_statement("Paper").startswith("UNWIND $rows AS row MERGE (n:Paper {id: row.id}) SET ")
    assert "hash" not in node_statement("Paper")
    assert "ON CREATE SET" in node_statement("Method")
    assert edge_statement("BEATS", "Method", "Method").endswith(
        "MERGE (a)-[r:BEATS {comparison: row.comparison}]->(b) SET r.paper = row.paper, r.dataset = row.dataset")
    assert constraint_statements()[0] == (
        "CREATE CONSTRAINT kg_paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE")
    with pytest.raises(ValueError):
        _ident("Paper) DETACH DELETE (n")
    json.dumps(constraint_statements())
