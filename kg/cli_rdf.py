"""The RDF commands of ``kg``: ``export``, ``sparql`` and ``serve``.

``register(cli)`` adds them to the main Click group (kg/cli.py). Errors are raised as
:class:`kg.errors.KgError`/:class:`~kg.errors.UsageError`, which ``kg.cli.main`` turns into one
line and exit code 1 or 2.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator

import click

from kg.config import DEFAULT_MIN_CONFIDENCE, DEFAULT_QUERY_TIMEOUT_S, store_path
from kg.errors import KgError, UsageError

STORE_HELP = "Store directory (default: $KG_STORE or ./kg-data)."
HISTORY_FILE = "~/.kg_sparql_history"
RDF_FORMATS = ["ttl", "nt", "jsonld", "rdfxml"]


def _params(pairs: Iterable[str]) -> dict[str, str]:
    from kg.output import parse_params

    return parse_params(pairs)


# -- export -----------------------------------------------------------------------------------
def run_export(fmt: str, output: str, store_dir: str | None, base: str | None = None,
               neo4j_uri: str | None = None) -> int:
    """Export the property graph of the target (``store_dir``, or Neo4j at ``neo4j_uri``) as RDF
    to ``output``; returns the triples."""
    from kg.rdf.export import export_rdf, normalise_format
    from kg.rdf.from_store import read_tables
    from kg.rdf.mapping import DEFAULT_BASE, IriMinter
    from kg.stores.open import open_store, resolve_target

    fmt = normalise_format(fmt)
    base = base or DEFAULT_BASE
    try:
        IriMinter(base)
    except ValueError as exc:
        raise UsageError(f"--base: {exc}") from None
    with open_store(resolve_target(store_dir, neo4j_uri)) as store:
        tables = read_tables(store)
    return export_rdf(tables, fmt, output, base=base)


def export_command() -> click.Command:
    @click.command("export")
    @click.option("--format", "fmt", type=click.Choice(RDF_FORMATS), required=True,
                  help="ttl (Turtle), nt (N-Triples, streamed: use for big graphs), jsonld, rdfxml.")
    @click.option("-o", "--output", required=True, help="Output file (written atomically), - for stdout.")
    @click.option("--store", "store_dir", envvar="KG_STORE", help=STORE_HELP)
    @click.option("--base", default=None, metavar="IRI",
                  help="Base of the instance IRIs (default https://w3id.org/kg-ml/).")
    def export(fmt: str, output: str, store_dir: str | None, base: str | None) -> None:
        """Export the graph as RDF (schema.org, SKOS, ML-Schema, PROV-O; see docs/rdf.md)."""
        n = run_export(fmt, output, store_dir, base)
        if output != "-":
            click.echo(f"{n:,} triples written to {output}", err=True)

    return export


# -- sparql -----------------------------------------------------------------------------------
_PARSER = None


def is_complete(text: str) -> bool:
    """Whether ``text`` parses as one SPARQL query (checked on an empty in-memory store). Text
    that will be refused (SPARQL Update, SERVICE) counts as complete and is never evaluated
    here: a SERVICE would send a request even from an empty store."""
    global _PARSER
    import pyoxigraph as ox

    from kg.rdf.mapping import PREFIXES
    from kg.stores.readonly import Refused, check_sparql

    try:
        check_sparql(text)
    except Refused:
        return True  # ends the statement; running it gives the refusal
    if _PARSER is None:
        _PARSER = ox.Store()
    try:
        _PARSER.query(text, prefixes=PREFIXES)
    except SyntaxError:
        return False
    except Exception:  # noqa: BLE001 - it parsed and failed otherwise: complete as far as splitting goes
        return True
    return True


def split_statements(lines: Iterable[str]) -> Iterator[str]:
    """Statements from lines: one ends at a line ending in ``;`` (or at the end of the input)
    once the text so far is a complete query. A ``;`` at the end of a line *inside* a query
    (``?s a kg:Comparison ;``) does not end it."""
    buf: list[str] = []
    for line in lines:
        buf.append(line.rstrip("\n"))
        if line.rstrip().endswith(";"):
            text = "\n".join(buf).rstrip()[:-1]
            if text.strip() and is_complete(text):
                yield text
                buf = []
    rest = "\n".join(buf).strip()
    if rest:
        yield rest[:-1] if rest.endswith(";") and is_complete(rest[:-1]) else rest


def _run_one(store, statement: str, bindings: dict, fmt: str, timeout: float | None = None) -> None:
    """One query of ``kg sparql -e`` or of a script: at most ``timeout`` seconds, Ctrl-C ends
    the command (exit code 130) and the query with it (kg.rdf.query_process)."""
    from kg.output import print_frame
    from kg.rdf.query_process import run_bounded
    from kg.stores.readonly import Refused

    text = statement.rstrip()
    if text.endswith(";") and is_complete(text[:-1]):
        statement = text[:-1]
    try:
        df = run_bounded(lambda: store.sparql(statement, bindings), timeout)
    except Refused:
        raise
    except KgError as exc:
        raise KgError(f"sparql: {exc}") from None
    print_frame(df, fmt)


def console(store, fmt: str = "table", session=None) -> None:
    """The interactive console: a prompt_toolkit session with history in ~/.kg_sparql_history;
    a query ends with a line ending in ';' (once it parses) or with an empty line. ``store``
    answers ``sparql(text)``: in ``kg sparql``, a :class:`kg.rdf.query_process.QueryProcess`,
    so that Ctrl-C and the time limit stop a running query and the prompt comes back."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    from kg.output import print_frame
    from kg.rdf.mapping import PREFIXES

    if session is None:
        session = PromptSession(history=FileHistory(os.path.expanduser(HISTORY_FILE)))
    click.echo("kg SPARQL console. End a query with ';' or an empty line; Ctrl-D to quit.")
    click.echo("Prefixes: " + ", ".join(f"{p}:" for p in PREFIXES))
    buf: list[str] = []
    while True:
        try:
            line = session.prompt("sparql> " if not buf else "   ...> ")
        except KeyboardInterrupt:
            buf = []
            continue
        except EOFError:
            click.echo()
            return
        if not buf and line.strip() in ("quit", "exit", "\\q"):
            return
        stripped = line.rstrip()
        if stripped:
            buf.append(line)
        text = "\n".join(buf).strip()
        if not text:
            continue
        done = not stripped or (stripped.endswith(";") and is_complete(text[:-1]))
        if not done:
            continue
        text = text.removesuffix(";")
        buf = []
        try:
            print_frame(store.sparql(text), fmt)
        except KeyboardInterrupt:
            click.echo("cancelled", err=True)
        except KgError as exc:
            click.echo(f"error: {exc}", err=True)


def sparql_command() -> click.Command:
    @click.command("sparql")
    @click.option("-e", "--execute", "statement", help="Run one query and exit.")
    @click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
                  help="Bind ?NAME to the string VALUE (repeatable; the variable must be selected).")
    @click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                  show_default=True)
    @click.option("--store", "store_dir", envvar="KG_STORE", help=STORE_HELP)
    @click.option("--timeout", type=click.FloatRange(0.1), default=DEFAULT_QUERY_TIMEOUT_S, show_default=True,
                  help="Stop a query after this many seconds.")
    @click.option("--allow-service", is_flag=True,
                  help="Allow SERVICE, which sends (part of) a query to the server it names.")
    def sparql(statement: str | None, params: tuple[str, ...], fmt: str, store_dir: str | None,
               timeout: float, allow_service: bool) -> None:
        """Run SPARQL on the RDF store: one query with -e, queries from stdin (each ending in
        ';' or at the end of input), or an interactive console on a terminal.

        The prefixes kg:, schema:, dcterms:, skos:, mls:, prov:, oa:, xsd:, rdf:, rdfs: are
        predeclared. The default graph is the union of all graphs. Queries only: SPARQL Update
        is refused, and SERVICE unless --allow-service. Ctrl-C stops a running query.
        """
        from kg.rdf.query_process import QueryProcess
        from kg.stores.open import open_store

        bindings = _params(params)
        with open_store(store_path(store_dir), lang="sparql", allow_service=allow_service) as store:
            if statement:
                _run_one(store, statement, bindings, fmt, timeout)
                return
            if not sys.stdin.isatty():
                for st in split_statements(sys.stdin):
                    _run_one(store, st, bindings, fmt, timeout)
                return
        # the console's queries run in a worker process, which Ctrl-C and --timeout can stop
        with QueryProcess(store_path(store_dir), timeout=timeout, allow_service=allow_service) as worker:
            console(worker, fmt)

    return sparql


# -- serve ------------------------------------------------------------------------------------
def serve_command() -> click.Command:
    from kg.rdf.server import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS

    @click.command("serve")
    @click.option("--store", "store_dir", envvar="KG_STORE", help=STORE_HELP)
    @click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
    @click.option("--port", type=click.IntRange(0, 65535), default=3030, show_default=True)
    @click.option("--timeout", "timeout_s", type=click.FloatRange(0.1), default=DEFAULT_QUERY_TIMEOUT_S,
                  show_default=True, help="Seconds a query may run before it is stopped (503).")
    @click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
                  help="Queries answered at the same time (one process each; one more is kept in reserve "
                       "for cheap queries while all are busy).")
    @click.option("--quiet", "-q", is_flag=True, help="Do not log requests.")
    @click.option("--allow-service", is_flag=True,
                  help="Allow SERVICE (federated queries): the server then fetches any URL a query names.")
    @click.option("--cors", multiple=True, metavar="ORIGIN",
                  help="Let web pages from ORIGIN (http://host:port) read answers; repeatable. Default: none.")
    @click.option("--allow-host", multiple=True, metavar="HOST[:PORT]",
                  help="Accept this Host header besides localhost, 127.0.0.1 and [::1]; repeatable.")
    @click.option("--max-rows", type=click.IntRange(0), default=DEFAULT_MAX_ROWS, show_default=True,
                  help="Rows (triples) in one answer; 0: no cap.")
    @click.option("--max-bytes", type=click.IntRange(0), default=DEFAULT_MAX_BYTES, show_default=True,
                  help="Bytes in one answer; 0: no cap.")
    def serve(store_dir: str | None, host: str, port: int, timeout_s: float, workers: int, quiet: bool,
              allow_service: bool, cors: tuple[str, ...], allow_host: tuple[str, ...], max_rows: int,
              max_bytes: int) -> None:
        """Serve the RDF store as a read-only SPARQL 1.1 endpoint (Ctrl-C to stop).

        \b
        Example:
          kg serve --port 3030 &
          curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5' \\
               http://127.0.0.1:3030/sparql
        """
        from kg.rdf.server import serve as run_server

        def ready(server) -> None:
            click.echo(f"SPARQL endpoint at {server.url} (read-only; queries time out after "
                       f"{timeout_s:g} s). Ctrl-C to stop.", err=True)

        try:
            run_server(store_path(store_dir), host=host, port=port, timeout_s=timeout_s,
                       workers=workers, verbose=not quiet, on_ready=ready, allow_service=allow_service,
                       cors=cors, allow_hosts=allow_host, max_rows=max_rows, max_bytes=max_bytes)
        except OSError as exc:
            raise KgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None

    return serve


# -- kg build ---------------------------------------------------------------------------------
@contextlib.contextmanager
def rdf_side(store, store_dir: str | None, enabled: bool = True) -> Iterator:
    """``store`` and, when ``enabled``, the RDF side of ``store_dir`` as one
    :class:`kg.stores.base.StoreSet` (each side plans every batch from its own record). ``kg
    build`` opens both with :func:`kg.stores.open.open_store`; this is for callers holding a
    property-graph store already."""
    if not enabled:
        yield store
        return
    from kg.stores.base import StoreSet
    from kg.stores.oxigraph import OxigraphStore

    with OxigraphStore(store_path(store_dir)) as rdf:
        yield StoreSet([store, rdf])


# -- canned queries and registration ----------------------------------------------------------
def query_sparql(store_dir: str | None, name: str, params: dict[str, str], timeout: float | None = None,
                 min_confidence: float | None = DEFAULT_MIN_CONFIDENCE):
    """``kg query NAME --lang sparql``: the canned SPARQL query on the store's RDF side, stopped
    after ``timeout`` seconds (the command then ends: kg.rdf.query_process.run_bounded)."""
    from kg.canned import run_canned
    from kg.queries import load_query
    from kg.rdf.query_process import run_bounded
    from kg.stores.open import open_store

    load_query(name, "sparql").bind(params)  # unknown names and bad values fail before the store opens
    with open_store(store_path(store_dir), lang="sparql") as store:
        return run_bounded(lambda: run_canned(store, name, params, "sparql", min_confidence), timeout)


def register(cli_group: click.Group, *, export: bool = True) -> None:
    """Add ``sparql``, ``serve`` and (unless ``export=False``) ``export`` to ``cli_group``."""
    if export:
        cli_group.add_command(export_command())
    cli_group.add_command(sparql_command())
    cli_group.add_command(serve_command())
