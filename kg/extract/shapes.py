"""Token-shape tests shared by the name finders: what a method or dataset name looks like."""

from __future__ import annotations

import re
from functools import lru_cache

_INNER_UPPER = re.compile(r"^.+[A-Z]")  # "ControlNet", "GCA", "iCaRL", "NAPA-VQ"
_LETTER_DIGIT = re.compile(r"(?=.*[A-Za-z])(?=.*\d)")  # "GPT4", "ResNet50", "SODA10M"
_STARTS_UPPER = re.compile(r"^[A-Z]")
_ROMAN_OR_NUM = re.compile(r"^(?:[IVX]+|\d+(?:\.\d+)?[KMB]?)$")
_ADJECTIVE_COMPOUND = re.compile(
    r"-(?:based|resistant|like|free|aware|guided|driven|style|specific|level|wise|weighted|"
    r"related|dependent|independent|invariant|agnostic|conditioned|enhanced|augmented|only|"
    r"scale|shot|tuned|trained|supervised)$"
)
_PLURAL_ACRONYM = re.compile(r"[A-Z][A-Z0-9-]*[A-Z0-9]s")
_SIZE = re.compile(r"\d+(?:\.\d+)?[KMBT]?-(?:parameters?|params?|layers?|shot|bit|dim|dimensional|token)s?", re.I)
_LATEX_GLUE = re.compile(r"(?:to|le|ge|sim|approx|times|of|in|and|by|with)\d")
_TITLE_COMPOUND = re.compile(r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)+")
_LATEX = re.compile(r"\\[a-zA-Z]+|\$")

# Words that start sentences or headings and never name a method on their own.
FUNCTION_WORDS = frozenset(
    """a an the and or but of for to in on at by with from into over under via as is are was were
    be been being this that these those it its our we us their they them he she his her which who
    whom whose what when where while how why than then there here such both each all any some no
    not only also more most less least many much few several other another same new novel first
    second third one two three four five six seven eight nine ten can could may might will would
    shall should must do does did has have had if so thus hence however moreover furthermore
    specifically finally additionally further besides yet still even although though because since
    unlike like using based towards toward beyond between among across through without within upon
    extensive experiments results code project page paper work approach method methods model
    models framework frameworks dataset datasets benchmark benchmarks task tasks data network
    networks learning ours""".split()
)

# The grammatical part of FUNCTION_WORDS: never inside a name ("Latent Diffusion Models" is one).
GRAMMAR_WORDS = FUNCTION_WORDS - frozenset(
    """new novel first second third one two three four five six seven eight nine ten unlike like
    extensive experiments results code project page paper work approach method methods model
    models framework frameworks dataset datasets benchmark benchmarks task tasks data network
    networks learning ours same other""".split()
)


@lru_cache(maxsize=100_000)
def has_name_shape(word: str) -> bool:
    """A word that looks like a proper name of a method or dataset without any context.

    >>> [has_name_shape(w) for w in ("ControlNet", "GPT-4o", "SODA10M", "Adapter", "3D", "2024")]
    [True, True, True, False, False, False]
    """
    if word.islower() and not any(c.isdigit() for c in word):
        return False  # most words: plain lowercase
    core = word.strip("()[]{},.;:'\"")
    if core.endswith(("'s", "’s")):
        core = core[:-2]
    if "://" in core or core.startswith("www.") or "@" in core or any(c in core for c in "{}\\$_^()[]"):
        return False
    if _TITLE_COMPOUND.fullmatch(core):  # "Multi-Task", "Exemplar-Free": title-case adjectives
        return False
    if _ADJECTIVE_COMPOUND.search(core):  # "MIP-based", "MNAR-resistant": describe, not name
        return False
    if _PLURAL_ACRONYM.fullmatch(core):  # "PTMs", "VAEs", "DMs": a family of models, not one
        return False
    if _SIZE.fullmatch(core):  # "7B-parameter", "12-layer": sizes, not names
        return False
    if _LATEX_GLUE.match(core) or (len(core) > 25 and "-" not in core):
        return False  # "le13", "to1.5B", words glued by lost spaces
    if len(core) < 2 or _LATEX.search(core) or _ROMAN_OR_NUM.match(core):
        return False
    if not core[0].isalnum():
        return False
    letters = [c for c in core if c.isalpha()]
    if len(letters) < 2 and not _LETTER_DIGIT.search(core):
        return False
    if re.fullmatch(r"\d+[A-Za-z]{1,2}", core):  # "3D", "10x", "2nd", "16k"
        return False
    if re.fullmatch(r"[a-z]+-\d+", core):  # "top-1", "rank-5", "layer-12": counts, not names
        return False
    return bool(_INNER_UPPER.match(core) or (_LETTER_DIGIT.search(core) and core[0].isalpha()))


def is_capitalised(word: str) -> bool:
    return bool(_STARTS_UPPER.match(word)) and word.lower() not in FUNCTION_WORDS


def is_acronym(word: str) -> bool:
    """All capitals (digits and hyphens allowed): "GCA", "NAPA-VQ", "SODA10M"."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def plain_word(text: str, vocab) -> bool:
    """One capitalised ordinary word that the vocabulary does not know: it names nothing by
    itself ("News" in "the News corpus")."""
    return bool(re.fullmatch(r"[A-Z][a-z]+", text)) and vocab.lookup(text) is None
