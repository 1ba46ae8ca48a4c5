"""Curated vocabularies (data files in this folder) and a small loader over them.

Files: ``datasets.jsonl``, ``methods.jsonl``, ``metrics.jsonl``, ``tasks.jsonl`` — one JSON object
a line with ``name``, ``aliases`` and optionally ``ambiguous`` (also an ordinary word: match only
with the exact case), ``higher_is_better`` (metrics), ``type``/``domain``/``parent``.
``not_methods.txt`` — names that are never reported as methods (CNN, LLM, SOTA, …).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from kg.normalize import norm_key

KINDS = {"DATASET": "datasets", "METHOD": "methods", "METRIC": "metrics", "TASK": "tasks"}


@dataclass(frozen=True)
class Entry:
    label: str  # DATASET, METHOD, METRIC, TASK
    name: str
    aliases: tuple[str, ...] = ()
    ambiguous: bool = False
    higher_is_better: bool | None = None
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def key(self) -> str:
        return norm_key(self.name)

    @property
    def surfaces(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class Vocabulary:
    """All entries, looked up by the key of any of their names."""

    entries: list[Entry]
    stop: frozenset[str]
    by_key: dict[str, list[Entry]] = field(init=False)
    # Metric entries by their canonical key, ambiguous ones included (for their direction).
    metrics: dict[str, Entry] = field(init=False)
    # Exact surface forms of ambiguous entries ("Places", "DROP"): only these spellings match.
    exact: dict[str, list[Entry]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_key, self.exact = {}, {}
        self.metrics = {e.key: e for e in self.entries if e.label == "METRIC"}
        for entry in self.entries:
            for surface in entry.surfaces:
                key = norm_key(surface)
                if entry.ambiguous and _is_plain_word(surface):
                    self.exact.setdefault(surface, []).append(entry)
                elif key not in self.stop or entry.label != "METHOD":
                    bucket = self.by_key.setdefault(key, [])
                    if entry not in bucket:
                        bucket.append(entry)

    def lookup(self, surface: str, label: str | None = None) -> Entry | None:
        """The entry a surface form names (exact spelling for ambiguous words), else None."""
        for entry in (*self.exact.get(surface, ()), *self.by_key.get(norm_key(surface), ())):
            if label is None or entry.label == label:
                return entry
        return None

    def metric_direction(self, key: str) -> bool | None:
        """``higher_is_better`` of the metric whose canonical key is ``key``; None when the
        vocabulary has no such metric (a phrase such as "decoding accuracy"): never guessed."""
        entry = self.metrics.get(key)
        return entry.higher_is_better if entry is not None else None

    def is_stop(self, name: str) -> bool:
        return norm_key(name) in self.stop

    def canonical(self, surface: str, label: str) -> tuple[str, str, Entry | None]:
        """(key, display name, entry) of the one entity a surface form stands for: the
        vocabulary's entry when it knows the name (``ImageNet-1K`` → ``ImageNet``), the singular
        of a plural name (``EfficientNets``, ``ViTs``, ``FRRNs`` → the name itself), else the
        surface as written."""
        entry = self.lookup(surface, label)
        if entry is not None:
            return entry.key, entry.name, entry
        if label == "METRIC":
            for singular in english_singulars(surface):  # "accuracies", "error rates"
                entry = self.lookup(singular, label)
                if entry is not None:
                    return entry.key, entry.name, entry
        if label in ("METHOD", "DATASET") and (stem := plural_stem(surface)):
            entry = self.lookup(stem, label)
            if entry is not None:
                return entry.key, entry.name, entry
            return norm_key(stem), stem, None
        return norm_key(surface), surface, None


def english_singulars(phrase: str) -> list[str]:
    """Singular guesses for a phrase whose last word is an English plural."""
    if not phrase.endswith("s") or phrase.endswith("ss"):
        return []
    out = [phrase[:-3] + "y"] if phrase.endswith("ies") else []
    return out + [phrase[:-1]] + ([phrase[:-2]] if phrase.endswith("es") else [])


def plural_stem(surface: str) -> str | None:
    """The name a one-word plural is the plural of ("EfficientNets" → "EfficientNet", "ViTs" →
    "ViT"), None for anything else ("Gaussians", "NeurIPS", "Barlow Twins" are not plurals of a
    name)."""
    from kg.extract.shapes import has_name_shape

    if " " in surface or len(surface) < 4 or not surface.endswith("s") or surface.endswith("ss"):
        return None
    stem = surface[:-1]
    # the stem must end like a name: capitals ("ViT", "FRRN") or a word after the last capital
    # ("EfficientNet"); "ElasticRes" is not the plural of "ElasticRe"
    last = re.search(r"[A-Z][a-z]*$", stem)
    if last is None or 1 < len(last.group(0)) < 3:
        return None
    return stem if has_name_shape(stem) and not stem.endswith(("'", "’")) else None


def _is_plain_word(surface: str) -> bool:
    """A one-word surface an English sentence could contain by accident: "Places", "DROP", "NAS".

    Multi-word spellings of an ambiguous entry ("Neural Architecture Search") are specific
    enough to match in any case.
    """
    return " " not in surface.strip() and surface.replace("-", "").isalpha()


def _read_jsonl(filename: str, label: str) -> list[Entry]:
    path = resources.files(__package__).joinpath(filename)
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        entries.append(
            Entry(
                label=label,
                name=row["name"],
                aliases=tuple(a for a in row.get("aliases", ()) if a and a != row["name"]),
                ambiguous=bool(row.get("ambiguous", False)),
                higher_is_better=row.get("higher_is_better"),
                extra={k: v for k, v in row.items() if k in ("type", "domain", "parent")},
            )
        )
    return entries


# a language pair as a qualifier: "En-De", "English-German", "English→German"
_PAIR = re.compile(r"^(?P<a>[A-Z][A-Za-z]+)\s*(?:-|–|→|->|/)\s*(?P<b>[A-Z][A-Za-z]+)$")


def with_edition_spellings(entries: list[Entry]) -> list[Entry]:
    """Entries whose name is their parent's name plus a qualifier ("WMT14 En-De" under "WMT14")
    also answer to every spelling of the parent with every spelling of the qualifier: "WMT 2014
    English-German", "WMT'14 En-De" and, for a language pair, "WMT 2014 English-to-German". The
    data file lists each spelling once; the combinations are made here."""
    by_name = {(e.label, e.name): e for e in entries}
    out = []
    for e in entries:
        parent = by_name.get((e.label, e.extra.get("parent")))
        if parent is None or not e.name.startswith(parent.name + " "):
            out.append(e)
            continue
        qualifiers = set()
        for surface in e.surfaces:
            for base in parent.surfaces:
                if surface.startswith(base + " "):
                    qualifiers.add(surface[len(base) + 1:])
        for q in list(qualifiers):
            pair = _PAIR.match(q)
            if pair:
                qualifiers.add(f"{pair['a']}-to-{pair['b']}")
        made = [f"{base} {q}" for base in parent.surfaces for q in sorted(qualifiers)]
        aliases = tuple(dict.fromkeys([*e.aliases, *(a for a in made if a != e.name)]))
        out.append(Entry(e.label, e.name, aliases, e.ambiguous, e.higher_is_better, e.extra))
    return out


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    entries: list[Entry] = []
    for label, stem in KINDS.items():
        entries.extend(_read_jsonl(f"{stem}.jsonl", label))
    entries = with_edition_spellings(entries)
    stop_path = resources.files(__package__).joinpath("not_methods.txt")
    stop = set()
    if stop_path.is_file():
        for line in stop_path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                stop.add(norm_key(line))
    return Vocabulary(entries, frozenset(stop))
