"""Which named methods the paper proposes: a learned model over the rules' evidence.

The name finders and the resolver mark a method as proposed by rule (a title prefix, "we
propose X", "our X framework"). This component re-decides with the ``proposed_method`` model
(:mod:`kg.learn`), which weighs that evidence together with position, repetition, shape and
the words around each mention, and keeps its probability as the entity's confidence. Without
shipped weights the rules' decision stands.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.candidates import sentences, text_of
from kg.extract.comparisons import WIN_VERBS
from kg.extract.names import METHOD_HEADS, SUBTITLE_DESCRIBES, family_variant
from kg.extract.resolve import set_entities
from kg.learn.features import OUR_BEFORE, method_features
from kg.learn.model import active_model
from kg.vocab import load_vocabulary

MODEL = "proposed_method"


def score_methods(doc: Doc) -> list[tuple[object, dict[str, float]]]:
    methods = [e for e in doc._.entities if e.label == "METHOD"]
    return [(ent, method_features(doc, ent, i, len(methods))) for i, ent in enumerate(methods)]


@Language.component("kg_proposed")
def proposed_component(doc: Doc) -> Doc:
    model = active_model(MODEL)
    if model is None:  # the rules decide (training computes the features itself: score_methods)
        concepts = title_names_in_use(doc)
        if concepts:  # the title's name is a concept the paper builds on: no entity, no fallback
            set_entities(doc, [e for e in doc._.entities if e not in concepts])
        else:
            own_acronym(doc)
            title_method(doc)
        return doc
    for ent, features in score_methods(doc):
        p = model.prob(features)
        ent.proposed_p = p
        ent.proposed = p >= model.threshold
    return doc


def own_acronym(doc: Doc) -> None:
    """A paper that names no method of its own by the rules, but defines exactly one new acronym
    and uses it again as a name ("… i.e., intra-source style augmentation (ISSA) … ISSA is
    model-agnostic"), proposes what that acronym names: a paper does not coin and reuse a name
    for someone else's method. Known names and sentence-internal one-offs stay as they are."""
    methods = [e for e in doc._.entities if e.label == "METHOD"]
    title_end = text_of(doc).find("\n")
    if any(e.proposed or any(c.span.start_char < title_end for c in e.mentions) for e in methods):
        return  # the paper's own, or a method its title names ("… by Exponential Linear Units")
    coined = [e for e in methods if not e.in_vocabulary
              and any(c.component == "abbreviation" for c in e.mentions) and _reused(doc, e)]
    if len(coined) == 1:
        coined[0].proposed = True


def _reused(doc: Doc, ent) -> bool:
    """Mentioned again in a later sentence than the one defining it."""
    sentences = {doc[c.span.start].sent.start for c in ent.mentions}
    return len(sentences) >= 2


# the means a title says the paper's work is done by: "… with Graph Convolutional Networks"
TITLE_MEANS = re.compile(r"\b(?:with|using|via|by|through)\s+(?:(?:a|an|the)\s+)?$", re.IGNORECASE)


def title_method(doc: Doc) -> None:
    """A paper that still names no method of its own, whose title names exactly one method and
    names it as the means of its work ("Semi-Supervised Classification with Graph Convolutional
    Networks", "Density Estimation using Real NVP"), is about that method: its "our model" is that
    name. A method the title revisits, applies to or learns from is not ("Revisiting the ResNet
    Model", "Losses for Sequence to Sequence Learning")."""
    methods = [e for e in doc._.entities if e.label == "METHOD"]
    if any(e.proposed for e in methods):
        return
    text = text_of(doc)
    title_end = text.find("\n")
    in_title = [(e, c) for e in methods for c in e.mentions if c.span.start_char < title_end]
    if len({id(e) for e, _ in in_title}) == 1 and TITLE_MEANS.search(text, 0, in_title[0][1].span.start_char):
        in_title[0][0].proposed = True


TITLE_ONLY = {"title_guess", "title_phrase"}
ORDINARY_TITLE_WORD = re.compile(r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)*|of|and|for")  # "Federated Reconnaissance", not "BT^2"
# the verb that makes what follows the paper's own, right before it (or before the first of a
# pair): "we propose an asymmetric tri-training", "propose gated class-attention and cascaded …"
INTRODUCED_BEFORE = re.compile(
    r"\b(?:propos|introduc|present|develop|design|devis|call|nam|term|dub)\w*\s+"
    r"(?:(?:[\w-]+\s+){1,3}(?:and|or)\s+)?(?:(?:a|an|the|our|two|new|novel|simple|first)\s+){0,3}$", re.IGNORECASE)

# a name that is the subject of a win is the paper's own: "Dynamic evaluation outperforms …"
WINS_AFTER = re.compile(r"\s+(?:(?:also|further|consistently|significantly|substantially|clearly|even)\s+)?"
                        rf"(?:{WIN_VERBS}|achiev|improv|sets? (?:a )?new)\w*", re.IGNORECASE)


def title_names_in_use(doc: Doc) -> list:
    """A name read off the title that the abstract uses again, but never as what the paper
    proposes ("… when using identity mappings as the skip connections", "… as sequences of
    subword units"), names a concept the paper builds on, not its own method: a paper that made
    it would say so ("we propose an asymmetric tri-training", "our Shortcut-Stacked sentence
    encoder"). Returns those concepts. A title name the abstract does not repeat keeps the
    title's word for it; one an all-caps title shouts is written as the abstract introduces it."""
    text = text_of(doc)
    title_end = text.find("\n")
    if title_end <= 0:
        return []
    sents = sentences(doc)
    vocab = load_vocabulary()
    title = text[:title_end]
    described = SUBTITLE_DESCRIBES.match(title.partition(":")[2]) is not None  # "…: A … agent for …"
    concepts = []
    for ent in doc._.entities:
        components = {c.component for c in ent.mentions}
        # a plain-word title prefix that does not end in a method word ("Stationary Representations:
        # …", "Federated Reconnaissance: …") may name a setting or a phenomenon as well as a method
        last = ent.surface.split()[-1].lower()
        plain_prefix = components == {"title_prefix"} and all(ORDINARY_TITLE_WORD.fullmatch(w) for w in ent.surface.split()) \
            and not any(last == h or last == h + "s" or (len(h) > 3 and last.endswith(h)) for h in METHOD_HEADS) \
            and not described
        if ent.label != "METHOD" or not ent.proposed or not (components <= TITLE_ONLY or plain_prefix):
            continue
        stem = ent.surface[:-1] if ent.surface.endswith(("s", "S")) else ent.surface
        uses = [(title_end + m.start(), m.group(0)) for m in re.finditer(
            rf"(?<![\w-]){re.escape(stem)}(?:s|es)?(?![\w-])", text[title_end:], re.IGNORECASE)]
        introduced = [written for at, written in uses
                      if _introduced(text, sents, at) or WINS_AFTER.match(text, at + len(written))]
        if uses and not introduced and not family_variant(ent.surface.split(), vocab) \
                and not _coordinated_with_own(doc, ent, title, sents):
            # (a variant named after its family is made here: "Deformable Convolutional Networks")
            concepts.append(ent)  # not a name of the paper's: the abstract writes it as a concept
        elif introduced and ent.surface.isupper():
            ent.surface = introduced[0]  # an all-caps title: the name as the abstract writes it
        elif uses and _singular_of(ent.surface, (introduced or [w for _, w in uses])[0]):
            ent.surface = ent.surface[:-1]  # titles pluralise ("… Networks"); the abstract names one
    return concepts


def _coordinated_with_own(doc: Doc, ent, title: str, sents) -> bool:
    """The title joins the name with "and" to a name the abstract introduces as the paper's own
    ("… via Gated Class-Attention and Cascaded Feature Drift Compensation"): both are its parts."""
    text = text_of(doc)
    for other in doc._.entities:
        if other is ent or other.label != "METHOD" or not other.proposed:
            continue
        if not any(_introduced(text, sents, c.span.start_char) for c in other.mentions):
            continue
        a, b = re.escape(ent.surface), re.escape(other.surface)
        if re.search(rf"{a},? and {b}|{b},? and {a}", title, re.IGNORECASE):
            return True
    return False


def _singular_of(title_name: str, written: str) -> bool:
    """The abstract writes the title's plural name in the singular."""
    return title_name.endswith("s") and written.lower() == title_name[:-1].lower()


def _introduced(text: str, sents, at: int) -> bool:
    """The words before ``at`` in its sentence present it as the paper's own."""
    sent = next((s for s in sents if s.start_char <= at < s.end_char), None)
    before = text[sent.start_char if sent is not None else 0:at]
    return bool(INTRODUCED_BEFORE.search(before[-80:]) or OUR_BEFORE.search(before[-40:]))
