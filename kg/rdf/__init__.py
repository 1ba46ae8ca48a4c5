"""The RDF side of kg: mapping graph tables to RDF, exports, SHACL shapes, SPARQL.

- :mod:`kg.rdf.mapping` — GraphTables → RDF triples/quads (schema.org, DCMI terms, SKOS,
  ML-Schema, PROV-O, Web Annotation and the small ``kg:`` vocabulary in ``ontology.ttl``).
- :mod:`kg.rdf.export` — Turtle, N-Triples (streamed), JSON-LD, RDF/XML files.
- :mod:`kg.rdf.from_store` — read the graph tables back out of a LadybugDB store.
- :mod:`kg.rdf.query` — canned SPARQL queries (``kg/queries/sparql/*.rq``).
- :mod:`kg.rdf.server` — a read-only SPARQL 1.1 Protocol endpoint.
- :class:`kg.stores.oxigraph.OxigraphStore` — the embedded SPARQL store.
"""

from kg.rdf.mapping import DEFAULT_BASE, KG, IriMinter

__all__ = ["DEFAULT_BASE", "KG", "IriMinter"]
