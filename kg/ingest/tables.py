"""Tables: CSV and TSV (streamed row by row), Parquet (read in record batches through pyarrow).

Column names are matched case-insensitively against the same field names as JSON records.
A table without a title or abstract column is skipped as a whole with one warning.
CSV rows are numbered by physical line (the header is line 1, so the first row of data is
usually line 2; a quoted field spanning lines moves the rows after it down accordingly).
Parquet rows are numbered from 1.
"""

from __future__ import annotations

import csv
import gzip
import shutil
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from kg.ingest.records import (
    ABSTRACT_KEYS,
    DATE_KEYS,
    ID_KEYS,
    MAX_RECORD_CHARS,
    TITLE_KEYS,
    URL_KEYS,
    BadRecord,
)
from kg.ingest.text import UnreadableFile, Warn, iter_lines

Item = tuple[str, object]

_PARQUET_BATCH_ROWS = 2048


def _missing_column(columns: list[str]) -> str | None:
    """The message for a table lacking a required column, or None if it has them all."""
    for keys in (ABSTRACT_KEYS, TITLE_KEYS):
        if not any(key.lower() in columns for key in keys):
            listed = ", ".join(columns) if columns else "none"
            return f"no '{keys[0]}' column (columns: {listed})"
    return None


def _header_name(name: str) -> str:
    """Column names match field names case-insensitively (``Title``, ``ABSTRACT``)."""
    lowered = name.strip().lstrip("\ufeff").lower()
    return "publishedAt" if lowered == "publishedat" else lowered


def read_csv(stream: BinaryIO, source: str, warn: Warn, delimiter: str = ",") -> Iterator[Item]:
    """Rows of a CSV (or, with ``delimiter="\\t"``, TSV) file as dicts keyed by column name."""
    state = {"line": 0}

    def lines() -> Iterator[str]:
        for lineno, line in iter_lines(stream, source, warn):
            state["line"] = lineno
            if line is None:
                warn(f"{source}:{lineno}", "line too long, skipped")
                continue
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    header: list[str] | None = None
    while True:
        start = state["line"] + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if header is not None:
                yield f"{source}:{start}", BadRecord(_csv_problem(error))
            else:
                warn(f"{source}:{start}", f"unreadable header: {error}")
                return
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # blank line
        if header is None:
            header = [_header_name(name) for name in row]
            if problem := _missing_column(header):
                warn(source, problem)
                return
            continue
        where = f"{source}:{start}"
        if len(row) > len(header):
            yield where, BadRecord(f"{len(row)} fields but the header has {len(header)}")
            continue
        yield where, dict(zip(header, row, strict=False))


def _csv_problem(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return (
            f"record too large: a field exceeds {csv.field_size_limit():,} characters"
            f" (limit {MAX_RECORD_CHARS:,})"
        )
    return f"not valid CSV: {error}"


def read_tsv(stream: BinaryIO, source: str, warn: Warn) -> Iterator[Item]:
    return read_csv(stream, source, warn, delimiter="\t")


def read_parquet(stream: BinaryIO, source: str, warn: Warn) -> Iterator[Item]:
    """Rows of a Parquet file, reading only the columns a Paper needs, a batch at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        if isinstance(stream, gzip.GzipFile) or not stream.seekable():
            # Parquet reads its footer first: give it a real file to seek in
            with tempfile.TemporaryFile() as copy:
                shutil.copyfileobj(stream, copy, 1024 * 1024)
                copy.seek(0)
                yield from _read_parquet_file(pq.ParquetFile(copy), source, warn)
        else:
            yield from _read_parquet_file(pq.ParquetFile(stream), source, warn)
    except pa.ArrowException as error:
        raise UnreadableFile(f"not a readable Parquet file ({error})") from None


#: The columns worth reading (after case folding): everything else stays on disk.
_WANTED = {*ID_KEYS, "arxiv_id", *TITLE_KEYS, *ABSTRACT_KEYS, *DATE_KEYS, *URL_KEYS}


def _read_parquet_file(parquet, source: str, warn: Warn) -> Iterator[Item]:
    names = list(parquet.schema_arrow.names)
    keys = {name: _header_name(name) for name in names}
    if problem := _missing_column(list(keys.values())):
        warn(source, problem)
        return
    columns = [name for name in names if keys[name] in _WANTED]
    row = 0
    for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH_ROWS, columns=columns):
        for record in batch.to_pylist():
            row += 1
            yield f"{source}:{row}", {keys[name]: value for name, value in record.items()}
