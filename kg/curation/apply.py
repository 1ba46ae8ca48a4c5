"""Applying a curation file: the same corrections on every build, whatever the order of the input,
the batch size or what the store already holds.

Two layers, both pure functions of the curation and their input:

- **Papers** (:meth:`Curation.build_tables`): a batch's extractions and graph tables are curated
  before the upsert plan sees them: a split alias's mentions become their own entity, added facts
  join their paper (component ``curation``, confidence 1.0), merged entities' rows and every edge
  to them go to the entity they are merged into, renamed and merged entities take their curated
  name, split aliases leave the entity's aliases and keys, rejected facts are dropped. Each
  paper's content hash takes in the digest of the corrections that can change it (every entity
  correction, and the facts curated in that paper), so a paper stored before a correction is
  written again — replaced, like a paper whose extractor changed — by the next build that reads
  it, and one stored after it is skipped as unchanged.
- **Entities** (:meth:`Curation.plan_entities`): entities only grow under the upsert plan (the
  smallest name, unions of aliases), so the stored rows of curated entities are set at the end of
  every build: the curated name, the aliases and keys without split ones (and without their
  alias-index entries), merged-away entities folded into their target and deleted.

Corrections are applied in a fixed order — merges (transitively), then names, splits, rejections,
additions — so the order of entries in the file does not matter either.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from kg.curation.file import CurationError, Entry, Ref, read_entries
from kg.graph import ENTITY_LABELS, NODE_COLUMNS, GraphTables, alias_pairs
from kg.models import SOTA, Comparison, Extraction, Mention, Result
from kg.normalize import clean_display, norm_key

if TYPE_CHECKING:
    from kg.stores.plan import WritePlan

SOURCE = "curation"  # the component of every curated fact
CONFIDENCE = 1.0
_FACT_LABEL = {"claim": "Comparison", "result": "Result"}


class Curation:
    """The corrections of one curation file, checked against each other and resolved to keys.

    >>> c = Curation.from_text('''
    ... version: 1
    ... corrections:
    ... - merge: {kind: Method, into: ResNet-50, from: RN50}
    ... ''')
    >>> c.resolve("Method", "rn50")
    'resnet50'
    """

    def __init__(self, entries: list[Entry] | None = None, source: str = ""):
        self.entries = list(entries or [])
        self.source = source
        self.merges: dict[str, dict[str, str]] = {label: {} for label in ENTITY_LABELS}
        self.names: dict[str, dict[str, str]] = {label: {} for label in ENTITY_LABELS}
        self.splits: dict[str, dict[str, set[str]]] = {label: defaultdict(set) for label in ENTITY_LABELS}
        self.rejects: dict[str, list[Entry]] = defaultdict(list)
        self.adds: dict[str, list[Entry]] = defaultdict(list)
        self.matched: set[int] = set()  # rejections that removed something (for warnings)
        self.papers_seen: set[str] = set()
        self._resolve_merges()
        self._resolve_names()
        self._resolve_splits()
        for entry in self.entries:
            if entry.op in ("reject", "add"):
                (self.rejects if entry.op == "reject" else self.adds)[entry.fields["paper"]].append(entry)
        self.entity_digest = _digest(self._entity_facts())
        self.paper_digests = {pid: _digest(sorted(_fact_key(e) for e in [*self.rejects.get(pid, ()),
                                                                          *self.adds.get(pid, ())]))
                              for pid in set(self.rejects) | set(self.adds)}

    # -- construction ----------------------------------------------------------------------------
    @classmethod
    def from_file(cls, path) -> Curation:
        """The curation file ``path`` (an empty curation when it does not exist)."""
        return cls(read_entries(path), str(path))

    @classmethod
    def from_text(cls, text: str, source: str = "<curation>") -> Curation:
        from kg.curation.file import parse

        return cls(parse(text, source), source)

    @property
    def empty(self) -> bool:
        return not self.entries

    @property
    def has_entity_corrections(self) -> bool:
        return any(e.op in ("merge", "split", "rename") for e in self.entries)

    def _resolve_merges(self) -> None:
        into: dict[str, dict[str, tuple[str, Entry]]] = {label: {} for label in ENTITY_LABELS}
        for e in self.entries:
            if e.op != "merge":
                continue
            src, dst = e.fields["from"].key, e.fields["into"].key
            seen = into[e.kind].get(src)
            if seen is not None and seen[0] != dst:
                raise CurationError(f"{self._where(e)}: {e.kind} {e.fields['from'].name} is merged into two "
                                    f"entities (also line {seen[1].line}); merge it into one")
            into[e.kind][src] = (dst, e)
        for label, edges in into.items():
            for src in edges:
                path, key = [src], edges[src][0]
                while key in edges:
                    if key in path:
                        e = edges[src][1]
                        lines = ", ".join(str(edges[k][1].line) for k in path)
                        raise CurationError(f"{self._where(e)}: merges go round in a circle "
                                            f"({' -> '.join([*path, key])}: lines {lines}); keep one direction")
                    path.append(key)
                    key = edges[key][0]
                self.merges[label][src] = key

    def _resolve_names(self) -> None:
        renamed: dict[tuple[str, str], Entry] = {}
        for e in self.entries:
            if e.op != "rename":
                continue
            key = self.resolve(e.kind, e.fields["entity"].key)
            other = renamed.get((e.kind, key))
            if other is not None and other.fields["name"] != e.fields["name"]:
                raise CurationError(f"{self._where(e)}: {e.kind} {e.fields['entity'].name} is renamed twice "
                                    f"(also line {other.line}); keep one name")
            renamed[(e.kind, key)] = e
            self.names[e.kind][key] = e.fields["name"]
        for e in self.entries:  # a merge fixes the kept entity's name: the same in every batch
            if e.op == "merge":
                key = self.resolve(e.kind, e.fields["into"].key)
                if (e.kind, key) not in renamed:
                    names = self.names[e.kind]
                    names[key] = min(names.get(key, e.fields["into"].name), e.fields["into"].name)

    def _resolve_splits(self) -> None:
        for e in self.entries:
            if e.op != "split":
                continue
            key = self.resolve(e.kind, e.fields["entity"].key)
            alias = norm_key(e.fields["alias"])
            if not alias:
                raise CurationError(f"{self._where(e)}: the alias {e.fields['alias']!r} has no letters or digits")
            if alias == key or self.resolve(e.kind, alias) == key:
                raise CurationError(f"{self._where(e)}: {e.fields['alias']!r} is {e.fields['entity'].name}'s own "
                                    "key (or one merged into it): rename the entity or drop the merge instead")
            self.splits[e.kind][key].add(alias)

    def _where(self, e: Entry) -> str:
        return f"{self.source}:{e.line}" if self.source else f"line {e.line}"

    def resolve(self, label: str, key: str) -> str:
        """The key an entity key stands for after merges."""
        return self.merges[label].get(key, key)

    def _ref_key(self, label: str, ref: Ref | None) -> str | None:
        return None if ref is None else self.resolve(label, ref.key)

    # -- digests: what a paper's content hash takes in ------------------------------------------
    def _entity_facts(self) -> list:
        out = []
        for label in ENTITY_LABELS:
            out += [["merge", label, src, dst] for src, dst in sorted(self.merges[label].items())]
            out += [["name", label, key, name] for key, name in sorted(self.names[label].items())]
            out += [["split", label, key, sorted(aliases)] for key, aliases in sorted(self.splits[label].items())]
        return out

    def paper_hash(self, pid: str, text_hash: str) -> str:
        """The content hash a paper is stored with: its text hash when no correction can change it,
        else a hash of the text hash and the digests of the corrections that can."""
        own = self.paper_digests.get(pid)
        if own is None and not self.has_entity_corrections:
            return text_hash
        return hashlib.sha1("\x1f".join([text_hash, self.entity_digest, own or ""]).encode()).hexdigest()

    # -- the paper layer -------------------------------------------------------------------------
    def build_tables(self, extractions: Iterable[Extraction]) -> GraphTables:
        """:func:`kg.graph.build_tables` of a batch, curated."""
        from kg.graph import build_tables

        batch = list(extractions)
        self.papers_seen.update(ex.paper.id for ex in batch)
        if self.empty:
            return build_tables(batch)
        return self.curate_tables(build_tables([self.curate_extraction(ex) for ex in batch]))

    def curate_extraction(self, ex: Extraction) -> Extraction:
        """A split alias's mentions as their own entity; the facts added to this paper."""
        mentions = [self._split_mention(m) for m in ex.mentions]
        adds = self.adds.get(ex.paper.id, [])
        if not adds and all(a is b for a, b in zip(mentions, ex.mentions)):
            return ex
        ex = _link_split_names(ex, mentions)
        comparisons, results = list(ex.comparisons), list(ex.results)
        for entry in adds:
            fact, extra = _added_fact(entry, ex.paper.text)
            (comparisons if entry.fact == "claim" else results).append(fact)
            mentions += extra
        return replace(ex, mentions=mentions, comparisons=comparisons, results=results)

    def _split_mention(self, m: Mention) -> Mention:
        label = m.label.title()
        if label not in self.splits:
            return m
        aliases = self.splits[label].get(self.resolve(label, m.key))
        if aliases and norm_key(m.text) in aliases:
            return replace(m, key=norm_key(m.text), name=clean_display(m.text))
        return m

    def curate_tables(self, tables: GraphTables) -> GraphTables:
        """Graph tables with merges, names, splits and rejections applied, and curated hashes."""
        out = GraphTables(nodes=dict(tables.nodes), edges={})
        for label in ENTITY_LABELS:
            out.nodes[label] = self._entity_frame(label, tables.nodes[label])
        for spec, df in tables.edges.items():
            out.edges[spec] = self._map_edges(spec, df)
        self._reject(out)
        papers = out.nodes["Paper"].copy()
        if not papers.empty:
            papers["hash"] = [self.paper_hash(str(pid), str(h)) for pid, h in zip(papers["id"], papers["hash"])]
        out.nodes["Paper"] = papers
        return out

    def _touched(self, label: str) -> set[str]:
        return set(self.names[label]) | set(self.splits[label]) | set(self.merges[label].values())

    def curated_row(self, label: str, row: Mapping) -> dict:
        """An entity row with its curated name (the old one becomes an alias) and without its split
        aliases and keys."""
        out = {c: row.get(c) for c in NODE_COLUMNS[label]}
        key = str(row["key"])
        aliases = set(_strings(row.get("aliases")))
        keys = set(_strings(row.get("keys"))) | {key}
        name = self.names[label].get(key, str(row["name"]))
        if name != row["name"]:
            aliases.add(str(row["name"]))
        keys.add(norm_key(name))
        drop = self.splits[label].get(key, set())
        aliases = {a for a in aliases if norm_key(a) not in drop} - {name}
        out.update(name=name, aliases=sorted(aliases), keys=sorted(keys - drop))
        return out

    def _entity_frame(self, label: str, df: pd.DataFrame) -> pd.DataFrame:
        touched = self._touched(label)
        merges = self.merges[label]
        if df.empty or not (touched & set(df["key"]) or merges.keys() & set(df["key"])):
            return df
        rows: dict[str, dict] = {}
        for row in df.to_dict(orient="records"):
            rows[str(row["key"])] = row
        for src in sorted(set(rows) & merges.keys()):
            dst = merges[src]
            rows[dst] = fold(label, rows.get(dst) or self._new_row(label, dst, rows[src]), rows.pop(src))
        for key in sorted(set(rows) & touched):
            rows[key] = self.curated_row(label, rows[key])
        return pd.DataFrame([rows[k] for k in sorted(rows)], columns=NODE_COLUMNS[label])

    def _new_row(self, label: str, key: str, like: Mapping) -> dict:
        row = {"key": key, "name": self.names[label].get(key, key), "aliases": [], "keys": [key]}
        if label == "Metric":
            row["higher_is_better"] = None
        return row

    def _map_edges(self, spec: tuple[str, str, str], df: pd.DataFrame) -> pd.DataFrame:
        rel, src, dst = spec
        maps = [(col, self.merges[label]) for col, label in (("from", src), ("to", dst))
                if label in self.merges and self.merges[label]]
        if rel == "BEATS" and self.merges["Dataset"]:
            maps.append(("dataset", self.merges["Dataset"]))
        if df.empty or not maps:
            return df
        df = df.copy()
        for col, mapping in maps:
            df[col] = [mapping.get(v, v) if isinstance(v, str) else v for v in df[col]]
        if rel == "BEATS":
            df = df[df["from"] != df["to"]]  # a method does not beat itself (kg.graph)
        return df.drop_duplicates().reset_index(drop=True)

    def _reject(self, tables: GraphTables) -> None:
        """Drop the extracted facts a rejection names (a curated fact is never rejected)."""
        papers = {str(p) for p in tables.nodes["Paper"]["id"]} & set(self.rejects)
        if not papers:
            return
        gone: dict[str, set[str]] = {"Comparison": set(), "Result": set()}
        for fact, label in _FACT_LABEL.items():
            found = _fact_frame(tables, label)
            for pid in sorted(papers):
                for entry in self.rejects[pid]:
                    if entry.fact != fact:
                        continue
                    hit = found[(found["paper"] == pid) & (found["component"] != SOURCE)]
                    hit = hit[[self._matches(entry, row) for row in hit.to_dict(orient="records")]]
                    if len(hit):
                        self.matched.add(id(entry))
                        gone[label] |= set(hit["id"])
        for label, ids in gone.items():
            if ids:
                df = tables.nodes[label]
                tables.nodes[label] = df[~df["id"].isin(ids)].reset_index(drop=True)
        ids = gone["Comparison"] | gone["Result"]
        for spec, df in tables.edges.items():
            rel, src, _ = spec
            if src in ("Comparison", "Result"):
                tables.edges[spec] = df[~df["from"].isin(ids)].reset_index(drop=True)
            elif rel == "BEATS":
                tables.edges[spec] = df[~df["comparison"].isin(ids)].reset_index(drop=True)

    def _matches(self, entry: Entry, row: Mapping) -> bool:
        f = entry.fields
        if entry.fact == "claim":
            if row["winner"] != self._ref_key("Method", f["winner"]):
                return False
            if f["vs_sota"] != bool(row["vs_sota"]) or (not f["vs_sota"]
                                                        and row["loser"] != self._ref_key("Method", f["loser"])):
                return False
        elif row["method"] != self._ref_key("Method", f["method"]):
            return False
        for name, label in (("dataset", "Dataset"), ("metric", "Metric")):
            if name in f and row[name] != self._ref_key(label, f[name]):
                return False
        value = f.get("value")
        return value is None or (isinstance(row.get("value"), float)
                                 and math.isclose(row["value"], value, rel_tol=1e-9, abs_tol=1e-9))

    def unmatched_rejections(self) -> list[Entry]:
        """Rejections of papers this curation has seen built that removed nothing."""
        return [e for pid, entries in sorted(self.rejects.items()) if pid in self.papers_seen
                for e in entries if id(e) not in self.matched]

    def entries_naming_nothing(self, stored: Mapping[str, Mapping]) -> list[Entry]:
        """Merges, renames and splits whose entity (a merge's kept one) is not among ``stored``
        (label → key → stored entity, read at the end of a build)."""
        out = []
        for e in self.entries:
            if e.op in ("merge", "rename", "split"):
                ref = e.fields["into" if e.op == "merge" else "entity"]
                if self.resolve(e.kind, ref.key) not in stored.get(e.kind, {}):
                    out.append(e)
        return out

    # -- the entity layer ------------------------------------------------------------------------
    def entity_keys(self, label: str) -> list[str]:
        """The keys of ``label`` whose stored rows :meth:`plan_entities` needs."""
        return sorted(self._touched(label) | set(self.merges[label]))

    def plan_entities(self, stored: Mapping[str, Mapping]) -> WritePlan:
        """The write plan that makes the stored curated entities what the curation says (``stored``:
        label → key → :class:`kg.stores.plan.StoredEntity` among :meth:`entity_keys`)."""
        from kg.stores.plan import WritePlan, empty_tables

        plan = WritePlan(tables=empty_tables())
        for label in ENTITY_LABELS:
            held = {k: _stored_row(label, k, e) for k, e in stored.get(label, {}).items()}
            rows = {k: dict(r) for k, r in held.items() if k not in self.merges[label]}
            for src in sorted(held.keys() & self.merges[label].keys()):
                dst = self.merges[label][src]
                rows[dst] = fold(label, rows.get(dst) or self._new_row(label, dst, held[src]), held[src])
            curated = {k: self.curated_row(label, r) for k, r in rows.items()}
            new = [r for k, r in sorted(curated.items()) if k not in held]
            changed = [r for k, r in sorted(curated.items()) if k in held and not _same(r, held[k])]
            plan.tables.nodes[label] = pd.DataFrame(new, columns=NODE_COLUMNS[label])
            plan.entity_updates[label] = pd.DataFrame(changed, columns=NODE_COLUMNS[label])
            frame = pd.DataFrame([*new, *changed], columns=NODE_COLUMNS[label])
            plan.alias_index[label] = alias_pairs(label, frame, {k: list(held[k]["keys"]) for k in held})
            removed = sorted((k, key) for key, r in curated.items() if key in held
                             for k in set(held[key]["keys"]) - set(r["keys"]))
            plan.alias_removals[label] = pd.DataFrame(removed, columns=["from", "to"])
            plan.entity_deletions[label] = sorted(held.keys() & self.merges[label].keys())
        return plan


def fold(label: str, into: Mapping, other: Mapping) -> dict:
    """The row of an entity that ``other`` is merged into: its names, aliases and keys added."""
    out = dict(into)
    out["aliases"] = sorted(set(_strings(into.get("aliases"))) | set(_strings(other.get("aliases")))
                            | {str(other["name"])})
    out["keys"] = sorted(set(_strings(into.get("keys"))) | set(_strings(other.get("keys")))
                         | {str(other["key"]), str(into["key"])})
    if label == "Metric":
        known = [v for v in (into.get("higher_is_better"), other.get("higher_is_better")) if isinstance(v, bool)]
        out["higher_is_better"] = max(known) if known else None
    return out


def _stored_row(label: str, key: str, e) -> dict:
    row = {"key": key, "name": e.name, "aliases": sorted(e.aliases), "keys": sorted(set(e.keys) | {key})}
    if label == "Metric":
        row["higher_is_better"] = e.higher_is_better
    return row


def _same(row: Mapping, held: Mapping) -> bool:
    return (row["name"] == held["name"] and set(row["aliases"]) == set(held["aliases"])
            and set(row["keys"]) == set(held["keys"])
            and row.get("higher_is_better") == held.get("higher_is_better"))


def _strings(value: object) -> list[str]:
    if value is None or isinstance(value, float):
        return []
    return [str(v) for v in value]


def _digest(value: object) -> str:
    return hashlib.sha1(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _fact_key(entry: Entry) -> str:
    fields = {k: (v.key if isinstance(v, Ref) else v) for k, v in entry.fields.items()}
    return json.dumps([entry.op, entry.fact, fields], sort_keys=True, ensure_ascii=False)


def _fact_frame(tables: GraphTables, label: str) -> pd.DataFrame:
    """One row per comparison or result of ``label``: id, paper, component, and the keys of what it
    links to (winner, loser, method, dataset, metric; None when absent)."""
    df = tables.nodes[label]
    out = pd.DataFrame({"id": df["id"], "component": df["component"]})
    if label == "Comparison":
        out["vs_sota"] = df["vs_sota"].map(lambda v: bool(v) if isinstance(v, bool) else False)
    else:
        out["value"] = df["value"].map(lambda v: float(v) if v is not None and not pd.isna(v) else None)
    links = {"STATED_IN": "paper", "ON_DATASET": "dataset", "BY_METRIC": "metric",
             "WINNER": "winner", "LOSER": "loser", "OF_METHOD": "method"}
    for (rel, src, _), edges in tables.edges.items():
        if src == label and rel in links:
            mapping = dict(zip(edges["from"], edges["to"]))
            out[links[rel]] = [mapping.get(i) for i in out["id"]]
    return out


def _added_fact(entry: Entry, text: str) -> tuple[Comparison | Result, list[Mention]]:
    """The extraction-level fact an ``add`` entry stands for, and mentions that pin the keys of
    entities it names by key (a name alone is resolved as the paper's own names are)."""
    f = entry.fields
    evidence = f["evidence"]
    at = text.find(evidence)
    start, end = (at, at + len(evidence)) if at >= 0 else (None, None)
    mentions = [Mention(text=ref.name, label=name.upper() if name in ("dataset", "metric") else "METHOD",
                        start=-1, end=-1, key=ref.key, name=ref.name, component=SOURCE)
                for name, ref in f.items() if isinstance(ref, Ref) and ref.explicit]

    def name(field_: str) -> str | None:
        ref = f.get(field_)
        return ref.name if isinstance(ref, Ref) else None

    if entry.fact == "claim":
        fact = Comparison(winner=name("winner"), loser=SOTA if f["vs_sota"] else name("loser"),
                          dataset=name("dataset"), metric=name("metric"), delta=f.get("delta"),
                          sentence=evidence, start=start, end=end, confidence=CONFIDENCE, component=SOURCE)
    else:
        unit = f.get("unit")
        fact = Result(method=name("method"), dataset=name("dataset"), metric=name("metric"), value=f["value"],
                      unit=unit, raw=f"{f['value']:g}{unit or ''}", sentence=evidence, start=start, end=end,
                      confidence=CONFIDENCE, component=SOURCE)
    return fact, mentions


# the extraction list a mention's entity is linked to the paper through
_LIST_OF = {"DATASET": "datasets", "METRIC": "metrics", "TASK": "tasks", "METHOD": "methods"}


def _link_split_names(ex: Extraction, mentions: list[Mention]) -> Extraction:
    """The paper links to each entity a split made of its mentions, whichever spelling the
    extraction listed for the entity they had been part of ("ImageNet-1k" split from ImageNet in a
    paper that also writes "ImageNet")."""
    lists: dict[str, list[str]] = {}
    for old, new in zip(ex.mentions, mentions):
        if old is new:
            continue
        field = "methods_proposed" if new.label == "METHOD" and new.proposed else _LIST_OF.get(new.label)
        if field is None:
            continue
        names = lists.setdefault(field, list(getattr(ex, field)))
        if new.name not in names:
            names.append(new.name)
    return replace(ex, **lists) if lists else ex
