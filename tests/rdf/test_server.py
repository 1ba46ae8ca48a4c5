"""The SPARQL 1.1 Protocol endpoint, over real HTTP on an ephemeral port."""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import rdflib

from kg.rdf.query import run_sparql_query
from kg.rdf.server import make_server, negotiate, serve_in_thread
from kg.stores.oxigraph import OxigraphStore

TIMEOUT_S = 1.5
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z . FILTER(STR(?x) < STR(?z)) }"
METHODS = "SELECT ?name WHERE { ?m a mls:Algorithm ; skos:prefLabel ?name } ORDER BY ?name"


@pytest.fixture(scope="module")
def server(synthetic_dual):
    srv = make_server(synthetic_dual, port=0, timeout_s=TIMEOUT_S, workers=2)
    serve_in_thread(srv)
    yield srv
    srv.shutdown()
    srv.server_close()


def http(url: str, *, data: bytes | None = None, accept: str | None = None, ctype: str | None = None,
         method: str | None = None):
    headers = {k: v for k, v in (("Accept", accept), ("Content-Type", ctype)) if v}
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def get(server, query: str, **kw):
    return http(server.url + "?" + urllib.parse.urlencode({"query": query}), **kw)


def count(server) -> int:
    status, _, body = get(server, COUNT)
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_get_select_answers_sparql_json(server, synthetic_dual):
    status, ctype, body = get(server, METHODS)
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    names = [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]]
    with OxigraphStore(synthetic_dual, read_only=True) as store:
        assert names == store.sparql(METHODS)["name"].tolist()
    assert "ResNet-50" in names


@pytest.mark.parametrize("accept, expected", [
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/html;q=0.9, text/csv;q=0.5", "text/csv"), ("*/*", "application/sparql-results+json"),
])
def test_select_content_negotiation(server, accept, expected):
    status, ctype, body = get(server, METHODS, accept=accept)
    assert status == 200 and ctype.split(";")[0] == expected
    if expected == "text/csv":
        rows = list(csv.reader(io.StringIO(body.decode())))
        assert rows[0] == ["name"] and ["ResNet-50"] in rows


def test_format_parameter_overrides_accept(server):
    url = server.url + "?" + urllib.parse.urlencode({"query": METHODS, "format": "tsv"})
    status, ctype, body = http(url, accept="application/sparql-results+json")
    assert status == 200 and ctype.startswith("text/tab-separated-values") and body.startswith(b"?name")


def test_post_form_and_post_query_body(server):
    form = urllib.parse.urlencode({"query": METHODS}).encode()
    s1, _, b1 = http(server.url, data=form, ctype="application/x-www-form-urlencoded")
    s2, _, b2 = http(server.url, data=METHODS.encode(), ctype="application/sparql-query; charset=utf-8")
    s3, _, b3 = get(server, METHODS)
    assert s1 == s2 == s3 == 200 and b1 == b2 == b3


def test_construct_answers_turtle_and_ntriples(server):
    q = "CONSTRUCT { ?m skos:prefLabel ?n } WHERE { ?m a mls:Algorithm ; skos:prefLabel ?n }"
    status, ctype, body = get(server, q)
    assert status == 200 and ctype.startswith("text/turtle")
    g = rdflib.Graph().parse(data=body.decode(), format="turtle")
    status, ctype, nt = get(server, q, accept="application/n-triples")
    assert status == 200 and ctype.startswith("application/n-triples")
    assert len(g) == len(nt.decode().strip().splitlines()) > 5
    status, ctype, _ = get(server, q, accept="application/sparql-results+json")
    assert status == 406


def test_ask(server):
    status, _ctype, body = get(server, "ASK { ?c a kg:Comparison ; kg:vsSota true }")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_updates_are_refused_and_change_nothing(server):
    before = count(server)
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    status, _, body = http(server.url, data=update.encode(), ctype="application/sparql-update")
    assert status == 400 and b"read-only" in body
    form = urllib.parse.urlencode({"update": update}).encode()
    assert http(server.url, data=form, ctype="application/x-www-form-urlencoded")[0] == 400
    assert get(server, update)[0] == 400  # not a query: a syntax error
    assert http(server.url, data=b"x", method="PUT")[0] == 405
    assert count(server) == before


def test_bad_requests(server):
    status, _, body = get(server, "SELECT ?x WHERE { ?x ")
    assert status == 400 and b"malformed query" in body
    assert http(server.url)[0] == 400  # no query
    assert http(server.url.replace("/sparql", "/nope"))[0] == 404
    assert http(server.url, data=b"query", ctype="text/plain")[0] == 415
    assert get(server, METHODS, accept="image/png")[0] == 406
    status, _ctype, body = http(server.url.replace("/sparql", "/"))
    assert status == 200 and b"SPARQL endpoint" in body


def test_a_slow_query_times_out_and_the_endpoint_keeps_answering(server):
    t0 = time.monotonic()
    status, _, body = get(server, SLOW)
    took = time.monotonic() - t0
    assert status == 503 and b"timed out" in body
    assert TIMEOUT_S <= took < TIMEOUT_S + 5
    for _ in range(3):  # both workers answer again (the killed one is replaced)
        assert get(server, METHODS)[0] == 200


def test_default_graph_uri_restricts_the_dataset(server, synthetic_dual):
    with OxigraphStore(synthetic_dual, read_only=True) as store:
        graph = store.iris.paper_graph("s1").value
    q = "SELECT DISTINCT ?id WHERE { ?p dcterms:identifier ?id }"
    url = server.url + "?" + urllib.parse.urlencode({"query": q, "default-graph-uri": graph})
    status, _, body = http(url)
    assert status == 200
    assert [b["id"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["s1"]


def test_rdflib_sparqlstore_as_a_client(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = rdflib.Graph(store=SPARQLStore(query_endpoint=server.url))
    rows = list(g.query("PREFIX kg: <https://w3id.org/kg-ml/vocab#> "
                        "SELECT ?k WHERE { ?m kg:key ?k } ORDER BY ?k"))
    keys = [str(r[0]) for r in rows]
    assert "resnet50" in keys and keys == sorted(keys)
    ask = g.query("ASK { ?s ?p ?o }")
    assert ask.askAnswer is True


def test_methods_beating_over_http(server, synthetic_dual):
    base = server.url.replace("/sparql", "/query/methods_beating")
    status, ctype, body = http(base + "?" + urllib.parse.urlencode({"baseline": "resnet50", "dataset": "ImageNet"}))
    assert status == 200 and ctype.startswith("application/json")
    rows = json.loads(body)
    with OxigraphStore(synthetic_dual, read_only=True) as store:
        want = run_sparql_query(store, "methods_beating", {"baseline": "resnet50", "dataset": "ImageNet"})
    assert [r["winner"] for r in rows] == want["winner"].tolist()
    assert {r["winner"] for r in rows} == {"AlphaNet", "(unnamed method of “DeltaNet and an unnamed trick”)"}
    status, ctype, body = http(base + "?baseline=resnet50&format=csv")
    assert status == 200 and ctype.startswith("text/csv") and body.startswith(b"winner,loser,dataset")
    # the same question as a plain SPARQL protocol request
    q = ("SELECT DISTINCT ?winner WHERE { ?l kg:key 'resnet50' . ?c kg:loser ?l ; kg:winner ?w ; "
         "kg:onDataset/kg:key 'imagenet' . ?w skos:prefLabel ?winner }")
    status, _, body = get(server, q)
    assert {b["winner"]["value"] for b in json.loads(body)["results"]["bindings"]} == {r["winner"] for r in rows}
    assert http(base.replace("methods_beating", "nope"))[0] == 404
    assert http(base + "?bogus=1&baseline=x")[0] == 400


def test_a_misspelt_name_over_http_is_an_empty_answer_with_the_closest_names(server, synthetic_dual):
    url = server.url.replace("/sparql", "/query/methods_beating") + "?baseline=resnt50&dataset=ImageNet"
    with urllib.request.urlopen(url, timeout=60) as r:
        status, warning, body = r.status, r.headers.get("KG-Warning", ""), r.read()
    assert status == 200 and json.loads(body) == []
    assert "baseline='resnt50'" in warning and "did you mean ResNet-50" in warning
    with urllib.request.urlopen(url.replace("resnt50", "resnet50"), timeout=60) as r:
        assert r.headers.get("KG-Warning") is None and json.loads(r.read())


def test_the_rdf_store_alone_lists_entities_like_the_graph_store(synthetic_dual):
    from kg.api import open as open_graph
    from kg.suggest import entity_names

    with OxigraphStore(synthetic_dual, read_only=True) as rdf, open_graph(synthetic_dual) as g:
        a = entity_names(rdf).sort_values(["kind", "key"]).reset_index(drop=True)
        b = entity_names(g.store).sort_values(["kind", "key"]).reset_index(drop=True)
        columns = ["kind", "key", "name", "papers"]
        assert a[columns].to_dict("records") == b[columns].to_dict("records") and len(a) > 5
        assert [sorted(v) for v in a["aliases"]] == [sorted(v) for v in b["aliases"]]
        assert [sorted(v) for v in a["keys"]] == [sorted(v) for v in b["keys"]]


def test_negotiate():
    offered = ["application/sparql-results+json", "text/csv"]
    assert negotiate(None, offered) == offered[0]
    assert negotiate("text/*", offered) == "text/csv"
    assert negotiate("text/csv;q=0, */*;q=0.1", offered) == offered[0]
    assert negotiate("image/png", offered) is None


def test_a_missing_store_fails_before_listening(tmp_path):
    from kg.errors import StoreError

    with pytest.raises(StoreError, match="no RDF store"):
        make_server(tmp_path / "none", port=0)
