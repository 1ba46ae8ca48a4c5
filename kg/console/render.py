"""How the console prints answers: graph values as Cypher literals, four formats, one row in
detail, and query plans as an indented tree.

Nodes print as ``(:Method {name: "ResNet-50", …})``, relationships as ``[:BEATS {…}]`` and
paths as ``(:Method {name: "A"})-[:BEATS]->(:Method {name: "B"})``, whichever engine answered:
LadybugDB returns them as dicts with ``_LABEL``/``_ID`` (paths with ``_NODES``/``_RELS``), the
Neo4j driver as ``Node``/``Relationship``/``Path`` objects.

>>> value_text({"_ID": {"offset": 0, "table": 1}, "_LABEL": "Method", "key": "resnet50", "name": "ResNet-50"})
'(:Method {name: "ResNet-50", key: "resnet50"})'
"""

from __future__ import annotations

import json
import math
import re
import shutil
import textwrap
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

FORMATS = ("table", "wide", "json", "csv")
TABLE_CELL = 60  # characters of a cell in the table format; wide and :row show everything
FIRST_PROPERTIES = ("name", "title", "id", "key")  # shown first: what a person recognises a node by
PATH_PROPERTIES = ("name", "id", "key")  # a node inside a path shows only its name


# -- graph values ------------------------------------------------------------------------------
@dataclass
class GraphValue:
    """A node or a relationship, whatever the engine: kind, label (type) and properties."""

    kind: str  # "node" or "rel"
    label: str
    properties: dict[str, Any]
    ident: Any = None
    src: Any = None
    dst: Any = None


@dataclass
class PathValue:
    nodes: list[GraphValue] = field(default_factory=list)
    rels: list[GraphValue] = field(default_factory=list)


def as_graph_value(value: Any) -> GraphValue | PathValue | None:
    """The node, relationship or path in ``value``, or None for any other value."""
    if isinstance(value, dict):
        if "_NODES" in value and "_RELS" in value:
            return PathValue([as_graph_value(n) for n in value["_NODES"]],  # type: ignore[misc]
                             [as_graph_value(r) for r in value["_RELS"]])
        if "_LABEL" in value and "_ID" in value:
            props = {k: v for k, v in value.items() if not k.startswith("_")}
            if "_SRC" in value:
                return GraphValue("rel", value["_LABEL"], props, _id_key(value["_ID"]),
                                  _id_key(value["_SRC"]), _id_key(value["_DST"]))
            return GraphValue("node", value["_LABEL"], props, _id_key(value["_ID"]))
        return None
    # the Neo4j driver's graph types, recognised by shape (the driver is an optional dependency)
    if hasattr(value, "relationships") and hasattr(value, "nodes") and hasattr(value, "start_node"):
        return PathValue([as_graph_value(n) for n in value.nodes],  # type: ignore[misc]
                         [as_graph_value(r) for r in value.relationships])
    if hasattr(value, "element_id") and hasattr(value, "labels"):
        return GraphValue("node", ":".join(sorted(value.labels)), dict(value), value.element_id)
    if hasattr(value, "element_id") and hasattr(value, "type") and hasattr(value, "start_node"):
        return GraphValue("rel", value.type, dict(value), value.element_id,
                          value.start_node.element_id, value.end_node.element_id)
    return None


def _id_key(ident: Any) -> Any:
    return (ident.get("table"), ident.get("offset")) if isinstance(ident, dict) else ident


def _ordered(props: dict[str, Any]) -> list[tuple[str, Any]]:
    present = [(k, v) for k, v in props.items() if not _missing(v)]
    return sorted(present, key=lambda kv: FIRST_PROPERTIES.index(kv[0]) if kv[0] in FIRST_PROPERTIES else 99)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _literal(value: Any) -> str:
    """A value as it would be written in Cypher (strings quoted)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return value_text(value)


def _map_text(props: list[tuple[str, Any]]) -> str:
    return "{" + ", ".join(f"{k}: {_literal(v)}" for k, v in props) + "}" if props else ""


def graph_text(g: GraphValue | PathValue, brief: bool = False) -> str:
    """``(:Label {…})``, ``[:TYPE {…}]`` or a path; ``brief`` keeps only a node's name."""
    if isinstance(g, PathValue):
        return _path_text(g)
    props = _ordered(g.properties)
    if brief:
        props = [kv for kv in props if kv[0] in PATH_PROPERTIES][:1]
    inner = f":{g.label}" + (" " + _map_text(props) if props else "")
    return f"({inner})" if g.kind == "node" else f"[{inner}]"


def _path_text(path: PathValue) -> str:
    if not path.nodes:
        return "()"
    parts = [graph_text(path.nodes[0], brief=True)]
    for i, rel in enumerate(path.rels):
        left = path.nodes[i]
        right = path.nodes[i + 1] if i + 1 < len(path.nodes) else None
        forward = rel.src == left.ident or right is None or rel.dst == right.ident
        text = graph_text(rel, brief=True)
        parts.append(f"-{text}->" if forward else f"<-{text}-")
        if right is not None:
            parts.append(graph_text(right, brief=True))
    return "".join(parts)


def value_text(value: Any) -> str:
    """Any answer value as one line of text (strings as they are)."""
    if _missing(value):
        return ""
    g = as_graph_value(value)
    if g is not None:
        return graph_text(g)
    if isinstance(value, dict):
        return _map_text(list(value.items())) or "{}"
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    return str(value)


def value_json(value: Any) -> Any:
    """Any answer value as plain JSON data (a node: its properties with ``_label``)."""
    if _missing(value):
        return None
    g = as_graph_value(value)
    if isinstance(g, PathValue):
        return {"_path": [value_json_graph(n) for n in g.nodes], "_rels": [value_json_graph(r) for r in g.rels]}
    if g is not None:
        return value_json_graph(g)
    if isinstance(value, dict):
        return {k: value_json(v) for k, v in value.items()}
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return [value_json(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return value_text(value)
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def value_json_graph(g: GraphValue) -> dict:
    key = "_label" if g.kind == "node" else "_type"
    return {key: g.label, **{k: value_json(v) for k, v in _ordered(g.properties)}}


def internal_labels_in(df: pd.DataFrame, internal: set[str]) -> bool:
    """Whether an answer shows a node or relationship of the internal labels (the alias index)."""
    for column in df.columns:
        for value in df[column].head(1000):
            g = as_graph_value(value)
            items = g.nodes + g.rels if isinstance(g, PathValue) else [g]
            if any(isinstance(x, GraphValue) and x.label in internal for x in items):
                return True
    return False


# -- formats -----------------------------------------------------------------------------------
def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(cols: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]
    line = "  ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip()
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join([line, sep, *body])


def format_frame(df: pd.DataFrame, fmt: str, width: int | None = None) -> str:
    """An answer in one of :data:`FORMATS`: ``table`` clips cells at 60 characters, ``wide``
    shows every character, wrapping long cells to the terminal's width, ``json`` is a list of
    objects, ``csv`` has a header line."""
    cols = [str(c) for c in df.columns]
    if fmt == "json":
        rows = [{c: value_json(v) for c, v in zip(cols, row)} for row in df.itertuples(index=False)]
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(cols)
        writer.writerows([value_text(v) for v in row] for row in df.itertuples(index=False))
        return buf.getvalue().rstrip("\n")
    if df.empty:
        return "(no rows)"
    texts = [[value_text(v) for v in row] for row in df.itertuples(index=False)]
    if fmt == "wide":
        return _wide(cols, texts, width or terminal_width())
    return _table(cols, [[_clip(t, TABLE_CELL) for t in row] for row in texts])


def _wide(cols: list[str], texts: list[list[str]], width: int) -> str:
    """Every character of every cell; columns too wide for the terminal share what is left
    and wrap their cells, rows then separated by a blank line."""
    texts = [[" ".join(t.split()) for t in row] for row in texts]
    natural = [max(len(c), *(len(r[i]) for r in texts)) for i, c in enumerate(cols)]
    room = max(width - 2 * (len(cols) - 1), 20)
    # the widest columns share the room the others leave, each capped at the same width
    cap = max(natural)
    while cap > 12 and sum(min(w, cap) for w in natural) > room:
        cap -= 1
    widths = [min(w, cap) for w in natural]
    if widths == natural:
        return _table(cols, texts)
    out = ["  ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip(), "  ".join("-" * w for w in widths)]
    for n, row in enumerate(texts):
        wrapped = [textwrap.wrap(t, w, break_long_words=True, break_on_hyphens=False) or [""]
                   for t, w in zip(row, widths)]
        for i in range(max(map(len, wrapped))):
            cells = [(lines[i] if i < len(lines) else "").ljust(w) for lines, w in zip(wrapped, widths)]
            out.append("  ".join(cells).rstrip())
        if n + 1 < len(texts):
            out.append("")
    return "\n".join(out)


def format_row(df: pd.DataFrame, index: int, width: int | None = None) -> str:
    """Row ``index`` (1-based) of an answer, one field a line, long values wrapped in full."""
    row = df.iloc[index - 1]
    cols = [str(c) for c in df.columns]
    pad = max(map(len, cols))
    room = max((width or terminal_width()) - pad - 2, 20)
    out = [f"row {index} of {len(df)}"]
    for col, value in zip(cols, row):
        lines = textwrap.wrap(" ".join(value_text(value).split()), room, break_on_hyphens=False) or [""]
        out.append(f"{col.rjust(pad)}  {lines[0]}")
        out.extend(" " * (pad + 2) + line for line in lines[1:])
    return "\n".join(out)


def terminal_width() -> int:
    return shutil.get_terminal_size((100, 24)).columns


# -- query plans -------------------------------------------------------------------------------
PLAN_COLUMN = "explain result"  # LadybugDB answers EXPLAIN and PROFILE with one such cell


@dataclass
class PlanOperator:
    name: str
    fields: dict[str, str]
    children: list[PlanOperator] = field(default_factory=list)


def is_plan(df: pd.DataFrame) -> bool:
    return list(df.columns) == [PLAN_COLUMN] and len(df) == 1 and isinstance(df.iloc[0, 0], str)


def parse_plan(text: str) -> PlanOperator | None:
    """The operator tree of a LadybugDB plan drawing (boxes joined by lines), or None when the
    drawing is not the expected shape."""
    grid = text.splitlines()

    def at(r: int, c: int) -> str:
        return grid[r][c] if 0 <= r < len(grid) and 0 <= c < len(grid[r]) else " "

    boxes: dict[tuple[int, int], dict] = {}  # (top row, left column) -> box
    for r, line in enumerate(grid):
        for c, ch in enumerate(line):
            if ch != "┌" or at(r, c - 1) == "│":  # a nested corner belongs to the title box
                continue
            right = c + 1
            while right < len(line) and line[right] not in "┐":
                right += 1
            bottom = r + 1
            while bottom < len(grid) and at(bottom, c) != "└":
                bottom += 1
            content = [grid[i][c + 1:right].strip() for i in range(r + 1, bottom)]
            boxes[(r, c)] = {"top": r, "left": c, "right": right, "bottom": bottom, "content": content,
                             "children": []}
    operators = {k: b for k, b in boxes.items() if b["content"] and not b["content"][0].startswith(("┌", "│"))}
    if not operators:
        return None
    for b in operators.values():
        mid = grid[b["top"]].find("┴", b["left"])
        if mid < 0 or mid > b["right"]:
            b["parent"] = None
            continue
        r = b["top"] - 1
        while r >= 0 and at(r, mid) == "│":
            r -= 1
        # straight below its parent, or on a line drawn from the parent's right side (left out
        # where it crosses other boxes' columns, with a ┬ where another child hangs from it)
        parent = next((p for p in operators.values() if p["bottom"] == r and p["left"] < mid < p["right"]), None)
        if parent is None and at(r, mid) in "┐┬":
            c = mid - 1
            while c >= 0 and at(r, c) in "─┬ ":
                c -= 1
            parent = next((p for p in operators.values() if p["right"] == c and p["top"] < r < p["bottom"]), None)
        if parent is None:
            return None
        b["parent"] = parent
        parent["children"].append(b)
    roots = [b for b in operators.values() if b.get("parent") is None]
    if len(roots) != 1:
        return None

    def build(b: dict) -> PlanOperator:
        name, fields, last = b["content"][0], {}, None
        for line in b["content"][1:]:
            if not line or set(line) <= {"-"}:
                continue
            key, sep, value = line.partition(": ")
            if sep and re.fullmatch(r"[A-Za-z][\w ]*", key):
                fields[key], last = value, key
            elif last is not None:  # a continued list ("Expressions: a.x" / "b.y")
                fields[last] += ", " + line
        children = sorted(b["children"], key=lambda x: x["left"])
        return PlanOperator(name, fields, [build(c) for c in children])

    return build(roots[0])


TIMED = ("NumOutputTuples", "ExecutionTime", "TotalTime", "WallClockTime")


def format_plan(text: str) -> str:
    """A plan as an indented tree, one operator a line: what it reads or computes and, for
    PROFILE, how many rows it produced and its time in ms. Unparsed drawings are shown as is."""
    root = parse_plan(text)
    if root is None:
        return text.rstrip()
    profiled = _has_measures(root)
    lines: list[str] = []

    def walk(op: PlanOperator, prefix: str, last: bool, top: bool) -> None:
        detail = "; ".join(f"{k.lower()} {v}" for k, v in op.fields.items() if k not in TIMED)
        measures = ""
        if profiled:
            rows = op.fields.get("NumOutputTuples")
            if "WallClockTime" in op.fields:  # the PROFILE operator itself: the whole query's time
                parts = [f"{float(op.fields['WallClockTime']):.3f} ms wall clock"]
            else:
                parts = [f"{rows} rows"] if rows is not None else []
                if "ExecutionTime" in op.fields:
                    parts.append(f"{float(op.fields['ExecutionTime']):.3f} ms")
            measures = "  [" + ", ".join(parts) + "]" if parts else ""
        branch = "" if top else ("└─ " if last else "├─ ")
        lines.append(f"{prefix}{branch}{op.name}" + (f"  {detail}" if detail else "") + measures)
        inner = prefix + ("" if top else ("   " if last else "│  "))
        for i, child in enumerate(op.children):
            walk(child, inner, i == len(op.children) - 1, False)

    walk(root, "", True, True)
    return "\n".join(lines)


def _has_measures(op: PlanOperator) -> bool:
    return ("WallClockTime" in op.fields or any(float(op.fields.get(k, "0") or 0) > 0 for k in TIMED[:3])
            or any(_has_measures(c) for c in op.children))
