"""Find URLs in text and clean them; tell code repositories from other links.

Abstracts scraped from web pages carry artifacts: a trailing sentence period, a glued ``.new``
badge, a LaTeX ``{here}``, two URLs glued together, a scheme-less ``github.com/owner/repo``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.candidates import finditer_caseless

REPO_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org")

# what every URL candidate contains: its scheme, "www." or a repository host
URL_STARTS = ("http", "www.", "github.com", "gitlab.com", "bitbucket.org", "huggingface.co")
_CANDIDATE = re.compile(
    r"(?:https?://|www\.|(?<![\w@/.])(?:github\.com|gitlab\.com|bitbucket\.org|huggingface\.co)/)"
    r"[^\s<>\"'`\\]+",
    re.IGNORECASE,
)
# Things pages glue to the end of a link: a "new" badge, LaTeX link text, footnote marks.
_TRAILING_ARTIFACTS = re.compile(
    r"(?:\.new|\{here\}|\\url|\{|\}|\\|\*|†|‡|\[\d+\]|[.,;:!?)\]}>'\"])+$", re.IGNORECASE
)


@dataclass(frozen=True)
class FoundUrl:
    url: str  # cleaned, with a scheme
    start: int  # offsets of the raw text in the input
    end: int
    is_repo: bool


def _balance_parens(raw: str) -> str:
    """Drop a closing parenthesis that belongs to the sentence, not the URL."""
    while raw.endswith(")") and raw.count(")") > raw.count("("):
        raw = raw[:-1]
    return raw


def clean_url(raw: str) -> str | None:
    """Normalise one raw URL; None when nothing usable is left.

    >>> clean_url("github.com/owner/repo.")
    'https://github.com/owner/repo'
    >>> clean_url("https://github.com/o/r.git.new")
    'https://github.com/o/r'
    """
    url = raw.strip()
    previous = None
    while previous != url:
        previous = url
        url = _balance_parens(url)
        url = _TRAILING_ARTIFACTS.sub("", url)
        url = re.sub(r"\.git$", "", url, flags=re.IGNORECASE)
    if not url:
        return None
    if not re.match(r"https?://", url, re.IGNORECASE):
        url = "https://" + url
    scheme, _, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    host = host.lower()
    if host.startswith("www.") and host[4:] in REPO_HOSTS:
        host = host[4:]
    if "." not in host or len(host) < 4:
        return None
    if host in REPO_HOSTS:
        path = path.rstrip("/")
    return f"{scheme.lower()}://{host}{slash}{path}"


def is_repository(url: str) -> bool:
    """A link to a code repository: github.com/owner/repo (deeper paths allowed) and the like."""
    m = re.match(r"https?://([^/]+)/([^/]+)/([^/#?]+)", url)
    if not m:
        return False
    host = m.group(1).lower()
    if host == "huggingface.co":
        return m.group(2) not in ("papers", "blog", "docs", "learn")
    return host in REPO_HOSTS


def find_urls(text: str) -> list[FoundUrl]:
    """Every URL in ``text``, cleaned, in order; glued duplicates are split and kept once."""
    found: list[FoundUrl] = []
    seen: set[str] = set()
    lowered = text.lower()
    if not any(start in lowered for start in URL_STARTS):
        return found  # most abstracts link nothing: skip the scan
    for m in finditer_caseless(_CANDIDATE, text):
        raw, base = text[m.start():m.end()], m.start()
        # "https://a/b.https://a/b." — two links glued by a page: split at each later scheme.
        cuts = [0] + [c.start() for c in re.finditer(r"(?<=.)https?://", raw)] + [len(raw)]
        for a, b in zip(cuts, cuts[1:]):
            piece = raw[a:b]
            url = clean_url(piece)
            if url is None or url.lower() in seen:
                continue
            seen.add(url.lower())
            stripped = len(piece.rstrip(".,;:!?)]}>'\""))
            found.append(FoundUrl(url, base + a, base + a + stripped, is_repository(url)))
    return found
