"""Hugging Face daily-papers pages saved as text: a title line, then its abstract paragraph.

The page around the papers is noise ("Get trending papers in your email inbox!", "Subscribe",
"Upvote", vote counts, "View all"...) except for its date line ("Mar 21"), which dates the
papers after it. The page shows no year, so such dates are kept as ``--MM-DD``
(xsd:gMonthDay). A title is a short line not ending in a period, followed by a long paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from kg.ingest.records import BadRecord
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


def is_title(text: str) -> bool:
    return len(text) < MAX_TITLE_CHARS and not text.endswith(".")


def _blocks(
    lines: Iterator[tuple[int, str | None]], source: str, warn: Warn, dates: list[str]
) -> Iterator[list[tuple[int, str]]]:
    """Runs of non-blank, non-noise lines; a date line sets ``dates[0]`` on its way past."""
    block: list[tuple[int, str]] = []
    for lineno, raw in lines:
        if raw is None:
            warn(f"{source}:{lineno}", "line too long, skipped")
            line = ""
        else:
            line = clean_text(raw)
        if line and (date := page_date(line)):
            dates[0] = date
            line = ""
        if not line or _NOISE.fullmatch(line):
            if block and not line:
                yield block
                block = []
            continue
        block.append((lineno, line))
    if block:
        yield block


def read_hf_page(stream: BinaryIO, source: str, warn: Warn) -> Iterator[Item]:
    """Title/abstract pairs of a daily-papers page as records ``{title, abstract, date}``.

    A paragraph with no title before it is reported and skipped. A short line with no paragraph
    after it is taken for page furniture and dropped silently.
    """
    dates = [""]
    pending: tuple[int, str] | None = None  # a title waiting for its abstract

    def record(title: tuple[int, str], abstract: str) -> Item:
        return f"{source}:{title[0]}", {
            "title": title[1],
            "abstract": abstract,
            "date": dates[0] or None,
        }

    for block in _blocks(iter_lines(stream, source, warn), source, warn, dates):
        joined = " ".join(text for _, text in block)
        if pending is not None:
            if is_title(joined):
                pending = (block[0][0], joined)  # the previous "title" was page furniture
            else:
                yield record(pending, joined)
                pending = None
        elif is_title(joined):
            pending = (block[0][0], joined)
        elif len(block) > 1 and is_title(block[0][1]):
            # a title line directly followed by its abstract, with no blank line between
            yield record(block[0], " ".join(text for _, text in block[1:]))
        else:
            yield f"{source}:{block[0][0]}", BadRecord("abstract without a title")
