"""Vocabulary matching: spans of the doc that name a known dataset, method, metric or task.

Matching works on keys (lowercase letters and digits only), so every spelling of a name —
``CIFAR10``, ``CIFAR-10``, ``cifar 10`` — is found without listing it. Token n-grams are keyed
by concatenating token keys; a prefix set stops the scan early, which keeps this cheaper than a
token Matcher with thousands of patterns. Ambiguous words ("Places", "DROP") match only in the
exact spelling of the vocabulary.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.candidates import Candidate, add_candidates, mentions, sentence_of, span_text, tokens_of
from kg.normalize import norm_key
from kg.vocab import Entry, Vocabulary, english_singulars, load_vocabulary

SPAN_KEY = "kg_terms"
BREAKS = {",", ";", ":", "(", ")", "[", "]", "{", "}", ".", "!", "?", '"'}
AMBIGUOUS_BEFORE = {"on", "of", "and", "or", "with", "from", "using", "via", ",", "like", "as", "than",
                    "over", "to", "by", "vs", "vs.", "versus"}
AMBIGUOUS_AFTER = {"dataset", "datasets", "benchmark", "benchmarks", "corpus", "model", "models",
                   "optimizer", "split", "test", "val", "validation", "challenge"}
# the particles of English phrasal verbs: a metric word and one of these is a verb ("speed up")
PARTICLES = frozenset({"up", "down", "out", "off"})
# number words: a lowercase name that starts with one is a quantity ("one billion words")
NUMBER_WORDS = frozenset("""one two three four five six seven eight nine ten hundred hundreds thousand
    thousands million millions billion billions""".split())
MEASURED = re.compile(
    r"\d|\b(?:fewer|less|more|higher|lower|faster|slower|better|worse|improv\w*|reduc\w*|"
    r"increas\w*|decreas\w*|outperform\w*|surpass\w*|state[- ]?of[- ]?the[- ]?art|superior\w*|advantages?|"
    r"competitive|comparable|boost\w*|gains?|half|compared (?:to|with)|"
    # how well something does: "achieves highest accuracy", "in terms of accuracy"
    r"highest|lowest|in terms of)\b",
    re.IGNORECASE,
)
MAX_TOKENS = 10



class TermMatcher:
    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        self.prefixes: set[str] = set()
        for key in vocab.by_key:
            for i in range(1, len(key) + 1):
                self.prefixes.add(key[:i])
        self.exact_first = {s.split()[0] for s in vocab.exact}
        # Keys that some entry spells in lowercase ("semantic segmentation", "accuracy"): only
        # those match lowercase text. "of a" must not become OFA, nor "multiple" MultiPL-E.
        self.lower_ok: set[str] = set()
        self.exact_surfaces: set[str] = set()
        for entry in vocab.entries:
            for surface in entry.surfaces:
                self.exact_surfaces.add(surface)
                if _case_free(surface):
                    self.lower_ok.add(norm_key(surface))

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        found: list[Candidate] = []
        # plain lists: indexing a Doc builds a Token object each time
        table = tokens_of(doc)
        tokens, spaces = table.text, table.space
        keys = list(map(_token_key, tokens))
        n = len(tokens)
        prefixes, exact_first, plural_metric = self.prefixes, self.exact_first, self._plural_metric
        # where a name may start (most words start none: one quick pass over them all)
        starts = [i for i, k in enumerate(keys) if k in prefixes or tokens[i] in exact_first
                  or (k.endswith("s") and plural_metric("", k))]
        free = 0  # the first token no accepted name covers
        for i in starts:
            if i < free:
                continue
            best: tuple[int, Entry] | None = None
            if keys[i] and tokens[i][0].isalnum() and keys[i][:1] in prefixes and not _glued_before(tokens, spaces, i):
                key = ""
                for j in range(i, min(n, i + MAX_TOKENS)):
                    if tokens[j].isspace() or (j > i and tokens[j] in BREAKS):
                        break
                    plural = plural_metric(key, keys[j]) if keys[j].endswith("s") else None
                    if plural is not None and not _glued(tokens, spaces, j) and self._shape_ok(doc, i, j + 1, plural[0]):
                        best = (j + 1, plural[1])  # "the lowest perplexities", "word error rates"
                    key += keys[j]
                    if key not in prefixes:
                        break
                    if (tokens[j][-1].isalnum() or tokens[j][-1] == "+") and key in self.vocab.by_key:
                        if not _glued(tokens, spaces, j) and self._shape_ok(doc, i, j + 1, key):
                            best = (j + 1, self.vocab.by_key[key][0])
            if best is None and tokens[i] in exact_first:
                best = self._exact(doc, tokens, spaces, i)
            if best is None:
                continue
            end, entry = best
            if not self._context_ok(doc, i, end, entry):
                continue
            span = Span(doc, i, end, label=entry.label, kb_id=entry.key)
            spans.append(span)
            found.append(Candidate(span, entry.label, "vocabulary", 0.7 if entry.ambiguous else 0.9,
                                   entry=entry))
            free = end
        found = self._shared_heads(doc, keys, found)
        doc.spans[SPAN_KEY] = spans
        add_candidates(doc, found)
        return doc

    def _shared_heads(self, doc: Doc, keys: list[str], found: list[Candidate]) -> list[Candidate]:
        """Metrics that share their head words across a coordination: in "top-1 and top-5 error
        rates" the first is the top-1 error rate, not the top-1 accuracy "top-1" alone names."""
        lower = tokens_of(doc).lower
        for c in [c for c in found if c.label == "METRIC"]:
            j, end = c.span.start, c.span.end
            if j < 2 or lower[j - 1] not in ("and", "or") or end - j < 2:
                continue
            # the head: the words after the second conjunct's first; the first conjunct: up to three tokens
            hit = next(((x, k, entry) for k in range(j + 1, end) for x in range(j - 2, max(-1, j - 5), -1)
                        if (entry := self._metric_named(keys, x, j - 1, keys[k:end])) is not None), None)
            if hit is None:
                continue
            x, k, entry = hit
            span = doc[x:j - 1]
            found = [f for f in found if f.span.end <= x or f.span.start >= j - 1]
            found.append(Candidate(span, "METRIC", "vocabulary", 0.9, entry=entry,
                                   written=f"{span_text(span)} {span_text(doc[k:end])}"))
        return sorted(found, key=lambda f: f.span.start)

    def _metric_named(self, keys: list[str], start: int, end: int, head: list[str]) -> Entry | None:
        """The metric the words ``start:end`` name with the head words (keys) after them."""
        words = "".join(keys[start:end])
        if not words or not all(head):
            return None
        for entry in self.vocab.by_key.get(words + "".join(head), ()):
            if entry.label == "METRIC":
                return entry
        plural = self._plural_metric(words + "".join(head[:-1]), head[-1]) if head[-1].endswith("s") else None
        return plural[1] if plural is not None else None

    def _plural_metric(self, before: str, word: str) -> tuple[str, Entry] | None:
        """The key and entry of the metric a phrase ending in a plural names ("perplexities",
        "word error rates")."""
        for singular in _singulars(word):
            for entry in self.vocab.by_key.get(before + singular, ()):
                if entry.label == "METRIC":
                    return before + singular, entry
        return None

    def _shape_ok(self, doc: Doc, start: int, end: int, key: str) -> bool:
        """Lowercase text matches only names that are spelled in lowercase somewhere."""
        text = span_text(doc[start:end])
        if text in self.exact_surfaces:
            return True
        # Capitalising the first letter (sentence start, titles) says nothing about the name:
        # "Multiple" is not "MultiPLE", "in-shop" not "In-Shop".
        if any(c.isupper() or c.isdigit() for c in text[1:]):
            return True
        if (len(text) >= 4 and text.isalpha() and text[0].isupper() and text.upper() in self.exact_surfaces
                and start > 0 and not doc[start].is_sent_start):
            return True  # "Pascal", "Kitti" mid-sentence: an acronym-named dataset written as a proper noun
        return key in self.lower_ok

    def _context_ok(self, doc: Doc, start: int, end: int, entry: Entry) -> bool:
        span = doc[start:end]
        surface = span_text(span)
        if entry.ambiguous and surface in self.vocab.exact and entry.label != "METRIC":
            # (a metric word is kept only where the paper reports it: pipeline.reported_metrics)
            # an ordinary word ("Places", "Synapse", "Adam") needs a cue that it is a name here
            prev = doc[start - 1].lower_ if start > 0 else ""
            nxt = doc[end].lower_ if end < len(doc) else ""
            mid_sentence = (entry.label == "METHOD" and start > 0 and not doc[start].is_sent_start
                            and surface[:1].isupper())
            if not mid_sentence and prev not in AMBIGUOUS_BEFORE and nxt not in AMBIGUOUS_AFTER:
                return False
        if surface.islower() and surface.split()[0] in NUMBER_WORDS and entry.label in ("DATASET", "METHOD"):
            return False  # "trained on more than one billion words": a quantity, not the benchmark
        if entry.label == "METRIC" and surface.islower() and surface.split()[-1] in PARTICLES:
            return False  # "speed up learning", "we speed up decoding": a verb; the metric is "speedup"
        if entry.label == "METRIC" and surface.islower() and " " not in surface.strip():
            # "accuracy", "parameters": a metric only where something is measured or compared
            return mentions(MEASURED, span_text(sentence_of(doc, start)))
        return True

    def _exact(self, doc: Doc, tokens: list[str], spaces: list[bool], i: int) -> tuple[int, Entry] | None:
        for end in range(min(len(tokens), i + 4), i, -1):
            text = span_text(doc[i:end])
            entries = self.vocab.exact.get(text)
            if entries and not _glued(tokens, spaces, end - 1):
                return end, entries[0]
        return None


@lru_cache(maxsize=1 << 14)
def _singulars(word: str) -> tuple[str, ...]:
    """``english_singulars`` of a word key, cached: "models", "results" recur in every abstract."""
    return tuple(english_singulars(word))


@lru_cache(maxsize=1 << 16)
def _token_key(token: str) -> str:
    """A token's matching key, "" for punctuation (cached: the same words recur in every abstract)."""
    return norm_key(token) if any(c.isalnum() for c in token) else ""


def _case_free(surface: str) -> bool:
    """Spelled with ordinary words, so lowercase text may name it: "Self-Consistency",
    "Progressive Distillation" (but not "ImageNet", "MultiPLE", "OFA", "IN-A")."""
    if not any(c.isupper() for c in surface):
        return True
    for part in re.split(r"[\s\-/]+", surface):
        if any(c.isupper() for c in part[1:]) or (part[:1].isupper() and len(part) < 3):
            return False
    return True


def _glued(tokens: list[str], spaces: list[bool], j: int) -> bool:
    """Token j continues into the next one without a space (``ImageNet`` in ``ImageNet-R``)."""
    if j + 1 >= len(tokens) or spaces[j]:
        return False
    nxt = tokens[j + 1]
    if nxt[0].isalnum():
        return True
    if nxt in ("-", "/", "_", "+") and not spaces[j + 1] and j + 2 < len(tokens):
        # "ImageNet-R", "COCO-Stuff", "CIFAR-10/100" name variants; "ImageNet-pretrained" does not.
        after = tokens[j + 2]
        return after[0].isupper() or after[0].isdigit()
    return False


def _glued_before(tokens: list[str], spaces: list[bool], i: int) -> bool:
    """Token i ends a compound begun by a capitalised word: ``ImageNet`` in ``Tiny-ImageNet-R``
    is not a mention of ImageNet."""
    return (i >= 2 and tokens[i - 1] in ("-", "/") and not spaces[i - 1] and not spaces[i - 2]
            and tokens[i - 2][:1].isupper())


@Language.factory("kg_terms")
def make_terms(nlp: Language, name: str):
    return TermMatcher(load_vocabulary())
