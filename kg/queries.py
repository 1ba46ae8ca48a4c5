"""Canned queries: files under ``queries/<lang>/<name>.<ext>``, loaded by name.

Each file begins with a comment header that documents it::

    // param baseline (name): the beaten method …
    // param dataset (name, optional): …
    // columns: winner, loser, …

``(name)`` parameters are names a user types; they are normalised to the keys the graph stores
(:func:`kg.normalize.norm_key`) before binding, so every alias and spelling matches. Values are
always bound as parameters, never spliced into query text.

A Cypher query that is a ``UNION`` may start each branch with a guard, a condition that must hold
for the branch to return any row (its own patterns and ``WHERE`` imply it)::

    // when $baseline names Method and $dataset = ''

Conditions are ``$param = 'text'`` (or a number), ``<>``, ``>=``, ``<=``, and ``$param names
Label`` (the key is in the alias index for a node of that label). The file stays one correct
statement; :meth:`CannedQuery.statement` leaves out the branches whose guard fails for the bound
values, because engines plan and run every branch of a UNION whatever a constant filter in it
says (LadybugDB scans a table for a branch that cannot match).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources

from kg.errors import UsageError
from kg.normalize import norm_key

LANGS = {"cypher": ("cypher", "//"), "sparql": ("rq", "#")}


INT64 = (-(2**63), 2**63 - 1)  # what every engine binds as an integer


@dataclass
class Param:
    name: str
    kind: str  # name, int, str
    optional: bool
    default: object
    doc: str
    low: int = INT64[0]  # int parameters: the accepted range (header: "range=1..4")
    high: int = INT64[1]


@dataclass
class Condition:
    param: str
    op: str  # =, <>, >=, <=, names
    value: str | int  # a literal, or a label for "names"

    def holds(self, bound: dict[str, object], names: Callable[[str, str], bool] | None) -> bool:
        value = bound.get(self.param)
        if self.op == "names":
            return names is None or names(str(value), str(self.value))
        if isinstance(self.value, int):
            try:
                value = int(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                return True  # not comparable: keep the branch, the engine decides
        else:
            value = "" if value is None else str(value)
        return {"=": value == self.value, "<>": value != self.value,
                ">=": value >= self.value, "<=": value <= self.value}[self.op]  # type: ignore[operator]


@dataclass
class Branch:
    text: str
    guard: list[Condition] = field(default_factory=list)


@dataclass
class CannedQuery:
    name: str
    lang: str
    text: str
    description: str
    params: list[Param] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)

    @property
    def body(self) -> str:
        """The statement without its comment lines: what is sent to the engine (FalkorDB's Bolt
        server crashes on a statement of more than about 4 KiB, comments included)."""
        return "\nUNION\n".join(b.text for b in self.branches) if self.branches else self.text

    def statement(self, bound: dict[str, object], names: Callable[[str, str], bool] | None = None) -> str | None:
        """The statement to run with these bound values: the UNION branches whose guard holds
        (the whole :attr:`body` when no branch has one), None when no branch can return a row.
        ``names(key, label)`` tells whether the alias index has ``key`` for a ``label`` node;
        without it, ``names`` conditions count as true."""
        if not any(b.guard for b in self.branches):
            return self.body
        if names is not None:
            names = functools.cache(names)  # one lookup per (key, label) and statement
        kept = [b.text for b in self.branches
                if all(c.holds(bound, names) for c in sorted(b.guard, key=lambda c: c.op == "names"))]
        return "\nUNION\n".join(kept) if kept else None

    def bind(self, values: dict[str, object]) -> dict[str, object]:
        """Parameters ready for the engine: checked, defaulted, names normalised."""
        known = {p.name for p in self.params}
        unknown = set(values) - known
        if unknown:
            raise UsageError(
                f"query {self.name!r} has no parameter {sorted(unknown)[0]!r} "
                f"(parameters: {', '.join(sorted(known)) or 'none'})"
            )
        bound: dict[str, object] = {}
        for p in self.params:
            if p.name not in values or values[p.name] in (None, ""):
                if not p.optional:
                    raise UsageError(f"query {self.name!r} needs --param {p.name}=VALUE ({p.doc})")
                bound[p.name] = p.default
                continue
            value = values[p.name]
            if p.kind == "name":
                bound[p.name] = norm_key(str(value))
            elif p.kind == "int":
                bound[p.name] = self._whole_number(p, value)
            else:
                bound[p.name] = str(value)
        return bound

    def _whole_number(self, p: Param, value: object) -> int:
        """An int parameter within its range (an engine error otherwise: LIMIT -5, or an
        integer too large to bind)."""
        try:
            number = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            number = None
        if number is None or isinstance(value, float) and value != number or not p.low <= number <= p.high:
            raise UsageError(f"parameter {p.name} of {self.name!r} must be a whole number from {p.low:,} "
                             f"to {p.high:,}, got {value!r}")
        return number


_PARAM = re.compile(r"^param\s+(\w+)\s*\(([^)]*)\)\s*:\s*(.*)$")
_GUARD = re.compile(r"^//\s*when\s+(.+)$")
_CONDITION = re.compile(r"^\$(\w+)\s+names\s+([A-Z]\w*)$|^\$(\w+)\s*(=|<>|>=|<=)\s*(?:'([^']*)'|(-?\d+))$")


def _branches(name: str, text: str, params: set[str]) -> list[Branch]:
    """A Cypher statement split at its top-level ``UNION`` lines, with each branch's guard;
    branch texts leave out the comment lines."""
    out = [Branch("")]
    lines: list[str] = []
    for line in text.splitlines() + ["UNION"]:
        if line.strip() != "UNION":
            m = _GUARD.match(line.strip())
            if m:
                out[-1].guard = [_condition(name, c.strip(), params) for c in re.split(r"\s+and\s+", m.group(1))]
            if not line.lstrip().startswith("//"):
                lines.append(line)
            continue
        out[-1].text = "\n".join(lines)
        out.append(Branch(""))
        lines = []
    return out[:-1]


def _condition(name: str, text: str, params: set[str]) -> Condition:
    m = _CONDITION.match(text)
    if not m:
        raise UsageError(f"canned query {name!r}: cannot read the guard condition {text!r}")
    if m.group(1):
        cond = Condition(m.group(1), "names", m.group(2))
    else:
        cond = Condition(m.group(3), m.group(4), m.group(5) if m.group(6) is None else int(m.group(6)))
    if cond.param not in params:
        raise UsageError(f"canned query {name!r}: a guard tests ${cond.param}, which is not a parameter")
    return cond


def _parse(name: str, lang: str, text: str) -> CannedQuery:
    comment = LANGS[lang][1]
    header, desc_lines = [], []
    for line in text.splitlines():
        if not line.startswith(comment):
            break
        header.append(line[len(comment):].strip())
    q = CannedQuery(name=name, lang=lang, text=text, description="")
    last: Param | None = None
    for line in header:
        m = _PARAM.match(line)
        if m:
            pname, spec, doc = m.groups()
            parts = [s.strip() for s in spec.split(",")]
            kind = parts[0] or "str"
            optional = any(s.startswith("optional") for s in parts)
            default_spec = next((s.split("=", 1)[1].strip() for s in parts if s.startswith("default=")), None)
            default: object = "" if kind != "int" else 0
            if default_spec is not None:
                default = int(default_spec) if kind == "int" else default_spec
            last = Param(pname, kind, optional or default_spec is not None, default, doc)
            range_spec = next((s.split("=", 1)[1] for s in parts if s.startswith("range=")), None)
            if range_spec is not None:
                low, _, high = range_spec.partition("..")
                last.low, last.high = int(low), int(high)
            q.params.append(last)
        elif line.startswith("columns:"):
            q.columns = [c.strip() for c in line.split(":", 1)[1].split(",") if c.strip()]
            last = None
        elif line.startswith("order:"):
            q.order = [c.strip() for c in line.split(":", 1)[1].split(",") if c.strip()]
            last = None
        elif last is not None and line and not q.columns:  # a parameter's doc continues
            last.doc += " " + line
        elif not q.params and not q.columns:
            desc_lines.append(line)
    first = desc_lines[0] if desc_lines else name
    q.description = first.split("—", 1)[-1].strip() if "—" in first else first
    if lang == "cypher":
        q.branches = _branches(name, text, {p.name for p in q.params})
    return q


def _folder(lang: str):
    return resources.files("kg").joinpath("queries", lang)


def list_queries(lang: str = "cypher") -> list[str]:
    ext = LANGS[lang][0]
    folder = _folder(lang)
    return sorted(p.name[: -len(ext) - 1] for p in folder.iterdir() if p.name.endswith("." + ext))


def load_query(name: str, lang: str = "cypher") -> CannedQuery:
    if lang not in LANGS:
        raise UsageError(f"unknown query language {lang!r} (cypher or sparql)")
    ext = LANGS[lang][0]
    path = _folder(lang).joinpath(f"{name}.{ext}")
    if not re.fullmatch(r"[a-z0-9_]+", name) or not path.is_file():
        available = ", ".join(list_queries(lang)) or "none"
        raise UsageError(f"no canned {lang} query named {name!r} (available: {available})")
    return _parse(name, lang, path.read_text(encoding="utf-8"))


def alias_lookup(label: str) -> str:
    """The statement that tells whether the alias ``$key`` names a ``label`` node (one primary-key
    lookup), for the ``names`` guards of :meth:`CannedQuery.statement`; one row, column ``n``."""
    from kg.graph import ALIAS_LABEL, ALIAS_REL, ENTITY_LABELS

    if label not in ENTITY_LABELS:
        raise UsageError(f"{label!r} is not an entity label ({', '.join(ENTITY_LABELS)})")
    return f"MATCH (:{ALIAS_LABEL} {{key: $key}})-[:{ALIAS_REL}]->(n:{label}) RETURN count(n) AS n"


def _missing(value) -> bool:
    """None, NaN or pandas' NA."""
    try:
        return value is None or bool(value != value)
    except TypeError:  # pd.NA refuses to be a truth value
        return True


def _sorted_positions(df, keys: list[str], ascending: list[bool]) -> list[int]:
    """Row positions in ``keys`` order, as pandas' stable ``sort_values`` orders them (missing
    values last in either direction), by repeated stable sorts from the last key: pandas
    factorises every column first, which costs milliseconds on a few hundred rows of text."""
    positions = list(range(len(df)))
    if all(ascending):  # one sort on tuples; a missing value sorts after every value
        columns = [df[key].tolist() for key in keys]
        rows = [tuple((1, 0) if _missing(v) else (0, v) for v in row) for row in zip(*columns)]
        positions.sort(key=rows.__getitem__)
        return positions
    for key, up in reversed(list(zip(keys, ascending))):
        values = df[key].tolist()
        present = [p for p in positions if not _missing(values[p])]
        present.sort(key=values.__getitem__, reverse=not up)
        positions = present + [p for p in positions if _missing(values[p])]
    return positions


def shape_rows(df, columns: list[str], order: list[str]):
    """The rows a canned query returns, the same on every engine: sorted by the header's
    ``order:`` (a leading ``-`` means descending; it may name a helper column such as
    ``sort_key``), ties broken by the other columns, then only the header's ``columns``; a
    ``rank`` column is numbered 1, 2, … in that order (:func:`number_ranks`)."""
    order = order or [c for c in columns if c in df.columns]
    if order and not df.empty:
        keys = [c.lstrip("-") for c in order if c.lstrip("-") in df.columns]
        ascending = [not c.startswith("-") for c in order if c.lstrip("-") in df.columns]
        rest = [c for c in columns if c in df.columns and c not in keys and c != "rank"]
        try:
            df = df.take(_sorted_positions(df, keys + rest, ascending + [True] * len(rest)))
        except TypeError:  # unorderable values in a tie-break column: the header's order only
            df = df.sort_values(keys, ascending=ascending, kind="stable")
    if columns:
        df = df[[c for c in columns if c in df.columns]]
    return number_ranks(df.reset_index(drop=True))


def number_ranks(df):
    """``df`` with its ``rank`` column numbered 1, 2, … down the rows. A row the query returns
    with a null rank stays unranked (a leaderboard of a metric whose direction is unknown: its
    order is not a ranking)."""
    if "rank" not in df.columns:
        return df
    ranks, n = [], 0
    for value in df["rank"].tolist():
        if _missing(value):
            ranks.append(None)
        else:
            n += 1
            ranks.append(n)
    if None in ranks:  # kept as None (an object column), not a float NaN beside 1.0, 2.0
        import pandas as pd

        df["rank"] = pd.Series(ranks, index=df.index, dtype=object)
    else:
        df["rank"] = ranks
    return df


def keep_confident(df, min_confidence: float | None):
    """The rows of a canned answer whose ``confidence`` is at least ``min_confidence`` (answers
    without a confidence column are returned whole). Applied by every runner, after the query,
    so both languages leave out the same rows."""
    if not min_confidence or "confidence" not in df.columns or df.empty:
        return df
    values = df["confidence"].astype(float)
    # ranks are numbered again: what is left is ranked 1, 2, … without gaps
    return number_ranks(df[values.isna() | (values >= float(min_confidence))].reset_index(drop=True))
