"""Graph tables → RDF.

Vocabularies (all IRIs written out; nothing relies on a library's default prefixes — rdflib binds
``schema:`` to ``https://schema.org/`` while schema.org's own JSON-LD context uses ``http://``;
we use **https** everywhere):

========================  =================================================================
property graph            RDF
========================  =================================================================
Paper                     ``schema:ScholarlyArticle``; ``dcterms:identifier`` (the id),
                          ``dcterms:title``, ``dcterms:abstract``, ``dcterms:issued`` (xsd:date,
                          xsd:gMonthDay, xsd:gYearMonth, xsd:gYear or plain), ``schema:url``,
                          ``kg:sourceRecord``, ``kg:contentHash``; identifiers: ``kg:arxivId``,
                          ``kg:doi``, ``schema:identifier`` (``arXiv:…``, ``doi:…``) and
                          ``owl:sameAs`` https://arxiv.org/abs/ID, https://doi.org/DOI
Method / Dataset /        ``mls:Algorithm`` / ``schema:Dataset`` / ``mls:EvaluationMeasure`` /
Metric / Task             ``kg:Task``; ``skos:prefLabel`` (name), ``skos:altLabel`` (aliases),
                          ``kg:key`` (one triple per normalised key); Metric ``kg:higherIsBetter``
Repository                ``schema:SoftwareSourceCode``; ``schema:codeRepository`` (the URL),
                          ``kg:host``, ``kg:owner``, ``schema:name``
Comparison                ``kg:Comparison``; ``kg:winner``, ``kg:loser``, ``kg:onDataset``,
                          ``kg:byMetric``, ``kg:delta``, ``kg:vsSota``, ``kg:confidence``
Result                    ``mls:ModelEvaluation``; ``mls:hasValue`` (xsd:decimal),
                          ``mls:specifiedBy`` (metric), ``kg:ofMethod``, ``kg:onDataset``,
                          ``kg:unit``, ``kg:raw``, ``kg:confidence``
provenance of a fact      ``kg:statedIn`` + ``prov:wasDerivedFrom`` the paper; ``kg:sentence``;
                          ``kg:evidence`` an
                          ``oa:SpecificResource`` (``oa:hasSource`` the paper) with an
                          ``oa:TextQuoteSelector`` (``oa:exact`` the sentence) and an
                          ``oa:TextPositionSelector`` (``oa:start``/``oa:end``, offsets into
                          ``title + "\\n" + abstract``)
paper → entity edges      ``kg:proposes``, ``kg:mentions``, ``kg:usesDataset``,
                          ``kg:introducesDataset``, ``kg:usesMetric``, ``kg:addresses``,
                          ``kg:hasCode``
BEATS                     ``kg:beats`` (method → method; the claim itself is the kg:Comparison)
========================  =================================================================

IRIs are minted from node keys (:class:`IriMinter`): the same key gives the same IRI in every
build. The vocabulary namespace :data:`KG` is fixed; the base of the *instance* IRIs is
configurable (default :data:`DEFAULT_BASE`). Every literal is made with pyoxigraph's term
constructors, never by formatting strings.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from urllib.parse import quote

import pandas as pd
from pyoxigraph import Literal, NamedNode, Quad, Triple

from kg.graph import ENTITY_LABELS, GraphTables

DEFAULT_BASE = "https://w3id.org/kg-ml/"

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
SCHEMA_NS = "https://schema.org/"
DCTERMS_NS = "http://purl.org/dc/terms/"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
MLS_NS = "http://www.w3.org/ns/mls#"
PROV_NS = "http://www.w3.org/ns/prov#"
OA_NS = "http://www.w3.org/ns/oa#"
KG_NS = "https://w3id.org/kg-ml/vocab#"

PREFIXES: dict[str, str] = {
    "kg": KG_NS,
    "schema": SCHEMA_NS,
    "dcterms": DCTERMS_NS,
    "skos": SKOS_NS,
    "mls": MLS_NS,
    "prov": PROV_NS,
    "oa": OA_NS,
    "xsd": XSD_NS,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "owl": OWL_NS,
}


class Namespace:
    """``NS.term`` → a cached :class:`pyoxigraph.NamedNode`."""

    def __init__(self, iri: str):
        self.iri = iri
        self._cache: dict[str, NamedNode] = {}

    def __getattr__(self, name: str) -> NamedNode:  # only called the first time
        if name.startswith("_"):
            raise AttributeError(name)
        node = self[name]
        setattr(self, name, node)
        return node

    def __getitem__(self, name: str) -> NamedNode:
        node = self._cache.get(name)
        if node is None:
            node = self._cache[name] = NamedNode(self.iri + name)
        return node


RDF = Namespace(RDF_NS)
RDFS = Namespace(RDFS_NS)
XSD = Namespace(XSD_NS)
SCHEMA = Namespace(SCHEMA_NS)
DCTERMS = Namespace(DCTERMS_NS)
SKOS = Namespace(SKOS_NS)
MLS = Namespace(MLS_NS)
PROV = Namespace(PROV_NS)
OA = Namespace(OA_NS)
KG = Namespace(KG_NS)
OWL = Namespace(OWL_NS)

A = RDF.type

# property-graph label → rdf:type
CLASS_OF: dict[str, NamedNode] = {
    "Paper": SCHEMA.ScholarlyArticle,
    "Method": MLS.Algorithm,
    "Dataset": SCHEMA.Dataset,
    "Metric": MLS.EvaluationMeasure,
    "Task": KG.Task,
    "Repository": SCHEMA.SoftwareSourceCode,
    "Comparison": KG.Comparison,
    "Result": MLS.ModelEvaluation,
}
# (relationship, source label) → predicate
PREDICATE_OF: dict[tuple[str, str], NamedNode] = {
    ("PROPOSES", "Paper"): KG.proposes,
    ("MENTIONS", "Paper"): KG.mentions,
    ("USES_DATASET", "Paper"): KG.usesDataset,
    ("INTRODUCES_DATASET", "Paper"): KG.introducesDataset,
    ("USES_METRIC", "Paper"): KG.usesMetric,
    ("ADDRESSES", "Paper"): KG.addresses,
    ("HAS_CODE", "Paper"): KG.hasCode,
    ("WINNER", "Comparison"): KG.winner,
    ("LOSER", "Comparison"): KG.loser,
    ("ON_DATASET", "Comparison"): KG.onDataset,
    ("BY_METRIC", "Comparison"): KG.byMetric,
    ("STATED_IN", "Comparison"): KG.statedIn,
    ("OF_METHOD", "Result"): KG.ofMethod,
    ("ON_DATASET", "Result"): KG.onDataset,
    ("BY_METRIC", "Result"): MLS.specifiedBy,
    ("STATED_IN", "Result"): KG.statedIn,
    ("BEATS", "Method"): KG.beats,
}

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH_DAY = re.compile(r"--(\d{2})-(\d{2})")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"\d{4}")

Term = NamedNode | Literal
Spo = tuple[NamedNode, NamedNode, Term]


# -- IRIs -------------------------------------------------------------------------------------
@lru_cache(maxsize=1 << 17)
def _segment(value: object) -> str:
    """One path segment: every character outside RFC 3986 "unreserved" is percent-encoded
    (UTF-8), so ``/``, ``?``, ``#``, ``:``, spaces and quotes can never change the IRI's shape."""
    seg = quote(str(value), safe="-._~")
    if seg in (".", ".."):  # dot segments would be removed by IRI normalisation
        seg = seg.replace(".", "%2E")
    return seg


class IriMinter:
    """Stable IRIs for nodes, evidence and named graphs under one base IRI."""

    def __init__(self, base: str = DEFAULT_BASE):
        if not base or base[-1] not in "/#":
            raise ValueError(f"the base IRI must end with '/' or '#': {base!r}")
        NamedNode(base)  # raises ValueError for an invalid or relative IRI
        self.base = base
        self.entities_graph = NamedNode(base + "graph/entities")
        self.meta_graph = NamedNode(base + "graph/meta")
        self.store_node = NamedNode(base + "store")

    def paper(self, pid: object) -> NamedNode:
        return NamedNode(f"{self.base}paper/{_segment(pid)}")

    def entity(self, label: str, key: object) -> NamedNode:
        return NamedNode(f"{self.base}{label.lower()}/{_segment(key)}")

    def repository(self, url: object) -> NamedNode:
        return NamedNode(f"{self.base}repository/{quote(str(url), safe='')}")

    def comparison(self, cid: object) -> NamedNode:
        return NamedNode(f"{self.base}comparison/{_segment(cid)}")

    def result(self, rid: object) -> NamedNode:
        return NamedNode(f"{self.base}result/{_segment(rid)}")

    def node(self, label: str, key: object) -> NamedNode:
        if label == "Paper":
            return self.paper(key)
        if label == "Repository":
            return self.repository(key)
        if label == "Comparison":
            return self.comparison(key)
        if label == "Result":
            return self.result(key)
        return self.entity(label, key)

    def paper_graph(self, pid: object) -> NamedNode:
        return NamedNode(f"{self.base}graph/paper/{_segment(pid)}")


# -- literals ---------------------------------------------------------------------------------
def missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def as_list(value: object) -> list:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def string(value: object) -> Literal:
    return Literal(str(value))


def boolean(value: object) -> Literal:
    return Literal(bool(value))


def decimal(value: object) -> Literal:
    """xsd:decimal in its canonical form (``83.4``, ``76``, ``0.0000001``: never an exponent),
    which is also what Oxigraph stores; non-finite values become xsd:double."""
    number = float(value)
    if not math.isfinite(number):
        return Literal(number)
    try:
        text = format(Decimal(repr(number)), "f")
    except InvalidOperation:  # pragma: no cover - repr of a finite float always parses
        return Literal(number)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return Literal(text, datatype=XSD.decimal)


def integer(value: object) -> Literal:
    """xsd:integer. (Web Annotation gives offsets as xsd:nonNegativeInteger; Oxigraph stores
    every integer subtype as xsd:integer, so we write that and SHACL checks ``>= 0``.)"""
    return Literal(str(int(value)), datatype=XSD.integer)


def _valid_date(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def date_literal(value: object) -> Literal:
    """``YYYY-MM-DD`` → xsd:date, ``--MM-DD`` → xsd:gMonthDay, ``YYYY-MM`` → xsd:gYearMonth,
    ``YYYY`` → xsd:gYear; anything else (or an impossible date) stays a plain string."""
    text = str(value).strip()
    if m := _DATE.fullmatch(text):
        if _valid_date(*map(int, m.groups())):
            return Literal(text, datatype=XSD.date)
    elif m := _MONTH_DAY.fullmatch(text):
        if _valid_date(2000, int(m[1]), int(m[2])):  # 2000 is a leap year: --02-29 is valid
            return Literal(text, datatype=XSD.gMonthDay)
    elif m := _YEAR_MONTH.fullmatch(text):
        if 1 <= int(m[2]) <= 12:
            return Literal(text, datatype=XSD.gYearMonth)
    elif _YEAR.fullmatch(text):
        return Literal(text, datatype=XSD.gYear)
    return Literal(str(value))


def iri_or_uri_literal(value: object) -> Term:
    """An absolute IRI as a node; anything pyoxigraph refuses as an IRI as an xsd:anyURI literal."""
    try:
        return NamedNode(str(value))
    except ValueError:
        return Literal(str(value), datatype=XSD.anyURI)


# -- triples ----------------------------------------------------------------------------------
def entity_triples(label: str, row: dict, m: IriMinter, *, with_type: bool = True,
                   aliases: Iterable[str] | None = None, keys: Iterable[str] | None = None,
                   name: str | None = None) -> Iterator[Spo]:
    """A Method/Dataset/Metric/Task node. ``with_type=False`` yields only the alias and key
    triples (used to extend a node that is already stored)."""
    s = m.entity(label, row["key"])
    name = row["name"] if name is None else name
    if with_type:
        yield s, A, CLASS_OF[label]
        yield s, SKOS.prefLabel, string(name)
        if label == "Metric" and not missing(row.get("higher_is_better")):
            yield s, KG.higherIsBetter, boolean(row["higher_is_better"])
    for alias in sorted(set(as_list(row.get("aliases")) if aliases is None else aliases)):
        if alias != name:
            yield s, SKOS.altLabel, string(alias)
    for key in sorted(set(as_list(row.get("keys")) if keys is None else keys) | {str(row["key"])}):
        yield s, KG.key, string(key)


def repository_triples(row: dict, m: IriMinter) -> Iterator[Spo]:
    s = m.repository(row["url"])
    yield s, A, SCHEMA.SoftwareSourceCode
    yield s, SCHEMA.codeRepository, iri_or_uri_literal(row["url"])
    for col, pred in (("host", KG.host), ("owner", KG.owner), ("name", SCHEMA.name)):
        if not missing(row.get(col)):
            yield s, pred, string(row[col])


def paper_triples(row: dict, m: IriMinter) -> Iterator[Spo]:
    s = m.paper(row["id"])
    yield s, A, SCHEMA.ScholarlyArticle
    yield s, DCTERMS.identifier, string(row["id"])
    if not missing(row.get("title")):
        yield s, DCTERMS.title, string(row["title"])
    if not missing(row.get("abstract")):
        yield s, DCTERMS.abstract, string(row["abstract"])
    if not missing(row.get("date")):
        yield s, DCTERMS.issued, date_literal(row["date"])
    if not missing(row.get("url")) and str(row["url"]):
        yield s, SCHEMA.url, iri_or_uri_literal(row["url"])
    if not missing(row.get("source")):
        yield s, KG.sourceRecord, string(row["source"])
    yield from identifier_triples(s, row)
    if not missing(row.get("hash")):
        yield s, KG.contentHash, string(row["hash"])


#: Where an identifier resolves: the object of ``owl:sameAs``, the prefix of ``schema:identifier``.
IDENTIFIERS = {"arxiv_id": ("https://arxiv.org/abs/", "arXiv:"), "doi": ("https://doi.org/", "doi:")}


def identifier_triples(s: NamedNode, row: dict) -> Iterator[Spo]:
    """A paper's arXiv id and DOI: the value as is (``kg:arxivId``, ``kg:doi``: the join key for
    SPARQL and tables), as ``schema:identifier`` (``arXiv:2401.12345``, ``doi:10.1145/…``), and
    ``owl:sameAs`` its resolver IRI, the IRI other linked data (OpenAlex, Wikidata, DBLP) uses
    for the work. Characters an IRI cannot hold are percent-encoded there."""
    for field_, predicate in (("arxiv_id", KG.arxivId), ("doi", KG.doi)):
        value = row.get(field_)
        if missing(value) or not str(value):
            continue
        resolver, prefix = IDENTIFIERS[field_]
        yield s, predicate, string(value)
        yield s, SCHEMA.identifier, string(prefix + str(value))
        try:
            yield s, OWL.sameAs, NamedNode(resolver + quote(str(value), safe="/:;@!$&'()*+,="))
        except ValueError:  # nothing an IRI cannot hold is left after quoting; kept for safety
            pass


CURATION = "curation"  # the component of curated facts (kg.curation.SOURCE)


def _evidence_triples(s: NamedNode, row: dict, paper: NamedNode | None) -> Iterator[Spo]:
    if not missing(row.get("sentence")):
        # the quote selector's oa:exact, repeated on the fact: one hop for queries (Oxigraph
        # joins the three-hop OPTIONAL fact → evidence → selector → exact 5x slower)
        yield s, KG.sentence, string(row["sentence"])
    ev = NamedNode(s.value + "/evidence")
    yield s, KG.evidence, ev
    yield ev, A, OA.SpecificResource
    if paper is not None:
        yield ev, OA.hasSource, paper
    if not missing(row.get("sentence")):
        q = NamedNode(ev.value + "/quote")
        yield ev, OA.hasSelector, q
        yield q, A, OA.TextQuoteSelector
        yield q, OA.exact, string(row["sentence"])
    if not missing(row.get("start_char")) and not missing(row.get("end_char")):
        pos = NamedNode(ev.value + "/position")
        yield ev, OA.hasSelector, pos
        yield pos, A, OA.TextPositionSelector
        yield pos, OA.start, integer(row["start_char"])
        yield pos, OA.end, integer(row["end_char"])


def comparison_triples(row: dict, m: IriMinter, paper: NamedNode | None) -> Iterator[Spo]:
    s = m.comparison(row["id"])
    yield s, A, KG.Comparison
    if not missing(row.get("delta")):
        yield s, KG.delta, string(row["delta"])
    yield s, KG.vsSota, boolean(False if missing(row.get("vs_sota")) else row["vs_sota"])
    if not missing(row.get("confidence")):
        yield s, KG.confidence, decimal(row["confidence"])
    if not missing(row.get("component")):
        yield s, KG.component, string(row["component"])
    if paper is not None:
        yield s, PROV.wasDerivedFrom, paper
    if row.get("component") == CURATION:  # written by a user in the curation file (kg.curation)
        yield s, PROV.wasAttributedTo, KG.curation
    yield from _evidence_triples(s, row, paper)


def result_triples(row: dict, m: IriMinter, paper: NamedNode | None) -> Iterator[Spo]:
    s = m.result(row["id"])
    yield s, A, MLS.ModelEvaluation
    if not missing(row.get("value")):
        yield s, MLS.hasValue, decimal(row["value"])
    for col, pred in (("unit", KG.unit), ("raw", KG.raw), ("component", KG.component)):
        if not missing(row.get(col)):
            yield s, pred, string(row[col])
    if not missing(row.get("confidence")):
        yield s, KG.confidence, decimal(row["confidence"])
    if paper is not None:
        yield s, PROV.wasDerivedFrom, paper
    if row.get("component") == CURATION:  # written by a user in the curation file (kg.curation)
        yield s, PROV.wasAttributedTo, KG.curation
    yield from _evidence_triples(s, row, paper)


def _records(df: pd.DataFrame | None) -> list[dict]:
    if df is None or df.empty:
        return []
    return df.to_dict("records")


def fact_papers(tables: GraphTables) -> dict[str, str]:
    """Comparison/Result id → the id of the paper that states it."""
    out: dict[str, str] = {}
    for (rel, _src, _), df in tables.edges.items():
        if rel == "STATED_IN" and not df.empty:
            out.update(zip(map(str, df["from"]), map(str, df["to"])))
    return out


def paper_facts(tables: GraphTables, m: IriMinter, skip: set[str] = frozenset()) -> Iterator[tuple[str | None, Spo]]:
    """Every paper-scoped triple with the id of its paper (``None`` for a fact whose paper is
    unknown): the paper, its edges, its comparisons and results and their edges, its BEATS."""
    owner = fact_papers(tables)
    for row in _records(tables.nodes.get("Paper")):
        pid = str(row["id"])
        if pid not in skip:
            for t in paper_triples(row, m):
                yield pid, t
    for label, make in (("Comparison", comparison_triples), ("Result", result_triples)):
        for row in _records(tables.nodes.get(label)):
            pid = owner.get(str(row["id"]))
            if pid not in skip:
                for t in make(row, m, m.paper(pid) if pid is not None else None):
                    yield pid, t
    for (rel, src, dst), df in tables.edges.items():
        if df.empty:
            continue
        pred = PREDICATE_OF[(rel, src)]
        if rel == "BEATS":
            for w, lo, pid in zip(df["from"], df["to"], df["paper"]):
                pid = None if missing(pid) else str(pid)
                if pid not in skip:
                    yield pid, (m.entity("Method", w), pred, m.entity("Method", lo))
            continue
        for a, b in zip(df["from"], df["to"]):
            pid = str(a) if src == "Paper" else owner.get(str(a))
            if pid in skip:
                continue
            yield pid, (m.node(src, a), pred, m.node(dst, b))


def shared_triples(tables: GraphTables, m: IriMinter) -> Iterator[Spo]:
    """Entities and repositories: shared by all papers."""
    for label in ENTITY_LABELS:
        for row in _records(tables.nodes.get(label)):
            yield from entity_triples(label, row, m)
    for row in _records(tables.nodes.get("Repository")):
        yield from repository_triples(row, m)


def graph_triples(tables: GraphTables, base: str = DEFAULT_BASE) -> Iterator[Triple]:
    """The whole graph as triples (no named graphs), each triple once."""
    m = IriMinter(base)
    yield from (Triple(*t) for t in shared_triples(tables, m))
    beats: set[tuple[str, str]] = set()
    for _, (s, p, o) in paper_facts(tables, m):
        if p == KG.beats:  # one kg:beats per (winner, loser), however many claims
            pair = (s.value, o.value)
            if pair in beats:
                continue
            beats.add(pair)
        yield Triple(s, p, o)


def graph_quads(tables: GraphTables, base: str = DEFAULT_BASE) -> Iterator[Quad]:
    """The whole graph as quads: each paper's facts in its own named graph, shared entities in
    ``<base>graph/entities`` (the layout of :class:`kg.stores.oxigraph.OxigraphStore`)."""
    m = IriMinter(base)
    for s, p, o in shared_triples(tables, m):
        yield Quad(s, p, o, m.entities_graph)
    for pid, (s, p, o) in paper_facts(tables, m):
        yield Quad(s, p, o, m.paper_graph(pid) if pid is not None else m.entities_graph)
