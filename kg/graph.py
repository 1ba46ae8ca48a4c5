"""The graph as tables: one pandas DataFrame per node label and per relationship type.

This is the one in-memory representation every store consumes. Entities are keyed by
:func:`kg.normalize.norm_key` of their canonical name; ``keys`` holds the key of every known
alias so that a user's spelling finds the node (``resnet50`` → ``ResNet-50``).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pandas as pd

from kg.models import SOTA, THIS_PAPER, Extraction, Paper
from kg.normalize import clean_display, norm_key
from kg.vocab import load_vocabulary

# Part of every paper's content hash: raise it when the extractor's output changes, so that an
# incremental build re-extracts papers stored by the older extractor.
EXTRACTOR_VERSION = "12"

NODE_COLUMNS: dict[str, list[str]] = {
    "Paper": ["id", "title", "abstract", "date", "url", "source", "arxiv_id", "doi", "hash"],
    "Method": ["key", "name", "aliases", "keys"],
    "Dataset": ["key", "name", "aliases", "keys"],
    "Metric": ["key", "name", "aliases", "keys", "higher_is_better"],
    "Task": ["key", "name", "aliases", "keys"],
    "Repository": ["url", "host", "owner", "name"],
    "Comparison": ["id", "delta", "vs_sota", "sentence", "start_char", "end_char", "confidence", "component"],
    "Result": ["id", "value", "unit", "raw", "sentence", "start_char", "end_char", "confidence", "component"],
}
NODE_KEY = {label: cols[0] for label, cols in NODE_COLUMNS.items()}
# (relationship type, from label, to label)
RELATIONSHIPS: list[tuple[str, str, str]] = [
    ("PROPOSES", "Paper", "Method"),
    ("MENTIONS", "Paper", "Method"),
    ("USES_DATASET", "Paper", "Dataset"),
    ("INTRODUCES_DATASET", "Paper", "Dataset"),
    ("USES_METRIC", "Paper", "Metric"),
    ("ADDRESSES", "Paper", "Task"),
    ("HAS_CODE", "Paper", "Repository"),
    ("WINNER", "Comparison", "Method"),
    ("LOSER", "Comparison", "Method"),
    ("ON_DATASET", "Comparison", "Dataset"),
    ("BY_METRIC", "Comparison", "Metric"),
    ("STATED_IN", "Comparison", "Paper"),
    ("OF_METHOD", "Result", "Method"),
    ("ON_DATASET", "Result", "Dataset"),
    ("BY_METRIC", "Result", "Metric"),
    ("STATED_IN", "Result", "Paper"),
    ("BEATS", "Method", "Method"),
]
# Relationship properties (beyond from/to). BEATS is derived from comparisons with a named
# loser: one per claim, so "beats" chains are plain paths (a)-[:BEATS*]->(b).
REL_PROPERTIES: dict[str, list[str]] = {"BEATS": ["comparison", "paper", "dataset"]}
ENTITY_LABELS = ("Method", "Dataset", "Metric", "Task")
# The alias index: one `Alias` node per key found in some entity's `keys`, with a `NAMES`
# relationship to every entity that has it. Canned queries find an entity by any spelling with
# a key lookup, `(:Alias {key: $name})-[:NAMES]->(m:Method)`: `$name IN m.keys` instead makes
# LadybugDB (and Neo4j) test every node of the label. It is derived from `keys`, so it is not
# part of the graph tables (exports, counts and `kg stats --hash` leave it out); every Cypher
# store writes it together with the entities (see :func:`alias_pairs`).
ALIAS_LABEL = "Alias"
ALIAS_REL = "NAMES"
# Extraction list field -> the relationship from the paper and the entity label it points to.
PAPER_LINKS = {
    "methods_proposed": ("PROPOSES", "Method"),
    "methods": ("MENTIONS", "Method"),
    "datasets": ("USES_DATASET", "Dataset"),
    "datasets_proposed": ("INTRODUCES_DATASET", "Dataset"),
    "metrics": ("USES_METRIC", "Metric"),
    "tasks": ("ADDRESSES", "Task"),
}


def alias_pairs(label: str, entities: pd.DataFrame, stored_keys: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """The alias index rows (columns ``from``: the alias key, ``to``: the entity key) that writing
    ``entities`` of ``label`` adds: every key of a new entity, and the keys an existing entity did
    not have yet (``stored_keys``: entity key -> its stored ``keys``).

    >>> df = pd.DataFrame([{"key": "resnet50", "keys": ["resnet50", "rn50"]}])
    >>> alias_pairs("Method", df, {"resnet50": ["resnet50"]}).values.tolist()
    [['rn50', 'resnet50']]
    """
    stored_keys = stored_keys or {}
    rows = set()
    for key, keys in zip(entities["key"], entities["keys"]):
        # a stored entity got its own key in the index when it was created
        had = set(stored_keys[key] or []) | {key} if key in stored_keys else set()
        rows.update((str(k), key) for k in {*(keys if keys is not None else []), key} if str(k) not in had)
    return pd.DataFrame(sorted(rows), columns=["from", "to"])


def paper_hash(paper: Paper) -> str:
    """Changes when the paper's text or the extractor changes: then the paper is rebuilt.

    Metadata (:data:`METADATA`: date, url, source, identifiers) is not part of it: two records of one paper that differ only
    there are the same paper, and their metadata merges (see :func:`merge_metadata`)."""
    text = "\x1f".join([EXTRACTOR_VERSION, paper.title, paper.abstract])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


METADATA = ("date", "url", "source", "arxiv_id", "doi")


def merge_metadata(old: dict, new: dict) -> dict:
    """The merged metadata of two records of one paper, the same whatever their order: the
    earliest date (a date with a year before one without: ``2024-03-21`` over a daily page's
    ``--03-21``), the smallest value of every other field (empty values never win).

    A missing value may come as None or, from a DataFrame, as NaN: only strings compete.

    >>> merge_metadata({"date": float("nan"), "url": "b"}, {"date": "2024-01-02", "url": "a"})["url"]
    'a'
    >>> merge_metadata({"date": "--03-21"}, {"date": "2024-03-21"})["date"]
    '2024-03-21'
    """
    out = {}
    for field_ in METADATA:
        values = [v for v in (old.get(field_), new.get(field_)) if isinstance(v, str) and v]
        out[field_] = min(values, key=lambda v: (v.startswith("--"), v)) if values else None
    return out


def _fact_id(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:20]


def unnamed_method(paper_id: str, title: str) -> tuple[str, str]:
    """Key and name of a paper's method when the abstract gives it no name."""
    return f"paper:{paper_id}", f"(unnamed method of “{title[:90]}”)"


@dataclass
class GraphTables:
    nodes: dict[str, pd.DataFrame] = field(default_factory=dict)
    # keyed by (type, from label, to label); columns "from", "to"
    edges: dict[tuple[str, str, str], pd.DataFrame] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out = {label: len(df) for label, df in self.nodes.items()}
        rels: Counter = Counter()
        for (rel, _, _), df in self.edges.items():
            rels[rel] += len(df)
        out.update(rels)
        return out


class _EntityTable:
    """Collects one entity label's nodes: canonical name by vote, aliases by union."""

    def __init__(self, label: str):
        self.label = label
        self.names: dict[str, Counter] = defaultdict(Counter)
        self.aliases: dict[str, set[str]] = defaultdict(set)
        self.higher: dict[str, bool | None] = {}

    def add(self, name: str, aliases: list[str] = (), key: str | None = None) -> str:
        key = key or norm_key(name)
        self.names[key][name] += 1
        for a in aliases:
            self.aliases[key].add(a)
        return key

    def frame(self) -> pd.DataFrame:
        vocab = load_vocabulary()
        rows = []
        vlabel = self.label.upper()
        for key in sorted(self.names):
            entry = next((e for e in vocab.by_key.get(key, []) if e.label == vlabel), None)
            if entry is not None and entry.key == key:
                name = entry.name
                aliases = set(self.aliases[key]) | set(entry.aliases)
            else:
                # the smallest spelling: the same whatever order papers arrive in
                name = min(self.names[key])
                aliases = set(self.aliases[key]) | set(self.names[key])
            aliases.discard(name)
            keys = sorted({key, norm_key(name), *(norm_key(a) for a in aliases)})
            row = {"key": key, "name": name, "aliases": sorted(aliases), "keys": keys}
            if self.label == "Metric":
                # an ambiguous metric ("parameters", "AP") is matched by its exact spelling, not
                # in by_key, but its direction is the vocabulary's all the same
                row["higher_is_better"] = (entry.higher_is_better if entry is not None
                                           else vocab.metric_direction(key))
            rows.append(row)
        return pd.DataFrame(rows, columns=NODE_COLUMNS[self.label])


def build_tables(extractions: list[Extraction]) -> GraphTables:
    """Graph tables for a batch of papers (each paper's facts are complete within the batch)."""
    vocab = load_vocabulary()
    entities = {label: _EntityTable(label) for label in ENTITY_LABELS}
    papers, repos, comparisons, results = [], {}, [], []
    edges: dict[tuple[str, str, str], set[tuple]] = defaultdict(set)

    for ex in extractions:
        p = ex.paper
        papers.append({"id": p.id, "title": p.title, "abstract": p.abstract, "date": p.date,
                       "url": p.url, "source": p.source, "arxiv_id": p.arxiv_id, "doi": p.doi,
                       "hash": paper_hash(p)})
        canonical: dict[tuple[str, str], tuple[str, str]] = {}
        aliases_of: dict[str, set[str]] = defaultdict(set)
        for m in ex.mentions:
            canonical[(m.label, norm_key(m.text))] = (m.key, m.name)
            aliases_of[m.key].add(clean_display(m.text))

        # the helpers below are called within this iteration only (so the loop variables are bound)
        def entity(label: str, surface: str, canonical=canonical, aliases_of=aliases_of) -> str:
            """The canonical entity a name written in this paper stands for."""
            found = canonical.get((label.upper(), norm_key(surface)))
            if found is None:
                found = vocab.canonical(surface, label.upper())[:2]
            key, name = found
            return entities[label].add(name, sorted(aliases_of.get(key, set()) | {surface}), key=key)

        for field_name, (rel, label) in PAPER_LINKS.items():
            for name in getattr(ex, field_name):
                edges[(rel, "Paper", label)].add((p.id, entity(label, name)))
        for url in ex.repos:
            parsed = urlparse(url)
            parts = [x for x in parsed.path.split("/") if x]
            repos[url] = {"url": url, "host": parsed.netloc, "owner": parts[0] if parts else None,
                          "name": parts[1] if len(parts) > 1 else None}
            edges[("HAS_CODE", "Paper", "Repository")].add((p.id, url))

        def method_key(name: str, p=p) -> str:
            if name == THIS_PAPER:
                key, label = unnamed_method(p.id, p.title)
                return entities["Method"].add(label, key=key)
            return entity("Method", name)

        for c in ex.comparisons:
            cid = _fact_id(p.id, "cmp", c.winner, c.loser, c.dataset, c.metric, c.start)
            comparisons.append({"id": cid, "delta": c.delta, "vs_sota": c.loser == SOTA,
                                "sentence": c.sentence, "start_char": c.start, "end_char": c.end,
                                "confidence": c.confidence, "component": c.component})
            edges[("STATED_IN", "Comparison", "Paper")].add((cid, p.id))
            winner = method_key(c.winner)
            edges[("WINNER", "Comparison", "Method")].add((cid, winner))
            dataset = entity("Dataset", c.dataset) if c.dataset else ""
            if c.loser != SOTA:
                loser = method_key(c.loser)
                edges[("LOSER", "Comparison", "Method")].add((cid, loser))
                if loser != winner:
                    edges[("BEATS", "Method", "Method")].add((winner, loser, cid, p.id, dataset))
            if dataset:
                edges[("ON_DATASET", "Comparison", "Dataset")].add((cid, dataset))
            if c.metric:
                edges[("BY_METRIC", "Comparison", "Metric")].add((cid, entity("Metric", c.metric)))
        for r in ex.results:
            rid = _fact_id(p.id, "res", r.method, r.dataset, r.metric, r.value, r.start)
            results.append({"id": rid, "value": r.value, "unit": r.unit, "raw": r.raw,
                            "sentence": r.sentence, "start_char": r.start, "end_char": r.end,
                            "confidence": r.confidence, "component": r.component})
            edges[("STATED_IN", "Result", "Paper")].add((rid, p.id))
            edges[("OF_METHOD", "Result", "Method")].add((rid, method_key(r.method)))
            if r.dataset:
                edges[("ON_DATASET", "Result", "Dataset")].add((rid, entity("Dataset", r.dataset)))
            if r.metric:
                edges[("BY_METRIC", "Result", "Metric")].add((rid, entity("Metric", r.metric)))

    tables = GraphTables()
    tables.nodes["Paper"] = _frame("Paper", papers)
    for label, table in entities.items():
        tables.nodes[label] = table.frame()
    tables.nodes["Repository"] = _frame("Repository", list(repos.values()))
    tables.nodes["Comparison"] = _frame("Comparison", comparisons)
    tables.nodes["Result"] = _frame("Result", results)
    for spec in RELATIONSHIPS:
        rows = sorted(edges.get(spec, ()))
        tables.edges[spec] = pd.DataFrame(rows, columns=["from", "to", *REL_PROPERTIES.get(spec[0], [])])
    return tables


def _frame(label: str, rows: list[dict]) -> pd.DataFrame:
    key = NODE_KEY[label]
    df = pd.DataFrame(rows, columns=NODE_COLUMNS[label])
    return df.drop_duplicates(subset=[key]).sort_values(key, kind="stable").reset_index(drop=True)
