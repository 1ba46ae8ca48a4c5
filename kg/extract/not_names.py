"""Candidates that are never a method or a dataset, whatever finder proposed them.

Five kinds, each decided by form or by the vocabularies rather than by listing examples:
numbers with units ("51.2mAP", "83.4%"), metric names with a qualifier glued on ("bbAP",
"mAP/", "APbox"), citation keys (authors' initials and a two-digit year: "HZRS16"; BibTeX keys
and arXiv ids: "wang2017sample", "abs-1711-03953"), words of page text glued together
("TheUniversityofEdinburgh") and one-word descriptions ("ResNet-like", "EM-based").
Named things of other kinds — venues, organisations, software, imaging modalities — are in
``kg/vocab/not_methods.txt`` and apply to datasets too; the spelled-out form of such a name
("Magnetic Resonance Imaging (MRI)") goes with it (see :mod:`kg.extract.resolve`).
"""

from __future__ import annotations

import re

from kg.normalize import norm_key
from kg.vocab import Vocabulary

_DECIMAL_OR_PERCENT = re.compile(r"\d\.\d|\d\s?%|^[+-]\d")
_GLUED_METRIC = re.compile(r"^(?:[a-z]{1,4}(?P<a>[A-Z][A-Za-z0-9@]*)|(?P<b>[A-Z][A-Za-z0-9@]*?)[a-z]{1,4})\W*$")
_CITATION_KEY = re.compile(r"^(?P<letters>[A-Z]{3,6})\+?(?P<year>\d{2})[a-z]?$")
# BibTeX keys and arXiv ids left in page text: "wang2017sample", "Mikolajczyk2005", "abs-1711-03953"
_BIBTEX_KEY = re.compile(r"^(?:[A-Za-z][a-z]+(?:19|20)\d{2}[a-z]*|abs-\d{4}-\d{4,5})$")
# one word that describes rather than names: a name made into an adjective by a derivational
# suffix ("ResNet-like", "EM-based", "Transformer-style", "subject-specific", "pixel-level")
DESCRIBING = re.compile(r"^\S+-(?:based|like|style|free|aware|driven|guided|inspired|specific|agnostic|oriented|level|wise)$",
                         re.IGNORECASE)
# words of an affiliation glued together: "TheUniversityofEdinburgh", "CarnegieMellonUniversity"
_GLUED_WORDS = re.compile(r"^(?:[A-Z][a-z]{2,}(?:of|and|for|the)?){3,}$")


def why_not_a_name(text: str, vocab: Vocabulary) -> str | None:
    """The reason ``text`` cannot name a method or dataset, or None when it can."""
    core = text.strip(" .,;:()[]{}'\"")
    if not core:
        return "empty"
    if _DECIMAL_OR_PERCENT.search(core) and not vocab.lookup(core):
        return "a number"
    if vocab.lookup(core, "METRIC") is not None and vocab.lookup(core, "METHOD") is None \
            and vocab.lookup(core, "DATASET") is None:
        return "a metric"
    glued = _GLUED_METRIC.match(core)
    if glued:
        part = glued.group("a") or glued.group("b")
        if len(norm_key(part)) >= 2 and vocab.lookup(part, "METRIC") is not None and vocab.lookup(core) is None:
            return "a metric with a qualifier"
    if _BIBTEX_KEY.match(core) and vocab.lookup(core) is None:
        return "a citation key"
    if _GLUED_WORDS.match(core) and len(core) >= 18 and vocab.lookup(core) is None:
        return "words glued together"
    if DESCRIBING.match(core) and vocab.lookup(core) is None:
        return "a description"
    cited = _CITATION_KEY.match(core)
    if cited and vocab.lookup(cited.group("letters")) is None and vocab.lookup(core) is None:
        return "a citation key"
    return None
