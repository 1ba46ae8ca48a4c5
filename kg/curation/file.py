"""The curation file (docs/curation.md): reading it with every mistake reported as ``file:line``,
and adding an entry to it atomically.

The file is YAML (read with PyYAML's safe loader only), format version 1::

    version: 1
    corrections:
    - merge: {kind: Method, into: ResNet-50, from: ResNet50-D}
    - split: {kind: Dataset, entity: COCO, alias: COCO-Stuff}
    - rename: {kind: Method, entity: GPR, name: Gaussian Process Regression}
    - reject: {claim: {paper: kgs-006, winner: SpectraDrop, loser: TideMix, dataset: CIFAR-100}}
    - add: {claim: {paper: kgs-005, winner: TideMix, loser: Mixup, dataset: CIFAR-100},
            evidence: "TideMix improves on Mixup by 1.2 points on CIFAR-100."}

An entity is named by a string (resolved as a paper's name is: the vocabulary's entry for any of
its spellings, else the name as written) or by ``{key: KEY, name: NAME}`` (``kg find`` shows
keys). :func:`read_entries` returns the entries checked and normalised; :class:`kg.curation.
apply.Curation` applies them.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import UsageError
from kg.graph import ENTITY_LABELS

FORMAT_VERSION = 1
SOTA_NAMES = {"sota", "state of the art", "state-of-the-art"}
HEADER = ("# kg curation file: corrections applied on every build (docs/curation.md).\n"
          "# Edit by hand or with `kg curate merge|split|rename|reject|add`; `kg curate list` shows it.\n")

# what each operation takes: required and optional fields of its mapping
_FIELDS = {
    "merge": ({"kind", "into", "from"}, {"reason"}),
    "split": ({"kind", "entity", "alias"}, {"reason"}),
    "rename": ({"kind", "entity", "name"}, {"reason"}),
    "reject": (set(), {"claim", "result", "reason"}),
    "add": ({"evidence"}, {"claim", "result", "reason"}),
}
_FACT_FIELDS = {
    ("reject", "claim"): ({"paper", "winner", "loser"}, {"dataset", "metric"}),
    ("reject", "result"): ({"paper", "method"}, {"dataset", "metric", "value"}),
    ("add", "claim"): ({"paper", "winner", "loser"}, {"dataset", "metric", "delta"}),
    ("add", "result"): ({"paper", "method", "value"}, {"dataset", "metric", "unit"}),
}
# which entity kind each field of a fact names
FACT_KINDS = {"winner": "Method", "loser": "Method", "method": "Method", "dataset": "Dataset",
              "metric": "Metric"}


class CurationError(UsageError):
    """A curation file or entry that cannot be used: the message names the file and line."""


@dataclass(frozen=True)
class Ref:
    """An entity as an entry names it: its key and its display name."""

    key: str
    name: str
    explicit: bool = False  # written as {key: …}: the key is the store's, not derived from the name


@dataclass
class Entry:
    """One correction. ``op``: merge, split, rename, reject or add; ``fact``: claim or result for
    reject/add; ``fields``: the checked values (entity fields as :class:`Ref`, a SOTA loser as
    None with ``vs_sota``); ``line``: where it starts in the file; ``raw``: the mapping as read."""

    op: str
    line: int
    raw: dict
    kind: str | None = None
    fact: str | None = None
    fields: dict = field(default_factory=dict)
    reason: str | None = None

    def describe(self) -> str:
        """One line for ``kg curate list`` and messages."""
        f = self.fields
        if self.op == "merge":
            return f"{self.kind} {f['from'].name} is the same as {f['into'].name} (kept)"
        if self.op == "split":
            return f"{self.kind} {f['alias']!r} is not a name of {f['entity'].name}"
        if self.op == "rename":
            return f"{self.kind} {f['entity'].name} is called {f['name']!r}"
        what = _describe_fact(self.fact, f)
        return f"{'wrong' if self.op == 'reject' else 'missing'} {self.fact}: {what}"


def _describe_fact(fact: str | None, f: dict) -> str:
    def name(key: str) -> str:
        ref = f.get(key)
        return ref.name if isinstance(ref, Ref) else "any"

    if fact == "claim":
        loser = "the state of the art" if f.get("vs_sota") else name("loser")
        where = f" on {name('dataset')}" if f.get("dataset") is not None else ""
        return f"{name('winner')} beats {loser}{where} (paper {f['paper']})"
    value = f" = {f['value']:g}{f.get('unit') or ''}" if f.get("value") is not None else ""
    return f"{name('method')} {name('metric')} on {name('dataset')}{value} (paper {f['paper']})"


def default_path(store_dir: str | os.PathLike) -> Path:
    """``<store>/curation.yaml``: the curation file a directory store uses when none is given."""
    return Path(store_dir) / "curation.yaml"


def read_entries(path: str | os.PathLike) -> list[Entry]:
    """The entries of the curation file ``path`` (none when it does not exist), checked."""
    p = Path(path)
    if not p.exists():
        return []
    if p.is_dir():
        raise CurationError(f"{p}: the curation file is a directory; give a YAML file")
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CurationError(f"{p}: cannot read the curation file: {exc}") from None
    return parse(text, str(p))


def parse(text: str, source: str = "<curation>") -> list[Entry]:
    """Entries from the text of a curation file; a mistake raises :class:`CurationError` with
    ``source:line``."""
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)  # nodes carry line numbers; no objects built
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context, opened = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and opened is not None and opened is not mark:  # where the unclosed thing began
            problem += f" ({context} that starts at line {opened.line + 1})"
        raise CurationError(f"{where}: not valid YAML: {problem}") from None
    if data is None:
        return []
    if not isinstance(data, dict):
        raise CurationError(f"{source}:1: a curation file is a mapping with 'version' and 'corrections'")
    unknown = set(data) - {"version", "corrections"}
    if unknown:
        raise CurationError(f"{source}:{_key_line(node, sorted(unknown, key=str)[0])}: unknown top-level "
                            f"field {sorted(unknown, key=str)[0]!r} (expected 'version' and 'corrections')")
    if data.get("version") != FORMAT_VERSION:
        raise CurationError(f"{source}:{_key_line(node, 'version')}: 'version: {FORMAT_VERSION}' is required "
                            f"(found {data.get('version')!r}); this kg reads format {FORMAT_VERSION}")
    items = data.get("corrections") or []
    if not isinstance(items, list):
        raise CurationError(f"{source}:{_key_line(node, 'corrections')}: 'corrections' must be a list of entries")
    lines = _item_lines(node)
    return [check_entry(item, f"{source}:{lines[i] if i < len(lines) else 1}", lines[i] if i < len(lines) else 1)
            for i, item in enumerate(items)]


def _key_line(node, key: str) -> int:
    for k, _ in getattr(node, "value", []) or []:
        if getattr(k, "value", None) == key:
            return k.start_mark.line + 1
    return 1


def _item_lines(node) -> list[int]:
    for k, v in getattr(node, "value", []) or []:
        if getattr(k, "value", None) == "corrections" and isinstance(v.value, list):
            return [item.start_mark.line + 1 for item in v.value]
    return []


def check_entry(item: object, where: str, line: int = 0) -> Entry:
    """One entry checked and normalised (``where`` prefixes messages: ``file:line``)."""
    ops = sorted(_FIELDS)
    if not isinstance(item, dict) or len(item) != 1 or next(iter(item)) not in _FIELDS:
        raise CurationError(f"{where}: an entry is one of {', '.join(o + ': {…}' for o in ops)}; found {item!r}")
    op, body = next(iter(item.items()))
    if not isinstance(body, dict):
        raise CurationError(f"{where}: '{op}' takes a mapping of fields, not {body!r}")
    required, optional = _FIELDS[op]
    _check_fields(body, required, optional, f"{where}: {op}")
    entry = Entry(op=op, line=line, raw=item, reason=_text(body, "reason", where, optional=True))
    if op in ("merge", "split", "rename"):
        entry.kind = _kind(body.get("kind"), where)
        if op == "merge":
            entry.fields = {"into": _ref(body["into"], entry.kind, where, "into"),
                            "from": _ref(body["from"], entry.kind, where, "from")}
            if entry.fields["into"].key == entry.fields["from"].key:
                raise CurationError(f"{where}: merge names the same entity twice ({entry.fields['into'].name})")
        elif op == "split":
            entry.fields = {"entity": _ref(body["entity"], entry.kind, where, "entity"),
                            "alias": _text(body, "alias", where)}
        else:
            entry.fields = {"entity": _ref(body["entity"], entry.kind, where, "entity"),
                            "name": _text(body, "name", where)}
        return entry
    facts = [k for k in ("claim", "result") if k in body]
    if len(facts) != 1:
        raise CurationError(f"{where}: '{op}' takes either 'claim: {{…}}' or 'result: {{…}}'")
    entry.fact = facts[0]
    entry.fields = _fact(op, entry.fact, body[entry.fact], f"{where}: {op} {entry.fact}")
    if op == "add":
        entry.fields["evidence"] = _text(body, "evidence", where)
    return entry


def _check_fields(body: dict, required: set, optional: set, where: str) -> None:
    missing = sorted(required - set(body))
    if missing:
        raise CurationError(f"{where}: missing field {missing[0]!r} (fields: {', '.join(sorted(required | optional))})")
    unknown = sorted(set(map(str, body)) - required - optional)
    if unknown:
        raise CurationError(f"{where}: unknown field {unknown[0]!r} (fields: {', '.join(sorted(required | optional))})")


def _kind(value: object, where: str) -> str:
    for label in ENTITY_LABELS:
        if isinstance(value, str) and value.strip().lower() == label.lower():
            return label
    raise CurationError(f"{where}: kind must be one of {', '.join(ENTITY_LABELS)}, not {value!r}")


def _text(body: dict, name: str, where: str, optional: bool = False) -> str | None:
    value = body.get(name)
    if value is None and optional:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise CurationError(f"{where}: '{name}' must be a non-empty string, not {value!r}")
    return value.strip()


def _ref(value: object, kind: str, where: str, name: str) -> Ref:
    """An entity reference: a name (the vocabulary resolves it as it resolves a paper's names) or
    ``{key: KEY, name: NAME}`` (the key as the store has it)."""
    from kg.vocab import load_vocabulary

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and value.strip():
        key, display, _ = load_vocabulary().canonical(value.strip(), kind.upper())
        if not key:
            raise CurationError(f"{where}: '{name}' {value!r} has no letters or digits")
        return Ref(key, display)
    if isinstance(value, dict) and set(value) <= {"key", "name"} and isinstance(value.get("key"), str) \
            and value["key"].strip():
        key = value["key"].strip()
        display = value.get("name")
        return Ref(key, display.strip() if isinstance(display, str) and display.strip() else key, explicit=True)
    if isinstance(value, dict) and value.get("key") is None and isinstance(value.get("name"), str):
        return _ref(value["name"], kind, where, name)
    raise CurationError(f"{where}: '{name}' must be a name or {{key: KEY, name: NAME}}, not {value!r}")


def _fact(op: str, fact: str, body: object, where: str) -> dict:
    if not isinstance(body, dict):
        raise CurationError(f"{where}: takes a mapping of fields, not {body!r}")
    required, optional = _FACT_FIELDS[(op, fact)]
    _check_fields(body, required, optional, where)
    out: dict = {"paper": _text(body, "paper", where)}
    for name, kind in FACT_KINDS.items():
        if name not in body:
            continue
        value = body[name]
        if name == "loser" and isinstance(value, str) and value.strip().lower() in SOTA_NAMES:
            out["vs_sota"] = True
            out[name] = None
        elif value is None and name in ("dataset", "metric"):
            out[name] = None  # explicitly none: matches facts without one
        else:
            out[name] = _ref(value, kind, where, name)
    if fact == "claim":
        out.setdefault("vs_sota", False)
    if "value" in body:
        value = body["value"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise CurationError(f"{where}: 'value' must be a finite number, not {value!r}")
        out["value"] = float(value)
    for name in ("delta", "unit"):
        if body.get(name) is not None:
            out[name] = _text(body, name, where)
    return out


# -- writing -------------------------------------------------------------------------------------

def entry_yaml(entry: dict) -> str:
    """One entry as it is appended to the ``corrections`` list (a block item, flow-style body)."""
    import yaml

    text = yaml.safe_dump([entry], default_flow_style=None, sort_keys=False, allow_unicode=True, width=100)
    return text


def append_entry(path: str | os.PathLike, entry: dict) -> Entry:
    """Add ``entry`` (a mapping ``{op: {…}}``) to the curation file ``path`` atomically: the file
    is written whole to a temporary file beside it and renamed over it, and only when it reads
    back with the new entry checked. Comments and layout of what is there are kept (the entry
    is appended as text); a file whose ``corrections`` list is not the last block is rewritten."""
    import yaml

    p = Path(path)
    old = p.read_text(encoding="utf-8") if p.exists() else ""
    before = parse(old, str(p)) if old.strip() else []
    checked = check_entry(entry, f"{p} (new entry)")
    data = yaml.safe_load(old) if old.strip() else None  # parse() above has checked it
    if data is None:  # no file, or only comments
        old = (old.rstrip("\n") + "\n" if old.strip() else HEADER) + f"version: {FORMAT_VERSION}\ncorrections:\n"
    elif "corrections" not in data:
        old = old.rstrip("\n") + "\ncorrections:\n"
    text = old if old.endswith("\n") else old + "\n"
    text += entry_yaml(entry)
    try:
        after = parse(text, str(p))
        appended = [e.raw for e in after] == [e.raw for e in before] + [checked.raw]
    except CurationError:
        appended = False
    if not appended:  # e.g. a flow-style list or another key after it: write the file anew
        body = yaml.safe_dump({"version": FORMAT_VERSION, "corrections": [e.raw for e in before] + [entry]},
                              default_flow_style=None, sort_keys=False, allow_unicode=True, width=100)
        text = HEADER + body
        after = parse(text, str(p))
    _atomic_write(p, text)
    return after[-1]


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
