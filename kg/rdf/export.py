"""Export the graph as RDF files: Turtle, N-Triples, JSON-LD, RDF/XML.

N-Triples is written line by line from a generator (memory stays flat however big the graph:
use it for large graphs and for loading into other SPARQL stores). Turtle and RDF/XML go
through pyoxigraph's streaming serialisers. JSON-LD is compacted with ``kg/rdf/context.jsonld``
by rdflib, which holds the whole graph in memory (fine up to a few hundred thousand triples).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import TextIO

import pyoxigraph as ox

from kg.errors import UsageError
from kg.graph import GraphTables
from kg.output import atomic_writer
from kg.rdf.mapping import DEFAULT_BASE, PREFIXES, graph_triples

FORMATS = ("ttl", "nt", "jsonld", "rdfxml")
_ALIASES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld",
            "xml": "rdfxml", "rdf": "rdfxml", "owl": "rdfxml"}
EXTENSIONS = {"ttl": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "rdfxml": ".rdf"}
MEDIA_TYPES = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
               "rdfxml": "application/rdf+xml"}


def normalise_format(fmt: str) -> str:
    f = fmt.lower().lstrip(".")
    f = _ALIASES.get(f, f)
    if f not in FORMATS:
        raise UsageError(f"unknown RDF format {fmt!r} (one of: {', '.join(FORMATS)})")
    return f


def context() -> dict:
    """The JSON-LD ``@context`` shipped with kg (``kg/rdf/context.jsonld``)."""
    text = resources.files("kg.rdf").joinpath("context.jsonld").read_text(encoding="utf-8")
    return json.loads(text)


def source_triples(source: object, base: str = DEFAULT_BASE) -> Iterator[ox.Triple]:
    """Triples of graph tables, of a LadybugDB store (read back with Cypher) or of an
    :class:`~kg.stores.oxigraph.OxigraphStore` (its own IRIs; ``base`` is ignored)."""
    if isinstance(source, GraphTables):
        return graph_triples(source, base)
    if hasattr(source, "sparql") and hasattr(source, "triples"):
        return source.triples()
    if hasattr(source, "cypher"):
        from kg.rdf.from_store import read_tables

        return graph_triples(read_tables(source), base)
    raise TypeError(f"cannot export {type(source).__name__}: give GraphTables or a store")


class _Counter:
    def __init__(self, triples: Iterable[ox.Triple]):
        self.triples = triples
        self.n = 0

    def __iter__(self) -> Iterator[ox.Triple]:
        for t in self.triples:
            self.n += 1
            yield t


def write_ntriples(triples: Iterable[ox.Triple], out: TextIO) -> int:
    """One line per triple, as it is generated (``str(Triple)`` is its N-Triples form)."""
    n = 0
    write = out.write
    for t in triples:
        write(f"{t} .\n")
        n += 1
    return n


def _to_rdflib(triples: Iterable[ox.Triple]):
    import rdflib

    def term(t):
        if isinstance(t, ox.NamedNode):
            return rdflib.URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return rdflib.BNode(t.value)
        if t.language:
            return rdflib.Literal(t.value, lang=t.language)
        return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))

    g = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, rdflib.Namespace(ns), override=True, replace=True)
    for t in triples:
        g.add((term(t.subject), term(t.predicate), term(t.object)))
    return g


def write_rdf(triples: Iterable[ox.Triple], fmt: str, out: TextIO) -> int:
    """Serialise ``triples`` to the text stream ``out``; returns the number of triples."""
    fmt = normalise_format(fmt)
    if fmt == "nt":
        return write_ntriples(triples, out)
    counted = _Counter(triples)
    if fmt == "jsonld":
        g = _to_rdflib(counted)
        out.write(g.serialize(format="json-ld", context=context()["@context"], auto_compact=True))
        out.write("\n")
        return counted.n
    out.flush()
    binary = out.buffer  # type: ignore[attr-defined]
    rdf_format = ox.RdfFormat.TURTLE if fmt == "ttl" else ox.RdfFormat.RDF_XML
    ox.serialize(counted, binary, rdf_format, prefixes=PREFIXES)
    binary.flush()
    return counted.n


def export_rdf(source: object, fmt: str, path: str, base: str = DEFAULT_BASE) -> int:
    """Write the graph of ``source`` (GraphTables or a store) to ``path`` (``-`` for stdout)
    atomically: the file appears only when complete. Returns the number of triples."""
    fmt = normalise_format(fmt)
    triples = source_triples(source, base)
    with atomic_writer(path) as out:
        return write_rdf(triples, fmt, out)
