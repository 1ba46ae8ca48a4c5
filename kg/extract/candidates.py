"""A candidate mention: a span with the evidence for it, before resolution.

Kept outside spaCy's ``Span._`` extensions on purpose: span extensions are stored per character
range, so two candidates over the same words (a vocabulary hit and a proposal cue) would
overwrite each other's component and confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from kg.vocab import Entry

if not Doc.has_extension("candidates"):
    Doc.set_extension("candidates", default=None)


@dataclass
class Candidate:
    span: Span
    label: str  # METHOD, DATASET, METRIC, TASK
    component: str  # which rule found it: vocabulary, title_prefix, proposal, …
    confidence: float
    proposed: bool = False
    entry: Entry | None = None  # the vocabulary entry, when there is one
    # the name when its words are not all in the span: "top-1 error rates" for the "top-1" of
    # "top-1 and top-5 error rates"
    written: str | None = None

    @property
    def text(self) -> str:
        return self.written if self.written is not None else span_text(self.span)


def add_candidates(doc: Doc, found: list[Candidate]) -> None:
    if doc._.candidates is None:
        doc._.candidates = []
    doc._.candidates.extend(found)


def sentences(doc: Doc) -> list[Span]:
    """The doc's sentences, computed once (``doc.sents`` walks every token on each access)."""
    cached = doc.user_data.get("kg_sentences")
    if cached is None:
        cached = doc.user_data["kg_sentences"] = list(doc.sents)
    return cached


def sentence_of(doc: Doc, token_index: int) -> Span:
    for sent in sentences(doc):
        if sent.start <= token_index < sent.end:
            return sent
    return doc[:]


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once: spaCy joins every token on each access."""
    cached = doc.user_data.get("kg_text")
    if cached is None:
        cached = doc.user_data["kg_text"] = doc.text
    return cached


def span_text(span: Span) -> str:
    """``span.text`` from the cached doc text (spaCy rebuilds it from tokens on each access)."""
    return text_of(span.doc)[span.start_char:span.end_char]


@dataclass
class TokenTable:
    """Per-token attributes as plain lists (indexing a Doc creates a Token object each time)."""

    text: list[str]
    lower: list[str]
    space: list[bool]  # followed by whitespace
    idx: list[int]  # character offset


def tokens_of(doc: Doc) -> TokenTable:
    cached = doc.user_data.get("kg_tokens")
    if cached is None:
        # one pass over arrays: building a Token object per token per attribute costs more than
        # the rest of the table
        # (map over builtins: a C loop, where a list comprehension runs Python per token)
        text = list(map(doc.vocab.strings.__getitem__, doc.to_array("ORTH").tolist()))
        cached = doc.user_data["kg_tokens"] = TokenTable(
            text=text, lower=list(map(str.lower, text)), space=list(map(bool, doc.to_array("SPACY").tolist())),
            idx=doc.to_array("IDX").tolist(),
        )
    return cached


_CASELESS: dict[int, tuple[re.Pattern, re.Pattern]] = {}


def mentions(rx: re.Pattern, text: str) -> bool:
    """Whether a case-insensitive pattern occurs in ``text``: the same pattern, compiled without
    IGNORECASE, over the lowercased text — several times faster in Python's ``re`` for the long
    word alternations our cue patterns are (a yes/no test only: offsets may differ)."""
    _caseless(rx)
    return _mentions(id(rx), text)


@lru_cache(maxsize=256)
def _mentions(rx_id: int, text: str) -> bool:
    # several finders ask the same cue of the same sentence ("we/our/this paper" five times)
    return _CASELESS[rx_id][1].search(text.lower()) is not None


def finditer_caseless(rx: re.Pattern, text: str) -> Iterator[re.Match]:
    """``rx.finditer(text)`` for a case-insensitive pattern written in lowercase, the fast way
    :func:`mentions` searches: offsets are the text's, the matched strings its lowercased form
    (read the original text by offset where case matters)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lowercase is longer ("İ"): offsets would shift
        return rx.finditer(text)
    return _caseless(rx).finditer(lowered)


def _caseless(rx: re.Pattern) -> re.Pattern:
    # keyed by identity (hashing a compiled pattern hashes all of its code, on every call); the
    # pattern is kept in the value so that its id stays its own
    found = _CASELESS.get(id(rx))
    if found is None:
        found = _CASELESS[id(rx)] = (rx, re.compile(rx.pattern, rx.flags & ~re.IGNORECASE))
    return found[1]
