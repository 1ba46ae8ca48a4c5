"""Which user statements may reach an engine: reading ones only.

Every place a statement typed by a user reaches a store — ``kg cypher`` (console, ``-e``,
scripts), ``kg.open().cypher``, ``kg query``, ``kg sparql``, ``kg.open().sparql`` — calls
:func:`check_cypher` or :func:`check_sparql` first. A refusal is one line (:class:`Refused`, a
usage error: exit code 2).

Cypher. The text is split into tokens, skipping string literals, backquoted names and comments,
and into statements at each ``;``. A statement must begin with a reading clause (``MATCH``,
``OPTIONAL MATCH``, ``WITH``, ``UNWIND``, ``RETURN``, ``CALL``; ``EXPLAIN``/``PROFILE`` before
one), no word of it may be a clause that writes, loads, attaches or administers
(:data:`CYPHER_REFUSED`: ``CREATE``, ``SET``, ``COPY``, ``LOAD``, ``CHECKPOINT``, ``ATTACH``…),
and ``CALL`` may only name a read-only schema procedure (:data:`CYPHER_PROCEDURES`: LadybugDB's
``show_tables()``, ``table_info()``…, Neo4j's ``db.labels()``…). ``apoc.*`` is refused
everywhere. Property keys (``n.set``), labels (``:Copy``), variables before a property or label,
map keys and parameters are names, not clauses. Literals are read as LadybugDB, Neo4j and
FalkorDB read them (a backslash escapes the next character; tests/test_security.py checks it on
LadybugDB): a keyword cannot hide in what the engine does not take for a string.

SPARQL. ``Store.query`` of pyoxigraph runs queries only, but SPARQL Update keywords are refused
here with a clear line, and ``SERVICE`` (which makes pyoxigraph send HTTP requests to any
address) is refused unless the caller allows it explicitly.

>>> check_cypher("MATCH (m:Method) RETURN m.name LIMIT 3")
>>> check_cypher("MATCH (p:Paper) SET p.title = 'x'")  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
kg.stores.readonly.Refused: refused: SET writes to the store; only reading statements are allowed (...)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.errors import UsageError

READ_CLAUSES = "MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN, UNION, CALL of a schema procedure, EXPLAIN/PROFILE"

# Clause words that change the store or reach outside it (files, network, other databases,
# extensions, settings, transactions). Seen anywhere as a clause word, they refuse the text.
CYPHER_REFUSED = {
    "CREATE": "writes to the store", "MERGE": "writes to the store", "SET": "writes to the store",
    "DELETE": "writes to the store", "DETACH": "writes to the store or detaches a database",
    "REMOVE": "writes to the store", "FOREACH": "writes to the store", "DROP": "changes the schema",
    "ALTER": "changes the schema", "RENAME": "changes the schema", "COMMENT": "changes the schema",
    "COPY": "reads or writes files", "LOAD": "reads files or loads extensions",
    "IMPORT": "reads files into the store", "EXPORT": "writes files",
    "INSTALL": "installs extensions", "UNINSTALL": "removes extensions", "UPDATE": "updates extensions",
    "FORCE": "installs extensions", "ATTACH": "opens another database", "USE": "switches database",
    "CHECKPOINT": "writes the store's files", "BEGIN": "opens a transaction",
    "COMMIT": "commits a transaction", "ROLLBACK": "ends a transaction",
    "GRANT": "administers the server", "REVOKE": "administers the server", "DENY": "administers the server",
    "START": "administers the server", "STOP": "administers the server",
    "TERMINATE": "administers the server",
}
# Functions with side effects (sequence counters, the random seed) and plugin namespaces.
CYPHER_REFUSED_FUNCTIONS = {"nextval": "advances a sequence", "setseed": "changes the random seed"}
CYPHER_REFUSED_NAMESPACES = ("apoc",)
CYPHER_STARTS = {"MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL"}
# Read-only procedures a user may CALL: schema and version information.
CYPHER_PROCEDURES = frozenset({
    # LadybugDB
    "show_tables", "table_info", "show_connection", "show_indexes", "show_functions", "show_macros",
    "show_sequences", "show_warnings", "show_attached_databases", "show_loaded_extensions",
    "db_version", "storage_version", "current_setting",
    # Neo4j and FalkorDB
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.indexes", "db.constraints",
    "db.schema.visualization", "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
    "dbms.components",
})

SPARQL_FORMS = "SELECT, ASK, CONSTRUCT, DESCRIBE"
SPARQL_UPDATE = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}


class Refused(UsageError):
    """A statement that is not a reading statement (or reaches outside the store)."""


@dataclass
class Token:
    kind: str  # word, punct, string, name (backquoted), number, param
    text: str
    glued_before: str = ""  # the character right before the token ('' after whitespace)
    glued_after: str = ""  # the character right after the token


_CYPHER_WORD = re.compile(r"[^\W\d]\w*")
_LINE_END = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]")
_NUMBER = re.compile(r"0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def _cypher_tokens(text: str) -> Iterator[Token]:
    """Tokens of Cypher text; an unterminated literal or comment raises Refused (what it would
    hide cannot be checked)."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        start = i
        if text.startswith("//", i):  # to the end of the line, whichever character ends it
            m = _LINE_END.search(text, i)
            i = m.end() if m else n
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise Refused("refused: an unterminated /* comment; close it with */")
            i = end + 2
            continue
        if c in "'\"`":
            i += 1
            while i < n:
                if text[i] == "\\" and c != "`":
                    i += 2
                    continue
                if text[i] == c:
                    if c == "`" and text.startswith("``", i):  # a doubled backquote is one
                        i += 2
                        continue
                    break
                i += 1
            if i >= n:
                raise Refused(f"refused: an unterminated {c}…{c} literal; close it")
            i += 1
            kind = "name" if c == "`" else "string"
        elif c == "$":
            m = _CYPHER_WORD.match(text, i + 1) or _NUMBER.match(text, i + 1)
            i = m.end() if m else i + 1
            kind = "param"
        elif (m := _CYPHER_WORD.match(text, i)) is not None:
            i = m.end()
            kind = "word"
        elif (m := _NUMBER.match(text, i)) is not None:
            i = m.end()
            kind = "number"
        else:
            i += 1
            kind = "punct"
        yield Token(kind, text[start:i], text[start - 1] if start and not text[start - 1].isspace() else "",
                    text[i] if i < n and not text[i].isspace() else "")


def _statements(tokens: Iterator[Token]) -> Iterator[list[Token]]:
    current: list[Token] = []
    for tok in tokens:
        if tok.kind == "punct" and tok.text == ";":
            if current:
                yield current
            current = []
        else:
            current.append(tok)
    if current:
        yield current


def _check_cypher_statement(tokens: list[Token]) -> None:
    first = tokens[0]
    lead = first.text.upper() if first.kind == "word" else first.text
    body = tokens
    while lead in ("EXPLAIN", "PROFILE") and len(body) > 1:
        body = body[1:]
        lead = body[0].text.upper() if body[0].kind == "word" else body[0].text
    depth = 0  # inside (…), […] or {…}
    for i, tok in enumerate(tokens):
        if tok.kind == "punct":
            depth += (tok.text in "([{") - (tok.text in ")]}")
        if tok.kind != "word":
            continue
        word = tok.text.upper()
        prev = tokens[i - 1] if i else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        # a property key (n.set), a namespace part (db.create), a label or type (:Copy), a
        # variable or map key inside brackets ((copy:Paper), {load: 1}) is a name, not a clause
        after_dot_or_colon = prev is not None and prev.kind == "punct" and prev.text in ".:" and bool(tok.glued_before)
        before_dot = nxt is not None and nxt.kind == "punct" and nxt.text == "." and tok.glued_after == "."
        before_colon = depth > 0 and nxt is not None and nxt.kind == "punct" and nxt.text == ":"
        if tok.text.lower() in CYPHER_REFUSED_NAMESPACES and nxt is not None and nxt.text == ".":
            raise Refused(f"refused: {tok.text}.* procedures and functions can write and reach files and "
                          f"the network; only reading statements are allowed ({READ_CLAUSES})")
        if after_dot_or_colon or before_dot or before_colon:
            continue
        if word in CYPHER_REFUSED:
            raise Refused(f"refused: {word} {CYPHER_REFUSED[word]}; only reading statements are allowed "
                          f"({READ_CLAUSES})")
        if tok.text.lower() in CYPHER_REFUSED_FUNCTIONS and nxt is not None and nxt.text == "(":
            raise Refused(f"refused: {tok.text}() {CYPHER_REFUSED_FUNCTIONS[tok.text.lower()]}; only reading "
                          f"statements are allowed")
        if word == "CALL":
            _check_call(tokens, i)
    if lead not in CYPHER_STARTS:
        shown = " ".join(t.text for t in body[:2]) if body else first.text
        raise Refused(f"refused: a statement starting with {shown!r}; only reading statements are allowed "
                      f"({READ_CLAUSES})")


def _check_call(tokens: list[Token], i: int) -> None:
    """``CALL { … }`` and ``CALL (x) { … }`` are subqueries (their words are checked like the
    rest); ``CALL name(…)`` must name a procedure of :data:`CYPHER_PROCEDURES`."""
    j = i + 1
    if j >= len(tokens):
        raise Refused("refused: CALL of nothing")
    if tokens[j].kind == "punct" and tokens[j].text in "{(":
        return
    parts: list[str] = []
    while j < len(tokens) and (tokens[j].kind in ("word", "name")):
        parts.append(tokens[j].text.strip("`"))
        j += 1
        if j < len(tokens) and tokens[j].kind == "punct" and tokens[j].text == ".":
            j += 1
            continue
        break
    name = ".".join(parts).lower()
    follows = tokens[j].text if j < len(tokens) else ""
    if name not in CYPHER_PROCEDURES or follows == "=":
        allowed = ", ".join(sorted(CYPHER_PROCEDURES))
        raise Refused(f"refused: CALL {'.'.join(parts) or tokens[i + 1].text} is not a read-only schema "
                      f"procedure (allowed: {allowed})")


def check_cypher(text: str) -> None:
    """Raise :class:`Refused` unless every statement of ``text`` only reads the store.

    >>> check_cypher("CALL show_tables() RETURN name; MATCH (n) RETURN count(n)")
    >>> check_cypher("MATCH (p:Paper) RETURN p.id; CHECKPOINT")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    kg.stores.readonly.Refused: refused: CHECKPOINT writes the store's files; ...
    """
    for statement in _statements(_cypher_tokens(text)):
        _check_cypher_statement(statement)


# -- SPARQL ---------------------------------------------------------------------------------
_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_PNAME = re.compile(r"(?:[^\W\d][\w.-]*)?:[\w.:%-]*|_:[\w.-]*")
_SPARQL_WORD = re.compile(r"[^\W\d]\w*")


def _sparql_words(text: str) -> Iterator[str]:
    """The bare words of SPARQL text (keywords, function names), skipping literals, IRIs,
    comments, prefixed names, variables and language tags."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "#":
            m = _LINE_END.search(text, i)
            i = m.end() if m else n
        elif c in "'\"":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            if i >= n:
                raise Refused(f"refused: an unterminated {quote}…{quote} literal; close it")
            i += len(quote)
        elif c == "<" and (m := _IRI.match(text, i)) is not None:
            i = m.end()
        elif c in "?$@":
            m = _SPARQL_WORD.match(text, i + 1)
            i = m.end() if m else i + 1
            while i < n and text[i] == "-":  # language tags: @en-GB
                m = _SPARQL_WORD.match(text, i + 1)
                i = m.end() if m else i + 1
        elif (m := _PNAME.match(text, i)) is not None and ":" in m.group(0):
            i = m.end()
        elif (m := _SPARQL_WORD.match(text, i)) is not None:
            i = m.end()
            yield m.group(0)
        else:
            i += 1


def check_sparql(text: str, allow_service: bool = False) -> None:
    """Raise :class:`Refused` for SPARQL Update, and for ``SERVICE`` unless ``allow_service``.

    >>> check_sparql("SELECT ?n WHERE { ?m skos:prefLabel ?n FILTER(?n != 'DELETE') }")
    >>> check_sparql("DELETE WHERE { ?s ?p ?o }")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    kg.stores.readonly.Refused: refused: SPARQL Update (DELETE) changes the store; ...
    """
    for word in _sparql_words(text):
        upper = word.upper()
        if upper in SPARQL_UPDATE:
            raise Refused(f"refused: SPARQL Update ({upper}) changes the store; only queries are allowed "
                          f"({SPARQL_FORMS})")
    if not allow_service:
        # one SERVICE check for the console and the endpoint: it parses the query, so spellings a
        # word scan misses ("trueSERVICE<url>", a comment before the IRI) are found as well
        from kg.rdf.server import service_refusal

        if service_refusal(text) is not None:
            raise Refused("refused: SERVICE sends the query to another server; allow it explicitly "
                          "(kg sparql --allow-service)")
