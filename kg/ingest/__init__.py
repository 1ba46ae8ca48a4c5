"""Reading papers from files, directories and standard input: ``read_papers`` and its report.

>>> report = IngestReport()
>>> for paper in read_papers(["papers.jsonl", "pages/", "-"], report=report):  # doctest: +SKIP
...     ...

Formats are chosen by extension (``.jsonl``/``.ndjson``, ``.json``, ``.csv``, ``.tsv``,
``.parquet``, ``.txt`` for Hugging Face daily-papers pages, each optionally ``.gz``); standard
input (``-``) is JSON if it starts with ``{`` or ``[``, JSON Lines if most of its first lines
do, else page text, and a warning says which. Each paper is yielded once, the first time its id
is seen. A bad record is reported (``file:line`` and why) and skipped; a file that cannot be
read at all raises ``InputError`` when named directly and is reported and skipped when found in
a directory. In a directory only regular files are read: a named pipe or a device there is
reported and skipped, never opened for reading (a pipe would wait for a writer for ever).
"""

from __future__ import annotations

import os
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import BinaryIO

from kg.config import page_year as config_page_year
from kg.errors import InputError, UsageError
from kg.ingest.hf_daily import read_hf_page
from kg.ingest.jsonl import read_json, read_jsonl
from kg.ingest.records import MAX_RECORD_CHARS, RecordError, paper_from_record
from kg.ingest.tables import read_csv, read_parquet, read_tsv
from kg.ingest.text import (
    STDIN,
    UnreadableFile,
    Warn,
    file_kind,
    open_input,
    peek_first_char,
    peek_lines,
)
from kg.models import Paper

__all__ = ["FORMATS", "MAX_RECORD_CHARS", "IngestReport", "read_papers"]

OnWarning = Callable[[str, str], None]
Reader = Callable[[BinaryIO, str, Warn], Iterator[tuple[str, object]]]

#: Readers by file extension (before an optional ``.gz``).
FORMATS: dict[str, Reader] = {
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": read_json,
    ".csv": read_csv,
    ".tsv": read_tsv,
    ".parquet": read_parquet,
    ".txt": read_hf_page,
}
_EXPECTED = ".jsonl, .json, .csv, .tsv, .parquet, .txt, optionally .gz"

#: How many warnings the report keeps; later ones are counted and still passed to on_warning.
MAX_KEPT_WARNINGS = 10_000


@dataclass
class IngestReport:
    """What a ``read_papers`` run saw: ``records == papers + duplicates + skipped``."""

    files: int = 0
    records: int = 0
    papers: int = 0
    duplicates: int = 0
    skipped: int = 0
    warnings: list[tuple[str, str]] = field(default_factory=list)
    warnings_not_kept: int = 0

    def warn(self, source: str, message: str) -> None:
        if len(self.warnings) < MAX_KEPT_WARNINGS:
            self.warnings.append((source, message))
        else:
            self.warnings_not_kept += 1

    def summary(self) -> str:
        """One line for the user, e.g. ``2 files, 10 records: 8 papers, 1 duplicate, 1 skipped``."""

        def count(n: int, noun: str) -> str:
            return f"{n:,} {noun}{'' if n == 1 else 's'}"

        return (
            f"{count(self.files, 'file')}, {count(self.records, 'record')}: "
            f"{count(self.papers, 'paper')}, {count(self.duplicates, 'duplicate')}, "
            f"{self.skipped:,} skipped"
        )


def file_format(path: str) -> str | None:
    """The extension that picks a reader (``.jsonl`` for ``x.JSONL.gz``), or None if unknown."""
    name = os.path.basename(path).lower()
    name = name.removesuffix(".gz")
    extension = os.path.splitext(name)[1]
    return extension if extension in FORMATS else None


def _unknown_format(path: str) -> UsageError:
    name = os.path.basename(path).lower()
    inner = name.removesuffix(".gz")
    extension = os.path.splitext(inner)[1] or (".gz" if inner != name else "")
    shown = f"'{extension}'" if extension else "(no extension)"
    return UsageError(f"cannot read {path}: unknown format {shown} (expected {_EXPECTED})")


def _check(path: str) -> str:
    """``"stdin"``, ``"dir"`` or ``"file"`` for a path given by the user, or a UsageError."""
    if path == "-":
        return "stdin"
    if os.path.isdir(path):
        return "dir"
    if not os.path.exists(path):
        raise UsageError(f"no such file or directory: {path}")
    if file_format(path) is None:
        raise _unknown_format(path)
    mode = os.stat(path).st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):  # a pipe named on purpose is read
        raise UsageError(f"cannot read {path}: it is {file_kind(mode)}, not a file")
    return "file"


def read_papers(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    report: IngestReport | None = None,
    on_warning: OnWarning | None = None,
    on_duplicate: Callable[[Paper], None] | None = None,
    page_year: int | None = None,
) -> Iterator[Paper]:
    """Papers from files, directories (recursively) and ``-`` (standard input), each id once.

    Every path is checked before anything is read: a missing path or unknown format raises
    ``UsageError`` right away. ``on_warning(source, message)`` hears about every bad record
    (``source`` is ``file:line``) and unreadable file; ``report`` counts everything.
    ``on_duplicate(paper)`` receives each later record of an id already yielded (so a caller can
    merge their metadata, e.g. the earliest date). ``page_year`` is the year of Hugging Face
    pages whose date shows none (default ``KG_PAGE_YEAR``; see kg.ingest.hf_daily).
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    checked = [(os.fspath(path), _check(os.fspath(path))) for path in paths]
    year = page_year if page_year is not None else config_page_year()
    return _read_all(checked, report if report is not None else IngestReport(), on_warning, on_duplicate, year)


def _read_all(
    checked: list[tuple[str, str]],
    report: IngestReport,
    on_warning: OnWarning | None,
    on_duplicate: Callable[[Paper], None] | None = None,
    page_year: int | None = None,
) -> Iterator[Paper]:
    def warn(source: str, message: str) -> None:
        report.warn(source, message)
        if on_warning is not None:
            on_warning(source, message)

    seen = _Seen(on_duplicate)
    failed: list[_FileFailed] = []
    for path, kind in checked:
        if kind != "dir":
            try:
                yield from _read_file(path, report, warn, seen, regular_only=False, page_year=page_year)
            except _FileFailed as failure:
                # the other inputs are still read; the failure is raised once they are done
                failed.append(failure)
            continue
        for file in _walk(path, warn):
            try:
                yield from _read_file(file, report, warn, seen, regular_only=True, page_year=page_year)
            except _FileFailed as failure:
                warn(failure.path, f"file skipped: {failure.reason}")
    if failed:
        first = failed[0]
        more = f" (and {len(failed) - 1} more unreadable inputs)" if len(failed) > 1 else ""
        raise InputError(f"cannot read {first.path}: {first.reason}{more}")


def _walk(directory: str, warn: Warn) -> Iterator[str]:
    """Readable files under ``directory`` in sorted order; hidden ones and others left out."""

    def on_error(error: OSError) -> None:
        warn(error.filename or directory, f"directory skipped: {error.strerror or error}")

    for root, dirs, files in os.walk(directory, onerror=on_error):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and file_format(name) is not None:
                yield os.path.join(root, name)


class _FileFailed(Exception):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class _Seen(set):
    """Ids already yielded, and who hears about the later records of the same id."""

    def __init__(self, on_duplicate: Callable[[Paper], None] | None):
        super().__init__()
        self.on_duplicate = on_duplicate

    def duplicate(self, paper: Paper) -> None:
        if self.on_duplicate is not None:
            self.on_duplicate(paper)


#: How many lines of standard input its format is guessed from, when it does not start with JSON.
SNIFF_LINES = 20


def _stdin_format(stream: BinaryIO, warn: Warn) -> tuple[Reader, BinaryIO]:
    """The reader for standard input, which has no name to go by, and the stream to give it.

    JSON if it starts with ``{`` or ``[``; JSON Lines if most of the first lines after the
    first start with ``{`` (a bad first line must not turn a JSON Lines stream into one page);
    else Hugging Face page text. A warning says which, so that a wrong guess shows.
    """
    first, _, stream = peek_first_char(stream)
    if not first:
        return read_json, stream
    if first in ("{", "["):
        warn(STDIN, f"read as JSON (it starts with '{first}')")
        return read_json, stream
    lines, stream = peek_lines(stream, SNIFF_LINES)
    later = lines[1:]
    if later and 2 * sum(line.startswith("{") for line in later) > len(later):
        warn(STDIN, "read as JSON Lines (the first line is not JSON, most lines after it are)")
        return read_jsonl, stream
    warn(STDIN, "read as Hugging Face daily-papers page text (it does not start with '{' or '[')")
    return read_hf_page, stream


def _read_file(path: str, report: IngestReport, warn: Warn, seen: _Seen, *,
               regular_only: bool, page_year: int | None = None) -> Iterator[Paper]:
    source = STDIN if path == "-" else path
    try:
        with open_input(path, regular_only=regular_only) as stream:
            report.files += 1
            if path == "-":
                reader, stream = _stdin_format(stream, warn)
            else:
                reader = FORMATS[file_format(path) or ""]
            if reader is read_hf_page:
                reader = partial(read_hf_page, page_year=page_year)
            untitled_said = False
            for where, record in reader(stream, source, warn):
                report.records += 1
                try:
                    paper = paper_from_record(record, where)
                except RecordError as problem:
                    report.skipped += 1
                    warn(where, str(problem))
                    continue
                if not paper.title and not untitled_said:
                    untitled_said = True
                    warn(where, "a paper without a title is kept with an empty title (said once per file)")
                if paper.id in seen:
                    report.duplicates += 1
                    seen.duplicate(paper)
                    continue
                seen.add(paper.id)
                report.papers += 1
                yield paper
    except UnreadableFile as error:
        raise _FileFailed(source, str(error)) from None
    except (EOFError, zlib.error) as error:  # truncated or damaged gzip
        raise _FileFailed(source, f"corrupt gzip data ({error})") from None
    except OSError as error:
        reason = error.strerror or str(error)
        if path.lower().endswith(".gz") and not error.strerror:
            reason = f"corrupt gzip data ({error})"
        raise _FileFailed(source, reason) from None
