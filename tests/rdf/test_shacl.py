"""The SHACL shapes accept what we export and reject graphs that break the model."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
import rdflib

from kg.rdf.mapping import graph_triples

SHAPES = Path(__file__).resolve().parents[2] / "kg" / "rdf" / "shapes.ttl"
KG = rdflib.Namespace("https://w3id.org/kg-ml/vocab#")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
MLS = rdflib.Namespace("http://www.w3.org/ns/mls#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
# pyshacl on rdflib 7.6 emits a deprecation warning per triple it looks at
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def to_graph(tables) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data="".join(f"{t} .\n" for t in graph_triples(tables)), format="nt")
    return g


def validate(g: rdflib.Graph) -> tuple[bool, str, rdflib.Graph]:
    conforms, report, text = pyshacl.validate(g, shacl_graph=str(SHAPES), shacl_graph_format="turtle",
                                              inference="none", advanced=True)
    return conforms, text, report


def violated_paths(report: rdflib.Graph) -> set[str]:
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    return {str(p) for p in report.objects(None, sh.resultPath)}


@pytest.fixture(scope="module")
def sample_graph(sample_tables) -> rdflib.Graph:
    return to_graph(sample_tables)


def test_the_sample_export_conforms(sample_graph):
    conforms, text, _ = validate(sample_graph)
    assert conforms, text


def test_the_synthetic_export_conforms(synthetic_tables):
    conforms, text, _ = validate(to_graph(synthetic_tables))
    assert conforms, text


def _first(g: rdflib.Graph, cls) -> rdflib.URIRef:
    return min(g.subjects(rdflib.RDF.type, cls))


def _copy(g: rdflib.Graph) -> rdflib.Graph:
    out = rdflib.Graph()
    for t in g:
        out.add(t)
    return out


def test_a_comparison_without_winner_fails(sample_graph):
    g = _copy(sample_graph)
    c = _first(g, KG.Comparison)
    g.remove((c, KG.winner, None))
    conforms, text, report = validate(g)
    assert not conforms
    assert str(KG.winner) in violated_paths(report), text


def test_a_second_name_fails(sample_graph):
    g = _copy(sample_graph)
    m = _first(g, MLS.Algorithm)
    g.add((m, SKOS.prefLabel, rdflib.Literal("Another name")))
    conforms, text, report = validate(g)
    assert not conforms and str(SKOS.prefLabel) in violated_paths(report), text


def test_a_value_that_is_not_a_number_fails(sample_graph):
    g = _copy(sample_graph)
    r = _first(g, MLS.ModelEvaluation)
    g.remove((r, MLS.hasValue, None))
    g.add((r, MLS.hasValue, rdflib.Literal("83.4%")))
    conforms, text, report = validate(g)
    assert not conforms and str(MLS.hasValue) in violated_paths(report), text


def test_a_claim_both_against_sota_and_a_named_loser_fails(sample_graph):
    g = _copy(sample_graph)
    c = next(s for s in g.subjects(KG.vsSota, rdflib.Literal(False)) if (s, KG.loser, None) in g)
    g.set((c, KG.vsSota, rdflib.Literal(True)))
    conforms, _text, _ = validate(g)
    assert not conforms, "xone(loser, vsSota true) must reject both"


def test_offsets_out_of_order_or_negative_fail(sample_graph):
    g = _copy(sample_graph)
    sel = _first(g, OA.TextPositionSelector)
    g.set((sel, OA.start, rdflib.Literal(-1, datatype=rdflib.XSD.integer)))
    conforms, text, report = validate(g)
    assert not conforms and str(OA.start) in violated_paths(report), text
    g.set((sel, OA.start, rdflib.Literal(10**6, datatype=rdflib.XSD.integer)))
    conforms, text, report = validate(g)
    assert not conforms, "start after end must fail"


def test_a_link_to_the_wrong_kind_of_node_fails(sample_graph):
    g = _copy(sample_graph)
    c = _first(g, KG.Comparison)
    dataset = _first(g, rdflib.URIRef("https://schema.org/Dataset"))
    g.set((c, KG.winner, dataset))
    conforms, text, report = validate(g)
    assert not conforms and str(KG.winner) in violated_paths(report), text


def test_a_sentence_that_differs_from_its_evidence_fails(sample_graph):
    g = _copy(sample_graph)
    c = _first(g, KG.Comparison)
    g.set((c, KG.sentence, rdflib.Literal("Something else.")))
    conforms, text, _ = validate(g)
    assert not conforms and "differs from the oa:exact" in text
