"""Turning one raw record (a dict from JSON, a CSV row, a page block) into a ``Paper``.

Field aliases, validation with messages that name the problem, stable ids and date forms.
Readers hand over whatever they parsed; a problem raises :class:`RecordError`, which the caller
reports with the record's ``file:line`` and skips.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
import unicodedata
from typing import Any, NamedTuple

from kg.ingest.glued_title import split_glued_title
from kg.ingest.identifiers import identifiers_in
from kg.ingest.text import clean_text, replace_surrogates
from kg.models import Paper

#: Title plus abstract longer than this (in characters) is rejected as not an abstract.
MAX_RECORD_CHARS = 100_000

ID_KEYS = ("id", "pid")
TITLE_KEYS = ("title",)
ABSTRACT_KEYS = ("abstract", "summary")
DATE_KEYS = ("date", "published", "publishedAt", "update_date")
URL_KEYS = ("url",)
ARXIV_KEYS = ("arxiv_id", "arxivId", "arxiv")
DOI_KEYS = ("doi", "DOI")
#: Keys that mark a line of the arXiv OAI metadata snapshot (its ``id`` is an arXiv id).
OAI_KEYS = ("update_date", "versions", "authors_parsed", "submitter")


class RecordError(ValueError):
    """A record that cannot become a Paper; the message says why (no file or line in it)."""


class BadRecord(NamedTuple):
    """What a reader yields for something it could not even parse (bad JSON, bad CSV row)."""

    message: str


# New-style ids (0704.0001, 2403.12345) and old-style ones (cs/0112017, math.GT/0309136),
# each with an optional version suffix.
_ARXIV_ID = r"(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Za-z]{2})?/\d{7})"
_ARXIV_ID_RE = re.compile(rf"(?:arxiv:)?({_ARXIV_ID})(?:v\d+)?", re.IGNORECASE)
_ARXIV_URL_RE = re.compile(
    rf"(?:arxiv\.org/(?:abs|pdf|html|format)/|huggingface\.co/papers/|10\.48550/arxiv\.)"
    rf"({_ARXIV_ID})(?:v\d+)?(?![\d])",
    re.IGNORECASE,
)


def arxiv_id(value: str) -> str | None:
    """The arXiv id in ``value`` without its version, or None if it is not one.

    >>> arxiv_id("2403.12345v3"), arxiv_id("arXiv:cs/0112017"), arxiv_id("paper-7")
    ('2403.12345', 'cs/0112017', None)
    """
    match = _ARXIV_ID_RE.fullmatch(value.strip())
    return match.group(1) if match else None


def arxiv_id_from_url(url: str) -> str | None:
    """The arXiv id in an arxiv.org (or huggingface.co/papers, arXiv DOI) URL, else None.

    >>> arxiv_id_from_url("https://arxiv.org/pdf/2403.12345v2.pdf")
    '2403.12345'
    """
    match = _ARXIV_URL_RE.search(url)
    return match.group(1) if match else None


def normalize_title(title: str) -> str:
    """Lowercase, letters and digits only (anything else is a space), single spaces.

    >>> normalize_title("EBDM: Exemplar-guided  Image Translation")
    'ebdm exemplar guided image translation'
    """
    folded = unicodedata.normalize("NFKC", title).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


def title_id(title: str) -> str:
    """The id of a paper known only by its title: ``t-`` + 16 hex digits of a SHA-1."""
    digest = hashlib.sha1(normalize_title(title).encode("utf-8")).hexdigest()
    return "t-" + digest[:16]


_ISO_RE = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?:[T ].*)?")
_MONTH_DAY_RE = re.compile(r"--(\d{2})-(\d{2})")
_TEXT_DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y")


def normalize_date(value: object) -> str | None:
    """ISO ``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``, ``--MM-DD``) from common forms, else None.

    >>> normalize_date("2024-03-21T10:00:00Z"), normalize_date("Thu, 21 Mar 2024 10:00:00 GMT")
    ('2024-03-21', '2024-03-21')
    >>> normalize_date("2024-13-40"), normalize_date("soon")
    (None, None)
    """
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if match := _ISO_RE.fullmatch(text):
        year, month, day = match.groups()
        try:
            if day:
                return dt.date(int(year), int(month), int(day)).isoformat()
            if month:
                return dt.date(int(year), int(month), 1).isoformat()[:7]
        except ValueError:
            return None
        return year
    if match := _MONTH_DAY_RE.fullmatch(text):
        return text if _valid_month_day(int(match[1]), int(match[2])) else None
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for form in _TEXT_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    return None


def _valid_month_day(month: int, day: int) -> bool:
    try:
        dt.date(2024, month, day)  # a leap year, so that --02-29 is valid
    except ValueError:
        return False
    return True


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


_ABSENT = object()


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, Any]:
    """The first of ``keys`` with a non-null value, else the first present (null), else
    ``(keys[0], _ABSENT)``."""
    present = [key for key in keys if key in record]
    for key in present:
        if record[key] is not None:
            return key, record[key]
    return (present[0], None) if present else (keys[0], _ABSENT)


def _text_field(record: dict[str, Any], keys: tuple[str, ...], optional: bool = False) -> str:
    key, value = _first(record, keys)
    if value is _ABSENT or (optional and value is None):
        if optional:
            return ""
        raise RecordError(f"missing '{key}'")
    if not isinstance(value, str):
        raise RecordError(f"'{key}' is not a string (got {_type_name(value)})")
    return value


def _id_value(record: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    """An id-like field as a stripped string (numbers allowed), None if absent or empty."""
    key, value = _first(record, keys)
    if value is _ABSENT or value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RecordError(f"'{key}' is not a string or number (got {_type_name(value)})")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return replace_surrogates(str(value).strip()) or None


def _optional_str(record: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    _, value = _first(record, keys)
    return (replace_surrogates(value.strip()) or None) if isinstance(value, str) else None


def paper_from_record(record: object, source: str) -> Paper:
    """Build a Paper from one parsed record, or raise :class:`RecordError` saying why not.

    Id: ``id``/``pid`` as given; else ``arxiv_id``; else an arXiv id in ``url``; else a hash of
    the title. Lines of the arXiv OAI snapshot (recognised by its keys) have arXiv ids as ``id``;
    those, like ids from ``arxiv_id`` or a URL, lose their version suffix. A lone surrogate in
    any text (``"\\ud800"`` in JSON) becomes U+FFFD: the record is kept.
    """
    if isinstance(record, BadRecord):
        raise RecordError(record.message)
    if not isinstance(record, dict):
        raise RecordError(f"not a JSON object (got {_type_name(record)})")
    nested = record.get("paper")
    if isinstance(nested, dict) and not ("title" in record and "abstract" in record):
        # Hugging Face's daily-papers API nests the paper: {"paper": {"id", "title", "summary"}}
        record = {**record, **nested}

    raw_title = _text_field(record, TITLE_KEYS, optional=True)
    raw_abstract = _text_field(record, ABSTRACT_KEYS)
    size = len(raw_title) + len(raw_abstract)
    if size > MAX_RECORD_CHARS:
        raise RecordError(f"record too large: {size:,} characters (limit {MAX_RECORD_CHARS:,})")
    title = clean_text(raw_title)
    abstract = clean_text(raw_abstract)
    if not abstract:
        raise RecordError(f"empty '{_first(record, ABSTRACT_KEYS)[0]}'")

    url = _optional_str(record, URL_KEYS)
    explicit = _id_value(record, ID_KEYS)
    known_arxiv: str | None = None
    if explicit is not None:
        paper_id = explicit
        if any(key in record for key in OAI_KEYS):
            known_arxiv = arxiv_id(explicit)
            paper_id = known_arxiv or explicit
    elif (given := _id_value(record, ("arxiv_id",))) is not None:
        known_arxiv = arxiv_id(given)
        paper_id = known_arxiv or given
    elif url and (from_url := arxiv_id_from_url(url)):
        paper_id = from_url
    else:
        # abstract-only data (some benchmarks carry no titles) is kept: the abstract identifies it
        paper_id = title_id(title or abstract)
    if url is None and known_arxiv:
        url = f"https://arxiv.org/abs/{known_arxiv}"

    date = None
    for key in DATE_KEYS:
        if key in record and (date := normalize_date(record[key])) is not None:
            break
    found_arxiv, found_doi = record_identifiers(record, url)
    if not title:  # (after the id: an abstract-only record keeps the id its whole text gives)
        title, abstract = split_glued_title(abstract)
    # the source names the file, whose name need not be UTF-8 (os.fsdecode keeps such bytes as
    # surrogates)
    return Paper(id=paper_id, title=title, abstract=abstract, date=date, url=url,
                 source=replace_surrogates(source), arxiv_id=found_arxiv, doi=found_doi)


def record_identifiers(record: dict[str, Any], url: str | None) -> tuple[str | None, str | None]:
    """The paper's arXiv id and DOI from the fields that identify it, first found wins: an
    ``arxiv_id``/``arxiv`` field, a ``doi`` field (an arXiv DOI gives the arXiv id too), the
    ``id``/``pid`` field, the ``url``. Never the abstract (kg.ingest.identifiers says why). A
    value that is no identifier of its kind is ignored (the record is kept).

    >>> record_identifiers({"id": "x", "doi": "doi:10.1145/3292500.3330701"}, "https://arxiv.org/abs/2401.12345v2")
    ('2401.12345', '10.1145/3292500.3330701')
    """
    found_arxiv: str | None = None
    found_doi: str | None = None
    values: list[object] = []
    for keys in (ARXIV_KEYS, DOI_KEYS, ID_KEYS):
        _, value = _first(record, keys)
        if isinstance(value, str):  # an int id is no arXiv id or DOI
            values.append(value)
            if keys is DOI_KEYS:  # the OAI snapshot lists several: "10.1103/a 10.1103/b"
                values.extend(value.split()[:1])
    values.append(url)
    for value in values:
        a, d = identifiers_in(value)
        found_arxiv = found_arxiv or a
        found_doi = found_doi or d
    return found_arxiv, found_doi
