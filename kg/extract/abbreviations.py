"""Pair long forms with their short forms in the same abstract: "Gated Class-Attention (GCA)".

The Schwartz & Hearst (2003) algorithm: a short form in parentheses is matched right to left,
character by character, against the words before it; each of its characters must appear in the
long form in order, and its first character must start a word of the long form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.candidates import sentence_of, text_of, tokens_of

if not Doc.has_extension("abbreviations"):
    Doc.set_extension("abbreviations", default=[])


@dataclass(frozen=True)
class Abbreviation:
    long: Span
    short: Span

    @property
    def long_text(self) -> str:
        return self.long.text

    @property
    def short_text(self) -> str:
        return self.short.text


def is_short_form(text: str) -> bool:
    """A plausible abbreviation: 2–12 chars, starts with a letter or digit, has a capital."""
    if not 2 <= len(text) <= 12 or not text[0].isalnum():
        return False
    if len(text.split()) > 2 or not any(c.isalpha() for c in text):
        return False
    return any(c.isupper() for c in text)


def match_long_form(short: str, words: str) -> int | None:
    """Index in ``words`` where the long form for ``short`` starts, or None (Schwartz–Hearst)."""
    s_index, l_index = len(short) - 1, len(words) - 1
    while s_index >= 0:
        c = short[s_index].lower()
        if not c.isalnum():
            s_index -= 1
            continue
        while l_index >= 0 and (
            words[l_index].lower() != c
            or (s_index == 0 and l_index > 0 and words[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    start = words.rfind(" ", 0, l_index + 1) + 1
    return start


def _initials_offset(short: str, words: str) -> int | None:
    """Where the long form starts when the words right before an all-capitals short form begin
    with its letters, one word (or hyphen part) each: "the substochastic successor representation
    (SSR)" is three words, where letter-by-letter matching stops at "successor representation"
    (its second S found inside "successor")."""
    letters = short[:-1] if short.endswith("s") else short
    if not re.fullmatch(r"[A-Z]{2,8}", letters):
        return None
    parts = list(re.finditer(r"[^\s-]+", words))
    if len(parts) < len(letters):
        return None
    tail = parts[len(parts) - len(letters):]
    if "".join(p.group(0)[0] for p in tail).upper() != letters:
        return None
    return words.rfind(" ", 0, tail[0].start() + 1) + 1


def find_abbreviations(doc: Doc) -> list[Abbreviation]:
    found: list[Abbreviation] = []
    texts = tokens_of(doc).text
    for i in [i for i, t in enumerate(texts) if t == "(" and i > 0]:
        tok = doc[i]
        close = next((j for j in range(i + 1, min(len(texts), i + 5)) if texts[j] == ")"), None)
        if close is None or not is_short_form(doc[tok.i + 1 : close].text):
            reverse = _short_before(doc, i)
            if reverse is not None:
                found.append(reverse)
            continue
        short = doc[tok.i + 1 : close]
        n_short = len([c for c in short.text if c.isalnum()])
        max_words = min(n_short + 5, n_short * 2)
        sent = sentence_of(doc, tok.i)
        window_start = sent.start_char
        for t in reversed(doc[sent.start : tok.i]):
            if t.text in ("(", ")", ";", ":", "[", "]"):
                window_start = t.idx + len(t.text)
                break
        before = text_of(doc)[window_start : tok.idx].rstrip()
        spaced = list(re.finditer(r"\S+", before))
        if not spaced:
            continue
        first = spaced[max(0, len(spaced) - max_words)].start()
        window_text = before[first:]
        window_char = window_start + first
        offset = _initials_offset(short.text, window_text)
        if offset is None:
            offset = match_long_form(short.text, window_text)
        if offset is None:
            continue
        long = doc.char_span(window_char + offset, window_char + len(window_text), alignment_mode="expand")
        if long is None or len(long) == 0 or long.text.lower() == short.text.lower():
            continue
        # The long form must be longer than the short form in words and not just the acronym.
        if len(long.text) <= len(short.text):
            continue
        found.append(Abbreviation(long=long, short=short))
    return found


def _short_before(doc: Doc, open_i: int) -> Abbreviation | None:
    """The reverse order, "ExSSNeT (Exclusive Supermask SubNEtwork Training)": a short form
    right before the parentheses, its long form inside them."""
    close_i = next((j for j in range(open_i + 1, min(len(doc), open_i + 12)) if doc[j].text == ")"), None)
    if close_i is None:
        return None
    short = doc[open_i - 1 : open_i]
    inside = doc[open_i + 1 : close_i]
    if not is_short_form(short.text) or not any(c.isupper() for c in short.text[1:]):
        return None  # "Transformer (a model …)": an ordinary capitalised word
    words = inside.text.split()
    if not 2 <= len(words) <= len(short.text) + 2 or not words[0][:1].isalpha():
        return None
    if match_long_form(short.text, inside.text) != 0:
        return None  # the long form must start at the parenthesis
    return Abbreviation(long=inside, short=short)


@Language.factory("kg_abbreviations")
def make_abbreviations(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        doc._.abbreviations = find_abbreviations(doc)
        return doc

    return component
