"""Hugging Face daily-papers pages saved as text: a title line, then its abstract paragraph.

The page around the papers is noise ("Get trending papers in your email inbox!", "Subscribe",
"Upvote", vote counts, "View all"...) except for what dates and identifies the papers:

- **The page date** dates every paper after it (papers carry no date of their own there). It is
  a date line ("Mar 21", "March 21, 2024"), a daily-papers link with a date
  (``huggingface.co/papers?date=2024-03-21``, ``huggingface.co/papers/date/2024-03-21``) or a
  "Daily Papers" title line with a date in it; before any of those, a date in the file's name
  (``2024-03-21.txt``, ``hf_papers_2024-03-21.txt``, as a browser or a download tool names the
  saved page). The page shows no year in its date line: the year comes from a date with a year
  on the page or in the file name, else from ``page_year`` (``kg build --page-year``,
  ``KG_PAGE_YEAR``); without one the date stays ``--MM-DD`` (xsd:gMonthDay), which time
  analyses (``kg plot trends``) cannot place, and a warning says so once per page. A page with
  no date at all gives its papers none, with a one-line warning.
- **A link line** ("arXiv:2401.12345", "https://huggingface.co/papers/2401.12345", "DOI:
  10.1145/…") between a title and its abstract, or directly under the abstract's last line,
  identifies that paper (its arXiv id then is its id). Elsewhere one is ignored: a link above a
  title could belong to either neighbour.

A title is a short line not ending in a period, followed by a long paragraph.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from kg.ingest.identifiers import link_line
from kg.ingest.records import BadRecord, normalize_date
from kg.ingest.text import Warn, clean_text, iter_lines

Item = tuple[str, object]

#: A title is shorter than this and does not end with a period; anything else is a paragraph.
MAX_TITLE_CHARS = 300

_NOISE = re.compile(
    r"""(?:
        new | subscribe | upvoted? | view\ all | see\ all | show\ more | load\ more
      | previous | next | daily\ papers | trending(?:\ papers)? | papers | search
      | get\ trending\ papers\ in\ your\ email\ inbox!?
      | by\s*ak\ and\ the\ research\ community
      | submitted\ by\b.* | published\ on\b.* | \d+\ authors?
      | ©.* | [\W\d_]*      # numbers alone (vote counts), bullets, dashes
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")  # fmt: skip
_DATE_LINE = re.compile(
    r"(?:(?P<m1>[a-z]+)\.?\s+(?P<d1>\d{1,2})|(?P<d2>\d{1,2})\s+(?P<m2>[a-z]+)\.?)"
    r"(?:,?\s+(?P<year>\d{4}))?",
    re.IGNORECASE,
)


def page_date(line: str) -> str | None:
    """``--MM-DD`` for a date line such as ``Mar 21`` (``YYYY-MM-DD`` if it has a year).

    >>> page_date("Mar 21"), page_date("March 5, 2024"), page_date("Marvel 21")
    ('--03-21', '2024-03-05', None)
    """
    match = _DATE_LINE.fullmatch(line.strip())
    if not match:
        return None
    word = (match["m1"] or match["m2"]).lower()
    day = int(match["d1"] or match["d2"])
    month = next(
        (
            number
            for number, full in enumerate(_MONTH_NAMES, 1)
            if word in (full, full[:3]) or (word == "sept" and number == 9)
        ),
        None,
    )
    days = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    if month is None or not 1 <= day <= days[month - 1]:
        return None
    if match["year"]:
        year = int(match["year"])
        if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 or year % 400 == 0)):
            return None
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"--{month:02d}-{day:02d}"


_HF_DATE_URL = re.compile(r"huggingface\.co/papers(?:/date/|/?\?date=)(\d{4}-\d{2}-\d{2})", re.IGNORECASE)
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-_](\d{2})[-_](\d{2})(?!\d)")
_DAILY_TITLE = re.compile(r"daily papers\b", re.IGNORECASE)


def header_date(line: str) -> str | None:
    """The page date a line gives: a date line, a daily-papers link with a date, or a "Daily
    Papers" title with a date in it (``--MM-DD`` when it has no year), else None.

    >>> header_date("https://huggingface.co/papers?date=2024-03-21"), header_date("Daily Papers - Mar 21")
    ('2024-03-21', '--03-21')
    """
    if date := page_date(line):
        return date
    words = len(line.split())  # a header line, not a sentence of an abstract that names a link
    if len(line) > 200 or words > 12:
        return None
    if words <= 4 and (match := _HF_DATE_URL.search(line)):
        return normalize_date(match.group(1))
    if _DAILY_TITLE.search(line):
        if (match := _ISO_DATE.search(line)) and (date := normalize_date("-".join(match.groups()))):
            return date
        for match in _DATE_LINE.finditer(line):
            if date := page_date(match.group(0)):
                return date
    return None


def file_name_date(source: str) -> str | None:
    """``YYYY-MM-DD`` from a date in a file's name (``hf_2024-03-21.txt``, ``2024_03_21.txt``).

    >>> file_name_date("pages/papers_2024-03-21.txt"), file_name_date("000_30e73837d39fcfe2.txt")
    ('2024-03-21', None)
    """
    match = _ISO_DATE.search(os.path.basename(source))
    return normalize_date("-".join(match.groups())) if match else None


def with_year(date: str, year: int | None) -> str:
    """``--MM-DD`` completed with ``year`` (unchanged without one, or for 29 February of a
    common year)."""
    if year is None or not date.startswith("--"):
        return date
    return normalize_date(f"{year:04d}-{date[2:]}") or date


class PageDate:
    """The date papers on one page get, as the page is read (see the module's docstring)."""

    def __init__(self, source: str, page_year: int | None, warn: Warn):
        self.source, self.warn = source, warn
        self.current = file_name_date(source) if source != "<stdin>" else None
        self.year = int(self.current[:4]) if self.current else page_year
        self.shown = ""  # the line the current date came from, for the warning
        self.warned = False

    def take(self, line: str) -> bool:
        """Whether ``line`` is a date line (it is then consumed: not a title, not text)."""
        date = header_date(line)
        if date is None:
            return False
        if not date.startswith("--"):
            self.year = int(date[:4])  # later year-less lines are in the same year
        self.current, self.shown = with_year(date, self.year), line
        return True

    def for_paper(self) -> str | None:
        if not self.warned and (self.current is None or self.current.startswith("--")):
            self.warned = True
            if self.current is None:
                self.warn(self.source, "no page date found (a line such as 'Mar 21', a huggingface.co/papers"
                          "?date= link or a date in the file name): its papers have no date")
            else:
                self.warn(self.source, f"the page date '{self.shown}' has no year: its papers are dated "
                          f"{self.current}, which kg plot trends cannot place; give the year with "
                          "--page-year YEAR (or KG_PAGE_YEAR), or a file name with the date (2024-03-21.txt)")
        return self.current


def is_title(text: str) -> bool:
    return len(text) < MAX_TITLE_CHARS and not text.endswith(".")


@dataclass(frozen=True)
class _Link:
    """A link line: its identifiers, and whether a blank line separates it from the text above."""

    arxiv_id: str | None
    doi: str | None
    after_blank: bool


def _blocks(
    lines: Iterator[tuple[int, str | None]], source: str, warn: Warn, dates: PageDate
) -> Iterator[list[tuple[int, str]] | _Link]:
    """Runs of non-blank, non-noise lines, and link lines between them; date lines are given to
    ``dates`` on their way past."""
    block: list[tuple[int, str]] = []
    after_blank = True
    for lineno, raw in lines:
        if raw is None:
            warn(f"{source}:{lineno}", "line too long, skipped")
            line = ""
        else:
            line = clean_text(raw)
        if line and dates.take(line):
            line = ""
        if line and (ids := link_line(line)) is not None:
            if block:
                yield block
                block = []
            yield _Link(*ids, after_blank=after_blank)
            after_blank = False
            continue
        if not line or _NOISE.fullmatch(line):
            if block and not line:
                yield block
                block = []
            after_blank = after_blank or not line
            continue
        block.append((lineno, line))
        after_blank = False
    if block:
        yield block


def read_hf_page(stream: BinaryIO, source: str, warn: Warn, page_year: int | None = None) -> Iterator[Item]:
    """Title/abstract pairs of a daily-papers page as records ``{title, abstract, date}`` (plus
    ``arxiv_id``/``doi`` from a link line).

    A paragraph with no title before it is reported and skipped. A short line with no paragraph
    after it is taken for page furniture and dropped silently.
    """
    dates = PageDate(source, page_year, warn)
    pending: tuple[int, str] | None = None  # a title waiting for its abstract
    pending_ids: dict[str, str] = {}
    held: tuple[str, dict] | None = None  # the last paper, until no link line can follow it

    def record(title: tuple[int, str], abstract: str) -> tuple[str, dict]:
        fields = {"title": title[1], "abstract": abstract, "date": dates.for_paper()}
        return f"{source}:{title[0]}", {**fields, **pending_ids}

    def add_ids(target: dict[str, str], link: _Link) -> None:
        for key, value in (("arxiv_id", link.arxiv_id), ("doi", link.doi)):
            if value:
                target.setdefault(key, value)

    for block in _blocks(iter_lines(stream, source, warn), source, warn, dates):
        if isinstance(block, _Link):
            if pending is not None:
                add_ids(pending_ids, block)
            elif held is not None and not block.after_blank:
                add_ids(held[1], block)
            continue
        joined = " ".join(text for _, text in block)
        item: Item | None = None
        if pending is not None:
            if is_title(joined):
                pending, pending_ids = (block[0][0], joined), {}  # the previous "title" was furniture
            else:
                item = record(pending, joined)
                pending, pending_ids = None, {}
        elif is_title(joined):
            pending = (block[0][0], joined)
        elif len(block) > 1 and is_title(block[0][1]):
            # a title line directly followed by its abstract, with no blank line between
            item = record(block[0], " ".join(text for _, text in block[1:]))
        else:
            item = f"{source}:{block[0][0]}", BadRecord("abstract without a title")
        if item is not None or pending is not None:
            if held is not None:
                yield held
            held = None
        if item is not None:
            if isinstance(item[1], dict):
                held = item  # type: ignore[assignment]
            else:
                yield item
    if held is not None:
        yield held
