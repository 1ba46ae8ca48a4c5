"""A read-only SPARQL 1.1 Protocol endpoint over the embedded RDF store.

``GET /sparql?query=…``, ``POST /sparql`` with ``application/x-www-form-urlencoded``
(``query=…``) or ``application/sparql-query`` (the query as the body). ``default-graph-uri`` and
``named-graph-uri`` are honoured; without ``default-graph-uri`` the default graph is the union of
all graphs. Results by content negotiation (``Accept``, or ``format=`` in the URL):

- SELECT / ASK: ``application/sparql-results+json`` (default), ``application/sparql-results+xml``,
  ``text/csv``, ``text/tab-separated-values``;
- CONSTRUCT / DESCRIBE: ``text/turtle`` (default), ``application/n-triples``,
  ``application/rdf+xml``, ``application/ld+json``.

``GET /query/<name>?param=value…`` runs a canned query (``kg/queries/sparql``) with its parameters
bound by the engine and answers ``application/json`` (rows as objects) or ``text/csv``. An empty
answer to a name the graph does not know is still a 200, with a ``KG-Warning`` header naming the
closest known names (as ``kg query`` warns on stderr and exits 0).

What it refuses, because a page in the user's browser or a query must not turn it against the
machine it runs on (docs/rdf.md, "The endpoint"): updates (the store is opened read-only);
``SERVICE`` (federation fetches any URL the query names) unless ``allow_service``; a ``Host``
header other than a loopback name with the bound port or an allowed host (DNS rebinding);
requests from other origins unless ``--cors`` names them (no CORS header otherwise).

Each query runs in a worker *process* holding its own read-only handle; a query that runs longer
than the time limit is stopped by killing its worker (a thread could not be stopped and would keep
a core busy), which is then replaced. SELECT and CONSTRUCT results are streamed from the worker in
chunks (HTTP chunked encoding), never held whole, and stop at ``max_rows`` rows (triples) or
``max_bytes`` bytes; a trailer ``KG-Truncated`` says whether and why. One reserve worker answers
while all the others are busy, so a cheap query is not queued behind slow ones.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from kg.errors import UsageError

DEFAULT_PORT = 3030
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_ROWS = 100_000  # rows of a SELECT, triples of a CONSTRUCT/DESCRIBE
DEFAULT_MAX_BYTES = 100_000_000  # 100 MB of response body
MAX_BODY = 1 << 20  # 1 MiB of query text is plenty
CHUNK_BYTES = 64 * 1024  # worker → server → client unit
FLUSH_AFTER_S = 0.1  # a slow query's first rows are sent without waiting for a full chunk
SERIALIZER_BUFFER = 8192  # pyoxigraph's RDF serialisers write in chunks of this size
RESERVE_WAIT_S = 0.2  # how long a request waits for a regular worker before taking the reserve
RESERVE_LIMIT_S = 2.0  # on the reserve, a query must start answering within this, else it waits its turn
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
TEXT = "text/plain; charset=utf-8"
EXPOSED_HEADERS = "KG-Max-Rows, KG-Max-Bytes, KG-Truncated, KG-Warning"

RESULT_TYPES = {  # media type → pyoxigraph QueryResultsFormat name
    "application/sparql-results+json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
    "application/json": "JSON",
}
GRAPH_TYPES = {  # media type → pyoxigraph RdfFormat name
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON_LD",
    "text/plain": "N_TRIPLES",
}
CANNED_TYPES = {"application/json": "json", "text/csv": "csv"}  # → kg.output.print_frame format
FORMAT_PARAM = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values", "ttl": "text/turtle",
    "turtle": "text/turtle", "nt": "application/n-triples", "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml", "jsonld": "application/ld+json",
}
SERVICE_REFUSED = ("SERVICE (federated query) is disabled: this endpoint does not fetch other URLs for a "
                   "query. Start kg serve with --allow-service to enable it.")
SERVICE_UNCHECKED = ("the query mentions 'service' where SERVICE (federation) could be, and it is not SPARQL 1.1 "
                     "that the check can parse (check its syntax), so it is refused while federation is disabled "
                     "(kg serve --allow-service enables it)")


# -- what the endpoint allows ----------------------------------------------------------------
@dataclass(frozen=True)
class ServePolicy:
    """Federation, CORS, accepted ``Host`` names and the size of one answer (0: no cap)."""

    allow_service: bool = False
    cors_origins: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    max_rows: int = DEFAULT_MAX_ROWS
    max_bytes: int = DEFAULT_MAX_BYTES

    @classmethod
    def make(cls, *, allow_service: bool = False, cors: Iterable[str] = (), allow_hosts: Iterable[str] = (),
             max_rows: int = DEFAULT_MAX_ROWS, max_bytes: int = DEFAULT_MAX_BYTES) -> ServePolicy:
        """Checked and normalised; bad values raise :class:`~kg.errors.UsageError`."""
        origins = tuple(dict.fromkeys(normalise_origin(o) for o in cors))
        hosts = []
        for h in allow_hosts:
            if split_host(h) is None:
                raise UsageError(f"--allow-host {h!r}: give a host name or address, optionally with :PORT")
            hosts.append(h.strip().lower())
        if max_rows < 0 or max_bytes < 0:
            raise UsageError("--max-rows and --max-bytes must be 0 (no cap) or more")
        return cls(bool(allow_service), origins, tuple(hosts), int(max_rows), int(max_bytes))


def normalise_origin(value: str) -> str:
    """``--cors`` value → the form browsers send in ``Origin`` (``scheme://host[:port]``)."""
    v = value.strip().rstrip("/").lower()
    if v in ("*", "null") or re.fullmatch(r"[a-z][a-z0-9+.-]*://[^/?#@\s]+", v):
        return v
    raise UsageError(f"--cors {value!r}: give an origin such as http://localhost:8080 (scheme, host, port; no path)")


def split_host(value: str) -> tuple[str, int | None] | None:
    """A ``Host`` header (or ``--allow-host``) as (lower-case name, port or None); None if malformed."""
    v = value.strip().lower()
    if v.startswith("["):
        end = v.find("]")
        name, rest = (v[:end + 1], v[end + 1:]) if end > 0 else ("", "")
    else:
        name, colon, port = v.partition(":")
        rest = colon + port
    if not name or re.search(r"[\s/\\@?#%]", name):
        return None
    if not rest:
        return name, None
    m = re.fullmatch(r":([0-9]{1,5})", rest)
    return (name, int(m.group(1))) if m else None


# -- SERVICE ------------------------------------------------------------------------------------
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# the keyword as any parser could read it: not the end of a variable or of a prefixed name
_SERVICE_WORD = re.compile(r"(?<![?$:])service", re.IGNORECASE)


def _expand_codepoints(query: str) -> str:
    def one(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group(0)

    return _CODEPOINT_ESCAPE.sub(one, query)


def uses_service(query: str) -> bool:
    """Whether ``query`` may have a ``SERVICE`` pattern (federation: the engine would fetch a URL).

    Parsed with rdflib's SPARQL 1.1 grammar, so ``"SERVICE"`` in a string literal or a comment,
    an IRI such as ``schema:Service`` or a variable ``?service`` does not count. A query that
    rdflib cannot parse (SPARQL 1.2 syntax, or a malformed one) counts when the word appears
    anywhere but at the end of a variable or prefixed name: refusing a rare odd query beats
    fetching a URL.

    >>> uses_service("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> {}" }')
    False
    """
    return service_refusal(query) is not None


def service_refusal(query: str) -> str | None:
    """The message refusing ``query`` while federation is off, or None when it has no SERVICE."""
    text = _expand_codepoints(query)  # SPARQL lets \\u0053ERVICE spell the keyword
    if "service" not in text.lower():
        return None
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = parseQuery(query)
    except Exception:  # noqa: BLE001 - pyparsing raises several types; any failure is "cannot tell"
        return SERVICE_UNCHECKED if _SERVICE_WORD.search(text) else None
    stack: list = [tree]
    while stack:  # a loop, not recursion: a deeply nested query must not overflow the stack
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                return SERVICE_REFUSED
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)
    return None


# -- content negotiation ----------------------------------------------------------------------
def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``Accept`` as (media range, q) pairs, best first (order kept among equals)."""
    if not header:
        return [("*/*", 1.0)]
    out = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        out.append((i, media, q))
    out.sort(key=lambda t: (-t[2], t[0]))
    return [(m, q) for _, m, q in out if q > 0]


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type the client prefers; ``None`` when it accepts none of them."""
    for media, _ in parse_accept(accept):
        if media in offered:
            return media
        if media == "*/*":
            return offered[0]
        if media.endswith("/*"):
            major = media[:-1]
            for o in offered:
                if o.startswith(major):
                    return o
    return None


def _with_charset(media: str) -> str:
    return media + ("; charset=utf-8" if media.startswith("text/") or "json" in media or "xml" in media else "")


# -- SPARQL results, written row by row -------------------------------------------------------
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
_TURTLE_SHORT = {  # datatypes TSV writes bare when the lexical form is Turtle's own syntax for it
    XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    XSD + "boolean": re.compile(r"true|false"),
}
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})
_js = json.JSONEncoder(ensure_ascii=False).encode


_XML_SPECIAL = re.compile("[&<>\"']")


def _xml(text: str) -> str:
    return text.translate(_XML_ESCAPES) if _XML_SPECIAL.search(text) else text


def _json_term(t) -> str:
    if type(t) is ox.NamedNode:
        return '{"type":"uri","value":' + _js(t.value) + "}"
    if type(t) is ox.Literal:
        out = '{"type":"literal","value":' + _js(t.value)
        if t.language:
            out += ',"xml:lang":' + _js(t.language)
            if t.direction is not None:
                out += ',"its:dir":' + _js(t.direction.value)
        elif t.datatype.value != XSD_STRING:
            out += ',"datatype":' + _js(t.datatype.value)
        return out + "}"
    if isinstance(t, ox.BlankNode):
        return '{"type":"bnode","value":' + _js(t.value) + "}"
    return ('{"type":"triple","value":{"subject":' + _json_term(t.subject) + ',"predicate":'
            + _json_term(t.predicate) + ',"object":' + _json_term(t.object) + "}}")


def _xml_term(t) -> str:
    if type(t) is ox.NamedNode:
        return "<uri>" + _xml(t.value) + "</uri>"
    if type(t) is ox.Literal:
        if t.language:
            attrs = f' xml:lang="{_xml(t.language)}"'
            if t.direction is not None:
                attrs += (f' its:dir="{t.direction.value}" xmlns:its="http://www.w3.org/2005/11/its"'
                          ' its:version="2.0"')
        elif t.datatype.value != XSD_STRING:
            attrs = f' datatype="{_xml(t.datatype.value)}"'
        else:
            attrs = ""
        return f"<literal{attrs}>{_xml(t.value)}</literal>"
    if isinstance(t, ox.BlankNode):
        return "<bnode>" + _xml(t.value) + "</bnode>"
    return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}"
            f"</predicate><object>{_xml_term(t.object)}</object></triple>")


def _csv_term(t) -> str:
    kind = type(t)
    if kind is ox.NamedNode or kind is ox.Literal:
        return t.value
    if kind is ox.BlankNode:
        return "_:" + t.value
    return f"{_csv_term(t.subject)} {_csv_term(t.predicate)} {_csv_term(t.object)}"


_CSV_QUOTE = re.compile(r'[",\r\n]')


def _csv_field(t) -> str:
    if t is None:
        return ""
    v = _csv_term(t)
    return '"' + v.replace('"', '""') + '"' if _CSV_QUOTE.search(v) else v


def _tsv_term(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.Literal) and not t.language:
        short = _TURTLE_SHORT.get(t.datatype.value)
        if short is not None and short.fullmatch(t.value):
            return t.value
    elif isinstance(t, ox.Triple):
        return f"<<( {_tsv_term(t.subject)} {_tsv_term(t.predicate)} {_tsv_term(t.object)} )>>"
    return str(t)


class _ResultsWriter:
    """One SPARQL results format, written as head, rows, foot (the same bytes as pyoxigraph's
    serialisers, which cannot stop after N rows). ``note`` wraps a comment written after the
    document, for formats that have comments."""

    note: tuple[str, str] | None = None

    def __init__(self, variables: list[str]):
        self.variables = variables

    def head(self) -> str:
        raise NotImplementedError

    def row(self, solution, first: bool) -> str:
        raise NotImplementedError

    foot = ""


class _JsonResults(_ResultsWriter):
    def __init__(self, variables: list[str]):
        super().__init__(variables)
        self.keys = [_js(v) + ":" for v in variables]

    def head(self) -> str:
        return '{"head":{"vars":[' + ",".join(_js(v) for v in self.variables) + ']},"results":{"bindings":['

    def row(self, solution, first: bool) -> str:
        body = ",".join(k + _json_term(t) for k, t in zip(self.keys, solution, strict=True) if t is not None)
        return ("{" if first else ",{") + body + "}"

    foot = "]}}"


class _XmlResults(_ResultsWriter):
    note = ("\n<!-- ", " -->\n")

    def __init__(self, variables: list[str]):
        super().__init__(variables)
        self.opens = [f'<binding name="{_xml(v)}">' for v in variables]

    def head(self) -> str:
        names = "".join(f'<variable name="{_xml(v)}"/>' for v in self.variables)
        return ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head>{names}</head><results>")

    def row(self, solution, first: bool) -> str:
        return ("<result>" + "".join(o + _xml_term(t) + "</binding>"
                                     for o, t in zip(self.opens, solution, strict=True) if t is not None)
                + "</result>")

    foot = "</results></sparql>"


class _CsvResults(_ResultsWriter):
    def head(self) -> str:
        return ",".join(self.variables) + "\r\n"

    def row(self, solution, first: bool) -> str:
        return ",".join(_csv_field(t) for t in solution) + "\r\n"


class _TsvResults(_ResultsWriter):
    def head(self) -> str:
        return "\t".join("?" + v for v in self.variables) + "\n"

    def row(self, solution, first: bool) -> str:
        return "\t".join(_tsv_term(t) for t in solution) + "\n"


RESULT_WRITERS = {"JSON": _JsonResults, "XML": _XmlResults, "CSV": _CsvResults, "TSV": _TsvResults}
GRAPH_NOTES = {"TURTLE": ("\n# ", "\n"), "N_TRIPLES": ("# ", "\n"), "RDF_XML": ("\n<!-- ", " -->\n")}
_NOTE_ROOM = 256  # bytes kept free under max_bytes for a document's head, foot and truncation note


def _note(wrap: tuple[str, str] | None, reason: str, limits: tuple[int, int]) -> bytes:
    if wrap is None:
        return b""
    limit = limits[0] if reason == "max-rows" else limits[1]
    return f"{wrap[0]}kg serve: truncated at --{reason} {limit}{wrap[1]}".encode()


def write_solutions(variables: list[str], solutions: Iterable, media: str, limits: tuple[int, int], out) -> str | None:
    """Write SELECT ``solutions`` as ``media`` to ``out`` (``write(bytes)``, ``written``), stopping
    before the row past ``limits`` = (max rows, max bytes; 0 = none). Returns why it stopped early
    (``"max-rows"``/``"max-bytes"``) or None."""
    max_rows, max_bytes = limits
    writer = RESULT_WRITERS[RESULT_TYPES[media]](variables)
    out.write(writer.head().encode())
    room = max_bytes - len(writer.foot) - _NOTE_ROOM
    rows, truncated = 0, None
    for solution in solutions:
        if max_rows and rows >= max_rows:
            truncated = "max-rows"
            break
        data = writer.row(solution, rows == 0).encode()
        if max_bytes and out.written + len(data) > room:
            truncated = "max-bytes"
            break
        out.write(data)
        rows += 1
    out.write(writer.foot.encode())
    if truncated:
        out.write(_note(writer.note, truncated, limits))
    return truncated


def write_triples(triples: Iterable, media: str, limits: tuple[int, int], out) -> str | None:
    """Write CONSTRUCT/DESCRIBE ``triples`` as ``media`` through pyoxigraph's streaming
    serialiser, with the caps of :func:`write_solutions`. The serialiser holds up to 8 KiB before
    it writes, so the byte cap counts what it wrote plus an estimate of what it holds (a triple's
    N-Triples size, tripled for RDF/XML and JSON-LD) and stops before the triple that could pass."""
    max_rows, max_bytes = limits
    fmt = GRAPH_TYPES[media]
    factor = 1 if fmt in ("N_TRIPLES", "TURTLE") else 3
    room = max_bytes - _NOTE_ROOM
    state: dict[str, str | None] = {"truncated": None}

    def capped() -> Iterator:
        n, held, last, seen = 0, 0, 0, out.written
        for t in triples:
            if max_rows and n >= max_rows:
                state["truncated"] = "max-rows"
                return
            if max_bytes:
                if out.written != seen:  # it wrote its buffer out: at most the last triple is still held
                    held, seen = last, out.written
                last = factor * (len(str(t).encode()) + 3) + 16
                if out.written + min(SERIALIZER_BUFFER, held + last) > room:
                    state["truncated"] = "max-bytes"
                    return
                held += last
            n += 1
            yield t

    ox.serialize(capped(), out, format=getattr(ox.RdfFormat, fmt))
    if state["truncated"]:
        out.write(_note(GRAPH_NOTES.get(fmt), state["truncated"], limits))
    return state["truncated"]


# -- the worker process -----------------------------------------------------------------------
class _Cancelled(Exception):
    """The server asked the worker to stop the answer it is streaming."""


class _StreamOut:
    """A streamed body, sent to the server process in chunks; a cancel is noticed between chunks."""

    def __init__(self, conn):
        self.conn = conn
        self.buf = bytearray()
        self.written = 0
        self.last = time.monotonic()
        self.cancelled = False

    def write(self, data: bytes) -> int:
        self.buf += data
        self.written += len(data)
        if len(self.buf) >= CHUNK_BYTES or time.monotonic() - self.last >= FLUSH_AFTER_S:
            self.send()
        return len(data)

    def flush(self) -> None:
        """pyoxigraph calls it at the end of a document; chunks are sent by :meth:`send`."""

    def send(self) -> None:
        if self.buf:
            self.conn.send(("data", bytes(self.buf)))
            self.buf.clear()
        self.last = time.monotonic()
        if self.conn.poll(0) and self.conn.recv() == "cancel":
            self.cancelled = True
            raise _Cancelled


def execute(store, request: dict, conn) -> None:
    """Run one query on an open pyoxigraph store and answer on ``conn``: one message
    ``("done", status, content type, body, headers)``, or ``("head", status, content type,
    headers)``, ``("data", bytes)``…, ``("end", truncated)`` — ``("fail", why)`` instead of
    ``end`` when the query breaks after its answer started."""

    def done(status: int, message: str) -> None:
        conn.send(("done", status, TEXT, (message.rstrip("\n") + "\n").encode(), {}))

    from kg.rdf.mapping import PREFIXES

    refusal = None if request.get("allow_service") else service_refusal(request["query"])
    if refusal:
        return done(400, refusal)
    default = [ox.NamedNode(g) for g in request.get("default_graphs") or []]
    named = [ox.NamedNode(g) for g in request.get("named_graphs") or []] or None
    try:
        result = store.query(request["query"], prefixes=PREFIXES,
                             use_default_graph_as_union=not default,
                             default_graph=default or None, named_graphs=named)
        graph = isinstance(result, ox.QueryTriples)
        offered = list(GRAPH_TYPES) if graph else list(RESULT_TYPES)
        media = negotiate(request.get("accept"), offered)
        if media is None:
            return done(406, f"none of the accepted types is available for this query; use one of: {', '.join(offered)}")
        if isinstance(result, ox.QueryBoolean):
            body = result.serialize(format=getattr(ox.QueryResultsFormat, RESULT_TYPES[media]))
            return conn.send(("done", 200, _with_charset(media), body, {}))
        items = iter(result)
        first = next(items, None)  # errors that show on the first row still get a status
    except SyntaxError as exc:
        return done(400, f"malformed query: {exc}")
    except ValueError as exc:
        return done(400, f"bad request: {exc}")
    except (OSError, RuntimeError) as exc:
        return done(500, f"query failed: {exc}")
    conn.send(("head", 200, _with_charset(media), {}))
    rest = items if first is None else itertools.chain([first], items)
    limits = (int(request.get("max_rows") or 0), int(request.get("max_bytes") or 0))
    out = _StreamOut(conn)
    try:
        if graph:
            truncated = write_triples(rest, media, limits, out)
        else:
            truncated = write_solutions([v.value for v in result.variables], rest, media, limits, out)
        out.send()
    except Exception as exc:  # noqa: BLE001 - pyoxigraph may wrap _Cancelled raised in write()
        if out.cancelled:
            return conn.send(("end", "cancelled"))
        return conn.send(("fail", f"{type(exc).__name__}: {exc}"))
    conn.send(("end", truncated))


def run_canned(store, request: dict) -> tuple[int, str, bytes, dict[str, str]]:
    """``/query/<name>?param=value``: a canned query, parameters bound by the engine. Its rows
    come whole from pandas, so the caps cut the frame and ``KG-Truncated`` is a plain header."""
    from kg.errors import KgError
    from kg.output import print_frame
    from kg.rdf.query import run_sparql_query

    media = negotiate(request.get("accept"), list(CANNED_TYPES))
    if media is None:
        return 406, TEXT, f"canned queries answer {' or '.join(CANNED_TYPES)}\n".encode(), {}
    try:
        df = run_sparql_query(store, request["name"], request.get("params") or {})
    except KgError as exc:
        status = 404 if "no canned" in str(exc) else 400
        return status, TEXT, f"{exc}\n".encode(), {}

    def render(frame) -> bytes:
        out = io.StringIO()
        print_frame(frame, CANNED_TYPES[media], out)
        return out.getvalue().encode("utf-8")

    max_rows, max_bytes = int(request.get("max_rows") or 0), int(request.get("max_bytes") or 0)
    headers = {"KG-Truncated": "no"}
    unknown = df.attrs.get("unknown")
    if unknown:  # a misspelt name: the rows stay (empty), the header names the closest known ones
        headers["KG-Warning"] = " | ".join(unknown).encode("ascii", "backslashreplace").decode("ascii")
    if max_rows and len(df) > max_rows:
        df, headers["KG-Truncated"] = df.head(max_rows), "max-rows"
    body = render(df)
    while max_bytes and len(body) > max_bytes and len(df):
        df = df.head(min(len(df) - 1, len(df) * max_bytes // len(body)))
        body, headers["KG-Truncated"] = render(df), "max-bytes"
    return 200, media + "; charset=utf-8", body, headers


def _worker_main(conn, store_dir: str) -> None:
    from kg.errors import KgError
    from kg.stores.oxigraph import OxigraphStore

    try:
        store = OxigraphStore(store_dir, read_only=True)
    except KgError as exc:
        conn.send(("done", 500, TEXT, f"{exc}\n".encode(), {}))
        return
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if request is None:
            return
        if request == "cancel":  # it crossed the end of the stream it was meant to stop
            continue
        try:
            if request.get("name"):
                conn.send(("done", *run_canned(store, request)))
            else:
                execute(store.db, request, conn)
        except (EOFError, OSError, KeyboardInterrupt):
            return  # the server is gone
        except Exception as exc:  # noqa: BLE001 - never let one query kill the worker silently
            conn.send(("done", 500, TEXT, f"query failed: {type(exc).__name__}: {exc}\n".encode(), {}))


def _worker_cli(argv: list[str]) -> None:
    """``python -m kg.rdf.server --worker STORE_DIR``: requests on stdin, answers on stdout
    (multiprocessing Connection framing); anything printed goes to stderr instead."""
    from multiprocessing.connection import Connection

    out_fd = os.dup(1)
    os.dup2(2, 1)
    _worker_main(_Duplex(Connection(0, writable=False), Connection(out_fd, readable=False)), argv[1])


class _Duplex:
    """A reading and a writing Connection used as one."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    def send(self, obj) -> None:
        self.writer.send(obj)

    def recv(self):
        return self.reader.recv()

    def poll(self, timeout: float) -> bool:
        return self.reader.poll(timeout)

    def close(self) -> None:
        for c in (self.reader, self.writer):
            try:
                c.close()
            except OSError:
                pass


class _Worker:
    """One query process (a fresh interpreter, not a fork: RocksDB handles and threads do not
    survive fork) with its own read-only store handle."""

    def __init__(self, store_dir: str, reserve: bool = False):
        self.store_dir = store_dir
        self.reserve = reserve
        self.process: subprocess.Popen | None = None
        self.conn: _Duplex | None = None

    def spawn(self) -> None:
        from multiprocessing.connection import Connection

        import kg

        env = dict(os.environ)
        root = str(Path(kg.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg.rdf.server", "--worker", self.store_dir],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True,
        )
        reader = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        writer = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.process.stdout.close()
        self.process.stdin.close()
        self.conn = _Duplex(reader, writer)

    def wait_ready(self, wait_s: float = 60.0) -> None:
        try:
            ready = self.conn.poll(wait_s)
            hello = self.conn.recv() if ready else None
        except (EOFError, OSError):
            hello = None
        if hello != "ready":
            self.kill()
            why = hello[3].decode().strip() if isinstance(hello, tuple) else "it exited or did not answer"
            raise RuntimeError(f"the SPARQL worker did not start: {why}")

    def start(self, wait_s: float = 60.0) -> None:
        self.spawn()
        self.wait_ready(wait_s)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait(5)
            self.process = None
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def stop(self) -> None:
        if self.conn is not None and self.alive:
            try:
                self.conn.send(None)
                self.process.wait(2)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()


class StreamError(Exception):
    """A streamed answer broke after its head was sent (time limit, worker failure)."""


@dataclass
class Answer:
    """What the pool hands the HTTP side: a whole body, or ``chunks`` to stream (then
    ``truncated`` is set once they are exhausted)."""

    status: int
    ctype: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunks: Iterator[bytes] | None = None
    truncated: str | None = None

    @classmethod
    def text(cls, status: int, message: str) -> Answer:
        return cls(status, TEXT, (message.rstrip("\n") + "\n").encode())


class QueryPool:
    """Worker processes that run queries with a hard time limit, plus one reserve worker.

    A request takes an idle regular worker. If none frees up within ``RESERVE_WAIT_S`` it takes
    the reserve, where it must start answering within ``RESERVE_LIMIT_S``; a query that does not
    is stopped there and waits for a regular worker instead (it is read-only: running it again is
    safe). So a cheap query is answered while slow ones hold every regular worker."""

    def __init__(self, store_dir: str | os.PathLike, workers: int = 2, timeout_s: float = DEFAULT_TIMEOUT_S,
                 reserve: bool = True):
        self.store_dir = str(store_dir)
        self.timeout_s = float(timeout_s)
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._spare: list[_Worker] = []
        self._closed = False
        pool = [_Worker(self.store_dir) for _ in range(max(1, workers))]
        if reserve:
            pool.append(_Worker(self.store_dir, reserve=True))
        for w in pool:  # start them side by side: each takes a second to import and open the store
            w.spawn()
        try:
            for w in pool:
                w.wait_ready()
        except RuntimeError:
            for w in pool:
                w.kill()
            raise
        for w in pool:
            (self._spare if w.reserve else self._idle).append(w)

    def _acquire(self, wait_until: float, regular_only: bool) -> _Worker | None:
        grace_until = time.monotonic() + RESERVE_WAIT_S
        with self._cond:
            while not self._closed:
                if self._idle:
                    return self._idle.pop()
                now = time.monotonic()
                if not regular_only and self._spare and now >= grace_until:
                    return self._spare.pop()
                if now >= wait_until:
                    return None
                wake = grace_until if (not regular_only and now < grace_until) else wait_until
                self._cond.wait(wake - now)
        return None

    def answer(self, request: dict) -> Answer:
        """Run one request; a streamed answer holds its worker until its chunks are consumed or
        closed (close them: that stops the query)."""
        wait_until = time.monotonic() + self.timeout_s
        regular_only = False
        while True:
            worker = self._acquire(wait_until, regular_only)
            if worker is None:
                return Answer.text(503, "all query workers are busy; try again later")
            start = time.monotonic()
            limit = min(self.timeout_s, RESERVE_LIMIT_S) if worker.reserve else self.timeout_s
            try:
                if not worker.alive:  # its replacement failed to start earlier: try again
                    worker.kill()
                    worker.start()
                worker.conn.send(request)
                msg = worker.conn.recv() if worker.conn.poll(limit) else None
            except (EOFError, OSError, RuntimeError) as exc:
                worker.kill()
                self._release(worker)
                return Answer.text(500, f"the query worker failed: {exc}")
            if msg is None:
                worker.kill()  # the query is still running: stop it for good
                self._release(worker)
                if worker.reserve and limit < self.timeout_s:
                    regular_only = True  # not cheap after all: wait for a regular worker
                    continue
                return Answer.text(503, f"query timed out after {self.timeout_s:g} s "
                                        "(the limit is set with kg serve --timeout)")
            if msg[0] == "done":
                self._release(worker)
                _, status, ctype, body, headers = msg
                return Answer(status, ctype, body, headers)
            _, status, ctype, headers = msg
            answer = Answer(status, ctype, headers=headers)
            answer.chunks = _Stream(self, worker, start + self.timeout_s, answer)
            return answer

    @staticmethod
    def _cancel(worker: _Worker, deadline: float) -> None:
        """Stop a stream nobody reads any more: ask, drain to its end, or kill."""
        try:
            worker.conn.send("cancel")
            while True:
                left = min(deadline, time.monotonic() + 5.0) - time.monotonic()
                if left <= 0 or not worker.conn.poll(left):
                    break
                if worker.conn.recv()[0] in ("end", "fail"):
                    return
        except (EOFError, OSError):
            pass
        worker.kill()

    def _release(self, worker: _Worker) -> None:
        """Back to the idle workers; a killed worker is replaced in the background first."""
        if worker.alive or self._closed:
            self._put(worker)
            return

        def restart() -> None:
            try:
                worker.start()
            except RuntimeError:
                pass  # the next request tries again and reports the failure
            if self._closed:
                worker.stop()
            self._put(worker)

        threading.Thread(target=restart, name="kg-sparql-restart", daemon=True).start()

    def _put(self, worker: _Worker) -> None:
        with self._cond:
            (self._spare if worker.reserve else self._idle).append(worker)
            self._cond.notify_all()

    def pids(self) -> list[int]:
        """Process ids of the idle workers (all of them when no query runs)."""
        with self._cond:
            return [w.process.pid for w in self._idle + self._spare if w.process is not None]

    def close(self) -> None:
        with self._cond:
            self._closed = True
            workers, self._idle, self._spare = self._idle + self._spare, [], []
            self._cond.notify_all()
        for w in workers:
            w.stop()


class _Stream:
    """The chunks of a streamed answer. It holds its worker until the last chunk or
    :meth:`close` (which stops the query: call it when the client goes away or for HEAD)."""

    def __init__(self, pool: QueryPool, worker: _Worker, deadline: float, answer: Answer):
        self.pool, self.worker, self.deadline, self.answer = pool, worker, deadline, answer
        self.released = False

    def __iter__(self) -> _Stream:
        return self

    def __next__(self) -> bytes:
        if self.released:
            raise StopIteration
        try:
            left = self.deadline - time.monotonic()
            msg = self.worker.conn.recv() if left > 0 and self.worker.conn.poll(left) else None
        except (EOFError, OSError) as exc:
            self._fail(f"the query worker failed ({exc})")
        if msg is None:
            self._fail(f"the query ran out of its {self.pool.timeout_s:g} s")
        if msg[0] == "data":
            return msg[1]
        self._release()
        if msg[0] == "end":
            self.answer.truncated = msg[1]
            raise StopIteration
        raise StreamError(f"the answer was cut: {msg[1]}")

    def _fail(self, why: str) -> None:
        self.worker.kill()
        self._release()
        raise StreamError(f"the answer was cut: {why}")

    def _release(self) -> None:
        if not self.released:
            self.released = True
            self.pool._release(self.worker)

    def close(self) -> None:
        if not self.released:
            if self.worker.alive:
                self.pool._cancel(self.worker, self.deadline)
            self._release()


# -- HTTP -------------------------------------------------------------------------------------
class SparqlHandler(BaseHTTPRequestHandler):
    server_version = "kg-sparql/1"
    protocol_version = "HTTP/1.1"
    server: SparqlServer

    def log_message(self, fmt: str, *args) -> None:
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} - {fmt % args}\n")

    # -- who may ask ----------------------------------------------------------------------------
    def _allowed_origin(self) -> str | None:
        """The ``Access-Control-Allow-Origin`` value for this request, if any."""
        origin = (self.headers.get("Origin") or "").strip().lower()
        cors = self.server.policy.cors_origins
        if "*" in cors:
            return "*"
        return origin if origin and origin in cors else None

    def _guard(self) -> bool:
        """Refuse requests a web page could have made behind the user's back: an unexpected
        ``Host`` (DNS rebinding), an ``Origin`` not named by ``--cors``, or a request the browser
        marks as coming from another site (``Sec-Fetch-Site``)."""
        host = self.headers.get("Host")
        if not host:
            self._error(400, "missing Host header")
            return False
        if not self.server.host_allowed(host):
            self._error(403, f"Host {host!r} is not allowed: this endpoint answers to {self.server.allowed_summary()}. "
                             "Start kg serve with --allow-host NAME to add a name.")
            return False
        origin = self.headers.get("Origin")
        if origin is not None and not (self._allowed_origin() or self.server.is_own_origin(origin)):
            self._error(403, f"cross-origin request from {origin} refused; start kg serve with --cors {origin} "
                             "to allow that origin")
            return False
        site = (self.headers.get("Sec-Fetch-Site") or "").lower()
        if site in ("cross-site", "same-site") and not self._allowed_origin():
            self._error(403, "request from another site refused; start kg serve with --cors ORIGIN to allow a web app")
            return False
        return True

    def _common_headers(self) -> None:
        allow = self._allowed_origin()
        if allow:
            self.send_header("Access-Control-Allow-Origin", allow)
            self.send_header("Access-Control-Expose-Headers", EXPOSED_HEADERS)
        self.send_header("Vary", "Accept, Origin" if self.server.policy.cors_origins else "Accept")

    # -- answers --------------------------------------------------------------------------------
    def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self._common_headers()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, TEXT, (message.rstrip("\n") + "\n").encode())

    def _limit_headers(self) -> dict[str, str]:
        p = self.server.policy
        return {"KG-Max-Rows": str(p.max_rows), "KG-Max-Bytes": str(p.max_bytes)}

    def _send_answer(self, answer: Answer) -> None:
        if answer.chunks is None:
            headers = {**self._limit_headers(), **answer.headers} if answer.status == 200 else answer.headers
            return self._send(answer.status, answer.ctype, answer.body, headers)
        with closing(answer.chunks):  # closing it early (HEAD, client gone) stops the query
            chunked = self.request_version != "HTTP/1.0"
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.ctype)
            for k, v in {**self._limit_headers(), **answer.headers}.items():
                self.send_header(k, v)
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
                self.send_header("Trailer", "KG-Truncated")
            else:  # HTTP/1.0 has no chunks: the body ends when the connection closes
                self.send_header("Connection", "close")
                self.close_connection = True
            self._common_headers()
            self.end_headers()
            if self.command == "HEAD":
                return
            try:
                for chunk in answer.chunks:
                    self.wfile.write(b"%x\r\n%b\r\n" % (len(chunk), chunk) if chunked else chunk)
            except StreamError as exc:  # no last chunk: the client sees an incomplete answer
                self.log_error("%s", exc)
                self.close_connection = True
                return
            except OSError:  # the client went away
                self.close_connection = True
                return
            if chunked:
                self.wfile.write(b"0\r\nKG-Truncated: %s\r\n\r\n" % (answer.truncated or "no").encode())

    def _answer(self, params: dict[str, list[str]], query: str | None) -> None:
        if "update" in params:
            return self._error(400, "updates are refused: this endpoint is read-only")
        if query is None:
            query = (params.get("query") or [None])[0]
        if not query:
            if urlsplit(self.path).path in ("/", ""):
                return self._send(200, TEXT, self.server.help_text().encode())
            return self._error(400, "missing the query parameter (GET /sparql?query=…)")
        accept = self.headers.get("Accept")
        fmt = (params.get("format") or params.get("output") or [None])[0]
        if fmt:
            media = FORMAT_PARAM.get(fmt.lower(), fmt)
            accept = media
        p = self.server.policy
        request = {"query": query, "accept": accept,
                   "default_graphs": params.get("default-graph-uri", []),
                   "named_graphs": params.get("named-graph-uri", []),
                   "allow_service": p.allow_service, "max_rows": p.max_rows, "max_bytes": p.max_bytes}
        self._send_answer(self.server.pool.answer(request))

    def _path_ok(self) -> bool:
        path = urlsplit(self.path).path
        if path in ("/", "", "/sparql"):
            return True
        self._error(404, f"no such resource {path}; the endpoint is /sparql (canned queries: /query/NAME)")
        return False

    def _canned(self, name: str, params: dict[str, list[str]]) -> None:
        fmt = (params.pop("format", None) or [None])[0]
        accept = FORMAT_PARAM.get(fmt, fmt) if fmt else self.headers.get("Accept")
        if fmt == "json":
            accept = "application/json"
        p = self.server.policy
        request = {"name": name, "params": {k: v[-1] for k, v in params.items()}, "accept": accept,
                   "max_rows": p.max_rows, "max_bytes": p.max_bytes}
        self._send_answer(self.server.pool.answer(request))

    def do_GET(self) -> None:
        if not self._guard():
            return
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path.startswith("/query/") and url.path.count("/") == 2:
            return self._canned(url.path.rsplit("/", 1)[1], params)
        if self._path_ok():
            self._answer(params, None)

    do_HEAD = do_GET

    def do_POST(self) -> None:
        if not self._guard() or not self._path_ok():
            self.close_connection = True  # the body was not read
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self._error(400, "bad Content-Length")
        if length > MAX_BODY:
            self.close_connection = True
            return self._error(413, f"request body larger than {MAX_BODY} bytes")
        body = self.rfile.read(length) if length else b""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        url_params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            return self._error(400, "updates are refused: this endpoint is read-only")
        if ctype == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            for k, v in url_params.items():
                form.setdefault(k, v)
            return self._answer(form, None)
        if ctype == "application/sparql-query":
            return self._answer(url_params, body.decode("utf-8", "replace"))
        return self._error(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded")

    def do_OPTIONS(self) -> None:
        if not self._guard():
            return
        self.send_response(204)
        self.send_header("Allow", "GET, POST, HEAD, OPTIONS")
        if self._allowed_origin():
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Access-Control-Max-Age", "600")
        self._common_headers()
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _refuse(self) -> None:
        if self._guard():
            self._error(405, "this endpoint is read-only: GET or POST a query")
        self.close_connection = True  # a body may follow that we did not read

    do_PUT = do_DELETE = do_PATCH = _refuse


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, store_path: str | os.PathLike, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                 timeout_s: float = DEFAULT_TIMEOUT_S, workers: int = 2, verbose: bool = False,
                 policy: ServePolicy | None = None):
        from kg.stores.oxigraph import OxigraphStore

        with OxigraphStore(store_path, read_only=True) as store:  # fails early with a clear message
            self.db_path = store.db_path
        self.verbose = verbose
        self.timeout_s = timeout_s
        self.policy = policy or ServePolicy()
        self.pool = QueryPool(store_path, workers=workers, timeout_s=timeout_s)
        try:
            super().__init__((host, port), SparqlHandler)
        except OSError:
            self.pool.close()
            raise
        self._names, self._named_ports = self._host_names()

    def _host_names(self) -> tuple[set[str], set[tuple[str, int]]]:
        """Names accepted with any port (``--allow-host NAME``) and (name, port) pairs: the
        loopback names and the bound address with the bound port, ``--allow-host NAME:PORT``."""
        host, port = self.server_address[:2]
        names: set[str] = set()
        pairs = {(n, port) for n in LOOPBACK_NAMES}
        bound = f"[{host}]" if ":" in host else host
        if host not in ("0.0.0.0", "::", ""):
            pairs.add((bound.lower(), port))
        for entry in self.policy.allowed_hosts:
            name, p = split_host(entry)
            if p is None:
                names.add(name)
            else:
                pairs.add((name, p))
        return names, pairs

    def host_allowed(self, value: str) -> bool:
        parsed = split_host(value)
        if parsed is None:
            return False
        name, port = parsed
        return name in self._names or (name, 80 if port is None else port) in self._named_ports

    def is_own_origin(self, origin: str) -> bool:
        """``Origin`` of a page served from this endpoint's own address (http, allowed host)."""
        url = urlsplit(origin.strip())
        return url.scheme == "http" and bool(url.netloc) and self.host_allowed(url.netloc)

    def allowed_summary(self) -> str:
        port = self.server_address[1]
        named = sorted(f"{n}:{p}" for n, p in self._named_ports) + sorted(self._names)
        return ", ".join(named) if named else f"localhost:{port}"

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/sparql"

    def help_text(self) -> str:
        p = self.policy
        rows = f"{p.max_rows:,} rows" if p.max_rows else "no row cap"
        size = f"{p.max_bytes:,} bytes" if p.max_bytes else "no byte cap"
        return (
            f"kg SPARQL endpoint (read-only) for {Path(self.db_path).parent}\n"
            f"  GET  {self.url}?query=SELECT…\n"
            f"  POST {self.url}  (application/sparql-query or form-encoded query=…)\n"
            f"Queries time out after {self.timeout_s:g} s; answers stop at {rows} or {size} "
            f"(trailer KG-Truncated). SERVICE is {'allowed' if p.allow_service else 'refused'}. "
            "See docs/rdf.md.\n"
        )

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


def make_server(store_path: str | os.PathLike, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                timeout_s: float = DEFAULT_TIMEOUT_S, workers: int = 2, verbose: bool = False, *,
                allow_service: bool = False, cors: Iterable[str] = (), allow_hosts: Iterable[str] = (),
                max_rows: int = DEFAULT_MAX_ROWS, max_bytes: int = DEFAULT_MAX_BYTES) -> SparqlServer:
    """A server bound to ``host:port`` (``port=0`` picks a free one); run ``serve_forever()``."""
    policy = ServePolicy.make(allow_service=allow_service, cors=cors, allow_hosts=allow_hosts,
                              max_rows=max_rows, max_bytes=max_bytes)
    return SparqlServer(store_path, host, port, timeout_s, workers, verbose, policy)


def serve_in_thread(server: SparqlServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="kg-sparql", daemon=True)
    thread.start()
    return thread


def _stop_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt


def serve(store_path: str | os.PathLike, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
          timeout_s: float = DEFAULT_TIMEOUT_S, workers: int = 2, verbose: bool = True,
          on_ready=None, **options) -> None:
    """Serve the store until interrupted (Ctrl-C or SIGTERM); ``options`` as for :func:`make_server`."""
    if threading.current_thread() is threading.main_thread():
        # a shell that starts us in the background sets SIGINT to "ignore", and we would inherit it
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
    server = make_server(store_path, host, port, timeout_s, workers, verbose, **options)
    if on_ready is not None:
        on_ready(server)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__" and sys.argv[1:2] == ["--worker"]:
    _worker_cli(sys.argv[1:])
