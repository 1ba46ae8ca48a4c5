"""Canned queries: files under ``queries/<lang>/<name>.<ext>``, loaded by name.

Each file begins with a comment header that documents it::

    // param baseline (name): the beaten method …
    // param dataset (name, optional): …
    // columns: winner, loser, …

``(name)`` parameters are names a user types; they are normalised to the keys the graph stores
(:func:`kg.normalize.norm_key`) before binding, so every alias and spelling matches. Values are
always bound as parameters, never spliced into query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

from kg.errors import UsageError
from kg.normalize import norm_key

LANGS = {"cypher": ("cypher", "//"), "sparql": ("rq", "#")}


@dataclass
class Param:
    name: str
    kind: str  # name, int, str
    optional: bool
    default: object
    doc: str


@dataclass
class CannedQuery:
    name: str
    lang: str
    text: str
    description: str
    params: list[Param] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)

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
                try:
                    bound[p.name] = int(value)  # type: ignore[arg-type]
                except (TypeError, ValueError):
                    raise UsageError(f"parameter {p.name} of {self.name!r} must be a whole number, got {value!r}") from None
            else:
                bound[p.name] = str(value)
        return bound


_PARAM = re.compile(r"^param\s+(\w+)\s*\(([^)]*)\)\s*:\s*(.*)$")


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


def shape_rows(df, columns: list[str], order: list[str]):
    """The rows a canned query returns, the same on every engine: sorted by the header's
    ``order:`` (a leading ``-`` means descending; it may name a helper column such as
    ``sort_key``), ties broken by the other columns, then only the header's ``columns``; a
    ``rank`` column is numbered 1, 2, … in that order."""
    order = order or [c for c in columns if c in df.columns]
    if order and not df.empty:
        keys = [c.lstrip("-") for c in order if c.lstrip("-") in df.columns]
        ascending = [not c.startswith("-") for c in order if c.lstrip("-") in df.columns]
        rest = [c for c in columns if c in df.columns and c not in keys and c != "rank"]
        try:
            df = df.sort_values(keys + rest, ascending=ascending + [True] * len(rest), kind="stable")
        except TypeError:  # unorderable values in a tie-break column: the header's order only
            df = df.sort_values(keys, ascending=ascending, kind="stable")
    if columns:
        df = df[[c for c in columns if c in df.columns]]
    df = df.reset_index(drop=True)
    if "rank" in df.columns:
        df["rank"] = range(1, len(df) + 1)
    return df
