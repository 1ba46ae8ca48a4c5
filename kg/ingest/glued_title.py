"""A title glued to the front of its abstract, in records that carry no title.

Text taken from PDFs (benchmark dumps such as SciREX) often has no title field and starts with
the title run into the abstract: "Dynamic Evaluation of Neural Sequence Models We present
methodology for …". The title is a run of Title Case words; the abstract starts where a
capitalised word is followed by an ordinary lowercase one ("We present", "In this", "The use").
Left in place, the title reads as the abstract's first words: its words become names found by
shape ("Evaluation of Neural Sequence Models") and the paper's own title rules never see it.
"""

from __future__ import annotations

import re

# words a Title Case run may hold in lowercase ("… of Neural …", "… with Deep …")
TITLE_LOWER = frozenset("a an and as at by for from in into of on or over the to via vs with without using".split())
MIN_WORDS, MAX_WORDS = 3, 20
_CAPITALISED = re.compile(r"[A-Z0-9][\w'’&:+./-]*")


def split_glued_title(abstract: str) -> tuple[str, str]:
    """(title, abstract) when ``abstract`` starts with a glued title, else ("", abstract).

    >>> split_glued_title("Dynamic Evaluation of Neural Sequence Models We present a method.")
    ('Dynamic Evaluation of Neural Sequence Models', 'We present a method.')
    >>> split_glued_title("Machine reading comprehension (MRC) is hard.")
    ('', 'Machine reading comprehension (MRC) is hard.')
    """
    words = abstract.split(" ", MAX_WORDS + 3)
    split = 0
    for k in range(1, min(len(words) - 2, MAX_WORDS + 1)):
        word = words[k - 1]
        if not (_CAPITALISED.fullmatch(word) or (k > 1 and word in TITLE_LOWER)):
            break  # the run of Title Case words ends before word k
        nxt, after = words[k], words[k + 1]
        # "… Detection Even with the advent": a sentence; "… Natural Images with Deep …": the title
        title_goes_on = after in TITLE_LOWER and bool(_CAPITALISED.fullmatch(words[k + 2]))
        if (k >= MIN_WORDS and word not in TITLE_LOWER and _CAPITALISED.fullmatch(nxt)
                and after[:1].islower() and not title_goes_on):
            split = k  # the longest such run: "… Mixture Models Generative models can …"
    if not split:
        return "", abstract
    return " ".join(words[:split]), " ".join(words[split:])
