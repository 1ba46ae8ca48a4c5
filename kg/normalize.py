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


_PLURAL_TAIL = re.compile(r"(?<=[a-z0-9])(?:s)$")


def singular_key(key: str) -> str:
    """A key with one plural ``s`` folded away, for matching "FRRNs" with "FRRN" and
    "Memory-Networks" with "Memory-Network": keys shorter than four characters, and keys ending
    in "ss"/"us"/"is", stay as they are.

    >>> singular_key("frrns"), singular_key("efficientnets"), singular_key("glass"), singular_key("gas")
    ('frrn', 'efficientnet', 'glass', 'gas')
    """
    if len(key) < 4 or key.endswith(("ss", "us", "is")) or not key.endswith("s"):
        return key
    return key[:-1]
