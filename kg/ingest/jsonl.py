"""JSON Lines, JSON documents (an array, one object, concatenated objects) and arXiv OAI lines.

Readers yield ``(source, value)`` pairs: ``source`` is ``file:line`` where the record starts and
``value`` whatever was parsed (``records.paper_from_record`` judges it) or a ``BadRecord``.
JSON Lines are parsed a line at a time; JSON documents through a streaming decoder, so a JSON
array of a million abstracts is never held in memory at once.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from kg.ingest import text
from kg.ingest.records import BadRecord
from kg.ingest.text import Warn, first_line, iter_lines, iter_text, peek_first_char, peek_lines

Item = tuple[str, object]

#: A single JSON value (one record) bigger than this is given up on, not buffered further.
MAX_VALUE_CHARS = 64 * 1024 * 1024

# Tabs and other raw control characters inside strings are common in scraped data; tolerate
# them everywhere except in the streaming decoder, where a raw newline inside a string means a
# record was cut short and must not swallow the next one.
_LENIENT = json.JSONDecoder(strict=False)
_STRICT = json.JSONDecoder()
_WHITESPACE = re.compile(r"[ \t\r\n]*")
# What skipping an unparsable value looks at: brackets and commas, and inside strings their end
_STRUCTURE = re.compile(r'["\[\]{},]')
_STRING_PART = re.compile(r'["\\]')


def _too_many_digits() -> str:
    # json raises a plain ValueError (not JSONDecodeError) for an integer longer than Python's
    # int conversion limit (sys.get_int_max_str_digits, 4,300 digits by default)
    return f"not valid JSON: a number of more than {sys.get_int_max_str_digits():,} digits"


def read_jsonl(stream: BinaryIO, source: str, warn: Warn) -> Iterator[Item]:
    """A JSON Lines file (``.jsonl``, ``.ndjson``): one record per line.

    If it turns out to hold a JSON array instead, it is read as one; not when its first line
    is a whole array and more lines follow (a bad first record must not swallow the file).
    """
    first, _, stream = peek_first_char(stream)
    if first == "[":
        lines, stream = peek_lines(stream, 2)
        if len(lines) < 2 or not _parses(lines[0]):
            yield from _read_document(stream, source, warn)
            return
    yield from _read_lines(stream, source, warn)


def read_json(stream: BinaryIO, source: str, warn: Warn) -> Iterator[Item]:
    """A ``.json`` file or standard input: an array of objects, one (possibly pretty-printed)
    object or several, or JSON Lines content. Decided from the first non-blank line."""
    first, prefix, stream = peek_first_char(stream)
    if not first:
        return
    if first == "{" and _parses(first_line(prefix)):
        yield from _read_lines(stream, source, warn)
    else:
        yield from _read_document(stream, source, warn)


def _parses(line: str) -> bool:
    try:
        _LENIENT.decode(line)
    except (ValueError, RecursionError):
        return False
    return True


def _read_lines(stream: BinaryIO, source: str, warn: Warn) -> Iterator[Item]:
    for lineno, line in iter_lines(stream, source, warn):
        where = f"{source}:{lineno}"
        if line is None:
            yield where, BadRecord(f"line too long: more than {text.MAX_LINE_BYTES:,} bytes")
        elif line.strip():
            yield where, parse_json_line(line)


def parse_json_line(line: str) -> object:
    """The JSON value on one line, or a ``BadRecord`` saying why there is none."""
    try:
        return _LENIENT.decode(line)
    except json.JSONDecodeError as error:
        return BadRecord(f"not valid JSON: {error.msg}")
    except RecursionError:
        return BadRecord("not valid JSON: nested too deeply")
    except ValueError:
        return BadRecord(_too_many_digits())


def _read_document(stream: BinaryIO, source: str, warn: Warn) -> Iterator[Item]:
    buffer = _TextBuffer(iter_text(stream, source, warn))
    if buffer.peek() == "[":
        buffer.pos += 1
        yield from _read_array(buffer, source, warn)
    else:
        yield from _read_values(buffer, source)


def _read_values(buffer: _TextBuffer, source: str) -> Iterator[Item]:
    """Top-level values one after the other (one object, or several, pretty-printed or not)."""
    while char := buffer.peek():
        if char == ",":  # objects separated by commas but not enclosed in brackets
            buffer.pos += 1
            continue
        start = buffer.pos
        where = f"{source}:{buffer.line_at(start)}"
        indent = buffer.indent_of(start)
        value = buffer.decode()
        yield where, value
        if isinstance(value, BadRecord):
            if indent is None:  # on one line with others: skip it by its brackets
                buffer.skip_value(in_array=False)
            elif not buffer.resync(indent):  # read to the end without finding another value
                return


def _read_array(buffer: _TextBuffer, source: str, warn: Warn) -> Iterator[Item]:
    """The elements of a top-level array whose ``[`` has been consumed."""
    char = buffer.peek()
    while char and char != "]":
        start = buffer.pos
        where = f"{source}:{buffer.line_at(start)}"
        indent = buffer.indent_of(start)
        value = buffer.decode()
        if isinstance(value, BadRecord):
            # Pretty-printed arrays put each element on its own line at one indentation: resume
            # at the next one (this also gets past an element cut short). In a one-line array
            # the bad element ends where its brackets balance, however deeply nested.
            if indent is None:
                yield where, value
                buffer.skip_value(in_array=True)
                char = buffer.peek()
                if char == ",":
                    buffer.pos += 1
                    char = buffer.peek()
                continue
            if buffer.resync(indent):
                yield where, value
                char = buffer.peek()
                continue
            yield where, BadRecord(f"{value.message}; rest of the file skipped")
            return
        yield where, value
        char = buffer.peek()
        if char == ",":
            buffer.pos += 1
            char = buffer.peek()
        elif char and char != "]":
            where = f"{source}:{buffer.line_at(buffer.pos)}"
            yield (
                where,
                BadRecord("not valid JSON: Expecting ',' delimiter; rest of the file skipped"),
            )
            return
    if not char:
        warn(f"{source}:{buffer.line_at(buffer.pos)}", "JSON array not closed (truncated file?)")
        return
    buffer.pos += 1
    if buffer.peek():
        warn(f"{source}:{buffer.line_at(buffer.pos)}", "data after the JSON array ignored")


class _TextBuffer:
    """A sliding window over a stream of text pieces, for incremental ``raw_decode``."""

    def __init__(self, pieces: Iterable[str]) -> None:
        self._pieces = iter(pieces)
        self.text = ""
        self.pos = 0
        self.eof = False
        self._dropped = 0  # characters discarded from the front so far
        self._line = 1  # line number at offset self._line_pos
        self._line_pos = 0

    def line_at(self, pos: int) -> int:
        """Line number of offset ``pos`` (offsets must be asked for in increasing order)."""
        self._line += self.text.count("\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line

    def fill(self, want: int) -> bool:
        """Append at least ``want`` more characters if the stream has them.

        False if nothing changed. True if characters were added or old ones dropped: either way
        offsets into ``text`` computed before the call are stale.
        """
        if self.eof:
            return False
        compacted = self._compact()
        parts = [self.text]
        added = 0
        while added < want:
            piece = next(self._pieces, None)
            if piece is None:
                self.eof = True
                break
            parts.append(piece)
            added += len(piece)
        self.text = "".join(parts)
        return added > 0 or compacted

    def _compact(self) -> bool:
        """Drop text before the current line (or the last 4 KiB) once enough has piled up."""
        if self.pos < text.PIECE_BYTES:
            return False
        # keep the start of the current line, so that indent_of still sees it
        cut = max(self.text.rfind("\n", 0, self.pos), self.pos - 4096, 0)
        if cut == 0:
            return False
        if cut > self._line_pos:
            self.line_at(cut)
        self.text = self.text[cut:]
        self._dropped += cut
        self.pos -= cut
        self._line_pos -= cut
        return True

    def peek(self) -> str:
        """Skip whitespace; the next character, or ``""`` at the end of the stream."""
        while True:
            self.pos = _WHITESPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.fill(1):
                return ""

    def indent_of(self, pos: int) -> str | None:
        """The whitespace before ``pos`` on its line, or None if ``pos`` does not start a line."""
        newline = self.text.rfind("\n", 0, pos)
        if newline < 0 and self._dropped:
            return None
        indent = self.text[newline + 1 : pos]
        return indent if not indent.strip() else None

    def decode(self) -> object:
        """The value at ``pos`` (reading more as needed), or a ``BadRecord``.

        On success ``pos`` moves past the value; on failure, one character past its start.
        """
        while True:
            try:
                value, end = self._raw_decode()
            except json.JSONDecodeError as error:
                if not self.eof and self._looks_cut(error):
                    if len(self.text) - self.pos > MAX_VALUE_CHARS:
                        return self._fail(
                            f"record too large: more than {MAX_VALUE_CHARS:,} characters"
                        )
                    if self.fill(max(len(self.text) - self.pos, 1)):
                        continue
                return self._fail(f"not valid JSON: {error.msg}")
            except RecursionError:
                return self._fail("not valid JSON: nested too deeply")
            except ValueError:
                return self._fail(_too_many_digits())
            # A number near the end of the buffer may go on in the next piece ("1" + "2",
            # "0" + ".5", "1" + "e+3"): parse it again once three characters follow it.
            if (
                not isinstance(value, dict | list | str)
                and len(self.text) - end < 3
                and self.fill(1)
            ):
                continue
            self.pos = end
            return value

    def _raw_decode(self) -> tuple[object, int]:
        try:
            return _STRICT.raw_decode(self.text, self.pos)
        except json.JSONDecodeError as error:
            if not error.msg.startswith("Invalid control character") or (
                self.text[error.pos] in "\r\n"
            ):
                raise
        # a tab or other raw control character inside a string: tolerated, as in JSON Lines
        return _LENIENT.raw_decode(self.text, self.pos)

    def _looks_cut(self, error: json.JSONDecodeError) -> bool:
        """Could more text make this parse? (The failure is at the end of the buffer.)"""
        return error.msg.startswith("Unterminated string") or error.pos >= len(self.text) - 32

    def _fail(self, message: str) -> BadRecord:
        self.pos += 1
        return BadRecord(message)

    def skip_value(self, in_array: bool) -> None:
        """Move past the unparsable value whose first character is just before ``pos`` (where
        :meth:`decode` left it), by its brackets and strings alone.

        A value opening with ``{`` or ``[`` ends where its brackets balance, however deeply
        nested; anything else runs to the next ``,`` or to a bracket opening the next value (in
        an array, to its closing ``]``). At the end of the stream, ``pos`` is there too.
        """
        self.pos -= 1
        start = self._dropped + self.pos  # absolute: filling the buffer may drop its front
        depth = 0
        in_string = False
        while True:
            match = (_STRING_PART if in_string else _STRUCTURE).search(self.text, self.pos)
            if match is None or (match.group() == "\\" and match.end() == len(self.text)):
                # nothing decisive in the buffer, or an escape cut in two: read on
                self.pos = len(self.text) if match is None else match.start()
                if not self.fill(text.PIECE_BYTES):
                    self.pos = len(self.text)
                    return
                continue
            char = match.group()
            self.pos = match.start()
            if in_string:  # a backslash escapes the next character; a quote ends the string
                in_string = char == "\\"
                self.pos += 2 if in_string else 1
                continue
            if char == '"':
                in_string = True
            elif char in "[{":
                if depth == 0 and self._dropped + self.pos != start:
                    return  # the next value starts here
                depth += 1
            elif char in "]}":
                if depth == 1:
                    self.pos += 1
                    return
                if depth == 0 and in_array and char == "]":
                    return
                depth = max(depth - 1, 0)
            elif depth == 0:  # a comma between values
                return
            self.pos += 1

    def resync(self, indent: str) -> bool:
        """Move to the next line that starts with ``indent`` and ``{``; False if there is none."""
        target = "\n" + indent + "{"
        while True:
            found = self.text.find(target, self.pos)
            if found >= 0:
                self.pos = found + len(target) - 1
                return True
            self.pos = max(self.pos, len(self.text) - len(target))
            if not self.fill(text.PIECE_BYTES):
                return False
