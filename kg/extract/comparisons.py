"""Comparison claims: "X outperforms Y on D by N% M", "achieves state-of-the-art on D1 and D2".

A claim is a trigger in a sentence (a comparative verb or phrase), a winner (the method the
sentence is about: named before the trigger, or the paper's own method), losers (methods named
after the trigger, else ``SOTA`` for an unnamed group such as "state-of-the-art methods"),
datasets (named in the sentence: one claim each) and a metric and delta when given.
Negated claims ("does not outperform"), ties ("comparable to") and background sentences about
other work ("X has achieved state-of-the-art results") are not claims.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.candidates import finditer_caseless, mentions, sentences, span_text, text_of
from kg.extract.claims import (
    IMPLIED,
    SELF_MENTION,
    SOTA,
    entity_spans,
    main_subject,
    name_of,
    proposed_name,
    subjects_before,
)
from kg.extract.not_names import DESCRIBING
from kg.models import Comparison
from kg.normalize import norm_key, singular_key

if not Doc.has_extension("comparisons"):
    Doc.set_extension("comparisons", default=[])

# the verbs that say one method beats another (their stems)
WIN_VERBS = r"outperform|out-perform|surpass|beat|exceed|outstrip|outclass|outmatch"
# a trigger that is a participle refers back to its clause's subject
PARTICIPLE = re.compile(rf"(?:{WIN_VERBS})\w*ing\b", re.I)
_W = r"(?:[\w'-]+ )"  # one word and its space, for "better {0,3} than"
# Triggers that name (or imply) a loser after them.
BEATS = re.compile(
    r"\b(?:outperform(?:s|ed|ing)?|out-perform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|beat(?:s|ing)?|"
    r"exceed(?:s|ed|ing)?|outstrip(?:s|ped|ping)?|outclass(?:es|ed|ing)?|outmatch(?:es|ed|ing)?|"
    r"improv(?:e|es|ed|ing) (?:(?:the )?(?:performance|results?|accuracy) )?(?:over|upon|on)|"
    r"(?:improvements?|gains?) (?:of [^,;]{1,30}? )?(?:in [^,;]{1,40}? )?(?:over|upon|compared (?:to|with)|against)|"
    r"(?:advantages?|superiority|margins?|boost) over|"
    # "more compact than", "fewer parameters than" are wins; "more general than", "more memory
    # than", "less accurate than" describe or concede, they claim no win
    rf"(?P<than>(?:(?:better|superior|stronger|higher|faster|greater|lower|smaller) |"
    rf"more (?!(?:general|generic|complex|difficult|challenging|common|likely|expensive|costly|slowly|"
    rf"parameters|layers|compute|computation|memory|data|time|steps)\b)|"
    rf"(?:fewer|less) (?!(?:accurate|robust|effective|efficient|stable|general|\w+-centric)\b))"
    rf"{_W}{{0,4}}than)|"
    r"superior (?:\w+ ){0,2}(?:to|over|compared (?:to|with))|"
    r"favou?rably (?:against|to|with)|"
    r"(?:effectiveness|superiority|advantages?) (?:of [^,;]{1,40}? )?(?:over|against)|superiority (?:of [^,;]{1,40}? )?to|"
    r"(?P<named>improvements? to|improv(?:e|es|ed|ing) the (?:[\w-]+ ){0,3}of|"
    # "rank-1 accuracy is improved from 55.3% to 80.5% for CaffeNet": the method it was added to
    r"improv(?:e|es|ed|ing) from \S+ to \S+ (?:for|on|with))|"
    r"(?P<cmp>compared (?:to|with)|in comparison (?:to|with)|comparing (?:to|with)|comparisons? (?:with|to|against)|"
    r"against))\b",
    re.IGNORECASE,
)
# Triggers of a win over the unnamed state of the art.
SOTA_WIN = re.compile(
    r"\b(?:(?:achiev|set|establish|obtain|reach|attain|deliver|yield|report|demonstrat|show|validat|verif|confirm|"
    r"lead|advanc|push|improv|acquir|produc|realiz|accomplish|result|present|represent)\w*\b[^.;]{0,60}?"
    r"\b(?:state[- ]?of[- ]?the[- ]?arts?|sota|new records?|best(?:-in-class)? (?:(?:published|reported|known) )?(?:results?|performance)|"
    r"(?:lowest|highest|best) (?:published|reported) [\w-]+|"
    r"leading (?:results|performance)|top(?:-\w+)? (?:results|performance|accuracy|scores?))|"
    r"(?:a|the) new state[- ]?of[- ]?the[- ]?art|"
    r"superior(?:ity)?|(?:significant|substantial|consistent|large|clear|notable|remarkable|"
    r"considerable|dramatic)(?:ly)? (?:\w+ )?(?:improvements?|gains?|boosts?|improved (?:results|performance))|"
    r"(?:boost|enhanc)(?:s|es|ed|ing)? the (?:\w+ )?performance|performs? (?:the )?best|"
    r"perform(?:s|ed)? (?:\w+ )?better(?! than)|"
    r"(?:improv|increas)(?:e|es|ed|ing) [^.;]{0,40}? by (?:up to |about |over |more than )?"
    r"(?:\d|(?:an|one|two|three|several) orders? of magnitude)|"
    # "(a 10% relative improvement)", "a 2.1-point gain": a measured gain over what came before
    r"\d+(?:\.\d+)?\s?(?:%|-?points?|pp|db)\s(?:relative |absolute |average )?(?:improvements?|gains?))\b",
    re.IGNORECASE,
)
SOTA_NAMED = re.compile(r"\s+(?:(?:method|solution|model|approach|baseline|system)s?,?\s+)?(?=\S)", re.IGNORECASE)
NEGATION = re.compile(
    r"\b(?:not|never|no|fail(?:s|ed)? to|cannot|can't|unable to|rarely|underperform\w*|"
    r"lag(?:s|ged)? behind)\b[^,;]{0,25}$",
    re.IGNORECASE,
)
MAYBE_CLAIM = re.compile(
    r"outperform|out-perform|surpass|beat|exceed|outstrip|outclass|outmatch|improv|gain|advantage|"
    r"superior|better|higher|highest|faster|greater|lower|lowest|fewer|smaller|less|more|favou?rabl|effective|"
    r"compar|against|state[- ]?of|sota|record|best|leading|top|perform|boost|enhanc|increas|margin",
    re.IGNORECASE,
)
POSITIVE = re.compile(
    r"\b(?:better|superior\w*|higher|improv\w*|outperform\w*|surpass\w*|faster|fewer|less|lower|"
    r"gains?|advantages?|boost\w*|more (?:accurate|efficient|robust|stable)\w*|reduc\w*|best|"
    r"state[- ]?of[- ]?the[- ]?art|effective\w*|half|a fraction)\b",
    re.IGNORECASE,
)
LOSER_SOTA = re.compile(r"^\s*(?:(?:the|other|existing|recent|several|many|current|previous)\s+)*"
                        r"state[- ]?of[- ]?the[- ]?arts?", re.IGNORECASE)
# "X beats A, while giving better run-time than B": a participle goes on with the same subject
CONTINUATION = re.compile(r"[\s,]*(?:and|while|but also|and also)?[\s,]*(?:\w+ly\s+)?(?:\w+ing\s+)?", re.IGNORECASE)
PRONOUN = re.compile(r"\b(?:it|they|this|which)\b", re.IGNORECASE)
# "comparable to X" is a tie; "competitive approaches" (a description of the losers) is not
TIE = re.compile(r"\b(?:comparable|competitive|on par|similar|matching|close to|near(?:ly)?(?=[- ](?:the[- ])?state[- ]?of))\b"
                 r"(?!\s+(?:\w+\s+)?(?:methods|approaches|baselines|models|techniques|algorithms)\b)",
                 re.IGNORECASE)
BACKGROUND = re.compile(
    r"\b(?:has|have|had) (?:\w+ )?(?:emerged|achieved|shown|demonstrated|become|been|led|attracted)\b|"
    r"\b(?:recently|previously|traditionally|in recent years)\b|"
    # a sentence whose subject is others' work: "Recent boosted detectors achieve …"
    r"^\W*(?:recent|existing|previous|prior|conventional|traditional)\b",
    re.IGNORECASE,
)
# "state-of-the-art NECIL methods", "baselines like …": a group, the loser is SOTA.
GROUP_AFTER = re.compile(
    r"^\W*(?:methods?|approaches|models|baselines|techniques|algorithms|frameworks|"
    r"solutions|works|systems)\b",
    re.IGNORECASE,
)
CLAUSE_END = re.compile(r";|\bwhile\b|\bwhereas\b|\bbut\b|\bwhich\b|\band (?:it|we|our)\b", re.IGNORECASE)
DELTA = re.compile(
    r"\bby (?:up to |about |around |approximately |roughly |nearly |almost |over |more than |"
    r"an average of |on average |a (?:large |significant |clear )?margin of |a factor of )?"
    r"(?P<d1>[+]?\d+(?:\.\d+)?\s?(?:%|pp|percentage points?|points?|dB|x|×|times)?)"
    r"|(?P<d2>[+]?\d+(?:\.\d+)?\s?(?:%|pp|percentage points?|points?|dB|x|×))\s(?:absolute |relative |average )?"
    r"(?:higher|better|improvements?|gains?|increase|boost|lower|reduction|more|fewer|less|faster)",
    re.IGNORECASE,
)


# Words that may come right before a second or later loser: "A, B and C", "A or the recent B".
LIST_WORDS = {"and", "or", "the", "as", "than", "over", "vs", "versus", "both", "either", "also", "even"}


def find_delta(text: str) -> str | None:
    m = DELTA.search(text)
    if not m:
        return None
    return (m.group("d1") or m.group("d2")).strip()


# what may follow a metric that is the whole of what is compared
METRIC_ENDS = re.compile(r"\s*(?:[,.;:)]|$|(?:on|in|for|and|or|by|with|while|at|across)\b)")


def _clause_winners(doc: Doc, sent: Span, m: re.Match, trigger_start: int, after: int | None) -> tuple[list[str], float]:
    """Who wins a claim whose trigger starts at ``trigger_start``: the subjects before it, or,
    for a participle ("X improves learning for A and B, outperforming …"), its clause's subject —
    X's win, not B's — unless our method is the nearer winner. "The superiority of X over …"
    names its winner inside the trigger, whatever came before."""
    inner = _winner_inside(doc, sent, m, trigger_start, trigger_start + len(m.group(0)))
    if inner:
        return inner, 0.8
    winners, conf = subjects_before(doc, sent, trigger_start, after=after)
    if not PARTICIPLE.match(m.group(0)) or conf >= 0.85:
        return winners, conf
    if not {e.surface for e in doc._.entities if e.label == "METHOD" and e.proposed} & set(winners):
        main = main_subject(doc, sent, trigger_start, after=after)
        if main is not None and main not in winners:
            winners = [main]
    return winners, conf


# "the superiority of X over", "the advantage of X against": the winner is named inside the trigger
OF_INSIDE = re.compile(r"^(?:effectiveness|superiority|advantages?) of ", re.IGNORECASE)


def _winner_inside(doc: Doc, sent: Span, m: re.Match, start: int, end: int) -> list[str]:
    """The method a trigger of the form "the superiority of X over" names as its winner."""
    if not OF_INSIDE.match(m.group(0)):
        return []
    own = SELF_MENTION.search(text_of(doc), start, end)
    inside = [s for s in entity_spans(sent, "METHOD") if start < s.start_char and s.end_char <= end]
    if own is not None and (not inside or own.start() < inside[0].start_char):
        return [proposed_name(doc)]  # "the superiority of our method over …"
    return list(dict.fromkeys(name_of(doc, s) for s in inside))


def _metric_compared(doc: Doc, sent: Span, at: int) -> bool:
    """What a comparison sets its subject against, right after the trigger, is a metric."""
    skip = re.match(r"\s*(?:(?:the|a|an)\s+)?", text_of(doc)[at:at + 8])
    return any(s.start_char == at + skip.end() and METRIC_ENDS.match(text_of(doc), s.end_char)
               for s in entity_spans(sent, "METRIC"))  # "the MMD loss" is a method


def _losers(doc: Doc, sent: Span, start: int, end: int, winners: list[str],
            check_preposition: bool = True) -> list[tuple[str, int]]:
    """Methods named between the trigger and the end of its clause, except groups, with the
    offset where each is named."""
    out: list[tuple[str, int]] = []
    for span in entity_spans(sent, "METHOD"):
        if not start <= span.start_char < end:
            continue
        prev = doc[span.start - 1].lower_ if span.start > 0 else ""
        right_after = not text_of(doc)[start:span.start_char].strip(" ,")  # "compared with SN-Net"
        those_of = prev == "of" and span.start > 1 and doc[span.start - 2].lower_ in ("those", "that")
        if check_preposition and not right_after and not those_of and prev in ("on", "in", "using", "with", "via",
                                                                               "for", "of"):
            continue  # "on ImageNet", "with ResNet-50 backbones": not the beaten method ("than those of X" is)
        if GROUP_AFTER.match(text_of(doc)[span.end_char:span.end_char + 20]):
            continue
        if out and prev.isalpha() and prev not in LIST_WORDS:
            continue  # "surpasses GPT-4o in expression CoT generation": a modifier, not a loser
        name = name_of(doc, span)
        if name not in winners and name not in (n for n, _ in out):
            out.append((name, span.start_char))
    return out


# what an unnamed group of beaten methods is called; without one, an improvement names no loser
UNNAMED_GROUP = re.compile(r"state[- ]?of[- ]?the[- ]?arts?|SOTA|records?|best|leading|\btop\b(?!-\d)", re.IGNORECASE)


def _base_method(doc: Doc, winner: str) -> str | None:
    """The method a proposed name is a variant of: the last words of "Mixed Barlow Twins",
    "Asymmetric VQGAN", "Prob-PSENN" when the paper names that method too."""
    own = next((e for e in doc._.entities if e.label == "METHOD" and e.surface == winner and e.proposed), None)
    if own is None:
        return None
    words = re.split(r"[\s-]+", winner)
    for e in doc._.entities:
        if e.label != "METHOD" or e.proposed or e is own:
            continue
        base = re.split(r"[\s-]+", e.surface)
        if len(base) < len(words) and [singular_key(norm_key(w)) for w in words[-len(base):]] == [
                singular_key(norm_key(w)) for w in base]:  # "Prob-PSENN" is a variant of "PSENNs"
            return e.surface
    return None


# "than their non-probabilistic counterparts", "over its linear counterpart"
COUNTERPARTS = re.compile(r"\s*(?:those of\s+)?(?:their|its)\s+(?:[\w-]+\s+){0,2}?counterparts?\b", re.IGNORECASE)


def _counterparts(doc: Doc, at: int, winners: list[str]) -> list[tuple[str, int]]:
    """The loser "their counterparts" names: the method each winner is a variant of."""
    if not COUNTERPARTS.match(text_of(doc), at):
        return []
    return [(b, at) for b in dict.fromkeys(_base_method(doc, w) for w in winners) if b]


def _datasets_per_loser(losers: list[tuple[str, int]], datasets: list[tuple[str, int]]) -> dict[str, list[str]]:
    """ "beats A on D1 and B on D2": each loser takes the datasets named after it (before the
    next loser); when that leaves a loser without one, every loser takes all of them."""
    own: dict[str, list[str]] = {}
    for i, (name, at) in enumerate(losers):
        until = losers[i + 1][1] if i + 1 < len(losers) else 10**9
        own[name] = [d for d, pos in datasets if at < pos < until]
    if len(losers) > 1 and all(own.values()):
        return own
    everything = [d for d, _ in datasets]
    return {name: everything for name, _ in losers}


def extract_comparisons(doc: Doc) -> list[Comparison]:
    claims: list[Comparison] = []
    compared: list[tuple[int, int]] = []  # sentences that compare metrics rather than methods
    opening = text_of(doc).find("\n") + 1  # where the abstract's first sentence starts
    for sent in sentences(doc):
        text, base = span_text(sent), sent.start_char
        if not mentions(MAYBE_CLAIM, text):
            continue  # cheap test first: most sentences compare nothing
        methods_at = [e.start_char - base for e in entity_spans(sent, "METHOD")]
        # "improvements to X" claims a win only when X is named right after it; then it is more
        # specific than the SOTA form it overlaps ("consistent improvements to ResNet-50")
        beats = [b for b in finditer_caseless(BEATS, text)
                 if not b.group("named") or any(b.end() < at <= b.end() + 12 for at in methods_at)]
        triggers = [(m, False) for m in beats] + [
            (m, True) for m in finditer_caseless(SOTA_WIN, text)
            if not any(b.start() < m.end() and m.start() < b.end() for b in beats)]
        if not triggers:
            continue
        own = SELF_MENTION.search(text)
        if mentions(BACKGROUND, text) and not own:
            continue
        seen: set[tuple] = set()
        previous: tuple[list[str], int] | None = None  # winners of the last claim, where it ended
        for m, sota_form in sorted(triggers, key=lambda t: t[0].start()):
            cmp_form = not sota_form and m.group("cmp")
            if cmp_form and not mentions(POSITIVE, text[:m.start()] + " " + LOSER_SOTA.sub("", text[m.end():], 1)):
                # "compared with X" says who is compared, not who wins; nor does "in comparison
                # with state-of-the-art denoisers" (the words naming the losers are no win)
                continue
            before = text[: m.start()]
            if NEGATION.search(before) or (TIE.search(text[max(0, m.start() - 30): m.end() + 30])
                                           and not re.search(r"\bor (?:even )?better\b|outperform|surpass", text)):
                continue
            trigger_start, trigger_end = base + m.start(), base + m.end()
            if not sota_form and _metric_compared(doc, sent, trigger_end):
                # "FID captures similarity better than the Inception Score": metrics compared (both
                # are measured there, but no method wins)
                compared.append((sent.start_char, sent.end_char))
                continue
            clause = CLAUSE_END.search(text_of(doc), trigger_end, sent.end_char)
            tail_end = clause.start() if clause else sent.end_char
            # the next claim in the sentence starts a new clause: "beats A on D1 and improves over B"
            nxt = [base + t.start() for t, _ in triggers if base + t.start() > trigger_end]
            if nxt and nxt[0] < tail_end:
                tail_end = nxt[0]
            head_start = previous[1] if previous else sent.start_char
            if cmp_form and len(before.split()) <= 2:
                # "Compared with DeiT-S, our method gains 3%": the loser comes first
                comma = text_of(doc).find(",", trigger_end, sent.end_char)
                if comma < 0:
                    continue
                losers = _losers(doc, sent, trigger_end, comma, [], check_preposition=False)
                # the subject is the first thing named after the comma: "…, our method improves"
                stop = CLAUSE_END.search(text_of(doc), comma, sent.end_char)
                later = [t for t, _ in triggers if base + t.start() > comma]
                until = min([stop.start()] if stop else [sent.end_char] + [base + t.start() for t in later[:1]])
                winners, conf = subjects_before(doc, sent, until, after=comma)
                losers = [lo for lo in losers if lo[0] not in winners]
                head_start, tail_end = sent.start_char, sent.end_char  # the whole sentence is the claim
            else:
                gap = text_of(doc)[previous[1]:trigger_start] if previous is not None else ""
                if previous is not None and (PRONOUN.search(gap) or CONTINUATION.fullmatch(gap)):
                    winners, conf = previous[0], 0.75  # "X outperforms Y, and it outperforms Z"
                else:
                    semicolon = text_of(doc).rfind(";", sent.start_char, trigger_start)
                    clause_start = max(previous[1] if previous else -1, semicolon)
                    winners, conf = _clause_winners(doc, sent, m, trigger_start,
                                                    clause_start if clause_start >= 0 else None)
                    if conf == IMPLIED and (m.groupdict().get("than") or sent.start == 0 or (
                            sent.start_char <= opening and not _names_own_method(doc, sent))):
                        # "training converges more slowly than …", a title "Diffusion Models Beat
                        # GANs on …" whose names we do not know, an abstract's opening "CNNs
                        # achieve state-of-the-art performance in …" (background): no subject, no claim
                        continue
                if sota_form:
                    # "improves the recent state-of-the-art solution RobustNet": the SOTA has a name
                    named = SOTA_NAMED.match(text_of(doc), trigger_end)
                    losers = _losers(doc, sent, named.end(), named.end() + 1, winners) if named else []
                else:
                    losers = (_losers(doc, sent, trigger_end, tail_end, winners)
                              or _counterparts(doc, trigger_end, winners)
                              or _phrase_loser(text_of(doc), trigger_end, tail_end))
            if not losers and m.groupdict().get("named"):
                continue  # "improvements to the training recipe": nothing named was beaten
            previous = (winners, tail_end)
            if not losers and sota_form and not UNNAMED_GROUP.search(m.group(0)):
                # an improvement that names no loser improves on the method the winner was added
                # to ("By applying m2mKD to NACs, we achieve significant improvements"), else on
                # the one it is a variant of ("Mixed Barlow Twins … further enhances the performance")
                losers = _hosts(doc, sent, winners) or [
                    (b, trigger_end) for b in dict.fromkeys(_base_method(doc, w) for w in winners) if b]
            if not losers and not sota_form:
                losers = _named_before(doc, sent, winners)
            if not losers:
                losers = [(SOTA, trigger_end)]
                if not sota_form:
                    conf -= 0.1
            datasets = [(name_of(doc, s), s.start_char) for s in entity_spans(sent, "DATASET")
                        if head_start <= s.start_char < tail_end]
            per_loser = _datasets_per_loser(losers, datasets)
            # the metric this claim's own words name ("…, and surpasses ResNet50 with 6x fewer
            # parameters"), else the sentence's first ("achieves 80% accuracy, outperforming X")
            spans = entity_spans(sent, "METRIC")
            own = [s for s in spans if trigger_start <= s.start_char < tail_end]
            metric = name_of(doc, (own or spans)[0]) if spans else None
            delta = find_delta(text_of(doc)[trigger_start:tail_end])
            for winner in winners:
                for loser, _ in losers:
                    if loser == SOTA and any(k[0] == winner and k[1] != SOTA for k in seen):
                        continue  # a named loser in this sentence already says who was beaten
                    for dataset in list(dict.fromkeys(per_loser[loser])) or [None]:
                        key = (winner, loser, dataset)
                        if key in seen:
                            continue
                        seen.add(key)
                        claims.append(Comparison(
                            winner=winner, loser=loser, dataset=dataset,
                            metric=metric, delta=delta,
                            sentence=text, start=sent.start_char, end=sent.end_char,
                            confidence=round(max(0.1, min(conf, 0.95)), 2),
                        ))
    # every sentence that makes a claim, repeated or not (metrics named there are reported)
    doc.user_data["kg_claim_spans"] = [(c.start, c.end) for c in claims] + compared
    return _paper_datasets(doc, _drop_redundant(claims))


# what comes between "applying X" and the method X is added to: "applying m2mKD to NACs",
# "when plugged into ResNet-50", "built on top of BERT"
HOST_BEFORE = re.compile(
    r"\b(?:appl(?:y|ies|ied|ying)\b[^,;.]{0,40}?\bto|(?:plugged|integrated|incorporated|inserted)\s+into|"
    r"on top of)\s+(?:the\s+|a\s+|an\s+)?$",
    re.IGNORECASE,
)


def _hosts(doc: Doc, sent: Span, winners: list[str]) -> list[tuple[str, int]]:
    """Methods the sentence adds the winner to ("applying X to Y", "plugged into Y")."""
    out: list[tuple[str, int]] = []
    for span in entity_spans(sent, "METHOD"):
        name = name_of(doc, span)
        before = text_of(doc)[max(sent.start_char, span.start_char - 60):span.start_char]
        if name not in winners and HOST_BEFORE.search(before) and name not in (n for n, _ in out):
            out.append((name, span.start_char))
    return out


DETERMINERS = frozenset("the a an its their his her".split())
# words that say how a compared method stands to the winner, not which method it is
RELATIONAL = frozenset(
    """these those such all both many most several various other another existing previous prior
    recent current conventional traditional standard classic classical common popular competing strong
    state-of-the-art sota baseline vanilla original naive simple typical plain base full same single
    larger smaller deeper shallower bigger teacher student backbone reference default corresponding
    respective regular normal ordinary usual alternative similar comparable prevailing mainstream
    leading best well-known widely-used commonly-used strongest recently previously""".split())
# what a named technique of lowercase words ends in: "the conventional Softmax loss", "supervised
# pre-training", "beam search optimization"; a plural family head is cut ("bag-of-words models")
PHRASE_HEAD = re.compile(
    r"(?:loss|training|pre-?training|fine-?tuning|model|network|search|optimi[sz]ation|decoding|"
    r"regulari[sz]ation|normali[sz]ation|objective|sampling|pooling|attention|dropout|distillation|"
    r"embedding|estimator|classifier|initiali[sz]ation|inference|encoding|descent)$", re.IGNORECASE)
TRAINING_HEAD = re.compile(r"^(?:training|pre-?training|fine-?tuning|learning)$", re.IGNORECASE)
FAMILY_HEAD = re.compile(r"(?:models|methods|approaches|networks|techniques|algorithms|variants)$",
                         re.IGNORECASE)
THOSE_OF = re.compile(r"\s*(?:those|that) of\b", re.IGNORECASE)
# the noun phrase right after a trigger: up to six words, closed by punctuation or a function word
PHRASE_NP = re.compile(
    r"\s*(?P<np>(?:[\w+-]+\s+){0,5}?[\w+-]+)(?=\s*(?:[,.;:()]|$)|\s+(?:on|in|by|with|for|at|and|or|while|"
    r"across|under|when|as|to|from|which|that|using|without|is|are|was|were|of|through|via|both|even|but)\b)",
    re.IGNORECASE)


def _phrase_loser(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """The loser a comparison names in lowercase words ("than supervised pre-training", "over the
    conventional Softmax loss"): the noun phrase right after the trigger, without the words that
    only relate it to the winner, when it ends in a technique's head noun and something is left
    to name it by. A family named only by its head ("than previous models") is no name."""
    of = THOSE_OF.match(text, start, end)  # "better than those of supervised pre-training"
    m = PHRASE_NP.match(text, of.end() if of else start, end)
    if not m:
        return []
    words = m.group("np").split()
    while words and words[0].lower() in DETERMINERS:
        words = words[1:]
    related = False  # "the conventional Softmax loss": its own name must follow such a word
    while words and words[0].lower() in RELATIONAL:
        words, related = words[1:], True
    if (len(words) < 2 or re.search(r"state-of|\bart\b", " ".join(words), re.IGNORECASE)
            or any(w.lower() in RELATIONAL or not re.search(r"[A-Za-z]", w) for w in words)):
        return []
    named = re.search(r"[A-Z]", " ".join(words[:-1]))
    if related and (not named or TRAINING_HEAD.search(words[-1])):
        # "standard supervised training", "previous best neural model": a group; "conventional
        # GAN training": the usual way of training, not a method
        return []
    if FAMILY_HEAD.search(words[-1]) and not related and (named or re.search(r"\w-\w", " ".join(words[:-1]))):
        words = words[:-1]  # "MLP methods", "bag-of-words models": the family's own name
        if DESCRIBING.match(words[0]):
            return []  # "subject-specific models", "domain-level fine-tuning approaches": a kind, no name
    elif not PHRASE_HEAD.search(words[-1]):
        return []
    if len(words) > 4 or re.search(r"-(?:based|like|style|free)$", words[-1], re.IGNORECASE):
        return []
    return [(" ".join(words), m.start("np") + m.group("np").find(words[0]))]


# "these models", "all these architectures": methods the sentence before has named
THESE = re.compile(r"\b(?:these|those) (?:[\w-]+ )?(?:models|methods|networks|architectures|backbones|baselines)\b",
                   re.IGNORECASE)
MAX_THESE = 4


def _named_before(doc: Doc, sent: Span, winners: list[str]) -> list[tuple[str, int]]:
    """The losers "these models" refers to: "… plugged into ResNet, ResNeXt and DLA. We evaluate
    it on all these models and demonstrate consistent gains over baseline models" beats the
    methods the previous sentence names (other than the paper's own)."""
    these = THESE.search(span_text(sent))
    sents = sentences(doc)
    i = next((k for k, s in enumerate(sents) if s.start_char == sent.start_char), 0)
    if these is None or i == 0:
        return []
    own = {e.key for e in doc._.entities if e.label == "METHOD" and e.proposed}
    names = list(dict.fromkeys(name_of(doc, s) for s in entity_spans(sents[i - 1], "METHOD") if s.kb_id_ not in own))
    names = [n for n in names if n not in winners]
    if not 1 <= len(names) <= MAX_THESE:
        return []
    return [(n, sent.start_char + these.start()) for n in names]


def _names_own_method(doc: Doc, sent: Span) -> bool:
    """The sentence names a method the paper proposes ("… validate MOSAIC's performance")."""
    own = {e.key for e in doc._.entities if e.label == "METHOD" and e.proposed}
    return any(s.kb_id_ in own for s in entity_spans(sent, "METHOD"))


MAX_INHERITED = 3
# a claim about cost, not quality: true of the method on any data
EFFICIENCY = re.compile(r"\b(?:faster|slower|smaller|fewer|cheaper|speed-?ups?|latency|memory|run-?time)\b", re.IGNORECASE)


def _paper_datasets(doc: Doc, claims: list[Comparison]) -> list[Comparison]:
    """A claim that names no dataset is about the data the paper evaluates on, when the paper
    names only a few ("We test on A and B. … it outperforms the state of the art."): one claim
    per dataset, marked as inherited (the claim model weighs that)."""
    named = list(dict.fromkeys(e.surface for e in doc._.entities if e.label == "DATASET" and not e.proposed))
    if not 1 <= len(named) <= MAX_INHERITED:
        return claims
    out: list[Comparison] = []
    for c in claims:
        # a named loser takes the paper's data only when there is no choice to make
        if c.dataset is not None or (c.loser != SOTA and len(named) > 1) or c.start < text_of(doc).find("\n") \
                or EFFICIENCY.search(c.sentence):  # "… 30 times smaller and 1.4 times faster": not about data
            out.append(c)
            continue
        for name in named:
            if not any(o.winner == c.winner and o.loser == c.loser and o.dataset == name for o in claims):
                out.append(replace(c, dataset=name, component="comparisons+paper_datasets"))
    return out


def _drop_redundant(claims: list[Comparison]) -> list[Comparison]:
    """A sentence that names the datasets of a win over the state of the art ("… 5%, 2% and 4%
    better than the SOTA on A, B and C") makes no separate dataset-less claim."""
    specific = {(c.start, c.winner) for c in claims if c.loser == SOTA and c.dataset is not None}
    return [c for c in claims if not (c.loser == SOTA and c.dataset is None and (c.start, c.winner) in specific)]


@Language.factory("kg_comparisons")
def make_comparisons(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        doc._.comparisons = extract_comparisons(doc)
        return doc

    return component
