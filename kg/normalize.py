"""One canonical key per real thing.

Keys ignore case, spaces and punctuation (``CIFAR10``, ``CIFAR-10`` and ``cifar 10`` share the key
``cifar10``) but keep every letter and digit, so genuinely different variants stay apart
(``imagenetr`` ≠ ``imagenet``, ``cifar100`` ≠ ``cifar10``, ``resnet101`` ≠ ``resnet50``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def norm_key(name: str) -> str:
    """The matching key of a name: lowercase ASCII letters and digits only.

    >>> norm_key("ResNet-50"), norm_key("MS COCO"), norm_key("Fréchet Inception Distance")
    ('resnet50', 'mscoco', 'frechetinceptiondistance')
    """
    folded = unicodedata.normalize("NFKD", name.lower())
    # "+" distinguishes real variants (RefCOCO+ ≠ RefCOCO, DER++ ≠ DER), so it is kept as a word.
    folded = folded.replace("+", "plus")
    key = _NOT_ALNUM.sub("", folded)
    if key:
        return key
    # Names written entirely in other scripts keep their letters rather than vanish.
    return "".join(ch for ch in folded if ch.isalnum()) or name.strip().lower()


def clean_display(name: str) -> str:
    """A display form: single spaces, no stray surrounding punctuation or quotes."""
    name = _SPACES.sub(" ", name).strip()
    return name.strip(" \t.,;:'\"“”‘’()[]{}")
