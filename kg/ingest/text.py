"""Opening inputs and turning their bytes into clean text: gzip, encodings, control characters.

Everything here streams: files are read a line (or, for long lines, a piece) at a time, never
whole. Decoding is per line so that one stray cp1252 byte costs one warning, not the file.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from typing import BinaryIO

Warn = Callable[[str, str], None]

#: A line longer than this is dropped with a warning instead of being held in memory.
MAX_LINE_BYTES = 64 * 1024 * 1024
#: Size of the pieces in which :func:`iter_text` hands out long lines.
PIECE_BYTES = 1024 * 1024

STDIN = "<stdin>"


class UnreadableFile(Exception):
    """A whole file cannot be read (not Parquet, say); the message says why, without the path."""


_BOM = "\ufeff"
_BOM_BYTES = b"\xef\xbb\xbf"

# Control characters: the whitespace ones (tab, newlines, separators, NEL) become spaces, every
# other one (NUL, escape, C1 controls, DEL) and the byte order mark disappear.
_WHITESPACE_CONTROLS = {*range(0x09, 0x0E), *range(0x1C, 0x20), 0x85}
_CLEAN_TABLE: dict[int, str | None] = {
    code: (" " if code in _WHITESPACE_CONTROLS else None)
    for code in [*range(0x20), *range(0x7F, 0xA0)]
}
_CLEAN_TABLE[ord(_BOM)] = None


_LATEX_TILDE = re.compile(r"(?<=\w)~(?=[(\[\\])")
# A lone UTF-16 surrogate (a JSON "\\ud800" escape, a file name that is not UTF-8) cannot be
# encoded: hashing or storing it fails. Records keep their text with U+FFFD in its place.
_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (the replacement character).

    >>> replace_surrogates("a\\ud800b")
    'a\ufffdb'
    """
    return text if text.isprintable() else _SURROGATE.sub("\ufffd", text)


def clean_text(text: str) -> str:
    """Drop control characters and the BOM, replace lone surrogates with U+FFFD, collapse
    whitespace runs to one space, strip.

    >>> clean_text("\\ufeff Deep\\x00 learning\\n\\n  for   all\\t")
    'Deep learning for all'
    """
    if not text.isprintable():  # controls and surrogates are non-printable: skip if none
        text = _SURROGATE.sub("\ufffd", text.translate(_CLEAN_TABLE))
    if "~" in text:
        # LaTeX's non-breaking space left in scraped abstracts: "Transformation~(CDvG)"
        text = _LATEX_TILDE.sub(" ", text)
    return " ".join(text.split())


def decode_line(raw: bytes) -> tuple[str, str | None]:
    """Decode one line: UTF-8, else cp1252, else latin-1 (which never fails).

    Returns the text and, when UTF-8 failed, the name of the encoding used.
    """
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _utf8_cut(data: bytes) -> int:
    """Where to cut ``data`` so that no UTF-8 sequence is split: its length, or a bit less."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:  # ASCII: nothing pending
            return len(data)
        if byte >= 0xC0:  # lead byte: is its sequence complete?
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return len(data) if back >= need else len(data) - back
    return len(data)  # only continuation bytes: not UTF-8 anyway, cut anywhere


def _raw_pieces(stream: BinaryIO, limit: int) -> Iterator[tuple[bytes, bool]]:
    """Pieces of at most ``limit`` bytes, each ``(bytes, ends_a_line)``; no UTF-8 char is split."""
    carry = b""
    while True:
        chunk = stream.readline(limit)
        if not chunk:
            if carry:
                yield carry, True
            return
        data = carry + chunk
        if data.endswith(b"\n"):
            carry = b""
            yield data, True
            continue
        cut = _utf8_cut(data)
        if cut == 0:  # pathological: keep growing until something decodable arrives
            carry = data
            continue
        carry = data[cut:]
        yield data[:cut], False


def _decode(raw: bytes, source: str, lineno: int, warn: Warn) -> str:
    text, fallback = decode_line(raw)
    if fallback:
        warn(f"{source}:{lineno}", f"not UTF-8, decoded as {fallback}")
    if lineno == 1 and text.startswith(_BOM):
        text = text[1:]
    return text


def iter_lines(stream: BinaryIO, source: str, warn: Warn) -> Iterator[tuple[int, str | None]]:
    """Decoded lines with their line endings, numbered from 1.

    A line longer than :data:`MAX_LINE_BYTES` is skipped without being held in memory and
    comes out as ``(lineno, None)``, so that the caller can report it in its own terms.
    """
    lineno = 0
    limit = MAX_LINE_BYTES
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # drain the rest of the line
                raw = stream.readline(PIECE_BYTES)
            yield lineno, None
            continue
        yield lineno, _decode(raw, source, lineno, warn)


def iter_text(stream: BinaryIO, source: str, warn: Warn) -> Iterator[str]:
    """Decoded text in pieces of about :data:`PIECE_BYTES`, split at line ends when possible.

    For parsers that need a character stream rather than lines (a JSON array on one line).
    """
    lineno = 1
    for raw, ends_line in _raw_pieces(stream, PIECE_BYTES):
        yield _decode(raw, source, lineno, warn)
        if ends_line:
            lineno += 1


class _ReplayRaw(io.RawIOBase):
    """A raw stream that first returns ``prefix``, then the rest of ``stream``."""

    def __init__(self, prefix: bytes, stream: BinaryIO) -> None:
        self._prefix = prefix
        self._stream = stream
        self._read = getattr(stream, "read1", stream.read)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self._prefix:
            data, self._prefix = self._prefix[: len(buffer)], self._prefix[len(buffer) :]
        else:
            data = self._read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def peek_first_char(stream: BinaryIO) -> tuple[str, bytes, BinaryIO]:
    """The first non-blank character (``""`` if none), the bytes read to find it and the end
    of its line, and a stream that reads everything again from the start.

    Reads at most :data:`MAX_LINE_BYTES` beyond the blank lines; works on pipes (no seeking).
    """
    read = getattr(stream, "read1", stream.read)
    prefix = b""
    first = ""
    while True:
        chunk = read(PIECE_BYTES)
        if not chunk:
            break
        prefix += chunk
        body = prefix.removeprefix(_BOM_BYTES)
        stripped = body.lstrip()
        if stripped:
            first = chr(stripped[0]) if stripped[0] < 0x80 else "?"
            start = len(prefix) - len(stripped)
            # Only "{" needs its whole first line (one object per line, or a pretty-printed one?)
            if first != "{" or b"\n" in prefix[start:] or len(prefix) - start > MAX_LINE_BYTES:
                break
    replay = io.BufferedReader(_ReplayRaw(prefix, stream), buffer_size=PIECE_BYTES)
    return first, prefix, replay  # type: ignore[return-value]


def peek_lines(stream: BinaryIO, count: int, limit: int = PIECE_BYTES) -> tuple[list[str], BinaryIO]:
    """The first ``count`` non-blank lines (stripped; read within ``limit`` bytes, the last
    possibly cut short) and a stream that reads everything again from the start."""
    read = getattr(stream, "read1", stream.read)
    prefix = b""
    while len(prefix) < limit and sum(1 for line in prefix.split(b"\n") if line.strip()) <= count:
        chunk = read(limit - len(prefix))
        if not chunk:
            break
        prefix += chunk
    text, _ = decode_line(prefix)
    lines = [line.strip() for line in text.lstrip(_BOM).splitlines() if line.strip()]
    replay = io.BufferedReader(_ReplayRaw(prefix, stream), buffer_size=PIECE_BYTES)
    return lines[:count], replay  # type: ignore[return-value]


def first_line(prefix: bytes) -> str:
    """The first non-blank line of ``prefix`` (as returned by :func:`peek_first_char`)."""
    text, _ = decode_line(prefix)
    return text.lstrip(_BOM + " \t\r\n").split("\n", 1)[0]


def is_gzip(path: str) -> bool:
    return path.lower().endswith(".gz")


_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))


def file_kind(mode: int) -> str:
    """What a non-regular file is, for messages (``"a named pipe"``)."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _open_regular(path: str) -> BinaryIO:
    # Opening a named pipe for reading waits for a writer, for ever if none comes: open without
    # waiting, then look at what was opened (no gap between a check and the open).
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise UnreadableFile(f"not a regular file ({file_kind(mode)})")
        os.set_blocking(fd, True)
        return open(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


@contextlib.contextmanager
def open_input(path: str, regular_only: bool = False) -> Iterator[BinaryIO]:
    """Open a file (gunzipping ``*.gz``) or, for ``-``, standard input, as a binary stream.

    With ``regular_only`` anything but a regular file (a named pipe, a device) raises
    :class:`UnreadableFile` without being read. Standard input is not closed afterwards. Other
    errors propagate as ``OSError``.
    """
    if path == "-":
        buffer = getattr(sys.stdin, "buffer", None)
        if buffer is None:  # a text-only stand-in (tests, notebooks): re-encode it
            buffer = io.BytesIO(sys.stdin.read().encode("utf-8"))
        yield buffer
        return
    with _open_regular(path) if regular_only else open(path, "rb") as raw:
        if is_gzip(path):
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield unzipped  # type: ignore[misc]
        else:
            yield raw
