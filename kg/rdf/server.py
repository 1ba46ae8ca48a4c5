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
bound by the engine and answers ``application/json`` (rows as objects) or ``text/csv``.

Updates are refused (400): the store is opened read-only. Each query runs in a worker *process*
holding its own read-only handle; a query that runs longer than the time limit is answered with
503 and its worker is killed (a thread could not be stopped and would keep a core busy), then
replaced.
"""

from __future__ import annotations

import io
import os
import queue
import signal
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

DEFAULT_PORT = 3030
DEFAULT_TIMEOUT_S = 30.0
MAX_BODY = 1 << 20  # 1 MiB of query text is plenty

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


# -- the worker process -----------------------------------------------------------------------
def execute(store, request: dict) -> tuple[int, str, bytes]:
    """Run one query on an open pyoxigraph store: (HTTP status, content type, body)."""
    import pyoxigraph as ox

    from kg.rdf.mapping import PREFIXES

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
            return 406, "text/plain", (
                f"none of the accepted types is available for this query; use one of: {', '.join(offered)}\n"
            ).encode()
        if graph:
            body = result.serialize(format=getattr(ox.RdfFormat, GRAPH_TYPES[media]))
        else:
            body = result.serialize(format=getattr(ox.QueryResultsFormat, RESULT_TYPES[media]))
        charset = "; charset=utf-8" if media.startswith("text/") or "json" in media or "xml" in media else ""
        return 200, media + charset, body
    except SyntaxError as exc:
        return 400, "text/plain", f"malformed query: {exc}\n".encode()
    except ValueError as exc:
        return 400, "text/plain", f"bad request: {exc}\n".encode()
    except (OSError, RuntimeError) as exc:
        return 500, "text/plain", f"query failed: {exc}\n".encode()


def run_canned(store, request: dict) -> tuple[int, str, bytes]:
    """``/query/<name>?param=value``: a canned query, parameters bound by the engine."""
    from kg.errors import KgError
    from kg.output import print_frame
    from kg.rdf.query import run_sparql_query

    media = negotiate(request.get("accept"), list(CANNED_TYPES))
    if media is None:
        return 406, "text/plain", f"canned queries answer {' or '.join(CANNED_TYPES)}\n".encode()
    try:
        df = run_sparql_query(store, request["name"], request.get("params") or {})
    except KgError as exc:
        status = 404 if "no canned" in str(exc) else 400
        return status, "text/plain", f"{exc}\n".encode()
    out = io.StringIO()
    print_frame(df, CANNED_TYPES[media], out)
    return 200, media + "; charset=utf-8", out.getvalue().encode("utf-8")


def _worker_main(conn, store_dir: str) -> None:
    from kg.errors import KgError
    from kg.stores.oxigraph import OxigraphStore

    try:
        store = OxigraphStore(store_dir, read_only=True)
    except KgError as exc:
        conn.send((500, "text/plain", f"{exc}\n".encode()))
        return
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if request is None:
            return
        try:
            if request.get("name"):
                conn.send(run_canned(store, request))
            else:
                conn.send(execute(store.db, request))
        except Exception as exc:  # noqa: BLE001 - never let one query kill the worker silently
            conn.send((500, "text/plain", f"query failed: {type(exc).__name__}: {exc}\n".encode()))


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

    def __init__(self, store_dir: str):
        self.store_dir = store_dir
        self.process: subprocess.Popen | None = None
        self.conn: _Duplex | None = None

    def start(self, wait_s: float = 60.0) -> None:
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
        try:
            ready = self.conn.poll(wait_s)
            hello = self.conn.recv() if ready else None
        except (EOFError, OSError):
            hello = None
        if hello != "ready":
            self.kill()
            why = hello[2].decode().strip() if isinstance(hello, tuple) else "it exited or did not answer"
            raise RuntimeError(f"the SPARQL worker did not start: {why}")

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


class QueryPool:
    """Worker processes that run queries with a hard time limit."""

    def __init__(self, store_dir: str | os.PathLike, workers: int = 2, timeout_s: float = DEFAULT_TIMEOUT_S):
        self.store_dir = str(store_dir)
        self.timeout_s = float(timeout_s)
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        for _ in range(max(1, workers)):
            w = _Worker(self.store_dir)
            w.start()
            self.idle.put(w)

    def run(self, request: dict) -> tuple[int, str, bytes]:
        """Answer one request: (HTTP status, content type, body)."""
        try:
            worker = self.idle.get(timeout=self.timeout_s)
        except queue.Empty:
            return 503, "text/plain", b"all query workers are busy; try again later\n"
        try:
            if not worker.alive:  # its replacement failed to start earlier: try again
                worker.kill()
                worker.start()
            worker.conn.send(request)
            if worker.conn.poll(self.timeout_s):
                return worker.conn.recv()
            worker.kill()  # the query is still running: stop it for good
            return 503, "text/plain", (
                f"query timed out after {self.timeout_s:g} s (the limit is set with kg serve --timeout)\n"
            ).encode()
        except (EOFError, OSError, RuntimeError) as exc:
            worker.kill()
            return 500, "text/plain", f"the query worker failed: {exc}\n".encode()
        finally:
            self._release(worker)

    def _release(self, worker: _Worker) -> None:
        """Back to the idle queue; a killed worker is replaced in the background first."""
        if worker.alive or self._closed:
            self.idle.put(worker)
            return

        def restart() -> None:
            try:
                worker.start()
            except RuntimeError:
                pass  # the next request tries again and reports the failure
            if self._closed:
                worker.stop()
            self.idle.put(worker)

        threading.Thread(target=restart, name="kg-sparql-restart", daemon=True).start()

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self.idle.get_nowait().stop()
            except queue.Empty:
                break


# -- HTTP -------------------------------------------------------------------------------------
class SparqlHandler(BaseHTTPRequestHandler):
    server_version = "kg-sparql/1"
    protocol_version = "HTTP/1.1"
    server: SparqlServer

    def log_message(self, fmt: str, *args) -> None:
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} - {fmt % args}\n")

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Vary", "Accept")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode())

    def _answer(self, params: dict[str, list[str]], query: str | None) -> None:
        if "update" in params:
            return self._error(400, "updates are refused: this endpoint is read-only")
        if query is None:
            query = (params.get("query") or [None])[0]
        if not query:
            if urlsplit(self.path).path in ("/", ""):
                return self._send(200, "text/plain; charset=utf-8", self.server.help_text().encode())
            return self._error(400, "missing the query parameter (GET /sparql?query=…)")
        accept = self.headers.get("Accept")
        fmt = (params.get("format") or params.get("output") or [None])[0]
        if fmt:
            media = FORMAT_PARAM.get(fmt.lower(), fmt)
            accept = media
        request = {"query": query, "accept": accept,
                   "default_graphs": params.get("default-graph-uri", []),
                   "named_graphs": params.get("named-graph-uri", [])}
        status, ctype, body = self.server.pool.run(request)
        self._send(status, ctype, body)

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
        request = {"name": name, "params": {k: v[-1] for k, v in params.items()}, "accept": accept}
        self._send(*self.server.pool.run(request))

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path.startswith("/query/") and url.path.count("/") == 2:
            return self._canned(url.path.rsplit("/", 1)[1], params)
        if self._path_ok():
            self._answer(params, None)

    do_HEAD = do_GET

    def do_POST(self) -> None:
        if not self._path_ok():
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
        self.send_response(204)
        self.send_header("Allow", "GET, POST, HEAD, OPTIONS")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _refuse(self) -> None:
        self._error(405, "this endpoint is read-only: GET or POST a query")

    do_PUT = do_DELETE = do_PATCH = _refuse


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, store_path: str | os.PathLike, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                 timeout_s: float = DEFAULT_TIMEOUT_S, workers: int = 2, verbose: bool = False):
        from kg.stores.oxigraph import OxigraphStore

        with OxigraphStore(store_path, read_only=True) as store:  # fails early with a clear message
            self.db_path = store.db_path
        self.verbose = verbose
        self.timeout_s = timeout_s
        self.pool = QueryPool(store_path, workers=workers, timeout_s=timeout_s)
        try:
            super().__init__((host, port), SparqlHandler)
        except OSError:
            self.pool.close()
            raise

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/sparql"

    def help_text(self) -> str:
        return (
            f"kg SPARQL endpoint (read-only) for {Path(self.db_path).parent}\n"
            f"  GET  {self.url}?query=SELECT…\n"
            f"  POST {self.url}  (application/sparql-query or form-encoded query=…)\n"
            f"Queries time out after {self.timeout_s:g} s. See docs/rdf.md.\n"
        )

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


def make_server(store_path: str | os.PathLike, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                timeout_s: float = DEFAULT_TIMEOUT_S, workers: int = 2, verbose: bool = False) -> SparqlServer:
    """A server bound to ``host:port`` (``port=0`` picks a free one); run ``serve_forever()``."""
    return SparqlServer(store_path, host, port, timeout_s, workers, verbose)


def serve_in_thread(server: SparqlServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="kg-sparql", daemon=True)
    thread.start()
    return thread


def _stop_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt


def serve(store_path: str | os.PathLike, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
          timeout_s: float = DEFAULT_TIMEOUT_S, workers: int = 2, verbose: bool = True,
          on_ready=None) -> None:
    """Serve the store until interrupted (Ctrl-C or SIGTERM)."""
    if threading.current_thread() is threading.main_thread():
        # a shell that starts us in the background sets SIGINT to "ignore", and we would inherit it
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
    server = make_server(store_path, host, port, timeout_s, workers, verbose)
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
