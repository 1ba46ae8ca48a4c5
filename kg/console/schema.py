"""What the console knows about the graph's shape: labels, relationship types and their
endpoints, property keys (for Tab completion), and ``:schema`` with counts read from the store.

The shape is the graph model's (:mod:`kg.graph`), the same on every engine; the counts are asked
of the engine with one small statement per label and per relationship endpoint pair. Names put
into those statements come from the model, never from what the user typed: a name the user gives
``:schema`` is looked up in the model first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

Run = Callable[[str, dict], pd.DataFrame]

ALIAS_NOTE = "internal: the name index behind canned queries (docs/console.md)"


@dataclass
class GraphSchema:
    node_properties: dict[str, list[str]]
    relationships: list[tuple[str, str, str]]  # (type, from label, to label)
    rel_properties: dict[str, list[str]] = field(default_factory=dict)
    internal: frozenset[str] = frozenset()

    @classmethod
    def from_model(cls) -> GraphSchema:
        from kg.graph import (
            ALIAS_LABEL,
            ALIAS_REL,
            ENTITY_LABELS,
            NODE_COLUMNS,
            REL_PROPERTIES,
            RELATIONSHIPS,
        )

        nodes = {label: list(cols) for label, cols in NODE_COLUMNS.items()}
        nodes[ALIAS_LABEL] = ["key"]
        rels = list(RELATIONSHIPS) + [(ALIAS_REL, ALIAS_LABEL, label) for label in ENTITY_LABELS]
        return cls(nodes, rels, {k: list(v) for k, v in REL_PROPERTIES.items()},
                   frozenset({ALIAS_LABEL, ALIAS_REL}))

    @property
    def labels(self) -> list[str]:
        return list(self.node_properties)

    @property
    def rel_types(self) -> list[str]:
        return list(dict.fromkeys(r for r, _, _ in self.relationships))

    @property
    def property_keys(self) -> list[str]:
        keys = {k for props in self.node_properties.values() for k in props}
        keys |= {k for props in self.rel_properties.values() for k in props}
        return sorted(keys)

    def properties_of(self, name: str) -> list[str]:
        """Property keys of a label or relationship type (any case); [] for an unknown name."""
        found = self.canonical(name)
        if found is None:
            return []
        return self.node_properties.get(found) or self.rel_properties.get(found, [])

    def canonical(self, name: str) -> str | None:
        """The model's spelling of a label or relationship type written in any case."""
        for known in self.labels + self.rel_types:
            if known.lower() == name.lower():
                return known
        return None


def _count(run: Run, statement: str) -> int | None:
    try:
        df = run(statement, {})
    except Exception:  # noqa: BLE001 - a count the engine cannot give is shown as '?'
        return None
    return int(df.iloc[0, 0]) if len(df) else 0


def describe(schema: GraphSchema, run: Run) -> str:
    """``:schema``: every label with its node count and properties, every relationship type with
    its endpoints, count per endpoint pair and properties."""
    out = []
    label_w = max(map(len, schema.labels)) + 2
    out.append(f"{'label'.ljust(label_w)}{'nodes':>9}  properties")
    for label, props in schema.node_properties.items():
        n = _count(run, f"MATCH (n:{label}) RETURN count(n) AS n")
        note = f"  ({ALIAS_NOTE})" if label in schema.internal else ""
        out.append(f"{label.ljust(label_w)}{_num(n):>9}  {', '.join(props)}{note}")
    out.append("")
    rel_w = max(map(len, schema.rel_types)) + 2
    out.append(f"{'relationship'.ljust(rel_w)}{'count':>9}  from -> to")
    for rel in schema.rel_types:
        pairs = [(s, d) for r, s, d in schema.relationships if r == rel]
        props = schema.rel_properties.get(rel, [])
        for i, (src, dst) in enumerate(pairs):
            n = _count(run, f"MATCH (:{src})-[r:{rel}]->(:{dst}) RETURN count(r) AS n")
            name = rel if i == 0 else ""
            extra = f"  {{{', '.join(props)}}}" if props and i == 0 else ""
            note = "  (internal)" if rel in schema.internal and i == 0 else ""
            out.append(f"{name.ljust(rel_w)}{_num(n):>9}  (:{src})-[:{rel}]->(:{dst}){extra}{note}")
    out.append("")
    out.append(":schema LABEL (or TYPE) shows how many have each property, and its type")
    return "\n".join(out)


def describe_one(schema: GraphSchema, run: Run, name: str) -> str:
    """``:schema Method``: each property of a label or relationship type, how many nodes or
    relationships have a value for it, and its type where the engine says."""
    found = schema.canonical(name)
    if found is None:
        known = ", ".join(schema.labels + schema.rel_types)
        return f"error: no label or relationship type {name!r} (known: {known})"
    is_label = found in schema.node_properties
    props = schema.properties_of(found)
    label, rel = found, found
    pattern = f"(n:{label})" if is_label else f"()-[n:{rel}]->()"
    cols = ", ".join(["count(*) AS total"] + [f"count(n.{k}) AS {k}" for k in props])
    try:
        counts = run(f"MATCH {pattern} RETURN {cols}", {}).iloc[0].to_dict()
    except Exception as exc:  # noqa: BLE001 - said in one line, the console lives on
        return f"error: {exc}"
    types = _property_types(run, found)
    total = int(counts.pop("total"))
    kind = "nodes" if is_label else "relationships"
    out = [f"{'(:' + found + ')' if is_label else '[:' + found + ']'}  {total:,} {kind}"
           + (f"  ({ALIAS_NOTE})" if found in schema.internal else "")]
    width = max([len(k) for k in props] + [8])
    out.append(f"  {'property'.ljust(width)}  {'with value':>10}  type")
    for k in props:
        out.append(f"  {k.ljust(width)}  {int(counts[k]):>10,}  {types.get(k, '')}")
    if not is_label:
        ends = sorted({f"(:{s})-[:{r}]->(:{d})" for r, s, d in schema.relationships if r == found})
        out.append("  between " + ", ".join(ends))
    return "\n".join(out)


def _property_types(run: Run, table: str) -> dict[str, str]:
    """Property types from LadybugDB's catalogue; {} on engines without it."""
    try:
        df = run(f"CALL table_info('{table}') RETURN *", {})
    except Exception:  # noqa: BLE001 - Neo4j has no typed schema to show
        return {}
    return dict(zip(df["name"], df["type"])) if {"name", "type"} <= set(df.columns) else {}


def _num(n: int | None) -> str:
    return "?" if n is None else f"{n:,}"
