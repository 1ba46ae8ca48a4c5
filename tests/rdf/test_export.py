"""Graph tables → RDF: every export format parses back (rdflib, pyoxigraph) to the same triples;
IRIs are stable; literals survive byte for byte; the vocabulary is declared."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg.errors import UsageError
from kg.graph import build_tables
from kg.rdf.export import export_rdf, source_triples
from kg.rdf.from_store import read_tables
from kg.rdf.mapping import (
    DEFAULT_BASE,
    KG_NS,
    IriMinter,
    date_literal,
    decimal,
    graph_triples,
)
from kg.stores.ladybug import LadybugStore
from kg.stores.oxigraph import OxigraphStore

from .conftest import NASTY, SAMPLE, extract_file, synthetic_extractions

RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
OX_FORMAT = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
             "rdfxml": ox.RdfFormat.RDF_XML}
ONTOLOGY = Path(__file__).resolve().parents[2] / "kg" / "rdf" / "ontology.ttl"


def nt_set(triples) -> set[str]:
    return {str(t) for t in triples}


def rdflib_set(g: rdflib.Graph) -> set[tuple]:
    """Triples as comparable tuples (lexical forms, not rdflib's normalised Python values)."""
    def term(t):
        if isinstance(t, rdflib.Literal):
            return ("L", str(t), str(t.datatype or ""), t.language or "")
        return ("I", str(t))
    return {(term(s), term(p), term(o)) for s, p, o in g}


def ox_as_tuples(triples) -> set[tuple]:
    def term(t):
        if isinstance(t, ox.Literal):
            dt = "" if t.language else t.datatype.value
            return ("L", t.value, "" if dt == "http://www.w3.org/2001/XMLSchema#string" else dt, t.language or "")
        return ("I", t.value)
    return {(term(t.subject), term(t.predicate), term(t.object)) for t in triples}


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "rdfxml"])
def test_every_format_round_trips_through_rdflib_and_pyoxigraph(fmt, sample_tables, tmp_path):
    path = tmp_path / f"graph.{fmt}"
    n = export_rdf(sample_tables, fmt, str(path))
    want = list(graph_triples(sample_tables))
    assert n == len(want) > 1000

    g = rdflib.Graph().parse(str(path), format=RDFLIB_FORMAT[fmt])
    assert len(g) == n
    assert rdflib_set(g) == ox_as_tuples(want)

    store = ox.Store()
    store.load(path=str(path), format=OX_FORMAT[fmt])
    assert len(store) == n
    assert nt_set(q.triple for q in store) == nt_set(want)


def test_ntriples_are_streamed_one_line_per_triple(sample_tables, tmp_path):
    path = tmp_path / "g.nt"
    n = export_rdf(sample_tables, "nt", str(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == n and all(line.endswith(" .") for line in lines)
    assert len(set(lines)) == n  # each triple once (kg:beats pairs stated twice included)


def test_jsonld_is_compacted_with_the_shipped_context(sample_tables, tmp_path):
    path = tmp_path / "g.jsonld"
    export_rdf(sample_tables, "jsonld", str(path))
    doc = json.loads(path.read_text())
    assert doc["@context"]["kg"] == KG_NS and doc["@context"]["schema"] == "https://schema.org/"
    keys = {k for node in doc["@graph"] for k in node}
    assert {"prefLabel", "winner", "statedIn", "hasValue", "key"} <= keys
    assert not [k for k in keys if k.startswith("http")], "every property has a term in context.jsonld"


def test_iris_are_stable_across_two_builds(tmp_path):
    first = nt_set(graph_triples(extract_file(SAMPLE)))
    second = nt_set(graph_triples(extract_file(SAMPLE)))
    assert first == second


def test_iris_are_safe_for_any_key():
    m = IriMinter()
    keys = ["paper:kgs-001", "a/b", "..", ".", "x y", 'q"uote', "ü漢字", "a#b?c", "100%", "<>{}|\\^`"]
    iris = [m.entity("Method", k).value for k in keys]
    assert len(set(iris)) == len(keys)
    for k, iri in zip(keys, iris):
        tail = iri[len(DEFAULT_BASE + "method/"):]
        assert "/" not in tail and "#" not in tail and "?" not in tail and " " not in tail, (k, iri)
        assert iri.isascii()
    assert m.paper("hep-th/9901001").value == DEFAULT_BASE + "paper/hep-th%2F9901001"
    assert m.repository("https://github.com/a/b").value == DEFAULT_BASE + "repository/https%3A%2F%2Fgithub.com%2Fa%2Fb"
    with pytest.raises(ValueError):
        IriMinter("not an iri/")
    with pytest.raises(ValueError):
        IriMinter("https://example.org/no-slash")


def test_base_iri_moves_instances_not_the_vocabulary(synthetic_tables):
    triples = list(graph_triples(synthetic_tables, base="https://example.org/kg/"))
    subjects = {t.subject.value for t in triples}
    predicates = {t.predicate.value for t in triples}
    assert all(s.startswith("https://example.org/kg/") for s in subjects)
    assert KG_NS + "winner" in predicates


def test_literals_are_typed():
    assert str(date_literal("2023-03-14")) == '"2023-03-14"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert str(date_literal("--03-14")) == '"--03-14"^^<http://www.w3.org/2001/XMLSchema#gMonthDay>'
    assert str(date_literal("--02-29")).endswith("gMonthDay>")
    assert str(date_literal("2023-03")).endswith("gYearMonth>")
    assert str(date_literal("2023")).endswith("gYear>")
    assert str(date_literal("2023-02-30")) == '"2023-02-30"'  # no such day: a plain string
    assert str(date_literal("--13-01")) == '"--13-01"'
    assert str(date_literal("March 2023")) == '"March 2023"'
    assert decimal(83.4).value == "83.4" and decimal(1e20).value == "100000000000000000000"
    assert decimal(1e-7).value == "0.0000001" and decimal(76.0).value == "76"
    assert decimal(-0.5).value == "-0.5" and decimal(-0.0).value == "0" and decimal(0.80).value == "0.8"
    assert decimal(float("nan")).datatype.value.endswith("#double")


def test_awkward_literals_survive_every_format_unchanged(tmp_path):
    tables = build_tables(synthetic_extractions())
    for fmt in ("ttl", "nt", "jsonld", "rdfxml"):
        path = tmp_path / f"g.{fmt}"
        export_rdf(tables, fmt, str(path))
        g = rdflib.Graph().parse(str(path), format=RDFLIB_FORMAT[fmt])
        titles = {str(o) for o in g.objects(None, rdflib.URIRef("http://purl.org/dc/terms/title"))}
        assert NASTY in titles, fmt
        quotes = {str(o) for o in g.objects(None, rdflib.URIRef("http://www.w3.org/ns/oa#exact"))}
        assert NASTY in quotes, fmt


def test_export_from_the_ladybug_store_equals_export_from_the_tables(sample_dual, sample_tables):
    with LadybugStore(sample_dual, read_only=True) as lb:
        from_store = nt_set(source_triples(lb))
        tables = read_tables(lb)
    assert from_store == nt_set(graph_triples(sample_tables))
    assert {k: len(v) for k, v in tables.nodes.items()} == {k: len(v) for k, v in sample_tables.nodes.items()}


def test_export_from_the_oxigraph_store_equals_export_from_the_tables(sample_dual, sample_tables, tmp_path):
    with OxigraphStore(sample_dual, read_only=True) as store:
        n = export_rdf(store, "nt", str(tmp_path / "ox.nt"))
        assert n == store.triple_count()
    assert set((tmp_path / "ox.nt").read_text().splitlines()) == {f"{t} ." for t in graph_triples(sample_tables)}


def test_a_failed_export_leaves_the_old_file_and_no_temporary(sample_tables, tmp_path):
    target = tmp_path / "g.nt"
    target.write_text("old\n")
    broken = build_tables(synthetic_extractions())
    comparisons = broken.nodes["Comparison"].astype({"start_char": object})
    comparisons.loc[comparisons.index[-1], "start_char"] = "not a number"
    broken.nodes["Comparison"] = comparisons
    with pytest.raises(ValueError):
        export_rdf(broken, "nt", str(target))
    assert target.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["g.nt"]
    with pytest.raises(UsageError, match="unknown RDF format"):
        export_rdf(sample_tables, "graphml", str(target))


def test_every_kg_term_used_is_declared_in_the_ontology(synthetic_tables, sample_tables):
    onto = rdflib.Graph().parse(str(ONTOLOGY), format="turtle")
    label = rdflib.RDFS.label
    comment = rdflib.RDFS.comment
    used = set()
    for tables in (synthetic_tables, sample_tables):
        for t in graph_triples(tables):
            for term in (t.predicate, t.object):
                if isinstance(term, ox.NamedNode) and term.value.startswith(KG_NS):
                    used.add(term.value)
    used |= {KG_NS + "schemaVersion", KG_NS + "baseIri"}
    declared = {str(s) for s in onto.subjects(label, None) if str(s).startswith(KG_NS)}
    assert used <= declared, sorted(used - declared)
    for term in declared:
        assert (rdflib.URIRef(term), comment, None) in onto, term
    # and the JSON-LD context knows them too
    ctx = json.loads((ONTOLOGY.parent / "context.jsonld").read_text())["@context"]
    known = {v if isinstance(v, str) else v["@id"] for v in ctx.values() if isinstance(v, (str, dict))}
    known = {k.replace("kg:", KG_NS) for k in known}
    assert used - {KG_NS + "schemaVersion", KG_NS + "baseIri"} <= known
