"""The upsert plan: what writing one batch of graph tables does to a store, decided from what that
store already holds. It is a pure function (:func:`plan_upsert`); every backend carries out the
same plan, so LadybugDB, Neo4j and the RDF store end up holding the same graph.

The policy, the same whatever order the records, batches and runs come in:

- **Papers.** A paper not stored is added. A paper stored only in part (no content hash) is
  replaced. A paper stored with the same content hash is skipped. A paper stored with another
  text is replaced when its text is the same (the extractor changed) or outranks the stored one
  (:func:`text_rank`: the longer abstract, then title, then the greater SHA-1), else skipped.
- **Metadata** (:data:`kg.graph.METADATA`, every field, whichever fields it lists) of every record
  of a paper folds into the stored paper, winner or loser, by :func:`kg.graph.merge_metadata`:
  per field the smallest non-empty value (for ISO dates, the earliest). The rule is commutative
  and associative, so a field added to ``METADATA`` merges the same way with no change here.
- **Entities** (Method, Dataset, Metric, Task) only grow: the name is the smallest spelling seen
  (a vocabulary entry's name is the one spelling every batch gives), aliases and keys are
  unions, ``higher_is_better`` the value known (True over False if two differ). Merging a batch
  into what is stored gives the same row as building both batches as one, so the graph does not
  depend on the batch size; the alias index gains the new keys of every entity.
- **Facts** (comparisons, results, their edges, BEATS) belong to their paper: written with it,
  deleted when it is replaced, left alone when it is skipped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from kg.graph import ENTITY_LABELS, METADATA, NODE_COLUMNS, GraphTables, alias_pairs, merge_metadata

ADD, REPLACE, SKIP = "add", "replace", "skip"


@dataclass(frozen=True)
class StoredPaper:
    """What a store holds of one paper. ``hash`` is None when the paper was written only in part;
    ``title``/``abstract`` are None when the store was not asked for the text."""

    hash: str | None
    metadata: Mapping[str, str | None] = field(default_factory=dict)
    title: str | None = None
    abstract: str | None = None


@dataclass(frozen=True)
class StoredEntity:
    name: str
    aliases: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    higher_is_better: bool | None = None


@dataclass
class WritePlan:
    """What a backend does for one batch, in this order: merge ``metadata`` into skipped papers,
    delete the ``replace`` papers and their facts, create the entities in ``tables``, update
    ``entity_updates`` (whole merged rows), add ``alias_index`` rows, remove ``alias_removals``
    rows and delete the ``entity_deletions`` (both only in the plan of a curation file's entity
    corrections: kg.curation), then write the papers, repositories (those absent), facts and
    edges in ``tables``, each paper's hash last."""

    tables: GraphTables
    add: list[str] = field(default_factory=list)
    replace: list[str] = field(default_factory=list)
    skip: list[str] = field(default_factory=list)
    metadata: list[dict] = field(default_factory=list)
    entity_updates: dict[str, pd.DataFrame] = field(default_factory=dict)
    alias_index: dict[str, pd.DataFrame] = field(default_factory=dict)
    alias_removals: dict[str, pd.DataFrame] = field(default_factory=dict)  # label -> from (alias key), to
    entity_deletions: dict[str, list[str]] = field(default_factory=dict)  # label -> keys (merged away)

    @property
    def empty(self) -> bool:
        """Nothing to write at all."""
        return (not self.add and not self.replace and not self.metadata
                and all(df.empty for df in self.entity_updates.values())
                and all(df.empty for df in self.alias_index.values())
                and all(df.empty for df in self.alias_removals.values())
                and not any(self.entity_deletions.values())
                and all(self.tables.nodes[label].empty for label in ENTITY_LABELS)
                and self.tables.nodes["Repository"].empty)

    @property
    def written(self) -> list[str]:
        """Ids of the papers written (added or replaced)."""
        return self.add + self.replace


def text_rank(title: str, abstract: str) -> tuple[int, int, str]:
    """Which text of a paper is kept when records of one id differ: the greatest rank wins.

    The longer abstract, then the longer title, then the greater SHA-1 of the text: a truncated
    copy loses to the full one, and any two texts compare the same way in every run and order.

    >>> text_rank("T", "A longer abstract.") > text_rank("A longer title", "Short.")
    True
    """
    digest = hashlib.sha1(f"{title}\x1f{abstract}".encode()).hexdigest()
    return len(abstract), len(title), digest


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""  # a null from a store is NaN or None


def paper_decision(title: str, abstract: str, content_hash: str, stored: StoredPaper | None) -> str:
    """:data:`ADD`, :data:`REPLACE` or :data:`SKIP` for one record against what a store holds
    (``stored`` must carry the text when its hash differs)."""
    if stored is None:
        return ADD
    if stored.hash is None:
        return REPLACE
    if stored.hash == content_hash:
        return SKIP
    old = (_text(stored.title), _text(stored.abstract))
    if (title, abstract) == old or text_rank(title, abstract) > text_rank(*old):
        return REPLACE
    return SKIP


def needs_text(hashes: Mapping[str, str], stored: Mapping[str, StoredPaper]) -> list[str]:
    """Ids whose stored hash differs from the batch's: their stored text decides."""
    return [pid for pid, h in hashes.items()
            if pid in stored and stored[pid].hash is not None and stored[pid].hash != h]


def merged_metadata_update(pid: str, stored: StoredPaper, records: Iterable[Mapping]) -> dict | None:
    """``{"id", *METADATA}`` when folding ``records`` into the stored paper changes it, else None."""
    old = {f: stored.metadata.get(f) for f in METADATA}
    merged = dict(old)
    for record in records:
        merged = merge_metadata(merged, record)
    return {"id": pid, **merged} if merged != merge_metadata(old, {}) else None


def merge_entity(label: str, row: Mapping, stored: StoredEntity | None) -> dict:
    """The entity row after writing ``row`` (a batch's row of ``label``) over ``stored``."""
    out = {c: row.get(c) for c in NODE_COLUMNS[label]}
    out["aliases"] = sorted(_strings(row.get("aliases")))
    out["keys"] = sorted(_strings(row.get("keys")) | {str(row["key"])})
    if stored is None:
        return out
    name = min(stored.name, str(row["name"]))
    out["name"] = name
    out["aliases"] = sorted((set(stored.aliases) | set(out["aliases"]) | {stored.name, str(row["name"])}) - {name})
    out["keys"] = sorted(set(stored.keys) | set(out["keys"]))
    if label == "Metric":
        known = [v for v in (stored.higher_is_better, row.get("higher_is_better")) if isinstance(v, bool)]
        out["higher_is_better"] = max(known) if known else None
    return out


def _strings(value: object) -> set[str]:
    if value is None or isinstance(value, float):
        return set()
    return {str(v) for v in value}


def _same_entity(merged: Mapping, stored: StoredEntity) -> bool:
    return (merged["name"] == stored.name and set(merged["aliases"]) == set(stored.aliases)
            and set(merged["keys"]) == set(stored.keys)
            and merged.get("higher_is_better", stored.higher_is_better) == stored.higher_is_better)


def plan_upsert(tables: GraphTables, papers: Mapping[str, StoredPaper],
                entities: Mapping[str, Mapping[str, StoredEntity]]) -> WritePlan:
    """The plan for writing ``tables`` (one batch) to a store holding ``papers`` (stored papers
    among the batch's ids) and ``entities`` (label → stored entities among the batch's keys).

    >>> from kg.graph import GraphTables
    >>> t = empty_tables()
    >>> t.nodes["Method"] = pd.DataFrame([{"key": "zorbnet", "name": "Zorbnet", "aliases": [],
    ...                                    "keys": ["zorbnet"]}])
    >>> plan = plan_upsert(t, {}, {"Method": {"zorbnet": StoredEntity("ZorbNet", (), ("zorbnet",))}})
    >>> plan.entity_updates["Method"][["name", "aliases"]].values.tolist()
    [['ZorbNet', ['Zorbnet']]]
    """
    plan = WritePlan(tables=GraphTables(nodes=dict(tables.nodes), edges=dict(tables.edges)))
    rows = tables.nodes["Paper"].to_dict(orient="records")
    written: list[dict] = []
    for row in rows:
        pid = str(row["id"])
        stored = papers.get(pid)
        decision = paper_decision(_text(row["title"]), _text(row["abstract"]), str(row["hash"]), stored)
        if decision == SKIP:
            plan.skip.append(pid)
            update = merged_metadata_update(pid, stored, [row])
            if update is not None:
                plan.metadata.append(update)
            continue
        (plan.add if decision == ADD else plan.replace).append(pid)
        if stored is not None:  # a new text keeps the metadata of the one it replaces
            row = {**row, **merge_metadata(dict(stored.metadata), row)}
        written.append(row)
    plan.tables = _only_papers(plan.tables, set(plan.skip))
    plan.tables.nodes["Paper"] = pd.DataFrame(written, columns=NODE_COLUMNS["Paper"])
    for label in ENTITY_LABELS:
        _plan_entities(plan, label, tables.nodes[label], entities.get(label, {}))
    return plan


def _plan_entities(plan: WritePlan, label: str, df: pd.DataFrame, stored: Mapping[str, StoredEntity]) -> None:
    merged = [merge_entity(label, row, stored.get(str(row["key"]))) for row in df.to_dict(orient="records")]
    new = [m for m in merged if m["key"] not in stored]
    changed = [m for m in merged if m["key"] in stored and not _same_entity(m, stored[m["key"]])]
    plan.tables.nodes[label] = pd.DataFrame(new, columns=NODE_COLUMNS[label])
    plan.entity_updates[label] = pd.DataFrame(changed, columns=NODE_COLUMNS[label])
    frame = pd.DataFrame(merged, columns=NODE_COLUMNS[label])
    plan.alias_index[label] = alias_pairs(label, frame, {k: list(e.keys) for k, e in stored.items()})


def plan_metadata(records: Iterable[Mapping], papers: Mapping[str, StoredPaper]) -> WritePlan:
    """A plan that only folds the metadata of ``records`` (dicts with ``id`` and metadata
    fields: records whose text is not written) into the stored papers."""
    by_id: dict[str, list[Mapping]] = {}
    for record in records:
        by_id.setdefault(str(record["id"]), []).append(record)
    plan = WritePlan(tables=empty_tables())
    for pid in sorted(by_id):
        if pid in papers:
            plan.skip.append(pid)
            update = merged_metadata_update(pid, papers[pid], by_id[pid])
            if update is not None:
                plan.metadata.append(update)
    for label in ENTITY_LABELS:
        plan.entity_updates[label] = pd.DataFrame(columns=NODE_COLUMNS[label])
        plan.alias_index[label] = pd.DataFrame(columns=["from", "to"])
    return plan


def empty_tables() -> GraphTables:
    """Graph tables with every label and relationship and no rows."""
    from kg.graph import REL_PROPERTIES, RELATIONSHIPS

    return GraphTables(
        nodes={label: pd.DataFrame(columns=cols) for label, cols in NODE_COLUMNS.items()},
        edges={spec: pd.DataFrame(columns=["from", "to", *REL_PROPERTIES.get(spec[0], [])])
               for spec in RELATIONSHIPS})


def _only_papers(tables: GraphTables, skip: set[str]) -> GraphTables:
    """``tables`` without the facts and edges of the papers in ``skip`` (entity and repository
    rows stay: entities only grow, existing repositories are left as they are)."""
    if not skip:
        return tables
    out = GraphTables(nodes=dict(tables.nodes), edges={})
    facts: set[str] = set()
    for (rel, _src, _dst), df in tables.edges.items():
        if rel == "STATED_IN" and not df.empty:
            facts |= set(df.loc[df["to"].isin(skip), "from"])
    for label in ("Comparison", "Result"):
        df = tables.nodes[label]
        out.nodes[label] = df[~df["id"].isin(facts)]
    for spec, df in tables.edges.items():
        rel, src, _ = spec
        if src == "Paper":
            df = df[~df["from"].isin(skip)]
        elif rel == "BEATS":
            df = df[~df["paper"].isin(skip)]
        elif src in ("Comparison", "Result"):
            df = df[~df["from"].isin(facts)]
        out.edges[spec] = df
    return out
