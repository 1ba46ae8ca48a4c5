"""arXiv ids and DOIs: recognising them in record fields, URLs and page link lines.

A paper's identifiers come from the parts of a record that are *about the paper*: an id field,
an ``arxiv_id``/``doi`` field, its URL, and on Hugging Face pages the link line under its title.
Ids written in the abstract are not taken: an abstract that says "extends arXiv:2301.01234" or
"data at doi:10.5281/zenodo.123" names another work, and a wrong ``owl:sameAs`` would merge two
papers in every tool that follows it.

Forms kept (so that a join on them works across tools):

- arXiv: the id without its version, ``2401.12345`` (new style, checked: a real month, four
  digits before 2015 and five since) or ``cs/0501001`` (old style: a known archive, 1991–2007;
  a subject class such as ``math.GT/0309136`` is dropped, as arXiv itself does:
  ``math/0309136``).
- DOI: lowercase (DOIs are case-insensitive; Crossref and OpenAlex compare them lowercase),
  without ``doi:``/``https://doi.org/``, percent-decoded, with trailing punctuation and an
  unbalanced closing bracket removed (``10.1016/s0140-6736(20)30183-5`` keeps its brackets).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

#: arXiv archives that had old-style ids (``archive/YYMMNNN``, before April 2007).
OLD_ARCHIVES = (
    "acc-phys", "adap-org", "alg-geom", "ao-sci", "astro-ph", "atom-ph", "bayes-an", "chao-dyn",
    "chem-ph", "cmp-lg", "comp-gas", "cond-mat", "cs", "dg-ga", "funct-an", "gr-qc", "hep-ex",
    "hep-lat", "hep-ph", "hep-th", "math", "math-ph", "mtrl-th", "nlin", "nucl-ex", "nucl-th",
    "patt-sol", "physics", "plasm-ph", "q-alg", "q-bio", "quant-ph", "solv-int", "supr-con",
)  # fmt: skip
_ARCHIVE = "|".join(sorted((re.escape(a) for a in OLD_ARCHIVES), key=len, reverse=True))
# new style YYMM.NNNN(N), old style archive(.SC)/YYMMNNN; an optional version either way
_ARXIV = (
    rf"(?:(?P<new>\d{{2}}(?:0[1-9]|1[0-2])\.\d{{4,5}})"
    rf"|(?P<archive>{_ARCHIVE})(?:\.[A-Za-z]{{2}})?/(?P<old>\d{{2}}(?:0[1-9]|1[0-2])\d{{3}}))"
    rf"(?:v\d+)?"
)
_ARXIV_BARE = re.compile(rf"(?:arxiv\s*:\s*)?{_ARXIV}", re.IGNORECASE)
_ARXIV_IN_URL = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf|html|format)/|huggingface\.co/papers/|10\.48550/arxiv\.){_ARXIV}(?!\d)",
    re.IGNORECASE,
)
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_PREFIX = re.compile(r"(?:doi\s*:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
_TRAILING = ".,;:'\"!?"
_PAIRS = {")": "(", "]": "[", "}": "{"}
_ARXIV_DOI = re.compile(rf"10\.48550/arxiv\.{_ARXIV}", re.IGNORECASE)


def _canonical_arxiv(match: re.Match) -> str | None:
    if match["new"]:
        yymm, number = match["new"].split(".")
        # four-digit numbers until 1412, five from 1501; the scheme started in 0704
        if yymm < "0704" or (len(number) == 5) != (yymm >= "1501"):
            return None
        return match["new"]
    year = int(match["old"][:2])
    if not (year >= 91 or year <= 7):
        return None
    return f"{match['archive'].lower()}/{match['old']}"


def arxiv_id(value: object) -> str | None:
    """The arXiv id that ``value`` is (``2401.12345v2``, ``arXiv:cs/0501001``), without its
    version, else None.

    >>> arxiv_id("2401.12345v2"), arxiv_id("arXiv: math.GT/0309136"), arxiv_id("2413.12345")
    ('2401.12345', 'math/0309136', None)
    """
    if not isinstance(value, str):
        return None
    match = _ARXIV_BARE.fullmatch(value.strip().rstrip(_TRAILING))
    return _canonical_arxiv(match) if match else None


def arxiv_id_in_url(url: object) -> str | None:
    """The arXiv id of an arxiv.org, huggingface.co/papers or arXiv-DOI URL, else None.

    >>> arxiv_id_in_url("https://arxiv.org/pdf/2401.12345v3.pdf")
    '2401.12345'
    """
    if not isinstance(url, str):
        return None
    match = _ARXIV_IN_URL.search(url)
    return _canonical_arxiv(match) if match else None


def _trim_doi(text: str) -> str:
    """Trailing punctuation and unbalanced closing brackets off a DOI found in running text."""
    while text:
        last = text[-1]
        if last in _TRAILING:
            text = text[:-1]
        elif last in _PAIRS and text.count(last) > text.count(_PAIRS[last]):
            text = text[:-1]
        else:
            break
    return text


def doi(value: object) -> str | None:
    """The DOI that ``value`` is (``10.1145/3292500.3330701``, ``doi:10…``, ``https://doi.org/10…``),
    lowercase, else None.

    >>> doi("https://doi.org/10.1016/S0140-6736(20)30183-5."), doi("DOI: 10.1145/3292500.3330701")
    ('10.1016/s0140-6736(20)30183-5', '10.1145/3292500.3330701')
    >>> doi("10.1234"), doi("see 10.1145/1")
    (None, None)
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    prefix = _DOI_PREFIX.match(text)
    if prefix:
        text = text[prefix.end():]
        if prefix.group(0).lower().startswith("http"):
            text = unquote(text.split("?", 1)[0].split("#", 1)[0])
    text = _trim_doi(text)
    return text.lower() if _DOI.fullmatch(text) else None


def doi_in_url(url: object) -> str | None:
    """The DOI in a URL: a doi.org link, or a publisher's link with the DOI in its path
    (``https://dl.acm.org/doi/10.1145/3292500.3330701``), else None.

    >>> doi_in_url("https://link.springer.com/article/10.1007/s11263-015-0816-y?x=1")
    '10.1007/s11263-015-0816-y'
    """
    if not isinstance(url, str):
        return None
    try:
        path = unquote(urlsplit(url.strip()).path)
    except ValueError:
        return None
    match = _DOI.search(path)
    if not match:
        return None
    text = _trim_doi(match.group(0))
    if text.lower().endswith(".pdf"):  # publishers' /doi/pdf/10.x/y.pdf links
        text = text[:-4]
    return text.lower() if _DOI.fullmatch(text) else None


def arxiv_id_of_doi(value: str | None) -> str | None:
    """The arXiv id of an arXiv DOI (``10.48550/arxiv.2401.12345``), else None."""
    match = _ARXIV_DOI.fullmatch(value or "")
    return _canonical_arxiv(match) if match else None


def identifiers_in(value: object) -> tuple[str | None, str | None]:
    """``(arxiv_id, doi)`` of one value that should *be* an identifier or a link to the paper:
    a bare id, ``arXiv:…``, ``doi:…``, or a URL. An arXiv DOI gives both.

    >>> identifiers_in("https://doi.org/10.48550/arXiv.2401.12345")
    ('2401.12345', '10.48550/arxiv.2401.12345')
    """
    if not isinstance(value, str) or not value.strip():
        return None, None
    text = value.strip()
    if re.match(r"https?://", text, re.IGNORECASE):
        found_doi = doi(text) or doi_in_url(text)
        return arxiv_id_in_url(text) or arxiv_id_of_doi(found_doi), found_doi
    found_doi = doi(text)
    return arxiv_id(text) or arxiv_id_of_doi(found_doi), found_doi


#: A page line that is only a link to a paper: an optional short label ("arXiv", "Paper", "PDF",
#: "DOI") and one identifier or URL.
_LINK_LINE = re.compile(r"(?:(?P<label>[A-Za-z][A-Za-z ]{0,24}?)\s*[:|\-–]?\s+)?(?P<value>\S+)")


def link_line(line: str) -> tuple[str | None, str | None] | None:
    """``(arxiv_id, doi)`` when ``line`` is a link line ("arXiv:2401.12345", "PDF:
    https://arxiv.org/pdf/2401.12345", "https://doi.org/10.1145/…"), else None.

    >>> link_line("arXiv page: https://arxiv.org/abs/2401.12345"), link_line("Attention Is All You Need")
    (('2401.12345', None), None)
    """
    text = line.strip()
    if len(text) > 300:
        return None
    match = _LINK_LINE.fullmatch(text)
    if not match:
        return None
    found = identifiers_in(match["value"])
    if found == (None, None) and match["label"]:
        found = identifiers_in(text)  # "arXiv: 2401.12345", "DOI: 10.1145/…"
    return found if found != (None, None) else None
