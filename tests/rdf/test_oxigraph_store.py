"""The embedded SPARQL store: idempotent writes, replaced papers, named graphs, safe bindings."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import StoreError, UsageError
from kg.graph import build_tables
from kg.rdf.mapping import KG, IriMinter
from kg.rdf.query import run_sparql_query
from kg.stores.ladybug import LadybugStore
from kg.stores.oxigraph import OxigraphStore, sparql_on_store

from .conftest import NASTY, synthetic_extractions, with_mentions


def quads_in(store: OxigraphStore, graph: ox.NamedNode) -> set[str]:
    return {str(q.triple) for q in store.db.quads_for_pattern(None, None, None, graph)}


def test_writing_twice_changes_nothing(sample_tables, tmp_path):
    with OxigraphStore(tmp_path / "s") as store:
        first = store.write(sample_tables)
        n = len(store)
        second = store.write(sample_tables)
        assert len(store) == n
        assert store.triple_count() == n - 2 - sum(
            c - 1 for c in Counter(str(q.triple) for q in store.db if q.predicate == KG.beats).values())
    papers = len(sample_tables.nodes["Paper"])
    assert (first.papers_new, first.papers_unchanged) == (papers, 0)
    assert (second.papers_new, second.papers_updated, second.papers_unchanged) == (0, 0, papers)
    assert second.nodes_created == {} and second.edges_created == {}


def test_write_statistics_and_counts_match_the_ladybug_store(sample_tables, sample_dual, tmp_path):
    with LadybugStore(tmp_path / "s") as lb, OxigraphStore(tmp_path / "s") as rdf:
        assert rdf.write(sample_tables) == lb.write(sample_tables)
    with LadybugStore(sample_dual, read_only=True) as lb, OxigraphStore(sample_dual, read_only=True) as rdf:
        assert rdf.counts() == lb.counts()
        ids = list(sample_tables.nodes["Paper"]["id"][:5]) + ["no-such-paper"]
        assert rdf.paper_hashes(ids) == lb.paper_hashes(ids)
        assert len(rdf.paper_hashes(ids)) == 5


def _changed_s2() -> list:
    """s2 again with another abstract: BetaNet now beats ResNet-101 on ImageNet-R."""
    old = next(e for e in synthetic_extractions() if e.paper.id == "s2")
    paper = dataclasses.replace(old.paper, abstract="BetaNet outperforms ResNet-101 on ImageNet-R.")
    ex = dataclasses.replace(
        old, paper=paper, methods=["ResNet-101"], datasets=["ImageNet-R"], mentions=[], results=[],
        comparisons=[dataclasses.replace(old.comparisons[0], loser="ResNet-101", dataset="ImageNet-R",
                                         sentence="BetaNet outperforms ResNet-101 on ImageNet-R.")])
    return [with_mentions(ex)]


def test_a_changed_paper_is_replaced_by_clearing_its_graph(tmp_path):
    v1 = build_tables(synthetic_extractions())
    v2_s2 = build_tables(_changed_s2())
    with OxigraphStore(tmp_path / "inc") as inc, LadybugStore(tmp_path / "inc") as lb:
        inc.write(v1)
        lb.write(v1)
        old_s2 = quads_in(inc, inc.iris.paper_graph("s2"))
        stats = inc.write(v2_s2)
        lb_stats = lb.write(v2_s2)
        new_s2 = quads_in(inc, inc.iris.paper_graph("s2"))
        s1 = quads_in(inc, inc.iris.paper_graph("s1"))
        assert stats == lb_stats
        assert inc.counts() == lb.counts()  # same write semantics as the property-graph store
        beating = run_sparql_query(inc, "methods_beating", {"baseline": "AlphaNet"})
        beating_101 = run_sparql_query(inc, "methods_beating", {"baseline": "ResNet-101"})
    assert (stats.papers_updated, stats.papers_new, stats.papers_unchanged) == (1, 0, 0)
    assert old_s2 and new_s2 and not (old_s2 & new_s2 - {t for t in old_s2 if "/paper/s2>" in t.split()[0]})
    assert any("ResNet-101" in t or "resnet101" in t for t in new_s2)
    assert not any("error rate" in t for t in new_s2)  # s2's old results are gone
    assert "s2" not in set(beating["paper"])  # s5 still says BetaNet beats AlphaNet
    assert beating_101["paper"].tolist() == ["s2"]
    # the replaced paper's graph is exactly what a fresh build of the new version writes
    with OxigraphStore(tmp_path / "fresh") as fresh:
        fresh.write(build_tables([e for e in synthetic_extractions() if e.paper.id != "s2"] + _changed_s2()))
        assert quads_in(fresh, fresh.iris.paper_graph("s2")) == new_s2
        assert quads_in(fresh, fresh.iris.paper_graph("s1")) == s1


def test_each_paper_has_its_own_graph_and_entities_are_shared(synthetic_tables, tmp_path):
    with OxigraphStore(tmp_path / "s") as store:
        store.write(synthetic_tables)
        m = store.iris
        graphs = {g.value for g in store.db.named_graphs()}
        assert graphs == {m.paper_graph(p).value for p in ("s1", "s2", "s3", "s4", "s5")} | {
            m.entities_graph.value, m.meta_graph.value}
        s1 = quads_in(store, m.paper_graph("s1"))
        assert all(t.startswith(("<https://w3id.org/kg-ml/paper/s1>", "<https://w3id.org/kg-ml/comparison/",
                                 "<https://w3id.org/kg-ml/result/", "<https://w3id.org/kg-ml/method/"))
                   for t in s1)
        entities = quads_in(store, m.entities_graph)
        assert not any("/paper/" in t.split()[0] for t in entities)
        seen = Counter(str(q.triple) for q in store.db)
        twice = {t for t, n in seen.items() if n > 1}
        assert twice and all(f"<{KG.beats.value}>" in t for t in twice)  # BetaNet beats AlphaNet: s2 and s5


def test_new_aliases_extend_an_entity_its_name_stays(tmp_path):
    first = build_tables([with_mentions(synthetic_extractions()[2])])  # s3: GammaNet, BetaNet
    later = synthetic_extractions()[1]  # s2 names BetaNet too; add a new spelling
    later.mentions.append(later.mentions[0].__class__("Beta-Net", "METHOD", 0, 8, "betanet", "BetaNet"))
    second = build_tables([later])
    with OxigraphStore(tmp_path / "s") as rdf, LadybugStore(tmp_path / "s") as lb:
        for t in (first, second):
            rdf.write(t)
            lb.write(t)
        row = lb.cypher("MATCH (m:Method {key: 'betanet'}) RETURN m.name AS name, m.aliases AS aliases, m.keys AS keys")
        q = ("SELECT ?name (GROUP_CONCAT(DISTINCT ?alias; separator='|') AS ?aliases) ?m WHERE { "
             "?m skos:prefLabel ?name OPTIONAL { ?m skos:altLabel ?alias } } GROUP BY ?m ?name")
        got = rdf.sparql(q, {"m": rdf.iris.entity("Method", "betanet")})
        keys = rdf.sparql("SELECT ?k ?m WHERE { ?m kg:key ?k }", {"m": rdf.iris.entity("Method", "betanet")})
    assert got["name"].tolist() == [row["name"][0]] == ["BetaNet"]
    assert sorted(got["aliases"][0].split("|")) == sorted(row["aliases"][0]) and "Beta-Net" in row["aliases"][0]
    assert sorted(keys["k"]) == sorted(row["keys"][0])


def test_values_are_bound_not_spliced(synthetic_tables, tmp_path):
    with OxigraphStore(tmp_path / "s") as store:
        store.write(synthetic_tables)
        n = len(store)
        found = store.sparql("SELECT ?p ?t WHERE { ?p dcterms:title ?t }", {"t": NASTY})
        assert found["t"].tolist() == [NASTY] and found["p"].tolist() == [store.iris.paper("s5").value]
        evil = '" } INSERT DATA { <urn:a> <urn:b> <urn:c> } #'
        for name, params in [("methods_beating", {"baseline": evil}), ("sota_claims", {"dataset": evil}),
                             ("papers_with_code", {"method": evil, "dataset": NASTY})]:
            assert run_sparql_query(store, name, params).empty
        raw = store.sparql("SELECT ?x WHERE { ?s kg:key ?x }", {"x": evil})
        assert raw.empty and len(store) == n
        with pytest.raises(UsageError):
            store.sparql("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
        with pytest.raises(UsageError, match="not a SPARQL variable"):
            store.sparql("SELECT ?x WHERE { ?x ?p ?o }", {"x } #": "y"})
        assert len(store) == n


def test_query_results_become_python_values(synthetic_dual):
    with OxigraphStore(synthetic_dual, read_only=True) as store:
        df = store.sparql("SELECT ?v ?b ?i ?s ?iri WHERE { ?r mls:hasValue ?v . ?x kg:higherIsBetter ?b "
                          "BIND(3 AS ?i) BIND('x' AS ?s) BIND(kg:foo AS ?iri) } LIMIT 1")
        ask = store.sparql("ASK { ?s a kg:Comparison }")
        graph = store.sparql("CONSTRUCT { ?s a kg:Comparison } WHERE { ?s a kg:Comparison } LIMIT 2")
    row = df.to_dict("records")[0]
    assert isinstance(row["v"], float) and isinstance(row["b"], bool)
    assert row["i"] == 3 and isinstance(row["i"], int) and row["s"] == "x"
    assert row["iri"] == KG.foo.value
    assert ask["ask"].tolist() == [True]
    assert list(graph.columns) == ["subject", "predicate", "object"] and len(graph) == 2


def test_read_only_missing_locked_and_foreign_base_stores_are_refused(synthetic_dual, tmp_path):
    with pytest.raises(StoreError, match="no RDF store"):
        OxigraphStore(tmp_path / "nothing", read_only=True)
    with OxigraphStore(synthetic_dual, read_only=True) as ro, pytest.raises(StoreError, match="read-only"):
        ro.write(build_tables([]))
    with OxigraphStore(tmp_path / "w") as writer:
        with pytest.raises(StoreError, match="another process"):
            OxigraphStore(tmp_path / "w")
        assert writer.base == IriMinter().base
    with pytest.raises(StoreError, match="base IRI"):
        OxigraphStore(tmp_path / "w", base="https://example.org/other/")
    with OxigraphStore(tmp_path / "b", base="https://example.org/kg/") as other:
        other.write(build_tables(synthetic_extractions()[:1]))
        assert other.iris.paper("s1").value == "https://example.org/kg/paper/s1"
    with OxigraphStore(tmp_path / "b", read_only=True) as again:
        assert again.base == "https://example.org/kg/"
        assert again.paper_hashes(["s1"])


def test_sparql_on_store(synthetic_dual):
    df = sparql_on_store(synthetic_dual, "SELECT ?name ?k WHERE { ?m kg:key ?k ; skos:prefLabel ?name }",
                         {"k": "resnet50"})
    assert df["name"].tolist() == ["ResNet-50"]


def test_an_rdf_store_can_be_made_from_a_built_ladybug_store(sample_dual, tmp_path):
    import shutil

    from kg.rdf.from_store import sync_rdf_store

    target = tmp_path / "store"
    target.mkdir()
    for name in ("graph.lbdb", "meta.json"):
        src = Path(sample_dual) / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, target / name)
    stats = sync_rdf_store(target)
    assert stats.papers_new > 0
    assert sync_rdf_store(target).papers_unchanged == stats.papers_new  # idempotent
    with OxigraphStore(target, read_only=True) as made, OxigraphStore(sample_dual, read_only=True) as built:
        assert {str(t) for t in made.triples()} == {str(t) for t in built.triples()}


def test_big_batches_are_bulk_loaded_with_the_same_result(tmp_path):
    from kg.extract.runner import extract_papers
    from kg.ingest import read_papers
    from kg.rdf.mapping import graph_quads
    from kg.stores.oxigraph import BULK_QUADS

    from .conftest import SAMPLE

    base = list(extract_papers(read_papers([str(SAMPLE)]), workers=1))
    copies = [dataclasses.replace(e, paper=dataclasses.replace(e.paper, id=f"{e.paper.id}-{i}"))
              for i in range(6) for e in base]
    tables = build_tables(copies)
    want = {str(q) for q in graph_quads(tables)}
    assert len(want) > BULK_QUADS  # the bulk path is taken
    with OxigraphStore(tmp_path / "s") as store:
        store.write(tables)
        got = {str(q) for q in store.db if q.graph_name != store.iris.meta_graph}
        assert got == want
        again = store.write(tables)
        assert again.papers_unchanged == len(copies) and len(store) == len(want) + 2


def test_kg_build_through_rdf_side_fills_both_stores(tmp_path):
    from kg.build import build
    from kg.cli_rdf import rdf_side

    from .conftest import SAMPLE

    path = tmp_path / "store"
    with LadybugStore(path) as lb, rdf_side(lb, str(path)) as target:
        first = build([str(SAMPLE)], target, workers=1)
    with LadybugStore(path) as lb, rdf_side(lb, str(path)) as target:
        second = build([str(SAMPLE)], target, workers=1)
    assert first.writes.papers_new == second.writes.papers_unchanged > 0
    with LadybugStore(path, read_only=True) as lb, OxigraphStore(path, read_only=True) as rdf:
        assert rdf.counts() == lb.counts()
    with LadybugStore(tmp_path / "plain") as lb, rdf_side(lb, str(tmp_path / "plain"), enabled=False) as t:
        assert t is lb
    assert not (tmp_path / "plain" / "rdf").exists()
