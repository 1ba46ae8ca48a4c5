"""Tab completion for the console, by what the cursor is in.

- ``(m:Me`` → labels; ``[:BE``, ``[r:BEATS|WI`` → relationship types;
- ``m.na`` → the property keys of ``m``'s label when the statement gives it (``(m:Method``),
  else every key; ``(m:Method {na`` → Method's keys;
- ``$`` → the parameters set with ``:param``;
- a word elsewhere → Cypher keywords and functions;
- ``:fo`` → console commands; ``:run NAME`` → canned queries, then their parameters
  (``baseline=``); ``:format`` → its formats; ``:schema`` → labels and types.

:func:`candidates` is the whole logic as a plain function; :class:`CypherCompleter` adapts it to
prompt_toolkit.

>>> from kg.console.schema import GraphSchema
>>> s = GraphSchema.from_model()
>>> candidates("MATCH (m:Me", s)
(2, ['Method', 'Metric'])
>>> candidates("MATCH (a)-[:BE", s)
(2, ['BEATS'])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from kg.console.schema import GraphSchema

KEYWORDS = """MATCH OPTIONAL WHERE RETURN WITH UNWIND ORDER BY LIMIT SKIP DISTINCT AS AND OR NOT XOR
IN IS NULL CASE WHEN THEN ELSE END UNION ALL CALL EXISTS CONTAINS STARTS ENDS ASC DESC EXPLAIN
PROFILE SHORTEST TRUE FALSE""".split()
FUNCTIONS = """count collect sum avg min max size length nodes rels properties label labels coalesce
lower upper trim left right substring string_split starts_with list_transform list_filter
list_reduce list_contains range abs round floor ceil to_int64 to_double to_string date
current_timestamp offset id""".split()
COMMANDS = ["help", "schema", "format", "row", "param", "params", "clear", "queries", "run", "quit"]
FORMAT_NAMES = ["table", "wide", "json", "csv"]
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")
_BOUND = re.compile(r"[(\[]\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*`?([A-Za-z_][A-Za-z0-9_]*)")


def _matching(word: str, options: Iterable[str]) -> list[str]:
    low = word.lower()
    return [o for o in dict.fromkeys(options) if o.lower().startswith(low)]


def _code_only(text: str) -> str:
    """``text`` with string literals and comments blanked (same length), so brackets and colons
    inside them do not count."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"`":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            if c == "`":  # a quoted name is still a name: keep it
                out.append(text[i:j + 1])
            else:
                out.append(c + " " * (min(j, n) - i - 1) + (c if j < n else ""))
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)[:n]


def _open_bracket(code: str) -> tuple[str, int]:
    """The innermost bracket still open at the end of ``code`` and where it is."""
    stack: list[tuple[str, int]] = []
    for i, c in enumerate(code):
        if c in "([{":
            stack.append((c, i))
        elif c in ")]}" and stack:
            stack.pop()
    return stack[-1] if stack else ("", -1)


def candidates(line: str, schema: GraphSchema, before: str = "", params: Iterable[str] = (),
               canned: Iterable[str] = (), canned_params: Callable[[str], list[str]] | None = None,
               ) -> tuple[int, list[str]]:
    """How many characters before the cursor to replace, and the completions, for ``line``
    (the text before the cursor) after the statement's earlier lines ``before``."""
    if not before.strip() and line.lstrip().startswith(":"):
        return _command(line.lstrip(), schema, canned, canned_params or (lambda name: []))
    statement = before + "\n" + line if before else line
    code = _code_only(statement)
    m = _WORD.search(code)
    word = m.group(0) if m else ""
    start = len(code) - len(word)
    prev = code[:start].rstrip(" ")
    mark = prev[-1:] if prev else ""
    if code[start - 1:start] == "$":
        return len(word), _matching(word, params)
    if mark in ":|":  # a label in a node pattern, a type in a relationship pattern (not a map value)
        bracket, _ = _open_bracket(code[:start])
        if bracket == "[":
            return len(word), _matching(word, schema.rel_types)
        if bracket == "(":
            return len(word), _matching(word, schema.labels)
    if code[start - 1:start] == "." and re.search(r"[A-Za-z_]\w*$", code[:start - 1]):
        var = re.search(r"([A-Za-z_]\w*)$", code[:start - 1]).group(1)  # type: ignore[union-attr]
        label = _bound_labels(code).get(var)
        keys = schema.properties_of(label) if label else schema.property_keys
        return len(word), _matching(word, keys)
    bracket, at = _open_bracket(code[:start])
    if bracket == "{" and mark in "{,":  # a map in a pattern: (m:Method {na
        owner = re.search(r":\s*`?([A-Za-z_]\w*)`?\s*$", code[:at])
        if owner:
            return len(word), _matching(word, schema.properties_of(owner.group(1)))
    if not word:
        return 0, []
    return len(word), _matching(word, KEYWORDS) + _matching(word, FUNCTIONS) + _matching(word, _bound_labels(code))


def _bound_labels(code: str) -> dict[str, str]:
    """Variables and the label or type the statement gives them: ``(m:Method`` → m: Method."""
    return {var: label for var, label in _BOUND.findall(code)}


def _command(line: str, schema: GraphSchema, canned: Iterable[str],
             canned_params: Callable[[str], list[str]]) -> tuple[int, list[str]]:
    head, space, rest = line[1:].partition(" ")
    if not space:
        return len(line), [":" + c for c in _matching(head, COMMANDS)]
    words = rest.split(" ")
    word = words[-1]
    name = head.lower()
    if name == "format" and len(words) == 1:
        return len(word), _matching(word, FORMAT_NAMES)
    if name == "schema" and len(words) == 1:
        return len(word), _matching(word, schema.labels + schema.rel_types)
    if name == "run":
        if len(words) == 1:
            return len(word), _matching(word, canned)
        given = {w.partition("=")[0] for w in words[1:-1]}
        if "=" not in word:
            return len(word), [p + "=" for p in _matching(word, canned_params(words[0])) if p not in given]
    return 0, []


class CypherCompleter:
    """prompt_toolkit's side of :func:`candidates` (imported lazily: scripts need no terminal)."""

    def __init__(self, schema: GraphSchema, pending: Callable[[], str], params: Callable[[], Iterable[str]],
                 canned: Iterable[str], canned_params: Callable[[str], list[str]]):
        from prompt_toolkit.completion import Completer, Completion

        outer = self

        class _Completer(Completer):
            def get_completions(self, document, complete_event):
                back, found = candidates(document.text_before_cursor, outer.schema, outer.pending(),
                                         outer.params(), outer.canned, outer.canned_params)
                for text in found:
                    yield Completion(text, start_position=-back)

        self.schema, self.pending, self.params = schema, pending, params
        self.canned, self.canned_params = list(canned), canned_params
        self.completer = _Completer()
