"""Find names that no vocabulary knows, from context and token shape.

Cues, strongest first: the title prefix ("EBDM: Exemplar-guided …"), naming verbs ("called X",
"dubbed X"), proposal sentences ("we propose X, a …", "we introduce the Long Form (LF)"),
dataset contexts ("the X dataset", "A, B, and C benchmarks") and, weakest, the shape of a word
alone (CamelCase, letters with digits, capitals inside).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.abbreviations import Abbreviation
from kg.extract.candidates import (
    Candidate,
    add_candidates,
    finditer_caseless,
    mentions,
    sentences,
    span_text,
    text_of,
)
from kg.extract.shapes import (
    FUNCTION_WORDS,
    GRAMMAR_WORDS,
    has_name_shape,
    is_acronym,
    is_capitalised,
    plain_word,
)
from kg.normalize import norm_key
from kg.vocab import Vocabulary, load_vocabulary

SPAN_KEY = "kg_names"


DATASET_HEADS = {"dataset", "datasets", "benchmark", "benchmarks", "corpus", "corpora",
                 "suite", "database", "collection", "repository", "testbed", "leaderboard",
                 "challenge", "challenges", "competition"}
SINGULAR_DATA_HEADS = {"dataset", "benchmark", "corpus", "database", "collection", "suite", "testbed", "repository"}
METRIC_HEADS = {"score", "rate", "error", "accuracy", "distance", "ratio", "precision", "recall",
                "divergence", "index", "metric"}
TASK_HEADS = {
    "learning", "recognition", "detection", "segmentation", "classification", "answering",
    "translation", "generation", "estimation", "synthesis", "prediction", "retrieval",
    "restoration", "search", "tracking", "captioning", "reconstruction", "editing", "completion",
    "forecasting", "localization", "localisation", "understanding", "reasoning", "planning",
    "navigation", "adaptation", "generalization", "generalisation", "summarization", "parsing",
    "inpainting", "super-resolution", "denoising", "deblurring", "re-identification", "try-on",
    "control", "matching", "alignment", "verification", "grounding", "modeling", "modelling",
    "discovery", "labeling", "labelling", "tagging", "extraction", "analysis", "transfer",
    "manipulation", "animation", "re-aging", "reenactment", "swapping", "compression",
}
METHOD_HEADS = {
    "network", "networks", "net", "model", "models", "transformer", "former", "adapter",
    "encoder", "decoder", "module", "attention", "algorithm", "method", "framework", "mechanism",
    "optimizer", "architecture", "machine", "kernel", "layer", "block", "prompting", "tuning",
    "distillation", "augmentation", "regularization", "pruning", "sampling", "policy", "agent",
    "system", "pipeline", "head", "loss", "embedding", "embeddings", "autoencoder", "quantization",
    "compensation", "routing", "generator", "discriminator", "classifier", "detector",
    "estimator", "strategy", "scheme", "operator", "unit", "gan", "vae", "training", "descent",
    "approach", "technique", "procedure", "initialization", "normalization", "propagation",
    "backpropagation", "gate", "gating", "memory", "bank", "graph", "field", "fields", "process",
    "diffusion", "tree", "forest", "regression", "transform", "representation", "representations",
}
DESCRIPTORS = {"novel", "new", "simple", "efficient", "effective", "lightweight", "unified",
               "general", "generic", "powerful", "flexible", "scalable", "robust", "principled",
               "training-free", "plug-and-play", "newly", "designed", "learnable", "trainable",
               "two-stage", "end-to-end", "modular", "hierarchical", "self-supervised", "dedicated"}
COMPONENT_HEADS = {"strategy", "branch", "mechanism", "technique", "scheme", "block", "module",
                   "framework", "paradigm", "pipeline", "objective", "regularizer", "approach"}
GENERIC_TITLE_WORDS = {"large", "deep", "neural", "efficient", "better", "simple", "new", "novel",
                       "automatic", "consistency", "data", "model", "models", "network", "networks",
                       "learning", "training", "task", "general", "generalized", "improved", "robust"}
# Finite verbs that make a title a statement ("Diffusion Models Beat GANs on …").
TITLE_VERBS = {"is", "are", "beat", "beats", "outperform", "outperforms", "improve", "improves",
               "emerge", "emerges", "learn", "learns", "meet", "meets", "matter", "matters", "work",
               "works", "need", "needs", "make", "makes", "help", "helps", "can", "do", "does"}
DATASET_APPOSITION = re.compile(r"(?:an? |the )?(?:[\w-]+ ){0,3}?"
                                r"(?:dataset|benchmark|corpus|suite|collection)\b")
# a subtitle that says what kind of thing its prefix names: "…: A large-scale dataset of MRI images"
SUBTITLE_DESCRIBES = re.compile(
    r"\s*(?:an?)\s+(?:[\w-]+\s+){0,4}?(?:" + "|".join(sorted(METHOD_HEADS | DATASET_HEADS)) + r")\b", re.IGNORECASE)
METRIC_APPOSITION = re.compile(r"(?:an? |the )?(?:[\w-]+ ){0,2}?(?:metric|measure)\b")
# A title split at its linking words: the opening phrase, and what follows via/with/through.
TITLE_SEGMENT = re.compile(
    r"(?:^|\b(?P<link>via|with|through|using|by)\s+)(?P<seg>.+?)(?=\s+(?:for|via|with|without|through|using|by|"
    r"in|on|towards?|to|from|as)\s|[:?,]|$)",
    re.IGNORECASE,
)
STUDY_NOUN = re.compile(r"(?:tion|sion|ment|sis)$", re.IGNORECASE)  # "Evaluation", "Integration", "Analysis"
TITLE_LEAD = re.compile(r"^(?:(?:Designing|Rethinking|Learning|Building|Towards?|Revisiting|Improving|"
                        r"Enhancing|Training|Scaling|Understanding)\s+(?:\w+\s+)*?)?(?:an?|the|A|An|The)\s+"
                        r"(?:(?:Better|New|Novel|Simple|Unified|General)\s+)?")
PROPOSAL_VERBS = re.compile(
    r"\b(?:propos|introduc|present|develop|design|devis|build|built|creat|releas|contribut|"
    r"construct|formulat|offer|curat|collect|explor|establish|dub|nam|term|call)"
    r"(?:e|es|ed|ing|s|d)?\b",
    re.IGNORECASE,
)
PRIOR_WORK = re.compile(
    r"\b(?:recently|previously (?:proposed|introduced|developed|published|reported|studied)|researchers|"
    r"(?:have|has|had|was|were) (?:been )?"
    r"(?:proposed|introduced|developed)|et al\b|recent (?:studies|works?|advances|years|methods))",
    re.IGNORECASE,
)
EXAMPLES_BEFORE = re.compile(r"\b(?:such as|like|including|e\.g\.,?)(?: [\w-]+){0,4}(?: and| or|,)?$")
OWN_BEFORE = re.compile(r"\b(?:our|the proposed)\b[^.;()]{0,25}$", re.IGNORECASE)
SELF_REFERENCE = re.compile(r"\b(?:we|our|this (?:paper|work|study|article)|here)\b", re.IGNORECASE)
NAMING_CUE = re.compile(
    r"(?:\b(?:called|named|termed|dubbed|coined|namely,?|denoted(?: as| by)?|referred to as|"
    r"which we call|we call it|we name it|we term)|\bi\.e\.,?|\s[-–—:])\s*$",
    re.IGNORECASE,
)
NAMING_CUE_ITER = re.compile(NAMING_CUE.pattern.replace(r"\s*$", ""), re.IGNORECASE)
# what a sentence with a naming cue contains (a quick test before the search)
NAMING_CUE_WORDS = ("call", "nam", "term", "dubbed", "coined", "denoted", "referred to as", "i.e.")
NAMING_CUE_DASH = re.compile(r"\s[-–—:]")
# verbs whose object, without an article, is what the paper makes (not "explore", "collect")
BARE_NAME_VERBS = re.compile(r"(?:propos|introduc|present|develop|design|devis)(?:e|es|ed|ing|s|d)?")
# what describes such a name right after its comma: an appositive or a relative clause
BARE_NAME_FOLLOWERS = {"a", "an", "which", "where", "whereby"}


MAGNITUDE = re.compile(r"[KMB]")


QUOTES = ('"', "“", "”", "'", "‘", "’", "``", "''")


def _plural(word: str) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


# the long form is the object of a proposal verb: "we propose (a|an|the) [new] …"
PROPOSED_OBJECT = re.compile(r"\b(?:propos|introduc|present|develop|design|devis)\w*\s+(?:(?:a|an|the|new|novel)\s+){0,2}$",
                             re.IGNORECASE)
# "our method, dubbed", "The approach, called", "a new architecture which we call": the thing named
# is the paper's own (a determiner of its own work, a method noun, then the naming verb)
OWN_THING_NAMED = re.compile(
    r"\b(?:our|the|this|a new|a novel)\s+(?:\w+[\s-]+){0,3}?(?:method|model|approach|framework|architecture|"
    r"network|system|algorithm|technique|agent|module|scheme)s?,?\s+(?:which we\s+|we\s+)?"
    r"(?:called|named|termed|dubbed|coined|call|name|term)(?:\s+(?:a|an|the))?\s*['\"“‘]?\s*$", re.IGNORECASE)
NAMING_CUE_ANYWHERE = re.compile(r"\b(?:called|named|termed|dubbed|coined)\b", re.IGNORECASE)
# words a naming verb does not follow: "for named entity recognition" is no cue
_NOT_BEFORE_CUE = {"for", "of", "in", "on", "the", "a", "an", "to", "with", "and", "or", "by", "from", "at"}
_OWN_NOUN = r"(?:method|model|approach|framework|architecture|network|system|algorithm|technique|agent|module|scheme)"
# an appositive names what the paper proposes: "we propose a new simple network architecture,
# the Transformer, …" (the name after the description) and "This paper describes Tacotron 2, a
# neural network architecture for …" (the description after the name); known names included
APPOSITIVE_AFTER = re.compile(
    rf"\b(?:propos|introduc|present|develop|design|describ)\w*\s+(?:a|an)\s+(?:[\w-]+\s+){{0,5}}?{_OWN_NOUN}s?"
    rf",\s+(?:the\s+)?$", re.IGNORECASE)
APPOSITIVE_VERB = re.compile(r"propos|introduc|present|develop|design|describ", re.IGNORECASE)  # cheap test first
APPOSITIVE_AFTER_ITER = re.compile(APPOSITIVE_AFTER.pattern.removesuffix("$"), re.IGNORECASE)
APPOSITIVE_BEFORE = re.compile(
    rf"\b(?:we|this (?:paper|work|article))\s+(?:\w+ly\s+)?(?:propos|introduc|present|develop|design|describ)\w*\s+"
    rf"(?P<name>[^,;.]{{1,40}}),\s+(?:a|an)\s+(?:[\w-]+\s+){{0,5}}?{_OWN_NOUN}s?\b", re.IGNORECASE)
_LEAD = "([{\"'“‘"
_TRAIL = ".,;:!?)]}\"'”’"


class Word:
    """A whitespace-separated word of a sentence without its surrounding punctuation (a plain
    slotted class: ~140k are made per 600 abstracts, and a dataclass's init costs twice as much)."""

    __slots__ = ("text", "start", "end", "trail", "lead", "lower")

    def __init__(self, text: str, start: int, end: int, trail: str, lead: str) -> None:
        self.text, self.start, self.end, self.trail, self.lead = text, start, end, trail, lead
        self.lower = text.lower()

    def __repr__(self) -> str:
        return f"Word({self.text!r}, {self.start}, {self.end})"


@dataclass
class Found:
    start: int
    end: int
    label: str
    component: str
    confidence: float
    proposed: bool = False


def split_words(text: str, offset: int = 0) -> list[Word]:
    words = []
    append = words.append
    find = text.find
    at = end = 0
    for raw in text.split():  # the \S+ runs (str.split and \s agree on every character)
        at = find(raw, end)
        end = at + len(raw)
        core = raw.lstrip(_LEAD)
        stripped = core.rstrip(_TRAIL)
        if stripped[-2:] in ("'s", "’s"):  # "MultiModN's": the name without the possessive
            stripped = stripped[:-2]
        if not stripped:
            continue
        n_lead = len(raw) - len(core)
        start = offset + at + n_lead
        append(Word(stripped, start, start + len(stripped), core[len(stripped):], raw[:n_lead]))
    return words


VERSION = re.compile(r"v?\d+(?:\.\d+)?[a-z]?|[IVX]+")
_CAPITAL_WORD = re.compile(r"[A-Z][A-Za-z]+(?:-[A-Za-z]+)*")


@lru_cache(maxsize=100_000)
def _capital_word(word: str) -> bool:
    """ "Exemplar", "Class-Attention", "ATTention", "Encoder-Decoder" (not "GPT-4": shape rules)."""
    return bool(_CAPITAL_WORD.fullmatch(word)) and word.lower() not in GRAMMAR_WORDS


def _title_case(long: str) -> bool:
    """ "Gated Class-Attention", "Layer-stacked ATTention Embedding": a proper name."""
    words = [w for w in re.split(r"[\s-]+", long) if w and w.lower() not in FUNCTION_WORDS]
    return bool(words) and sum(w[0].isupper() for w in words) >= max(2, len(words) - 1)


def _word_after(a: Abbreviation) -> str:
    doc = a.short.doc
    end = a.short.end + 1  # past ")"
    return doc[end].lower_ if end < len(doc) else ""


def classify_long_form(long: str, vocab: Vocabulary, after: str = "", own: bool | None = None) -> str | None:
    """What a spelled-out name denotes, by its head word (or the word after "(SF)") and case;
    None for a concept. A capitalised name ending in a task word is the paper's method when the
    sentence presents it, and a task when ``own`` is False ("much recent work studies
    Replay-Free Domain Incremental Learning (RFDIL)")."""
    entry = vocab.lookup(long)
    if entry is not None:
        return entry.label
    if after in METHOD_HEADS or after in ("module", "modules", "method", "model", "framework"):
        return "METHOD"
    if after in DATASET_HEADS:
        if long.islower() and long.split()[-1] in TASK_HEADS:
            return "TASK"  # "general face recognition (GFR) dataset LFW": data for the task
        return "DATASET"
    words = long.replace("-", " - ").split()
    head = long.split()[-1].lower().rstrip("s") if long.split() else ""
    last = long.split()[-1].lower()
    titled = sum(1 for w in long.split() if w[:1].isupper()) >= max(1, len(long.split()) - 2)
    if last in DATASET_HEADS or head in DATASET_HEADS:
        return "DATASET"
    if last in METRIC_HEADS:
        return "METRIC"
    if titled and not (own is False and words[-1].lower() in TASK_HEADS and last not in METHOD_HEADS):
        return "METHOD"
    if last in METHOD_HEADS or head in METHOD_HEADS:
        return "METHOD"
    if last in TASK_HEADS or words[-1].lower() in TASK_HEADS:
        return "TASK"
    return None


def family_variant(words: list[str], vocab: Vocabulary) -> bool:
    """A title's opening name made of a known method or method family and a modifier of its
    own ("Full-Resolution Residual Networks", "Segmental Recurrent Neural Networks", "Part-based
    R-CNNs"): how papers name the variant they build, so it is the paper's, not a concept it
    uses. A describing word among the modifiers ("Deep Convolutional Neural Networks",
    "Memory-Efficient 3D U-Net") describes an instance of the family rather than naming one."""
    for k in range(1, len(words)):
        rest = " ".join(words[k:])
        singular = rest[:-1] if rest.endswith("s") else rest
        if not any(vocab.lookup(r, "METHOD") is not None or (k < len(words) - 1 and vocab.is_stop(r))
                   for r in (rest, singular)):
            continue  # a family is more than a bare "Networks": "Conditional Adversarial Networks"
        return all(w.lower().split("-")[-1] not in GENERIC_TITLE_WORDS | DESCRIPTORS | TITLE_VERBS for w in words[:k])
    return False


def _and_parts(segment: str) -> list[str]:
    """ "Gated Class-Attention and Cascaded Feature Drift Compensation" names two things;
    "Asymmetric and Uncertainty-aware GAN" (one word before "and") names one."""
    parts: list[str] = []
    for part in re.split(r"\s+and\s+", segment):
        if parts and len(parts[-1].split()) == 1:
            parts[-1] = f"{parts[-1]} and {part}"
        else:
            parts.append(part)
    return parts


def _shouted(words: list[Word]) -> set[int]:
    """Indexes of the words in runs of three or more all-capital words with nothing between them."""
    caps = [len(w.text) >= 2 and w.text.replace("-", "").isalpha() and w.text.isupper() for w in words]
    out: set[int] = set()
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and caps[j] and (j == i or not (words[j - 1].trail or words[j].lead)):
            j += 1
        if j - i >= 3:
            out.update(range(i, j))
        i = max(j, i + 1)
    return out


class NameFinder:
    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab

    def __call__(self, doc: Doc) -> Doc:
        candidates: list[Found] = []
        title_end = text_of(doc).find("\n")
        if title_end < 0:
            title_end = len(text_of(doc))
        candidates += self.title_prefix(text_of(doc)[:title_end], text_of(doc)[title_end:])
        candidates += self.title_phrases(text_of(doc)[:title_end], text_of(doc)[title_end:])
        abbreviations: list[Abbreviation] = doc._.abbreviations
        for sent in sentences(doc):
            words = split_words(span_text(sent), sent.start_char)
            sent_abbr = [a for a in abbreviations if sent.start_char <= a.short.start_char < sent.end_char]
            named = self.naming_cues(span_text(sent), sent.start_char, words, sent_abbr)
            named += self.proposals(span_text(sent), sent.start_char, words, sent_abbr)
            candidates += named
            if sent.start_char >= title_end:  # title words are all capitalised: no evidence
                candidates += self.dataset_contexts(words)
                phrases = self.titlecase_phrases(span_text(sent), words)
                if any(f.proposed and f.label == "METHOD" for f in named):
                    # "we present OReX, a method …, featuring a Neural Field": the sentence names
                    # what it proposes; other capitalised phrases describe or equip it
                    phrases = [replace(f, proposed=False) for f in phrases]
                candidates += phrases
                candidates += self.known_variants(doc, sent, words)
            candidates += self.shaped(words)
        candidates += self.abbreviation_pairs(text_of(doc), abbreviations, title_end)
        spans, found = [], []
        for c in candidates:
            span = doc.char_span(c.start, c.end, label=c.label, alignment_mode="expand")
            if span is None or not span_text(span).strip():
                continue
            spans.append(span)
            found.append(Candidate(span, c.label, c.component, c.confidence, c.proposed))
        doc.spans[SPAN_KEY] = spans
        add_candidates(doc, found)
        return doc

    # -- cues -----------------------------------------------------------------------------
    def title_prefix(self, title: str, abstract: str = "") -> list[Found]:
        """ "NAME: subtitle" — the name the paper is known by (first colon only).

        Plain words ("Convergent Learning: Do …") count only when the abstract uses them again;
        a name's shape ("EBDM", "TryOn-Adapter") is enough on its own.
        """
        head, sep, rest = title.partition(":")
        if not sep or not (rest.strip() or has_name_shape(head.strip())):
            return []  # "FractalNet:" alone (the subtitle fell into the abstract) is still a name
        words = split_words(head)
        if len(words) > 1 and words[0].text in ("The", "A", "An", "THE"):
            head, words = head[words[1].start:], split_words(head[words[1].start:])  # "The Reactor: A fast …" names Reactor
        if not 1 <= len([w for w in words if w.text not in ("&", "of", "and")]) <= 4:
            return []
        texts = [w.text for w in words]
        if not all(w[:1].isupper() or w[:1].isdigit() or has_name_shape(w) or w in ("&", "of", "and") for w in texts):
            return []
        content = [w for w in texts if w not in ("&", "of", "and")]
        shaped = any(has_name_shape(w) for w in texts)
        evidence = "" if shaped else self._prefix_evidence(head.strip(), content, abstract, rest)
        if len(content) > 3 and not shaped and evidence not in ("acronym", "url"):
            return []
        if len(words) > 1 and not all(w[:1].isupper() or w in ("&", "of", "and") or VERSION.fullmatch(w)
                                      for w in texts):
            return []  # "FlowNet 2.0", "YOLO v3": a version is part of the name
        if len(words) == 1 and (texts[0].lower() in FUNCTION_WORDS or len(texts[0]) < 3):
            return []
        name = head.strip()
        if not shaped and not evidence:
            return []
        start = title.find(name)
        if not shaped and evidence != "url" and texts[-1].lower() in TASK_HEADS and len(texts) > 1:
            # "Convergent Learning: Do …", "Federated Reconnaissance: …": the problem, not a method
            return [Found(start, start + len(name), "TASK", "title_prefix", 0.8)]
        # The subtitle says what the paper contributes; a vocabulary entry of the same name
        # ("Synapse", a segmentation dataset) is another thing that happens to share it.
        label = ("DATASET" if re.search(r"\b(?:datasets?|benchmarks?|corpus|repository|database|suite)"
                                        r"(?:$|[,:;.)]|\s+(?:for|of|with|and|to|on|in|from)\b)", rest, re.I)
                 else "METHOD")  # "… Dataset for X" is a dataset; "Enhancing Dataset Distillation" is not
        if re.search(rf"\b{re.escape(head.strip())}\s*,\s*{DATASET_APPOSITION.pattern}", abstract, re.I):
            label = "DATASET"  # "we introduce VideoHallucer, the first comprehensive benchmark for …"
        return [Found(start, start + len(name), label, "title_prefix", 0.95, proposed=True)]

    @staticmethod
    def _prefix_evidence(name: str, content: list[str], abstract: str, subtitle: str | None = None) -> str:
        """Why plain words before a title's colon name the paper's contribution: the abstract
        uses them again ("text"), as an acronym of their initials ("acronym": "PPGNs" for "Plug &
        Play Generative Networks"), in a repository URL ("url"), or they end in a method word
        ("head": "Neural Production Systems"), or the subtitle says what kind of thing they name
        ("described": "Symbrain: A large-scale dataset of …"); "" when nothing says so."""
        initials = "".join(w[0] for w in content).upper()
        if len(initials) >= 2 and re.search(rf"\b{re.escape(initials)}s?\b", abstract):
            return "acronym"  # the stronger reason, so it is given even when the words recur too
        if name.lower() in abstract.lower():
            return "text"
        key = norm_key(name)
        if any(key in norm_key(url) for url in re.findall(r"https?://\S+", abstract)):
            return "url"
        head = content[-1].lower()
        if len(content) >= 2 and (head in METHOD_HEADS or head.rstrip("s") in METHOD_HEADS):
            return "head"
        return "described" if subtitle is not None and SUBTITLE_DESCRIBES.match(subtitle) \
            and not content[0].lower().endswith("ing") else ""

    def title_phrases(self, title: str, abstract: str) -> list[Found]:
        """Method names inside a title: "Generalized Teacher Forcing for …", "… via Gated
        Class-Attention and Cascaded Feature Drift Compensation", "A Deep Conjugate Direction
        Method for …". A capitalised phrase counts when the abstract uses it again, or when it
        follows "via/with/through/using" and ends in a method word (Network, Module, …)."""
        if ":" in title:
            return []  # the title prefix rule owns "NAME: subtitle"
        whole = title.strip().rstrip(".")
        known = self.vocab.lookup(whole) or self.vocab.lookup(whole[:-1] if whole.endswith("s") else whole)
        if known is not None and known.label == "METHOD":
            # "Mask R-CNN", "Wide Residual Networks": the whole title is the name; the vocabulary
            # knows it because this paper made it known
            start = title.find(whole)
            return [Found(start, start + len(whole), "METHOD", "title_phrase", 0.9, True)]
        out = []
        # the abstract speaks of its own work, and says it proposes something: once per title
        own_work = mentions(SELF_REFERENCE, abstract)
        proposes = own_work and mentions(PROPOSAL_VERBS, abstract)
        for m in TITLE_SEGMENT.finditer(title):
            seg, after_link = m.group("seg"), bool(m.group("link"))
            opening = not after_link and m.start("seg") == 0
            seg_start = m.start("seg")
            parts = [seg] if not after_link else _and_parts(seg)
            offset = seg_start
            for part in parts:
                start = title.find(part, offset)
                offset = start + len(part)
                lead = TITLE_LEAD.match(part)
                name = part[lead.end():] if lead else part
                start += len(part) - len(name)
                words = name.split()
                if not 2 <= len(words) <= 6 or not all(
                        w[:1].isupper() or w[:1].isdigit() or w in ("of", "and", "&", "for", "based") for w in words):
                    continue
                if words[-1] in ("of", "and", "&", "for", "based"):
                    continue
                if words[0].lower().endswith("ing") or words[0].lower() in ("towards", "toward", "on", "what",
                                                                            "how", "why", "when", "beyond"):
                    continue  # "Revisiting …", "Towards …": a statement, not a name
                head = words[-1].lower().split("-")[-1]
                specific = [w for w in words[:-1] if w.lower() not in GENERIC_TITLE_WORDS]
                recurs = name.lower() in abstract.lower()  # the abstract uses it again
                known = self.vocab.lookup(name)
                if known is not None and known.label == "METHOD" and opening and proposes:
                    out.append(Found(start, start + len(name), "METHOD", "title_phrase", 0.75, True))
                    continue
                if not specific or known is not None or head in TASK_HEADS:
                    continue  # "Large Models", "Deep Networks"; known things; problems
                if recurs or (after_link and (head in METHOD_HEADS or head.rstrip("s") in METHOD_HEADS)):
                    out.append(Found(start, start + len(name), "METHOD", "title_phrase", 0.75, True))
                elif opening and own_work and (proposes or family_variant(words, self.vocab)):
                    verb = next((k for k in range(2, len(words) - 1) if words[k].lower().endswith("ing")), None)
                    if verb is not None:  # "Semiotics Networks Representing Perceptual Inference"
                        words = words[:verb]
                        name = " ".join(words)
                    if any(w.lower() in TITLE_VERBS for w in words[1:]) or (
                            words[-1].endswith("ed") and title[start + len(name):].lstrip().lower().startswith("by ")):
                        continue  # "Diffusion Models Beat GANs", "Text Classification Improved by …": statements
                    before_of = words[:words.index("of")] if "of" in words else None
                    if before_of is not None and any(STUDY_NOUN.search(w) for w in before_of):
                        pre = " ".join(before_of)
                        if len(before_of) >= 2 and pre.lower() in abstract.lower():
                            # "Dynamic Evaluation of Neural Sequence Models" … "dynamic evaluation
                            # outperforms …": the technique the abstract names again
                            out.append(Found(start, start + len(pre), "METHOD", "title_phrase", 0.75, True))
                        continue  # "Evaluation of Output Embeddings": a study of something, not a name
                    if before_of is not None:  # names rarely say "of": "Order-Embeddings of Images and Language"
                        words = before_of  # describes Order-Embeddings; "Bag of Tricks" names nothing
                        name = " ".join(words)
                        if not words or (len(words) < 2 and "-" not in name and not has_name_shape(name)):
                            continue
                        head = words[-1].lower().split("-")[-1]
                        if head in TASK_HEADS:
                            continue  # "Forward Learning of Graph Neural Networks": a way of learning
                    if head in ("dataset", "datasets", "benchmark", "corpus"):
                        continue  # "A Large-Scale Car Dataset for …" is data, not a method
                    if not family_variant(words, self.vocab) and any(
                            self.vocab.lookup(" ".join(words[k:])) is not None
                            or self.vocab.lookup(" ".join(words[k:]).rstrip("s")) is not None for k in range(1, len(words))):
                        continue  # "Diffusion Models Beat GANs", "3D U-Net": known things
                    # "Generalized Teacher Forcing for …", "A Deep Conjugate Direction Method for …":
                    # the opening noun phrase of a title usually names the contribution; a guess,
                    # kept only when the abstract names no method of its own
                    out.append(Found(start, start + len(name), "METHOD", "title_guess", 0.55, True))
        return out

    def naming_cues(self, text: str, base: int, words: list[Word], abbrs: list[Abbreviation]) -> list[Found]:
        """ "… a method called NAME", "termed Long Form (LF)" """
        out = []
        cue_ends = set()
        lowered = text.lower()
        cued = any(w in lowered for w in NAMING_CUE_WORDS) or NAMING_CUE_DASH.search(text)
        for m in finditer_caseless(NAMING_CUE_ITER, text) if cued else ():
            prev = text[max(0, m.start() - 12):m.start()].split()
            if text[m.start()].isupper() or (prev and prev[-1].lower() in _NOT_BEFORE_CUE):
                continue  # "(for) Named Entity Recognition": a word of a name, not a cue
            cue_ends.add(m.end())
            article = re.match(r" (?:a|an|the)(?= )", text[m.end():], re.IGNORECASE)
            if article and NAMING_CUE_ANYWHERE.search(m.group(0)):
                cue_ends.add(m.end() + article.end())  # "called a Feature Pyramid Network (FPN)"
        # where each name starts, as the loop below sees it (spaces before it left out)
        appositive = {len(text[:at].rstrip(" ")) for at in
                      [m.start("name") for m in APPOSITIVE_BEFORE.finditer(text)]
                      + [m.end() for m in APPOSITIVE_AFTER_ITER.finditer(text)]} \
            if mentions(APPOSITIVE_VERB, text) else set()
        cue_ends |= appositive
        if not cue_ends:
            return out
        for i, w in enumerate(words):
            start = w.start - base - len(w.lead)
            while start > 0 and text[start - 1] == " ":
                start -= 1
            if start not in cue_ends or w.lead.strip("'\"“‘"):
                continue
            before = text[: w.start - base]
            label = "DATASET" if re.search(r"\b(?:dataset|benchmark|corpus)\b(?:\W+\w+){0,4}\W*$", before, re.I) else "METHOD"
            weak_cue = not re.search(r"(?:called|named|termed|dubbed|coined|call|name|term)(?: (?:a|an|the))? ?$",
                                     before.rstrip(" '\"“‘"), re.I)
            # "Our method, dubbed X", "The method, called X, extends …": the paper names its own
            # contribution, even when the name is known today (the paper made it known)
            introduced = not weak_cue and OWN_THING_NAMED.search(before) is not None
            if start in appositive or APPOSITIVE_AFTER.search(before):
                weak_cue, introduced = False, True
            proposed = introduced or (
                mentions(SELF_REFERENCE, text) and (mentions(PROPOSAL_VERBS, text) or not weak_cue))
            if weak_cue and not proposed:
                continue
            if mentions(PRIOR_WORK, text):
                proposed = False
            abbr = next((a for a in abbrs if a.long.start_char <= w.start < a.long.end_char
                         or w.start <= a.short.start_char <= w.start + 2), None)
            if abbr is not None:
                out.append(Found(abbr.short.start_char, abbr.short.end_char, label, "naming_cue", 0.9, proposed))
                continue
            run = self._name_run(words, i) or (None if weak_cue else self._plain_run(words, i, before))
            if run:
                s, e = run
                known = self.vocab.lookup(text[words[s].start - base:words[e].end - base])
                if known is not None and known.label != label:
                    continue
                out.append(Found(words[s].start, words[e].end, label, "naming_cue", 0.9,
                                 proposed and (known is None or introduced)))
        return out

    def proposals(self, text: str, base: int, words: list[Word], abbrs: list[Abbreviation]) -> list[Found]:
        """Names right after a proposal verb, and abbreviations defined in a proposal sentence."""
        if not mentions(PROPOSAL_VERBS, text) or not mentions(SELF_REFERENCE, text):
            return self.proposed_abbreviations(text, base, abbrs) + self.our_named(words)
        out = []
        for i, w in enumerate(words):
            if not PROPOSAL_VERBS.fullmatch(w.lower):
                continue
            j = i + 1
            if j < len(words) and words[j].lower in ("a", "an", "the"):
                j += 1
            # "a novel", "the training-free", "a newly designed": descriptions before the name
            skipped = 0
            while (j < len(words) and skipped < 3 and not words[j - 1].trail
                   and (words[j].lower in DESCRIPTORS or words[j].lower.endswith(("-free", "ly")))):
                j += 1
                skipped += 1
            if w.lower == "proposed" and not (i > 0 and words[i - 1].lower in ("we", "paper", "work")):
                continue  # "the proposed X" is an adjective, not a proposal
            run = self._name_run(words, j)
            if run is None and j == i + 1 and BARE_NAME_VERBS.fullmatch(w.lower):
                bare = self._bare_name(words, j)
                if bare is not None:
                    out.append(Found(words[bare[0]].start, words[bare[1]].end, "METHOD", "proposal", 0.8, True))
                continue
            if run:
                s, e = run
                follow = words[e].trail[:1]
                nxt = words[e + 1].lower if e + 1 < len(words) else ""
                label = "DATASET" if (nxt in DATASET_HEADS and not follow) or words[e].lower in DATASET_HEADS \
                    else "METHOD"  # "ReVersion Benchmark", "the LoomQA dataset"
                if follow == "," and DATASET_APPOSITION.match(" ".join(x.lower for x in words[e + 1:e + 5])):
                    label = "DATASET"  # "we release LoomQA, a benchmark of …"
                if not follow and nxt in METRIC_HEADS and words[e + 1].trail[:1] == "," \
                        and METRIC_APPOSITION.match(" ".join(x.lower for x in words[e + 2:e + 6])):
                    # "we introduce the FRESCO score, a metric derived from …": the name with its head
                    out.append(Found(words[s].start, words[e + 1].end, "METRIC", "proposal", 0.85, True))
                    continue
                strong = any(has_name_shape(words[k].text) for k in range(s, e + 1))
                headed = (not follow and (nxt in METHOD_HEADS or nxt in COMPONENT_HEADS or nxt in DATASET_HEADS)) \
                    or (e > s and (words[e].lower in METHOD_HEADS or words[e].lower in COMPONENT_HEADS))
                # ("a Multi-scale Exemplar Branch to …": the run ends in its own head noun)
                if strong or headed or follow in (",", ":", "(", ".") or nxt.startswith("("):
                    out.append(Found(words[s].start, words[e].end, label, "proposal", 0.85, True))
        return out + self.proposed_abbreviations(text, base, abbrs) + self.our_named(words)

    def our_named(self, words: list[Word]) -> list[Found]:
        """ "our self-PEP framework", "our FlowNet model": a shaped name between "our" and a
        method word is the paper's own."""
        out = []
        for i in range(len(words) - 2):
            w, name, head = words[i], words[i + 1], words[i + 2]
            if (w.lower == "our" and not w.trail and not name.trail and has_name_shape(name.text)
                    and (head.lower in METHOD_HEADS or head.lower in COMPONENT_HEADS)
                    and self.vocab.lookup(name.text) is None):
                out.append(Found(name.start, name.end, "METHOD", "proposal", 0.8, True))
            # a quoted phrase is a name being coined: our "Fisher merging" technique
            if w.lower == "our" and not w.trail and any(q in name.lead for q in QUOTES):
                end = next((k for k in range(i + 1, min(i + 5, len(words)))
                            if any(q in words[k].trail for q in QUOTES)), None)
                if end is not None and end + 1 < len(words) and (
                        words[end + 1].lower in METHOD_HEADS or words[end + 1].lower in COMPONENT_HEADS):
                    out.append(Found(name.start, words[end].end, "METHOD", "proposal", 0.8, True))
        return out

    def proposed_abbreviations(self, text: str, base: int, abbrs: list[Abbreviation]) -> list[Found]:
        """ "we propose X (LF)", "The Breakup-Reorganize (BuRo) method is developed" """
        own = mentions(SELF_REFERENCE, text) or re.search(
            r"\b(?:is|are) (?:\w+ )?(?:proposed|introduced|developed|designed|devised|presented)\b", text)
        if not own or mentions(PRIOR_WORK, text):
            return []
        named_in_sentence = NAMING_CUE_ANYWHERE.search(text)
        dataset_sentence = bool(re.search(r"\b(?:dataset|benchmark|corpus)\b", text, re.I))
        out = []
        for a in abbrs:
            if self.vocab.lookup(a.short.text) is not None or self.vocab.lookup(a.long.text) is not None:
                continue  # a known method used here, not introduced ("we use Vision Transformer (ViT)")
            if len(re.split(r"[\s-]+", a.long.text)) < 2 or re.fullmatch(r"[A-Z0-9-]+s", a.short.text):
                continue  # "Multimodal (MM)"; plural short forms name families ("KANs", "PLRNNs")
            if named_in_sentence and 0 <= named_in_sentence.start() - (a.short.end_char - base) <= 20:
                continue  # "a gradual pruning (GMP) method, named GraNet": the name is GraNet
            before = text_of(a.long.doc)[max(0, a.long.start_char - 30):a.long.start_char].lower()
            if re.search(r"\b(?:dataset|benchmark|corpus)s?\b", before):
                out.append(Found(a.short.start_char, a.short.end_char, "DATASET", "proposal", 0.85, True))
                continue
            label = classify_long_form(a.long.text, self.vocab, after=_word_after(a))
            named = _title_case(a.long.text)
            if label is None and PROPOSED_OBJECT.search(before):
                label = "METHOD"  # "this paper proposes dynamic chunk reader (DCR)": what it proposes
            # a capitalised long form is the paper's own where "our" introduces it ("our Past Decode
            # Regularization (PDR) method", "Our model, the Gated-Attention (GA) Reader"); elsewhere
            # it is something the paper uses or evaluates on ("a classical structure, Binary Space
            # Partitioning (BSP)", "on … Vision Mixture-of-Experts (V-MoE)")
            ours = named and OWN_BEFORE.search(before)
            if label == "METHOD" and (ours or mentions(PROPOSAL_VERBS, text)):
                # the short form names the thing; the long form is merged with it later
                out.append(Found(a.short.start_char, a.short.end_char, label, "proposal", 0.85, True))
            elif label == "DATASET" and dataset_sentence:
                out.append(Found(a.short.start_char, a.short.end_char, label, "proposal", 0.85, True))
        return out

    def dataset_contexts(self, words: list[Word]) -> list[Found]:
        """ "the X dataset", "A, B, and C benchmarks", "datasets such as A and B" """
        out = []
        for i, w in enumerate(words):
            if w.lower not in DATASET_HEADS:
                continue
            # backwards over a list of names: "A, B, and C datasets"
            k = i - 1
            while k >= 0:
                run = self._name_run_back(words, k)
                if run is None:
                    break
                s, e = run
                task = self.vocab.lookup(" ".join(x.text for x in words[s:e + 1]), "TASK")
                if not (task is not None and w.lower.endswith("s") and s == e and i == e + 1):
                    # (a task's name before a plural head qualifies it: "standard VQA datasets",
                    # "two major OCL challenges" are data and problems of the task, not names)
                    end = words[e].end
                    if s == e and i == e + 1 and w.text in SINGULAR_DATA_HEADS and plain_word(words[s].text, self.vocab):
                        end = w.end  # "the News corpus": one ordinary word is no name without its head
                    out.append(Found(words[s].start, end, "DATASET", "dataset_context", 0.8))
                k = s - 1
                if k >= 0 and words[k].lower in ("and", "or", "&"):
                    k -= 1
                elif k >= 0 and words[k].trail.startswith(","):
                    continue
                elif s > 0 and words[s - 1].trail.startswith(","):
                    continue
                else:
                    break
            # forwards: "datasets such as A, B and C", "benchmarks: A, B"
            j = i + 1
            if j + 1 < len(words) and f"{words[j].lower} {words[j + 1].lower}" in ("such as", "namely ,"):
                j += 2
            elif j < len(words) and words[j].lower in ("including", "like", "namely"):
                j += 1
            elif not w.trail.startswith(":"):
                continue
            while j < len(words):
                run = self._name_run(words, j)
                if run is None:
                    break
                s, e = run
                out.append(Found(words[s].start, words[e].end, "DATASET", "dataset_context", 0.75))
                j = e + 1
                if words[e].trail.startswith(","):
                    if j < len(words) and words[j].lower in ("and", "or"):
                        j += 1
                    continue
                if j < len(words) and words[j].lower in ("and", "or"):
                    j += 1
                    continue
                break
        return out

    def titlecase_phrases(self, text: str, words: list[Word]) -> list[Found]:
        """Capitalised phrases mid-sentence ending in a head noun: "the Exemplar Attention Module",
        "Structured Pruning Adapters" — proper names of methods (or datasets)."""
        out = []
        own = mentions(SELF_REFERENCE, text) and not mentions(PRIOR_WORK, text)
        i = 1  # the sentence's first word is capitalised anyway
        while i < len(words):
            if not _capital_word(words[i].text) or words[i].lead:
                i += 1
                continue
            e = i
            while e + 1 < len(words) and not words[e].trail and e - i < 5:
                nxt = words[e + 1]
                if nxt.lead:
                    break
                if _capital_word(nxt.text) or (nxt.lower in ("of", "for", "with", "&") and e + 2 < len(words)
                                               and _capital_word(words[e + 2].text)):
                    e += 1
                else:
                    break
            if i >= 2 and _capital_word(words[i - 2].text) and not words[i - 2].trail and (
                    words[i - 1].text == "&" or (words[i - 1].lower == "and" and words[i - 2].lead)):
                # "Plug & Play Generative Networks" opening a sentence, a quoted "Plug and Play
                # Generative Networks": not "Play Generative Networks"
                i -= 2
            if e > i:
                phrase_words = [w.text for w in words[i:e + 1]]
                head = phrase_words[-1].lower()
                label = ("METHOD" if head in METHOD_HEADS or head.rstrip("s") in METHOD_HEADS or
                         head.split("-")[-1] in METHOD_HEADS else
                         "DATASET" if head in DATASET_HEADS else None)
                nxt = words[e + 1].lower if e + 1 < len(words) and not words[e].trail else ""
                if label is None and nxt in ("framework", "module", "method", "model", "network", "architecture"):
                    label = "METHOD"
                if label is not None:
                    start, end = words[i].start, words[e].end
                    known = self.vocab.lookup(" ".join(phrase_words))
                    # "models such as Neural Tensor Network and …": examples of what exists
                    example = EXAMPLES_BEFORE.search(" ".join(w.lower for w in words[max(0, i - 6):i]))
                    out.append(Found(start, end, label, "titlecase", 0.6, own and known is None and not example))
            i = e + 1
        return out

    def known_variants(self, doc: Doc, sent: Span, words: list[Word]) -> list[Found]:
        """A known method with capitalised words before it mid-sentence names a variant of it:
        "Prioritized Dueling DQN", "Double Deep Q-Network" — the variant, not the method it
        extends (up to two words; not a word that names something itself)."""
        out = []
        starts = {w.start: k for k, w in enumerate(words)}
        for span in doc.spans.get("kg_terms", []):
            if span.label_ != "METHOD" or not sent.start <= span.start < sent.end:
                continue
            k = starts.get(span.start_char)
            if k is None:
                continue
            first = k
            while (first - 1 >= 1 and k - first < 2 and _capital_word(words[first - 1].text)
                   and not words[first - 1].trail and not words[first].lead
                   and self.vocab.lookup(words[first - 1].text) is None):
                first -= 1
            if first - 1 >= 1 and _capital_word(words[first - 1].text) and not words[first - 1].trail:
                continue  # a longer capitalised run is a heading or a name of its own
            if first < k:
                out.append(Found(words[first].start, span.end_char, "METHOD", "known_variant", 0.7))
        return out

    def shaped(self, words: list[Word]) -> list[Found]:
        """Words that look like names by shape alone (weak evidence, labelled METHOD). Words of
        a shouted run ("TEMPORAL ENSEMBLING FOR SEMI-SUPERVISED LEARNING", a heading glued to an
        abstract) are capitals by typography, not acronyms."""
        out = []
        shouted = _shouted(words)
        for i, w in enumerate(words):
            if has_name_shape(w.text) and not self.vocab.is_stop(w.text) and i not in shouted:
                nxt = words[i + 1] if i + 1 < len(words) else None
                if nxt is not None and not w.trail and w.text[-1].isdigit() and MAGNITUDE.fullmatch(nxt.text):
                    # "ImageNet-5 K", "JFT-300 M": a size written apart from its number (extracted text)
                    out.append(Found(w.start, nxt.end, self._variant_label(w.text + nxt.text), "shape", 0.5))
                    continue
                out.append(Found(w.start, w.end, self._variant_label(w.text), "shape", 0.5))
        return out

    def _variant_label(self, word: str) -> str:
        """A variant of a known dataset ("Tiny-ImageNet-R", "ImageNet-Sketch-v2") is a dataset;
        any other shaped word is taken for a method."""
        parts = word.split("-")
        for k in range(1, len(parts)):
            for piece in ("-".join(parts[:k]), "-".join(parts[k:])):
                entry = self.vocab.lookup(piece)
                if entry is not None and entry.label == "DATASET" and len(piece) > 3:
                    return "DATASET"
        return "METHOD"

    def abbreviation_pairs(self, text: str, abbrs: list[Abbreviation], title_end: int) -> list[Found]:
        out = []
        for a in abbrs:
            own = bool(mentions(SELF_REFERENCE, span_text(a.long.sent)))
            label = classify_long_form(a.long.text, self.vocab, after=_word_after(a), own=own)
            if label is None:
                continue
            conf = 0.7 if label == "METHOD" else 0.75
            out.append(Found(a.short.start_char, a.short.end_char, label, "abbreviation", conf))
            out.append(Found(a.long.start_char, a.long.end_char, label, "abbreviation", conf))
        return out

    # -- helpers ----------------------------------------------------------------------------
    def _is_name_word(self, w: Word) -> bool:
        if w.lower in FUNCTION_WORDS:
            return False
        if self.vocab.is_stop(w.text) and not has_name_shape(w.text):
            return False
        return has_name_shape(w.text) or is_capitalised(w.text) or is_acronym(w.text)

    def _name_run(self, words: list[Word], j: int, limit: int = 4) -> tuple[int, int] | None:
        """The longest run of name-like words starting at j (stops at punctuation)."""
        if j >= len(words) or words[j].lead.strip("'\"“‘") or not self._is_name_word(words[j]):
            return None
        e = j
        while e + 1 < len(words) and e - j + 1 < limit and not words[e].trail and not words[e + 1].lead:
            nxt = words[e + 1]
            # capitalised head nouns belong to the name: "Latent Diffusion Models"
            if not (has_name_shape(nxt.text) or (_capital_word(nxt.text) and not is_acronym(words[e].text))
                    or VERSION.fullmatch(nxt.text)):
                break
            e += 1
        return j, e

    def _plain_run(self, words: list[Word], j: int, before: str) -> tuple[int, int] | None:
        """A lowercase name after an explicit naming verb: "a training strategy, dubbed proximal
        matching, …" — one to three words closed by punctuation, not a named phenomenon."""
        if re.search(r"\b(?:phenomenon|effect|problem|issue|setting|task|regime|property)\b\W+(?:\w+\W+){0,3}$",
                     before, re.I):
            return None
        e = j
        while e < len(words) and e - j < 3:
            w = words[e]
            if w.lead or w.lower in FUNCTION_WORDS or not re.fullmatch(r"[a-z][a-z0-9-]*", w.text):
                return None
            if w.trail:
                return (j, e) if w.trail[:1] in ",.;:)" else None
            e += 1
        return None

    def _bare_name(self, words: list[Word], j: int) -> tuple[int, int] | None:
        """A lowercase name a proposal verb takes without an article, described right after it:
        "we introduce corner pooling, a new type of pooling layer", "we propose spectral pooling,
        which …". English puts an article before a singular common noun, so a singular one
        without any is used as a name; a plural ("we introduce learnable biases, …") is not."""
        run = self._plain_run(words, j, "")
        if run is None:
            return None
        s, e = run
        after = words[e + 1].lower if e + 1 < len(words) else ""
        if words[e].trail[:1] != "," or after not in BARE_NAME_FOLLOWERS or _plural(words[e].lower):
            return None
        if self.vocab.is_stop(" ".join(w.text for w in words[s:e + 1])):
            return None
        return run

    def _name_run_back(self, words: list[Word], k: int, limit: int = 3) -> tuple[int, int] | None:
        """The run of name-like words ending at k (for "A, B and C datasets")."""
        if k < 0 or not (self._is_name_word(words[k]) or re.fullmatch(r"\d+[A-Za-z]*", words[k].text)):
            return None
        if words[k].lower in DATASET_HEADS or (words[k].trail and words[k].trail not in (",",)):
            return None
        s = k
        while s - 1 >= 0 and k - s + 1 < limit and not words[s - 1].trail and self._is_name_word(words[s - 1]):
            s -= 1
        if not any(has_name_shape(words[x].text) or is_acronym(words[x].text) or is_capitalised(words[x].text)
                   for x in range(s, k + 1)):
            return None
        return s, k


@Language.factory("kg_names")
def make_names(nlp: Language, name: str):
    return NameFinder(load_vocabulary())
