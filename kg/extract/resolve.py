"""Turn overlapping candidate spans into one set of entities per paper.

Candidates come from the vocabulary (``kg_terms``) and the context/shape finder (``kg_names``).
Stronger evidence wins an overlap; mentions of the same thing — spelling variants and
long form ↔ short form pairs — become one entity with one canonical name. The result is on
``doc.ents`` (kb_id = entity key) and ``doc._.entities``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.abbreviations import match_long_form
from kg.extract.candidates import Candidate, text_of
from kg.extract.not_names import why_not_a_name
from kg.extract.shapes import plain_word
from kg.normalize import clean_display, norm_key, singular_key
from kg.vocab import Vocabulary, english_singulars, load_vocabulary, plural_stem

if not Doc.has_extension("entities"):
    Doc.set_extension("entities", default=[])

# Higher wins an overlap; ties go to the longer span.
PRIORITY = {
    "title_prefix": 7, "title_phrase": 6, "known_variant": 5, "title_guess": 4, "naming_cue": 6, "proposal": 6, "dataset_context": 5,
    "vocabulary": 4, "abbreviation": 3, "titlecase": 3, "task_phrase": 2, "metric_phrase": 2.5, "shape": 1,
}


@dataclass
class Entity:
    key: str
    name: str  # canonical display name (the vocabulary's, else the paper's short form)
    label: str
    surface: str = ""  # how this paper writes it (its first mention; the short form of a pair)
    proposed: bool = False
    confidence: float = 0.0
    in_vocabulary: bool = False
    mentions: list[Candidate] = field(default_factory=list)
    proposed_p: float | None = None  # the learned model's probability that the paper proposes it


# "FID score", "BLEU scores": the word that says a metric's value is a score
SCORE_TAIL = re.compile(r"\s+scores?$", re.IGNORECASE)
# the finders whose mention is the paper saying what a thing is called
NAMING = ("naming_cue", "proposal")
# a word written as an acronym ("GMM", "LSTMs", "CNN")
ACRONYM_WORD = re.compile(r"[A-Z][A-Z0-9]+s?")


def _metric_surface(surface: str, name: str, known: set[str]) -> str:
    """How a vocabulary metric is shown, given the keys of the spellings it lists: "accuracies"
    as its "accuracy", "top-5 error rates" as its "top-5 error rate", "an FID score" as FID; a
    spelling it does not list ("PER") is the paper's to keep."""
    if norm_key(surface) not in known:
        singulars = english_singulars(surface)
        surface = next((s for s in singulars if norm_key(s) in known), name if singulars else surface)
    if SCORE_TAIL.search(surface) and norm_key(SCORE_TAIL.sub("", surface)) in known:
        surface = SCORE_TAIL.sub("", surface)
    return surface


class _Links:
    """Union-find over keys, so "GCA" and "Gated Class-Attention" end as one entity."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, k: str) -> str:
        self.parent.setdefault(k, k)
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


PHRASE_LABELS = {"metric_phrase": "METRIC", "task_phrase": "TASK"}


def _extended_terms(candidates: list[Candidate]) -> set[int]:
    """Metric and task phrases that extend a known one with words naming no other thing:
    "decoding accuracy", "GPU memory usage", "exemplar-guided image translation" — more specific
    than the vocabulary's "accuracy" or "image translation", so they win the overlap."""
    out: set[int] = set()
    phrases = [c for c in candidates if c.component in PHRASE_LABELS]
    if not phrases:
        return out
    vocabulary = [c for c in candidates if c.component == "vocabulary"]
    for c in phrases:
        label, start, end = PHRASE_LABELS[c.component], c.span.start, c.span.end
        overlapping = [k for k in vocabulary if k.span.start < end and start < k.span.end]
        if overlapping and all(k.label == label and start <= k.span.start and k.span.end <= end
                               and k.span.end - k.span.start < end - start for k in overlapping):
            out.add(id(c))
    return out


def _named_whole(candidates: list[Candidate]) -> set[int]:
    """Vocabulary names that contain the words a dataset context picked out: "the IARPA Janus
    Benchmark A", "the Cross-Age Celebrity Dataset" — the context cut the name at its head word,
    the vocabulary knows the whole name."""
    contexts = [c for c in candidates if c.component == "dataset_context"]
    if not contexts:
        return set()
    return {id(k) for k in candidates if k.component == "vocabulary" and k.label == "DATASET"
            and any(k.span.start <= c.span.start and c.span.end <= k.span.end
                    and c.span.end - c.span.start < k.span.end - k.span.start for c in contexts)}


def _without_tracks(candidates: list[Candidate]) -> list[Candidate]:
    """A dataset name written right after a known dataset's name, with nothing between them,
    names a track or part of it ("the ICDAR2015 Incidental Scene Text benchmark", "Switchboard
    Hub5'00"), not a second dataset."""
    ends = {c.span.end for c in candidates if c.component == "vocabulary" and c.label == "DATASET"}
    tracks = [(c.span.start, c.span.end) for c in candidates if c.label == "DATASET" and c.span.start in ends]
    # nothing else is read from the track's words either ("Hub5'00" is no method)
    return [c for c in candidates if not any(s <= c.span.start and c.span.end <= e for s, e in tracks)]


ADJECTIVE = re.compile(r"[A-Za-z]+(?:al|ic|ive|ous|ar)")  # "Multimodal", "Semantic", "Generative"
# languages a dataset's text is in: "the English MS-MARCO dataset" is MS MARCO (its English part)
LANGUAGES = frozenset("""english chinese mandarin german french spanish italian portuguese russian japanese
    korean arabic hindi dutch czech polish turkish vietnamese romanian finnish swedish greek hebrew
    indonesian thai persian urdu bengali multilingual bilingual""".split())


def _language_pair(text: str) -> bool:
    """ "English→German", "German-English": a translation direction, never a method or a
    dataset by itself."""
    parts = [p for p in re.split(r"\s*(?:→|->|–|-|/|\bto\b)\s*", text.strip().lower()) if p]
    return len(parts) == 2 and all(p in LANGUAGES for p in parts)


def _without_language(candidates: list[Candidate]) -> list[Candidate]:
    """A dataset context that is a language and then a known dataset ("the English MS-MARCO
    dataset", "the Chinese DuReader dataset") names that dataset: the language is cut off."""
    known = [k.span for k in candidates if k.component == "vocabulary" and k.label == "DATASET"]
    for c in candidates:
        if c.component != "dataset_context":
            continue
        for name in known:
            if c.span.end == name.end and c.span.start < name.start and all(
                    t.lower_ in LANGUAGES for t in c.span.doc[c.span.start:name.start]):
                c.span = name
    return candidates


# a year ("BraTS 2015", "WMT'14") or an image size ("ImageNet 224 x 224") written after a dataset
EDITION = re.compile(r"(?:\s?['’]\d{2}|[\s-](?:19|20)\d{2}|\s\d{2,4}\s?[x×]\s?\d{2,4})(?![\w.]\d)")
# a dataset's kind written after its name in lowercase is no part of the name
LOWERCASE_HEAD = re.compile(r"\s+(?:dataset|benchmark|database|corpus|collection|suite)$")
EDITION_AT_END = re.compile(EDITION.pattern + "$")


def _with_editions(doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
    """A dataset named with its year or image size is that edition, as the paper writes it
    ("BraTS 2015", "WMT'14", "ImageNet 224 x 224"); the entity stays the vocabulary's (editions
    are aliases of one benchmark; a size the vocabulary lists apart, "ImageNet 64x64", matched
    as that dataset before this)."""
    text = text_of(doc)
    for c in candidates:
        if c.label != "DATASET":
            continue
        m = EDITION.match(text, c.span.end_char)
        if m is None or any(ch.isdigit() for ch in c.span[-1].text[-2:]):
            continue
        longer = doc.char_span(c.span.start_char, m.end(), alignment_mode="expand")
        if longer is not None and longer.end_char == m.end():
            c.span = longer
    return candidates


def _own_names_again(doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
    """Every other mention of a name the paper proposes or defines is that name: in "We propose
    Sparse PinnacleNet … Sparse PinnacleNet further enhances …" the second mention is not the known
    "PinnacleNet" with a word in front, "QRNNs have better accuracy than …" names the
    "quasi-recurrent neural networks (QRNNs)" defined before it, and "applying m2mKD to NACs"
    names the "Neural Attentive Circuits (NACs)" the paper evaluates on."""
    own = {c.text: c for c in candidates if c.proposed and c.label == "METHOD"}
    by_key = {norm_key(name): c for name, c in own.items()}
    for a in doc._.abbreviations:  # the short form of a proposed long form is proposed too
        long = by_key.get(norm_key(a.long.text))
        if long is not None and a.short.text not in own:
            own[a.short.text] = Candidate(a.short, "METHOD", long.component, long.confidence, True)
    shorts = {a.short.text for a in doc._.abbreviations}
    for c in candidates:  # a short form the paper defines names the same thing each time
        if c.component == "abbreviation" and c.label in ("METHOD", "DATASET") and c.text in shorts:
            own.setdefault(c.text, Candidate(c.span, c.label, c.component, c.confidence, False, c.entry))
    if not own:
        return candidates
    text = text_of(doc)
    at = {(c.span.start_char, c.span.end_char) for c in candidates}
    extra = []
    for name, c in own.items():
        # a name of several words may be capitalised in the title only ("Bootstrapped DQN" …
        # "bootstrapped DQN substantially improves"); a single word keeps its case ("Selfie")
        for start, end in _whole_word_occurrences(text, name, caseless=" " in name and c.proposed):
            span = doc.char_span(start, end)
            if span is not None and (start, end) not in at:
                extra.append(Candidate(span, c.label, c.component, c.confidence, c.proposed, c.entry))
    return candidates + extra


def _whole_word_occurrences(text: str, name: str, caseless: bool) -> list[tuple[int, int]]:
    r"""Where ``name`` occurs in ``text`` with no word character or hyphen on either side, as
    ``re.finditer(r"(?<![\w-])NAME(?![\w-])")`` finds it (without compiling a pattern per name:
    names differ from paper to paper, so the pattern cache never hits)."""
    hay, needle = (text.lower(), name.lower()) if caseless else (text, name)
    if len(hay) != len(text) or len(needle) != len(name) or not needle:
        flags = re.IGNORECASE if caseless else 0
        return [m.span() for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, flags)]
    out = []
    i = hay.find(needle)
    while i >= 0:
        j = i + len(needle)
        if (i == 0 or not _joins(text[i - 1])) and (j == len(text) or not _joins(text[j])):
            out.append((i, j))
            i = hay.find(needle, j)
        else:
            i = hay.find(needle, i + 1)
    return out


def _joins(ch: str) -> bool:
    r"""A word character (as ``\w``) or a hyphen: it would make the name part of a longer word."""
    return ch.isalnum() or ch in "_-"


# a list of data that the name is in: "two published datasets, DAQUAR and VQA"
DATA_HEAD = re.compile(r"\b(?:dataset|benchmark|corpus)\b", re.IGNORECASE)
DATA_LIST_BEFORE = re.compile(r"\b(?:datasets|benchmarks|corpora)\b[^.;:()]{0,40}$", re.IGNORECASE)


def _used_as(doc: Doc, found: list[Candidate], label: str) -> bool:
    """The paper uses a name as a dataset somewhere ("the VQA dataset", "datasets, DAQUAR and
    VQA"), so an acronym of a task spelled the same is not all that name means."""
    if label != "DATASET":
        return False
    text = text_of(doc)
    return any(c.label == label and (c.component == "dataset_context" or DATA_HEAD.search(c.text)
                                     or DATA_LIST_BEFORE.search(text, max(0, c.span.start_char - 60), c.span.start_char))
               for c in found)


def set_entities(doc: Doc, entities: list[Entity]) -> None:
    """Make ``entities`` the doc's: its entity list and one span per mention."""
    doc._.entities = entities
    ents = [Span(doc, c.span.start, c.span.end, label=ent.label, kb_id=ent.key)
            for ent in entities for c in ent.mentions]
    ents.sort(key=lambda s: s.start)
    doc.ents = ents
    doc.user_data["kg_ents"] = ents  # the same spans doc.ents would build again on each read


class Resolver:
    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab

    def __call__(self, doc: Doc) -> Doc:
        # the spelled-out form of a name that is never an entity ("Magnetic Resonance Imaging (MRI)")
        stopped = {norm_key(a.long.text) for a in doc._.abbreviations if self.vocab.is_stop(a.short.text)}
        # an acronym of one adjective ("Multimodal (MM) models") abbreviates a property, not a name
        stopped |= {norm_key(form.text) for a in doc._.abbreviations for form in (a.short, a.long)
                    if ADJECTIVE.fullmatch(a.long.text) and self.vocab.lookup(a.long.text) is None}
        accepted = self._select(_with_editions(doc, _without_language(_without_tracks(
            _own_names_again(doc, doc._.candidates or [])))), stopped)
        entities = self._group(doc, accepted)
        if any(e.proposed and e.label == "METHOD" and any(c.component != "title_guess" for c in e.mentions)
               for e in entities):
            entities = [e for e in entities if any(c.component != "title_guess" for c in e.mentions)]
        set_entities(doc, entities)
        return doc

    def _select(self, candidates: list[Candidate], stopped: set[str] = frozenset()) -> list[Candidate]:
        extended = _extended_terms(candidates)
        whole = _named_whole(candidates)
        ranked = sorted(
            candidates,
            key=lambda c: (-(PRIORITY["vocabulary"] if id(c) in extended
                             else PRIORITY["dataset_context"] if id(c) in whole
                             else PRIORITY.get(c.component, 0)),
                           -(c.span.end - c.span.start), c.span.start),
        )
        proposed_keys = {norm_key(c.text) for c in candidates if c.proposed}
        taken: set[int] = set()
        accepted: list[Candidate] = []
        for c in ranked:
            tokens = set(range(c.span.start, c.span.end))
            if tokens & taken:
                continue
            if c.label == "METHOD" and self.vocab.is_stop(c.text):
                continue
            if c.label in ("METHOD", "DATASET") and c.component != "title_prefix" \
                    and self.vocab.lookup(c.text, c.label) is None and (
                    why_not_a_name(c.text, self.vocab) or norm_key(c.text) in stopped or _language_pair(c.text)
                    or (c.label == "DATASET" and self.vocab.is_stop(c.text))):
                continue  # a number, unit, metric, citation key, venue, modality; the long form of "MRI"
            if norm_key(c.text) in proposed_keys:
                c.proposed = True
            taken |= tokens
            accepted.append(c)
        return accepted

    def _key(self, c: Candidate) -> str:
        return c.entry.key if c.entry is not None else norm_key(c.text)

    def _group(self, doc: Doc, accepted: list[Candidate]) -> list[Entity]:
        title_end = text_of(doc).find("\n")
        links = _Links()
        by_key: dict[str, list[Candidate]] = {}
        for c in accepted:
            by_key.setdefault(self._key(c), []).append(c)
            links.find(self._key(c))
        short_forms: set[str] = set()
        # an acronym stands for its long form: the entity is keyed by what it abbreviates, so
        # "CSC" for two different long forms in two papers stays two entities
        long_key_of: dict[str, str] = {}
        for abbr in doc._.abbreviations:
            lv, sv = self.vocab.lookup(abbr.long.text), self.vocab.lookup(abbr.short.text)
            lk = lv.key if lv else norm_key(abbr.long.text)
            sk = sv.key if sv else norm_key(abbr.short.text)
            if lv is not None and sv is not None and lv.label != sv.label and _used_as(doc, by_key.get(sk, []), sv.label):
                # "Visual Question Answering (VQA)" is the task; "on the VQA dataset" the data
                continue
            if lk in by_key or sk in by_key:
                links.union(sk, lk)
                short_forms.add(norm_key(abbr.short.text))  # its spelling, not a vocabulary key
                long_key_of.setdefault(norm_key(abbr.short.text), norm_key(abbr.long.text))
        for short, long in self._spelled_out(by_key):
            links.union(short, long)
            short_forms.add(short)  # a guessed pairing: the entity keeps its short name's key
        for a, b in self._variants(doc, by_key):
            links.union(a, b)
        groups: dict[str, list[Candidate]] = {}
        for key, found in by_key.items():
            groups.setdefault(links.find(key), []).extend(found)
        merged: dict[tuple[str, str], Entity] = {}
        prefixed = any(c.component == "title_prefix" and c.label == "METHOD" for c in accepted)
        for found in groups.values():
            found.sort(key=lambda c: c.span.start)
            best = max(found, key=lambda c: (PRIORITY.get(c.component, 0), c.span.end - c.span.start))
            label = best.label
            in_vocab = [c for c in found if c.entry is not None and c.label == label]
            shorts = [c for c in found if norm_key(c.text) in short_forms]
            if shorts:  # the short form written most often ("BSP-Net" over a passing "BSP")
                counts = {k: sum(norm_key(x.text) == k for x in shorts) for k in {norm_key(x.text) for x in shorts}}
                chosen = max(shorts, key=lambda x: counts[norm_key(x.text)])
            else:
                chosen = found[0]
                if label == "TASK":  # "crop yield forecasting" as running text writes it, not "Crop Yield …"
                    chosen = next((c for c in found if c.text.lower() == chosen.text.lower()
                                   and c.span.start_char > title_end and not c.span[0].is_sent_start), chosen)
            known = in_vocab[0].entry if in_vocab else None
            written = clean_display(chosen.text)
            if label == "DATASET" and not plain_word(LOWERCASE_HEAD.sub("", written), self.vocab):
                # "the Cityscapes dataset" names Cityscapes; "Open Images Dataset" is a name; "the
                # News corpus" is not "News"
                written = LOWERCASE_HEAD.sub("", written) or written
            if known is not None:
                name, key = known.name, known.key
            else:  # a spelling the vocabulary knows although no vocabulary match won the span
                key, name, known = self.vocab.canonical(written, label)
                edition = EDITION_AT_END.search(written) if known is None and label == "DATASET" else None
                if edition is not None:
                    # "the ILSVRC-2012 competition", "the COCO 2016 challenge": an edition of a
                    # known dataset is that dataset, written as the paper writes the dataset
                    base = self.vocab.canonical(written[:edition.start()], label)
                    if base[2] is not None:
                        (key, name, known), written = base, written[:edition.start()]
                if known is None and shorts and long_key_of.get(norm_key(chosen.text)):
                    key = long_key_of[norm_key(chosen.text)]
            surface = written or name
            if label == "METRIC" and known is not None:
                surface = _metric_surface(surface, name, {norm_key(x) for x in known.surfaces})
            if not name:
                continue
            ent = merged.get((key, label))
            if ent is None:
                ent = merged[(key, label)] = Entity(key=key, name=name, label=label, surface=surface)
            elif shorts and not any(norm_key(c.text) in short_forms for c in ent.mentions):
                ent.surface = surface  # two spellings of one entity: the paper's short form names it
            ent.mentions.extend(found)
            # a method the vocabulary knows is prior work unless the title or a naming cue says
            # otherwise ("we use the existing ProtoPNet")
            strong = any(c.component in ("title_prefix", "title_phrase", "naming_cue") for c in found)
            # … or the title names it too: a known name is this paper's own when the paper that
            # made it known is the one being read ("Wide Residual Networks"; "we propose WRNs")
            # — unless the title names the paper's own before a colon ("CatGCN: Graph Convolutional
            # Networks with …"): the known names after it are what the paper builds on
            strong = strong or (not prefixed and any(c.span.start_char < title_end for c in found))
            ent.proposed |= any(c.proposed for c in found) and (strong or not in_vocab)
            ent.confidence = max(ent.confidence, *(c.confidence for c in found))
            ent.in_vocabulary |= known is not None
        for ent in merged.values():
            if ent.in_vocabulary and norm_key(ent.surface) != norm_key(ent.name) and any(
                    clean_display(c.text) == ent.name for c in ent.mentions):
                ent.surface = ent.name  # "Low-Rank Adaptation … LoRA": the spelling the field names it by
            stem = plural_stem(ent.surface)
            if stem is not None:  # "ViTs" and "ViT" in one paper: the singular names the thing
                ent.surface = next((clean_display(c.text) for c in ent.mentions if norm_key(c.text) == norm_key(stem)),
                                   ent.surface)
            elif len({singular_key(norm_key(c.text)) for c in ent.mentions}) < len({norm_key(c.text) for c in ent.mentions}):
                # a phrase written both plural and singular ("Deep Gaussian Mixture Models" in the
                # title, "called the Deep Gaussian Mixture Model"): as the paper names it, else as
                # the abstract writes it (titles pluralise by convention)
                titled = any(c.span.start_char < title_end and norm_key(c.text) == norm_key(ent.surface)
                             for c in ent.mentions)
                in_text = [c for c in ent.mentions if c.span.start_char > title_end
                           and norm_key(c.text) + "s" == norm_key(ent.surface)] if titled else []
                ent.surface = next((clean_display(c.text) for c in ent.mentions if c.component in NAMING),
                                   clean_display(in_text[0].text) if in_text else ent.surface)
        return sorted(merged.values(), key=lambda e: e.mentions[0].span.start)


    def _variants(self, doc: Doc, by_key: dict[str, list[Candidate]]) -> list[tuple[str, str]]:
        """Two spellings of one name in one paper: a plural ("Deep Gaussian Mixture Models" and
        "… Model"), "&" for "and" ("Plug & Play …"), and a name with an acronym inside written out
        ("Deep GMM" and "Deep Gaussian Mixture Model"), the acronym defined by the paper or known to
        the vocabulary."""
        pairs = [(singular_key(k), k) for k in by_key if singular_key(k) != k and singular_key(k) in by_key]
        ampersand = {norm_key(found[0].text.replace("&", " and ")): k for k, found in by_key.items() if "&" in found[0].text}
        pairs += [(k, ampersand[k]) for k in by_key if k in ampersand and ampersand[k] != k]
        defined = {a.short.text: a.long.text for a in doc._.abbreviations}
        for key, found in by_key.items():
            words = found[0].text.split()
            if len(words) < 2 or found[0].label not in ("METHOD", "DATASET"):
                continue
            for i, word in enumerate(words):
                if not ACRONYM_WORD.fullmatch(word):
                    continue
                for long in self._expansions(word, defined):
                    spelled = norm_key(" ".join(words[:i] + [long] + words[i + 1:]))
                    for other in (spelled, singular_key(spelled)):
                        if other != key and other in by_key and by_key[other][0].label == found[0].label:
                            pairs.append((key, other))
        return pairs

    def _expansions(self, acronym: str, defined: dict[str, str]) -> list[str]:
        """What an acronym stands for: the paper's own definition, else the vocabulary's spelled-out
        surfaces of the entry it names."""
        if acronym in defined:
            return [defined[acronym]]
        entry = self.vocab.lookup(acronym)
        if entry is None:
            return []
        return [s for s in entry.surfaces if " " in s and s[:1].isupper()]

    @staticmethod
    def _spelled_out(by_key: dict[str, list[Candidate]]) -> list[tuple[str, str]]:
        """The paper's own short name and a capitalised phrase it abbreviates without saying so:
        "BSP-Net" and "Binary Space Partitioning Tree Networks" (title), "Prob-PSENN" and
        "Probabilistic Self-Explainable Neural Networks"."""
        shorts, longs = [], []
        for key, found in by_key.items():
            c = found[0]
            if c.label != "METHOD" or not any(x.proposed for x in found):
                continue
            words = c.text.split()
            if len(words) == 1 and sum(ch.isupper() for ch in c.text) >= 2:
                shorts.append((key, c.text))
            elif 2 <= len(words) <= 8 and all(w[:1].isupper() or w in ("of", "and", "&", "for") for w in words):
                longs.append((key, c.text))
        pairs = []
        for skey, short in shorts:
            capitals = [ch.lower() for ch in short if ch.isupper()]
            for lkey, long in longs:
                initials = [w[0].lower() for w in re.split(r"[\s-]+", long) if w[:1].isupper()]
                # "AU-GAN" = Asymmetric + Uncertainty-aware + GAN (a last word in capitals)
                tail = [ch.lower() for ch in long.split()[-1] if ch.isupper()][1:]
                if capitals and initials[: len(capitals)] == capitals or (
                        len(initials) >= 2 and capitals == initials + tail) or (
                        len(capitals) >= 3 and match_long_form(short, long) == 0
                        and initials[:1] == capitals[:1]):
                    pairs.append((skey, lkey))
        return pairs


@Language.factory("kg_resolve")
def make_resolver(nlp: Language, name: str):
    return Resolver(load_vocabulary())
