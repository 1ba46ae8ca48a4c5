"""The embedded SPARQL store: pyoxigraph (RocksDB on disk) in ``<store dir>/rdf/``.

Layout of the RDF dataset (docs/rdf.md):

- ``<base>graph/paper/<id>`` — one named graph per paper: the paper, its edges to entities, its
  comparisons and results (with their edges and evidence) and its ``kg:beats`` triples;
- ``<base>graph/entities`` — methods, datasets, metrics, tasks and repositories (shared);
- ``<base>graph/meta`` — the schema version and base IRI of the store.

Queries run on the union of all graphs (``use_default_graph_as_union``). Writes carry out the
plan every backend carries out (kg.stores.plan): a paper stored with the same content hash is
skipped, a replaced paper's graph is dropped and written again, an entity's merged row replaces
its labels and keys. Papers are written in chunks of up to 2,000: their old graphs are dropped, their
facts added (``bulk_extend`` for big chunks: 3x faster on disk, not transactional), and only then,
in one transaction, their content hashes. A write that dies half-way leaves papers without a
hash, which the next build clears and writes again.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Self

import pandas as pd
import pyoxigraph as ox

from kg.errors import StoreError, UsageError
from kg.graph import ENTITY_LABELS, METADATA, NODE_COLUMNS, RELATIONSHIPS, GraphTables
from kg.rdf.mapping import (
    CLASS_OF,
    DCTERMS,
    DEFAULT_BASE,
    KG,
    MLS,
    PREFIXES,
    RDF,
    SKOS,
    XSD,
    IriMinter,
    entity_triples,
    paper_facts,
    paper_triples,
    repository_triples,
)
from kg.stores.base import PlannedWriter, WriteStats, store_directory
from kg.stores.plan import StoredEntity, StoredPaper, WritePlan
from kg.stores.readonly import check_sparql
from kg.stores.values import stored_paper

SCHEMA_VERSION = 1
PAPERS_PER_TRANSACTION = 2000
BULK_QUADS = 20_000  # from this many quads on, bulk_extend (not transactional) instead of extend

# relationship type → the predicates that carry it
REL_PREDICATES: dict[str, list[ox.NamedNode]] = {
    "PROPOSES": [KG.proposes], "MENTIONS": [KG.mentions], "USES_DATASET": [KG.usesDataset],
    "INTRODUCES_DATASET": [KG.introducesDataset], "USES_METRIC": [KG.usesMetric],
    "ADDRESSES": [KG.addresses], "HAS_CODE": [KG.hasCode], "WINNER": [KG.winner],
    "LOSER": [KG.loser], "ON_DATASET": [KG.onDataset], "BY_METRIC": [KG.byMetric, MLS.specifiedBy],
    "STATED_IN": [KG.statedIn], "OF_METHOD": [KG.ofMethod],
}

_INT_TYPES = {XSD[t].value for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                     "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                     "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
_FLOAT_TYPES = {XSD[t].value for t in ("decimal", "double", "float")}
_BOOLEAN = XSD.boolean.value


def to_python(term: object) -> object:
    """A query result term as a plain Python value: numbers → int/float, booleans → bool,
    IRIs → their string, other literals → their lexical form; unbound → None."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        try:
            if dt in _INT_TYPES:
                return int(term.value)
            if dt in _FLOAT_TYPES:
                return float(term.value)
        except ValueError:
            return term.value
        if dt == _BOOLEAN:
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def to_term(value: object) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A Python value as an RDF term for binding (strings stay literals, never IRIs)."""
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, bool):
        return ox.Literal(value)
    if isinstance(value, int):
        return ox.Literal(value)
    if isinstance(value, float):
        return ox.Literal(value)
    return ox.Literal(str(value))


_VAR = re.compile(r"[A-Za-z0-9_]+")


def substitutions(bindings: dict | None) -> dict[ox.Variable, object]:
    out = {}
    for name, value in (bindings or {}).items():
        name = name.lstrip("?$")
        if not _VAR.fullmatch(name):
            raise UsageError(f"not a SPARQL variable name: {name!r}")
        if value is None:
            continue
        out[ox.Variable(name)] = to_term(value)
    return out


def frame(result: object) -> pd.DataFrame:
    """A pyoxigraph query result as a DataFrame (SELECT: one column per variable; ASK: one
    column ``ask``; CONSTRUCT/DESCRIBE: columns subject, predicate, object)."""
    if isinstance(result, ox.QueryBoolean):
        return pd.DataFrame({"ask": [bool(result)]})
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [[to_python(sol[v]) for v in names] for sol in result]
        return pd.DataFrame(rows, columns=names)
    rows = [[to_python(t.subject), to_python(t.predicate), to_python(t.object)] for t in result]
    return pd.DataFrame(rows, columns=["subject", "predicate", "object"])


def damaged(db_path: Path, exc: BaseException) -> StoreError:
    """The error for an RDF store RocksDB reports as corrupt: what is wrong, what still works,
    what to do."""
    why = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    store = db_path.parent
    return StoreError(
        f"the RDF store {db_path} is damaged ({why}); the graph store is not (kg query and kg cypher "
        f"still work). Rebuild the RDF side from it: kg repair --store {store}")


def _is_damage(exc: BaseException) -> bool:
    text = str(exc)
    return "Corruption" in text or "IO error" in text


def metadata_predicates() -> dict[str, ox.NamedNode]:
    """The predicate that carries each paper metadata field (kg.graph.METADATA) in the RDF
    mapping, found from the mapping itself, so that a field added there needs no change here."""
    global _METADATA_PREDICATES
    if _METADATA_PREDICATES is None:
        m = IriMinter(DEFAULT_BASE)
        base = {p for _, p, _ in paper_triples({"id": "x"}, m)}
        out = {}
        probe = "2000-01-01"
        for field_ in METADATA:
            # the triple that holds the value as given (a field may have others derived from it)
            extra = [p for _, p, o in paper_triples({"id": "x", field_: probe}, m)
                     if p not in base and getattr(o, "value", None) == probe]
            if extra:
                out[field_] = extra[0]
        _METADATA_PREDICATES = out
    return _METADATA_PREDICATES


_METADATA_PREDICATES: dict[str, ox.NamedNode] | None = None


class OxigraphStore(PlannedWriter):
    """The embedded RDF store of a kg store directory (``<path>/rdf``): the RDF side, a writer
    and a SPARQL reader (kg/stores/base.py).

    Queries go through :func:`kg.stores.readonly.check_sparql`: SPARQL Update is refused, and
    ``SERVICE`` (pyoxigraph would send HTTP requests for it) unless ``allow_service``."""

    side = "rdf"
    lang = "sparql"

    def __init__(self, path: str | os.PathLike, read_only: bool = False, base: str | None = None,
                 allow_service: bool = False):
        self.path = store_directory(path)
        self.db_path = self.path / "rdf"
        self.read_only = read_only
        self.allow_service = allow_service
        if read_only and not self.db_path.is_dir():
            raise StoreError(
                f"no RDF store at {self.db_path} (build one with: kg build INPUT --store {self.path})"
            )
        try:
            if read_only:
                self.db = ox.Store.read_only(str(self.db_path))
            else:
                store_directory(self.db_path, create=True)
                self.db = ox.Store(str(self.db_path))
        except RuntimeError as exc:  # RocksDB's "Corruption: …"
            raise damaged(self.db_path, exc) from None
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"the RDF store {self.db_path} is open for writing in another process; "
                    "wait for it to finish and run again"
                ) from None
            raise StoreError(f"cannot open the RDF store at {self.db_path}: {exc}") from None
        try:
            self.base = self._check_meta(base)
        except (RuntimeError, OSError) as exc:
            if _is_damage(exc):
                raise damaged(self.db_path, exc) from None
            raise
        self.iris = IriMinter(self.base)

    # -- lifecycle ------------------------------------------------------------------------
    def _check_meta(self, base: str | None) -> str:
        stored_base = next(iter(self.db.quads_for_pattern(None, KG.baseIri, None, None)), None)
        stored_version = next(iter(self.db.quads_for_pattern(None, KG.schemaVersion, None, None)), None)
        if stored_version is not None and int(stored_version.object.value) != SCHEMA_VERSION:
            raise StoreError(
                f"the RDF store {self.db_path} has schema version {stored_version.object.value}; "
                f"this kg reads version {SCHEMA_VERSION}. Rebuild it: kg build INPUT --store NEW_DIR"
            )
        if stored_base is not None:
            found = stored_base.object.value
            if base is not None and base != found:
                raise StoreError(f"the RDF store {self.db_path} uses the base IRI {found}, not {base}")
            return found
        base = base or DEFAULT_BASE
        if not self.read_only:
            m = IriMinter(base)
            self.db.extend([
                ox.Quad(m.store_node, KG.schemaVersion, ox.Literal(SCHEMA_VERSION), m.meta_graph),
                ox.Quad(m.store_node, KG.baseIri, ox.Literal(base, datatype=XSD.anyURI), m.meta_graph),
            ])
        return base

    def close(self) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            if not self.read_only:
                db.flush()
            self.db = None
            del db

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- reading --------------------------------------------------------------------------
    def query(self, query: str, bindings: dict | None = None, *, union: bool = True) -> object:
        """Run SPARQL; values in ``bindings`` (variable name → value) are substituted by the
        engine (SEP-0007), never spliced into the text. A bound variable must be projected.
        Update and (unless ``allow_service``) SERVICE are refused: kg.stores.readonly."""
        check_sparql(query, allow_service=self.allow_service)
        try:
            return self.db.query(query, substitutions=substitutions(bindings),
                                 use_default_graph_as_union=union, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise UsageError(f"SPARQL syntax error: {exc}") from None
        except (RuntimeError, OSError) as exc:
            if _is_damage(exc):
                raise damaged(self.db_path, exc) from None
            if isinstance(exc, OSError):
                raise StoreError(f"SPARQL: {exc}") from None
            raise UsageError(f"SPARQL: {exc}") from None

    def sparql(self, query: str, bindings: dict | None = None) -> pd.DataFrame:
        """Run SPARQL and return a DataFrame of plain Python values (see :func:`frame`)."""
        try:
            return frame(self.query(query, bindings))
        except (RuntimeError, OSError) as exc:  # while reading the answer
            if _is_damage(exc):
                raise damaged(self.db_path, exc) from None
            raise StoreError(f"SPARQL: {exc}") from None

    def has_alias(self, key: str, label: str) -> bool:
        """Whether some ``label`` node has ``key`` among its keys (the RDF side's alias index)."""
        g = self.iris.entities_graph
        return any(next(iter(self.db.quads_for_pattern(q.subject, RDF.type, CLASS_OF[label], g)), None) is not None
                   for q in self.db.quads_for_pattern(None, KG.key, ox.Literal(key), g))

    def set_timeout(self, seconds: float) -> None:
        """Queries in this process cannot be stopped by pyoxigraph; kg bounds them in a worker
        process instead (kg.rdf.query_process), so this only records the limit."""
        self.timeout = float(seconds)

    def interrupt(self) -> None:
        """Nothing to stop in process (see :meth:`set_timeout`)."""

    def _count(self, query: str, bindings: dict | None = None) -> int:
        rows = list(self.query(query, bindings))
        return int(rows[0]["n"].value) if rows else 0

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type, as ``LadybugStore.counts``."""
        out = {}
        for label in NODE_COLUMNS:
            out[label] = self._count("SELECT ?cls (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?cls } GROUP BY ?cls",
                                     {"cls": CLASS_OF[label]})
        for rel in dict.fromkeys(r for r, _, _ in RELATIONSHIPS):
            if rel == "BEATS":  # one per claim with a named loser other than the winner
                out[rel] = self._count(
                    "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a kg:Comparison ; kg:winner ?w ; "
                    "kg:loser ?l FILTER(?w != ?l) }")
                continue
            out[rel] = sum(
                self._count("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p", {"p": pred})
                for pred in REL_PREDICATES[rel]
            )
        return out

    def triple_count(self) -> int:
        """Distinct triples of the union graph (excluding the store's bookkeeping)."""
        return self._count("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                           "WHERE { ?s ?p ?o FILTER(?p NOT IN (kg:schemaVersion, kg:baseIri)) } }")

    def triples(self) -> Iterator[ox.Triple]:
        """Every triple once, without graph names and without the store's bookkeeping (a
        ``kg:beats`` pair stated by several papers is in several graphs: it is given once)."""
        beats: set[tuple[str, str]] = set()
        meta = self.iris.meta_graph
        for q in self.db.quads_for_pattern(None, None, None, None):
            if q.graph_name == meta:
                continue
            if q.predicate == KG.beats:
                pair = (q.subject.value, q.object.value)
                if pair in beats:
                    continue
                beats.add(pair)
            yield ox.Triple(q.subject, q.predicate, q.object)

    def __len__(self) -> int:
        return len(self.db)

    # -- writing --------------------------------------------------------------------------
    def stored_papers(self, ids: list[str], with_text: bool = False) -> dict[str, StoredPaper]:
        """Papers among ``ids`` whose graph holds a content hash (one written in part has none:
        writing it again replaces its graph)."""
        out = {}
        fields = {**metadata_predicates(), **({"title": DCTERMS.title, "abstract": DCTERMS.abstract}
                                               if with_text else {})}
        for pid in ids:
            node, graph = self.iris.paper(pid), self.iris.paper_graph(pid)
            found = next(iter(self.db.quads_for_pattern(node, KG.contentHash, None, graph)), None)
            if found is None:
                continue
            row = {"hash": found.object.value}
            for field_, pred in fields.items():
                values = [q.object.value for q in self.db.quads_for_pattern(node, pred, None, graph)]
                # two values: an update stopped half-way (_replace); none makes the plan write it again
                row[field_] = values[0] if len(values) == 1 else None
            out[pid] = stored_paper(row)
        return out

    def stored_entities(self, label: str, keys: list[str]) -> dict[str, StoredEntity]:
        g = self.iris.entities_graph
        out = {}
        for key in keys:
            node = self.iris.entity(label, key)
            names = [q.object.value for q in self.db.quads_for_pattern(node, SKOS.prefLabel, None, g)]
            if not names:
                continue
            values = {pred: [q.object.value for q in self.db.quads_for_pattern(node, pred, None, g)]
                      for pred in (SKOS.altLabel, KG.key, KG.higherIsBetter)}
            hib = values[KG.higherIsBetter]
            # two names: an update stopped half-way (_replace); no keys makes the plan write it again
            out[key] = StoredEntity(name=min(names), aliases=tuple(values[SKOS.altLabel]),
                                    keys=tuple(values[KG.key]) if len(names) == 1 else (),
                                    higher_is_better=(hib[0] in ("true", "1")) if hib else None)
        return out

    def carry_out(self, plan: WritePlan, stats: WriteStats) -> None:
        """Carry out one batch's plan: metadata, entities and repositories, then the written
        papers in chunks, each chunk's content hashes last."""
        self._set_metadata(plan.metadata)
        shared = list(self._shared_quads(plan, stats))
        if shared:
            self.db.extend(shared)
        tables = plan.tables
        m = self.iris
        by_paper: dict[str | None, list[ox.Quad]] = defaultdict(list)
        hashes: list[tuple[str, ox.Quad]] = []
        graphs: dict[str | None, ox.NamedNode] = {None: m.entities_graph}
        content_hash = KG.contentHash
        for pid, (s, p, o) in paper_facts(tables, m):
            graph = graphs.get(pid)
            if graph is None:
                graph = graphs[pid] = m.paper_graph(pid)
            if p == content_hash:
                hashes.append((pid, ox.Quad(s, p, o, graph)))
            else:
                by_paper[pid].append(ox.Quad(s, p, o, graph))
        self._count_created(tables, set(), stats)

        orphans = by_paper.pop(None, [])
        pids = plan.written
        for start in range(0, len(pids), PAPERS_PER_TRANSACTION):
            chunk = pids[start:start + PAPERS_PER_TRANSACTION]
            for pid in chunk:
                self.db.remove_graph(graphs.get(pid) or m.paper_graph(pid))
            facts = [q for pid in chunk for q in by_paper.get(pid, ())]
            if len(facts) >= BULK_QUADS:
                self.db.bulk_extend(facts)  # 3x faster on disk, not transactional: the hashes
            else:                            # below are what makes a paper count as written
                self.db.extend(facts)
            members = set(chunk)
            self.db.extend(q for pid, q in hashes if pid in members)
        if orphans:
            self.db.extend(orphans)

    def check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the RDF store {self.db_path} is open read-only")

    def _set_metadata(self, rows: list[dict]) -> None:
        """Replace the metadata triples of papers by the merged values (every field of
        kg.graph.METADATA, through the RDF mapping's own triples for it)."""
        # every predicate the mapping writes for a field: an identifier has three (kg:doi,
        # schema:identifier, owl:sameAs), which change together
        base = {p for _, p, _ in paper_triples({"id": "x"}, self.iris)}
        predicates = {p for f in METADATA for _, p, _ in paper_triples({"id": "x", f: "2000-01-01"}, self.iris)} - base
        for row in rows:
            pid = row["id"]
            node, graph = self.iris.paper(pid), self.iris.paper_graph(pid)
            new = [ox.Quad(s, p, o, graph) for s, p, o in paper_triples(row, self.iris) if p in predicates]
            self._replace(node, graph, predicates, new)

    def _replace(self, node: ox.NamedNode, graph: ox.NamedNode, predicates, new: list[ox.Quad]) -> None:
        """Give ``node`` the quads ``new`` for ``predicates``: added first (one transaction), the
        stale ones removed after, so a write killed in between leaves a superset, which the
        stores' readers take for a value to write again (a field or name with two values)."""
        self.db.extend(new)
        keep = set(new)
        for pred in predicates:
            for quad in list(self.db.quads_for_pattern(node, pred, None, graph)):
                if quad not in keep:
                    self.db.remove(quad)

    def _exists(self, node: ox.NamedNode) -> bool:
        return next(iter(self.db.quads_for_pattern(node, RDF.type, None, self.iris.entities_graph)), None) is not None

    def _shared_quads(self, plan: WritePlan, stats: WriteStats) -> Iterator[ox.Quad]:
        m = self.iris
        g = m.entities_graph
        for label in ENTITY_LABELS:
            df = plan.tables.nodes.get(label)
            if df is not None and not df.empty:
                for row in df.to_dict("records"):
                    for s, p, o in entity_triples(label, row, m):
                        yield ox.Quad(s, p, o, g)
                stats.nodes_created[label] = stats.nodes_created.get(label, 0) + len(df)
            for key in plan.entity_deletions.get(label, ()):  # merged away by a curation (kg.curation)
                for quad in list(self.db.quads_for_pattern(m.entity(label, key), None, None, g)):
                    self.db.remove(quad)
            updates = plan.entity_updates.get(label)
            if updates is None or updates.empty:
                continue
            labels = (SKOS.prefLabel, SKOS.altLabel, KG.key, KG.higherIsBetter)
            for row in updates.to_dict("records"):  # the merged row replaces the stored one
                node = m.entity(label, row["key"])
                self._replace(node, g, labels, [ox.Quad(s, p, o, g) for s, p, o in entity_triples(label, row, m)])
        repos = plan.tables.nodes.get("Repository")
        if repos is not None and not repos.empty:
            created = 0
            for row in repos.to_dict("records"):
                if self._exists(m.repository(row["url"])):
                    continue
                created += 1
                for s, p, o in repository_triples(row, m):
                    yield ox.Quad(s, p, o, g)
            if created:
                stats.nodes_created["Repository"] = stats.nodes_created.get("Repository", 0) + created

    @staticmethod
    def _count_created(tables: GraphTables, unchanged: set[str], stats: WriteStats) -> None:
        """Papers, facts and edges written, counted as the LadybugDB store counts them."""
        papers = tables.nodes["Paper"]
        n = int((~papers["id"].astype(str).isin(unchanged)).sum())
        if n:
            stats.nodes_created["Paper"] = stats.nodes_created.get("Paper", 0) + n
        owner: dict[str, str] = {}
        for (rel, _, _), df in tables.edges.items():
            if rel == "STATED_IN" and not df.empty:
                owner.update(zip(map(str, df["from"]), map(str, df["to"])))
        for label in ("Comparison", "Result"):
            df = tables.nodes.get(label)
            if df is not None and not df.empty:
                n = sum(1 for i in df["id"] if owner.get(str(i)) not in unchanged)
                if n:
                    stats.nodes_created[label] = stats.nodes_created.get(label, 0) + n
        for (rel, src, _), df in tables.edges.items():
            if df.empty:
                continue
            if src == "Paper":
                keep = ~df["from"].astype(str).isin(unchanged)
            elif rel == "BEATS":
                keep = ~df["paper"].astype(str).isin(unchanged)
            else:
                keep = ~df["from"].astype(str).map(owner).isin(unchanged)
            n = int(keep.sum())
            if n:
                stats.edges_created[rel] = stats.edges_created.get(rel, 0) + n


def sparql_on_store(store_path: str | os.PathLike, query: str, bindings: dict | None = None) -> pd.DataFrame:
    """Run one SPARQL query on the RDF store of a kg store directory (opened read-only).

    Attach to the Python API as ``KnowledgeGraph.sparql(self, query, **bindings)``."""
    with OxigraphStore(store_path, read_only=True) as store:
        return store.sparql(query, bindings)
