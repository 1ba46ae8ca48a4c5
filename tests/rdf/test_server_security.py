"""kg serve against a hostile query or web page: SERVICE (SSRF), CORS, Host (DNS rebinding),
answers streamed and capped, a cheap query next to slow ones. Real HTTP on loopback only."""

from __future__ import annotations

import contextlib
import io
import json
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psutil
import pyoxigraph as ox
import pytest

from kg.rdf.mapping import PREFIXES
from kg.rdf.server import make_server, serve_in_thread, uses_service, write_solutions, write_triples

TIMEOUT_S = 4.0
CHEAP = "SELECT ?name WHERE { ?m a mls:Algorithm ; skos:prefLabel ?name } ORDER BY ?name"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z . FILTER(STR(?x) < STR(?z)) }"
HUGE = "SELECT * WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"  # 504^3 rows on the synthetic store
FAT = "SELECT ?big WHERE { ?s ?p ?o BIND(CONCAT(" + ", ".join(["STR(?s)"] * 25) + ") AS ?big) }"
APP = "http://app.example:8080"


# -- fixtures ---------------------------------------------------------------------------------
@contextlib.contextmanager
def running(store, **options):
    srv = make_server(store, port=0, timeout_s=options.pop("timeout_s", TIMEOUT_S), workers=2, **options)
    serve_in_thread(srv)
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.fixture(scope="module")
def default_server(synthetic_dual):
    with running(synthetic_dual) as srv:
        yield srv


@pytest.fixture(scope="module")
def open_server(synthetic_dual):
    with running(synthetic_dual, allow_service=True, cors=[APP], allow_hosts=["kg.internal"]) as srv:
        yield srv


@pytest.fixture(scope="module")
def row_capped(synthetic_dual):
    with running(synthetic_dual, max_rows=3) as srv:
        yield srv


@pytest.fixture(scope="module")
def byte_capped(synthetic_dual):
    with running(synthetic_dual, max_rows=0, max_bytes=3000) as srv:
        yield srv


@pytest.fixture(scope="module")
def uncapped(synthetic_dual):
    with running(synthetic_dual, max_rows=0, max_bytes=0, timeout_s=8.0) as srv:
        yield srv


class Remote:
    """A SPARQL endpoint on loopback standing for any URL the server should not fetch."""

    def __init__(self):
        self.hits: list[str] = []
        remote = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                remote.hits.append(self.path)
                self._answer()

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                remote.hits.append(self.path)
                self._answer()

            def _answer(self):
                body = json.dumps({"head": {"vars": ["secret"]}, "results": {"bindings": [
                    {"secret": {"type": "literal", "value": "INTERNAL-ONLY"}}]}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sparql"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture()
def remote():
    r = Remote()
    yield r
    r.httpd.shutdown()
    r.httpd.server_close()


# -- a client that shows what urllib hides: the raw status, headers, chunking and trailers -----
class Reply:
    def __init__(self, status: int, headers: dict[str, str], body: bytes, trailers: dict[str, str], chunked: bool):
        self.status, self.headers, self.body, self.trailers, self.chunked = status, headers, body, trailers, chunked

    def json(self):
        return json.loads(self.body)


def _fields(lines: list[bytes]) -> dict[str, str]:
    out = {}
    for line in lines:
        k, _, v = line.decode("latin-1").partition(":")
        out[k.strip().lower()] = v.strip()
    return out


def request(server, target: str = "/sparql", *, query: str | None = None, method: str = "GET",
            headers: dict[str, str] | None = None, host: str | None = "default", version: str = "HTTP/1.1",
            body: bytes = b"") -> Reply:
    port = server.server_address[1]
    if query is not None:
        target += "?" + urllib.parse.urlencode({"query": query})
    lines = [f"{method} {target} {version}"]
    if host == "default":
        host = f"127.0.0.1:{port}"
    if host is not None:
        lines.append(f"Host: {host}")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()] + ["Connection: close"]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        f = s.makefile("rb")
        status = int(f.readline().split()[1])
        head = []
        while (line := f.readline().rstrip(b"\r\n")) != b"":
            head.append(line)
        hdrs = _fields(head)
        trailers: dict[str, str] = {}
        chunked = hdrs.get("transfer-encoding") == "chunked"
        if method == "HEAD":
            return Reply(status, hdrs, b"", trailers, chunked)
        if chunked:
            data = io.BytesIO()
            while (size := int(f.readline().strip(), 16)) > 0:
                data.write(f.read(size))
                f.readline()
            tail = []
            while (line := f.readline().rstrip(b"\r\n")) != b"":
                tail.append(line)
            return Reply(status, hdrs, data.getvalue(), _fields(tail), True)
        n = hdrs.get("content-length")
        return Reply(status, hdrs, f.read(int(n)) if n is not None else f.read(), trailers, False)


# -- SERVICE ----------------------------------------------------------------------------------
TRICKY_SERVICE = [
    "SELECT * WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{u}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?x ?y ?z FILTER EXISTS {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ OPTIONAL {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }} }} }}",
    # an IRI look-alike hides the keyword from a naive tokeniser ('#>' starts a comment here)
    "SELECT * WHERE {{ BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b)SERVICE#>\n<{u}>{{ ?s ?p ?o }} }}",
    # Oxigraph needs no space before the keyword; rdflib cannot parse this, the fallback refuses it
    "SELECT * WHERE {{ ?x ?y trueSERVICE<{u}>{{ ?s ?p ?o }} }}",
    # SPARQL's codepoint escapes may spell the keyword (Oxigraph 0.5 does not expand them; others do)
    "SELECT * WHERE {{ \\u0053ERVICE <{u}> {{ ?s ?p ?o }} }}",
]
NOT_SERVICE = [
    'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }" AS ?x) }',
    "SELECT ?x WHERE { BIND('''a SERVICE\n<http://127.0.0.1:9/> { }''' AS ?x) }",
    "SELECT ?service WHERE { ?service a schema:Service } # SERVICE <http://127.0.0.1:9/> { }",
    "SELECT ?s WHERE { ?s ?p <http://example.org/service> }",
    "SELECT ?s WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("query", TRICKY_SERVICE)
def test_uses_service_finds_the_keyword(query):
    assert uses_service(query.format(u="http://127.0.0.1:9/sparql"))


@pytest.mark.parametrize("query", NOT_SERVICE)
def test_uses_service_ignores_strings_iris_variables_and_comments(query):
    assert not uses_service(query)


def test_service_is_refused_and_nothing_is_fetched(default_server, remote):
    for q in TRICKY_SERVICE:
        r = request(default_server, query=q.format(u=remote.url))
        assert r.status == 400, q
        assert b"SERVICE" in r.body and b"--allow-service" in r.body
    assert remote.hits == []
    # a string that says SERVICE is only a string
    r = request(default_server, query=NOT_SERVICE[0])
    assert r.status == 200
    assert r.json()["results"]["bindings"][0]["x"]["value"].startswith("SERVICE <http://127.0.0.1:9/>")


def test_allow_service_federates(open_server, remote):
    r = request(open_server, query=f"SELECT ?secret WHERE {{ SERVICE <{remote.url}> {{ ?s ?p ?o }} }}")
    assert r.status == 200 and b"INTERNAL-ONLY" in r.body
    assert len(remote.hits) == 1


# -- CORS and Host ----------------------------------------------------------------------------
def test_no_cors_by_default(default_server):
    r = request(default_server, query=CHEAP)
    assert r.status == 200 and "access-control-allow-origin" not in r.headers
    r = request(default_server, method="OPTIONS", headers={"Origin": "http://evil.example",
                                                           "Access-Control-Request-Method": "POST"})
    assert r.status == 403 and "access-control-allow-origin" not in r.headers
    r = request(default_server, query=CHEAP, headers={"Origin": "http://evil.example"})
    assert r.status == 403 and "access-control-allow-origin" not in r.headers and b"--cors" in r.body
    # an <img> or a link on another site sends no Origin, but the browser says where it comes from
    r = request(default_server, query=CHEAP, headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"})
    assert r.status == 403
    assert request(default_server, query=CHEAP, headers={"Sec-Fetch-Site": "none"}).status == 200


def test_cors_echoes_exactly_the_allowed_origin(open_server):
    r = request(open_server, query=CHEAP, headers={"Origin": APP})
    assert r.status == 200 and r.headers["access-control-allow-origin"] == APP
    assert "Origin" in r.headers["vary"] and "KG-Truncated" in r.headers["access-control-expose-headers"]
    r = request(open_server, method="OPTIONS", headers={"Origin": APP, "Access-Control-Request-Method": "POST",
                                                        "Access-Control-Request-Headers": "content-type"})
    assert r.status == 204 and r.headers["access-control-allow-origin"] == APP
    assert "POST" in r.headers["access-control-allow-methods"]
    for other in ("http://app.example:8081", "http://evil.example", "null"):
        r = request(open_server, query=CHEAP, headers={"Origin": other})
        assert r.status == 403 and "access-control-allow-origin" not in r.headers


def test_unexpected_host_headers_are_refused(default_server):
    port = default_server.server_address[1]
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        assert request(default_server, query=CHEAP, host=host).status == 200, host
    for host in (f"evil.example:{port}", "evil.example", f"localhost:{port + 1}", "127.0.0.1",
                 f"rebind.evil.example:{port}", f"localhost:{port}@evil.example", ""):
        r = request(default_server, query=CHEAP, host=host)
        assert r.status in (400, 403) and b"INTERNAL" not in r.body, host
    assert request(default_server, query=CHEAP, host=None).status == 400
    assert request(default_server, query=CHEAP, host=f"evil.example:{port}", method="POST").status == 403


def test_allow_host_adds_a_name(open_server):
    assert request(open_server, query=CHEAP, host="kg.internal:443").status == 200
    assert request(open_server, query=CHEAP, host="kg.internal").status == 200
    assert request(open_server, query=CHEAP, host="kg.internal.evil.example").status == 403


# -- streaming and caps -----------------------------------------------------------------------
def test_answers_stream_before_the_query_finishes(uncapped):
    port = uncapped.server_address[1]
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        target = "/sparql?" + urllib.parse.urlencode({"query": HUGE})
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        f = s.makefile("rb")
        status_line = f.readline()
        first = time.monotonic() - t0
        assert b" 200 " in status_line, status_line
        assert first < 1.5, f"the answer started after {first:.1f} s"  # the query cannot finish in its 8 s
        head = f.read(65536)
    assert b"Transfer-Encoding: chunked" in head and b'"bindings":[{' in head
    # closing the connection stopped it: both regular workers answer at once
    t0 = time.monotonic()
    for _ in range(3):
        assert request(uncapped, query=CHEAP).status == 200
    assert time.monotonic() - t0 < 2.0


def test_memory_does_not_grow_with_the_answer(uncapped):
    deadline = time.monotonic() + 10
    while len(uncapped.pool.pids()) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)  # an earlier test's stream may still be stopping
    workers = [psutil.Process(pid) for pid in uncapped.pool.pids()]
    assert len(workers) == 3  # two regular workers and the reserve
    base = {w.pid: w.memory_info().rss for w in workers}
    me = psutil.Process().memory_info().rss
    port = uncapped.server_address[1]
    peak, got = 0, 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        target = "/sparql?" + urllib.parse.urlencode({"query": HUGE})
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        while got < 60_000_000:
            data = s.recv(1 << 20)
            assert data
            got += len(data)
            if got % (8 << 20) < len(data):
                peak = max(peak, max(w.memory_info().rss - base[w.pid] for w in workers))
    grew = psutil.Process().memory_info().rss - me
    assert peak < 30 << 20, f"a worker grew by {peak >> 20} MiB while streaming {got >> 20} MiB"
    assert grew < 30 << 20, f"the server process grew by {grew >> 20} MiB"


def test_row_cap_is_announced_and_marked(row_capped):
    r = request(row_capped, query="SELECT ?s ?o WHERE { ?s ?p ?o }")
    assert r.status == 200 and r.headers["kg-max-rows"] == "3" and r.headers["trailer"] == "KG-Truncated"
    assert len(r.json()["results"]["bindings"]) == 3 and r.trailers["kg-truncated"] == "max-rows"
    r = request(row_capped, query="SELECT ?s ?o WHERE { ?s ?p ?o }", headers={"Accept": "application/sparql-results+xml"})
    assert len(list(ox.parse_query_results(r.body, format=ox.QueryResultsFormat.XML))) == 3
    assert r.body.rstrip().endswith(b"<!-- kg serve: truncated at --max-rows 3 -->")
    r = request(row_capped, query="SELECT ?s ?o WHERE { ?s ?p ?o }", headers={"Accept": "text/csv"})
    assert len(r.body.decode().splitlines()) == 4 and r.trailers["kg-truncated"] == "max-rows"
    for limit in (2, 3):  # as many rows as the cap, or fewer, is not truncated
        r = request(row_capped, query=f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {limit}")
        assert len(r.json()["results"]["bindings"]) == limit and r.trailers["kg-truncated"] == "no"
    r = request(row_capped, query="CONSTRUCT WHERE { ?s ?p ?o }", headers={"Accept": "application/n-triples"})
    assert sum(1 for line in r.body.decode().splitlines() if not line.startswith("#")) == 3
    assert r.trailers["kg-truncated"] == "max-rows"
    r = request(row_capped, "/query/methods_on_dataset?dataset=ImageNet")  # 6 rows uncapped
    assert r.status == 200 and len(r.json()) == 3 and r.headers["kg-truncated"] == "max-rows"


def test_byte_cap_keeps_documents_whole(byte_capped):
    r = request(byte_capped, query=FAT)
    assert r.status == 200 and r.headers["kg-max-bytes"] == "3000"
    assert len(r.body) <= 3000 and r.trailers["kg-truncated"] == "max-bytes"
    assert 1 <= len(r.json()["results"]["bindings"]) < 5
    for media, fmt in (("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                       ("application/rdf+xml", ox.RdfFormat.RDF_XML), ("application/ld+json", ox.RdfFormat.JSON_LD)):
        r = request(byte_capped, query="CONSTRUCT WHERE { ?s ?p ?o }", headers={"Accept": media})
        assert r.status == 200 and len(r.body) <= 3000 and r.trailers["kg-truncated"] == "max-bytes", media
        assert 0 < len(list(ox.parse(r.body, format=fmt))) < 504, media
    r = request(byte_capped, query=FAT, version="HTTP/1.0")  # no chunks in HTTP/1.0: ends at close
    assert r.status == 200 and not r.chunked and len(r.json()["results"]["bindings"]) >= 1


def test_head_does_not_hold_a_worker(row_capped):
    for _ in range(4):
        r = request(row_capped, query=HUGE, method="HEAD")
        assert r.status == 200 and r.headers["kg-max-rows"] == "3"
    assert request(row_capped, query=CHEAP).status == 200


@pytest.mark.parametrize("fmt", ["JSON", "XML", "CSV", "TSV"])
def test_streamed_results_are_pyoxigraphs_bytes(synthetic_dual, fmt):
    from kg.rdf.server import RESULT_TYPES
    from kg.stores.oxigraph import OxigraphStore

    media = next(m for m, f in RESULT_TYPES.items() if f == fmt)
    queries = [
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?o skos:prefLabel ?label } }",  # unbound values, the nasty title
        "SELECT ?v ?b ?t WHERE { VALUES ?v { 1 -2 1.50 .5 1e3 1.0E-2 true 'x'@en 'y'^^xsd:date 'z,\"q\"' "
        "'007'^^xsd:integer 'ab'^^xsd:boolean } BIND(BNODE() AS ?b) BIND(<<( <urn:a> <urn:b> ?v )>> AS ?t) }",
        "SELECT * WHERE { }",
        "SELECT ?x WHERE { ?s <urn:nothing> ?x }",
    ]
    with OxigraphStore(synthetic_dual, read_only=True) as store:
        for q in queries:
            want = store.db.query(q, prefixes=PREFIXES, use_default_graph_as_union=True).serialize(
                format=getattr(ox.QueryResultsFormat, fmt))
            result = store.db.query(q, prefixes=PREFIXES, use_default_graph_as_union=True)
            out = _Sink()
            assert write_solutions([v.value for v in result.variables], result, media, (0, 0), out) is None
            got = out.getvalue()
            if "BNODE" in q:  # fresh blank node ids on every run
                assert len(got.splitlines()) == len(want.splitlines()) and got.count(b"urn:a") == want.count(b"urn:a")
            else:
                assert got == want, q


def test_streamed_graphs_are_pyoxigraphs_bytes(synthetic_dual):
    from kg.stores.oxigraph import OxigraphStore

    with OxigraphStore(synthetic_dual, read_only=True) as store:
        triples = list(store.db.query("CONSTRUCT WHERE { ?s ?p ?o }", use_default_graph_as_union=True))
    for media, fmt in (("text/turtle", ox.RdfFormat.TURTLE), ("application/rdf+xml", ox.RdfFormat.RDF_XML),
                       ("application/ld+json", ox.RdfFormat.JSON_LD)):
        out = _Sink()
        assert write_triples(iter(triples), media, (0, 0), out) is None
        assert out.getvalue() == ox.serialize(triples, format=fmt)


class _Sink(io.BytesIO):
    @property
    def written(self) -> int:
        return self.tell()


# -- a cheap query next to slow ones ----------------------------------------------------------
def test_a_cheap_query_is_answered_while_two_slow_ones_run(default_server):
    slow_status: list[int] = []

    def slow() -> None:
        slow_status.append(request(default_server, query=SLOW).status)

    threads = [threading.Thread(target=slow) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.5)  # both regular workers are busy now
    t0 = time.monotonic()
    r = request(default_server, query=CHEAP)
    took = time.monotonic() - t0
    assert r.status == 200 and b"ResNet-50" in r.body
    assert took < 1.5, f"the cheap query waited {took:.1f} s behind the slow ones"
    for t in threads:
        t.join(30)
    assert slow_status == [503, 503]  # they still run out of time, as before


@pytest.mark.parametrize("options", [{"cors": ["app.example"]}, {"cors": ["http://app.example/page"]},
                                     {"allow_hosts": ["a b"]}, {"allow_hosts": ["host:port"]}, {"max_rows": -1}])
def test_bad_options_are_usage_errors(synthetic_dual, options):
    from kg.errors import UsageError

    with pytest.raises(UsageError):
        make_server(synthetic_dual, port=0, **options)  # refused before any worker starts
