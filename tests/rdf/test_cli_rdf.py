"""``kg export``, ``kg sparql`` and ``kg serve`` through the real entry point (kg.cli.main with
kg.cli_rdf.register applied, as kg/cli.py will do), in subprocesses on real stores."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib

from kg.cli_rdf import console, split_statements
from kg.rdf.mapping import graph_triples
from kg.stores.oxigraph import OxigraphStore

ROOT = Path(__file__).resolve().parents[2]
# kg/cli.py + the wiring this module asks for (until it is in kg/cli.py itself)
ENTRY = ("import kg.cli as c\n"
         "if 'sparql' not in c.cli.commands or 'serve' not in c.cli.commands:\n"
         "    from kg.cli_rdf import register\n"
         "    register(c.cli, export='export' not in c.cli.commands)\n"
         "c.main()\n")


def kg(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", ENTRY, *args], check=False, input=stdin,
                          capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_export_every_format_from_the_ladybug_store(sample_dual, sample_tables, tmp_path):
    want = {str(t) for t in graph_triples(sample_tables)}
    for fmt, parser in (("nt", "nt"), ("ttl", "turtle"), ("jsonld", "json-ld"), ("rdfxml", "xml")):
        out = tmp_path / f"g.{fmt}"
        proc = kg("export", "--format", fmt, "-o", str(out), "--store", str(sample_dual))
        assert proc.returncode == 0, proc.stderr
        assert f"wrote {len(want):,} triples" in proc.stderr
        assert len(rdflib.Graph().parse(str(out), format=parser)) == len(want)
    assert set((tmp_path / "g.nt").read_text().splitlines()) == {t + " ." for t in want}


def test_export_base_and_errors(sample_dual, tmp_path):
    out = tmp_path / "g.nt"
    proc = kg("export", "--format", "nt", "-o", str(out), "--store", str(sample_dual),
              "--base", "https://example.org/ml/")
    assert proc.returncode == 0, proc.stderr
    assert out.read_text().startswith("<https://example.org/ml/")
    assert kg("export", "--format", "nt", "-o", str(out), "--store", str(sample_dual), "--base", "nope")\
        .returncode == 2
    assert kg("export", "--format", "nt", "-o", str(out), "--store", str(tmp_path / "none")).returncode == 1
    assert kg("export", "--format", "nt", "-o", str(tmp_path / "no" / "dir.nt"),
              "--store", str(sample_dual)).returncode == 2


def test_sparql_e_with_parameters_and_formats(synthetic_dual):
    q = "SELECT ?name ?k WHERE { ?m kg:key ?k ; skos:prefLabel ?name }"
    proc = kg("sparql", "-e", q, "--param", "k=resnet50", "--format", "json", "--store", str(synthetic_dual))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [{"name": "ResNet-50", "k": "resnet50"}]
    proc = kg("sparql", "-e", q + ";", "-p", "k=alphanet", "--format", "csv", "--store", str(synthetic_dual))
    assert proc.stdout.splitlines() == ["name,k", "AlphaNet,alphanet"]
    proc = kg("sparql", "-e", "SELECT ?x WHERE { ?x", "--store", str(synthetic_dual))
    assert proc.returncode == 1 and "sparql:" in proc.stderr and "Traceback" not in proc.stderr
    proc = kg("sparql", "-e", q, "--store", str(Path(synthetic_dual).parent / "missing"))
    assert proc.returncode == 1 and "no RDF store" in proc.stderr


def test_sparql_reads_statements_from_stdin(synthetic_dual):
    script = (
        "SELECT ?name WHERE {\n"
        "  ?m a mls:Algorithm ;\n"          # a ';' inside a query does not end it
        "     kg:key 'alphanet' ;\n"
        "     skos:prefLabel ?name .\n"
        "};\n"
        "ASK { ?c a kg:Comparison }\n"
    )
    proc = kg("sparql", "--format", "json", "--store", str(synthetic_dual), stdin=script)
    assert proc.returncode == 0, proc.stderr
    first, second = proc.stdout.split("]\n[")
    assert '"AlphaNet"' in first and '"ask": true' in second


def test_split_statements():
    lines = ["PREFIX x: <urn:x#>\n", "SELECT * WHERE { ?s x:p ?o ;\n", " x:q ?z } ;\n", "\n",
             "ASK {}\n"]
    assert list(split_statements(lines)) == [
        "PREFIX x: <urn:x#>\nSELECT * WHERE { ?s x:p ?o ;\n x:q ?z } ", "ASK {}"]
    canned = (ROOT / "kg" / "queries" / "sparql" / "methods_beating.rq").read_text()
    assert list(split_statements(canned.splitlines(keepends=True))) == [canned.strip()]


def test_interactive_console(synthetic_dual, capsys):
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import InMemoryHistory
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe, OxigraphStore(synthetic_dual, read_only=True) as store:
        pipe.send_text("SELECT ?name WHERE {\r?m kg:key 'betanet' ;\rskos:prefLabel ?name };\r"
                       "SELECT ?x WHERE { ?x\r\r"
                       "ASK { ?s ?p ?o }\r\r")
        pipe.close()  # end of input: the console ends as on Ctrl-D
        session = PromptSession(input=pipe, output=DummyOutput(), history=InMemoryHistory())
        console(store, "csv", session=session)  # ends at the end of input (Ctrl-D)
        history = list(session.history.get_strings())
    out, err = capsys.readouterr()
    assert "name\nBetaNet\n" in out and "ask\nTrue\n" in out
    assert "error:" in err
    assert history[0] == "SELECT ?name WHERE {" and len(history) == 5  # one entry a line


def test_serve_answers_until_stopped(synthetic_dual):
    proc = subprocess.Popen([sys.executable, "-c", ENTRY, "serve", "--port", "0", "--quiet", "--workers", "1",
                             "--store", str(synthetic_dual)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert "SPARQL endpoint at http://127.0.0.1:" in line, line
        # keep draining stderr: a full pipe would block the server (and its workers) on a write
        threading.Thread(target=proc.stderr.read, daemon=True).start()
        url = line.split(" at ", 1)[1].split()[0]
        q = urllib.parse.urlencode({"query": "ASK { ?s a kg:Comparison }"})
        with urllib.request.urlopen(f"{url}?{q}", timeout=30) as r:
            assert json.loads(r.read())["boolean"] is True
    finally:
        proc.send_signal(signal.SIGTERM)  # handled like Ctrl-C (kg serve resets both handlers)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail("kg serve did not stop on SIGTERM")
    assert proc.returncode == 0


def test_query_sparql_for_kg_query_lang_sparql(sample_dual):
    from kg.cli_rdf import query_sparql
    from kg.errors import UsageError

    df = query_sparql(str(sample_dual), "top_datasets", {"limit": "2"})
    assert list(df.columns) == ["dataset", "papers"] and len(df) <= 2
    with pytest.raises(UsageError, match="no canned sparql query"):
        query_sparql(str(sample_dual), "nope", {})
