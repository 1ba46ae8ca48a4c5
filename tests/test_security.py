"""What the read-only surfaces and the exports refuse, on the real embedded stores.

- Cypher (``kg cypher`` console, ``-e`` and scripts; ``kg.open().cypher``; ``kg query``): reading
  statements only, one refusal per kind of statement that writes or reaches outside the store.
- SPARQL (``kg sparql``, ``kg.open().sparql``): no Update, no SERVICE unless allowed.
- Exports: never into a store, never over a directory kg did not write (unless --force, which
  still deletes nothing), single files by rename.
- Usage errors with the accepted range: canned query integers, KG_BUFFER_POOL_MB, a store path
  that is a file; a damaged RDF store is a sentence; kg sparql honours --timeout and Ctrl-C.
"""

from __future__ import annotations

import hashlib
import http.server
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

SLOW_SPARQL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # minutes on the sample


def kg_cli(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 120,
           stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=timeout,
                          input=stdin)


def one_line_error(proc: subprocess.CompletedProcess, code: int, needle: str) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert needle in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "write.lock"}


@pytest.fixture(scope="module")
def dual_store(tmp_path_factory) -> Path:
    """The sample built by ``kg build``: LadybugDB and the RDF store (read-only use)."""
    path = tmp_path_factory.mktemp("security") / "store"
    proc = kg_cli("build", str(SAMPLE), "--store", str(path), "--workers", "1", "-q")
    assert proc.returncode == 0, proc.stderr
    return path


# -- Cypher: reading statements only ---------------------------------------------------------
REFUSED = {  # kind of statement → an example (LadybugDB's syntax, Neo4j's where it differs)
    "checkpoint": "CHECKPOINT",
    "after a read": "MATCH (p:Paper) RETURN p.id LIMIT 1; CHECKPOINT",
    "load from a file": "LOAD FROM '/etc/passwd' (file_format='csv', header=false, delim=':') RETURN *",
    "load csv": "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "copy to a file": "COPY (MATCH (p:Paper) RETURN p.id) TO '{out}'",
    "copy into a table": "COPY Paper FROM '/etc/passwd'",
    "install extension": "INSTALL json",
    "load extension": "LOAD EXTENSION json",
    "attach": "ATTACH '{out}' AS other (dbtype lbug)",
    "detach database": "DETACH DATABASE other",
    "use": "USE other",
    "create": "CREATE (:Paper {{id: 'x'}})",
    "merge": "MERGE (:Paper {{id: 'x'}})",
    "set": "MATCH (p:Paper) SET p.title = 'x'",
    "set after a number": "MATCH (p:Paper) WITH p, 1e3SET p.title = 'x' RETURN p",
    "delete": "MATCH (p:Paper) DETACH DELETE p",
    "remove": "MATCH (p:Paper) REMOVE p.title",
    "drop": "DROP TABLE Paper",
    "alter": "ALTER TABLE Paper ADD extra STRING",
    "export database": "EXPORT DATABASE '{out}'",
    "import database": "IMPORT DATABASE '{out}'",
    "begin": "BEGIN TRANSACTION",
    "commit": "COMMIT",
    "rollback": "ROLLBACK",
    "setting": "CALL threads=1",
    "procedure not allowed": "CALL project_graph('g', ['Paper'], [])",
    "apoc procedure": "CALL apoc.export.csv.all('{out}', {{}})",
    "apoc function": "RETURN apoc.text.join(['a'], ',') AS x",
    "foreach": "MATCH (p:Paper) FOREACH (x IN [1] | SET p.title = 'x')",
    "sequence": "RETURN nextval('s') AS n",
    "hidden after an escaped quote": "RETURN 'it\\'s' AS s; CHECKPOINT",
    "unterminated literal": "RETURN 'x AS s; CHECKPOINT",
    "not a reading clause": "SHOW DATABASES",
    "explain of a write": "EXPLAIN CREATE (:Paper {{id: 'x'}})",
}
READS = [
    "MATCH (p:Paper) RETURN count(p) AS n",
    "MATCH (copy:Paper) WHERE copy.title CONTAINS 'CREATE; SET' RETURN copy.id AS id LIMIT 1",
    "MATCH (m:Method) // DELETE in a comment\nRETURN m.name /* DROP */ AS name LIMIT 2",
    "OPTIONAL MATCH (p:Paper {id: $id}) WITH p UNWIND [1, 2] AS x RETURN p.id AS id, x",
    "MATCH (m:Method) RETURN m.name AS name UNION MATCH (d:Dataset) RETURN d.name AS name",
    "CALL show_tables() RETURN name",
    "CALL table_info('Paper') RETURN *",
    "EXPLAIN MATCH (p:Paper) RETURN p.id",
    "MATCH (p:Paper) RETURN p.id AS id ORDER BY id SKIP 1 LIMIT 1; RETURN 1 AS one",
]


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_the_python_api_refuses_every_kind_of_non_reading_statement(store_copy, tmp_path, kind):
    import kg
    from kg.errors import UsageError

    out = tmp_path / "out"
    statement = REFUSED[kind].format(out=out)
    before = fingerprint(store_copy)
    with kg.open(str(store_copy)) as g:
        with pytest.raises(UsageError, match=r"^refused: ") as err:
            g.cypher(statement)
    assert "\n" not in str(err.value)
    assert not out.exists()
    assert fingerprint(store_copy) == before
    with kg.open(str(store_copy)) as g:  # still opens read-only
        assert g.stats()["Paper"] == 40


def test_reading_statements_still_run(sample_store):
    import kg

    with kg.open(str(sample_store)) as g:
        for statement in READS:
            g.cypher(statement, **({"id": "kgs-001"} if "$id" in statement else {}))
        assert g.cypher(READS[0])["n"].iloc[0] == 40
        assert "Paper" in set(g.cypher("CALL show_tables() RETURN name")["name"])
        assert g.top_datasets(limit=2)["papers"].tolist()  # canned queries pass the check


def test_literals_and_comments_are_read_as_the_engine_reads_them(sample_store):
    """The classifier skips what LadybugDB takes for a string or a comment, and nothing else:
    a backslash escapes a quote, a line comment ends at the line end."""
    import kg

    with kg.open(str(sample_store)) as g:
        assert g.cypher("RETURN 'a\\'b' AS s")["s"].iloc[0] == "a'b"
        assert g.cypher('RETURN "a\\"b" AS s')["s"].iloc[0] == 'a"b'
        assert g.cypher("RETURN 1 AS x // RETURN 2\n")["x"].iloc[0] == 1


def test_cypher_e_refuses_with_one_line_and_the_store_still_opens(store_copy):
    proc = kg_cli("cypher", "--store", str(store_copy), "-e", "CHECKPOINT")
    one_line_error(proc, 2, "refused: CHECKPOINT")
    assert kg_cli("stats", "--store", str(store_copy)).returncode == 0


def test_cypher_script_refuses_and_writes_no_file(store_copy, tmp_path):
    out = tmp_path / "leak.csv"
    script = f"MATCH (p:Paper) RETURN count(p) AS n;\nCOPY (MATCH (p:Paper) RETURN p.id) TO '{out}';\n"
    proc = kg_cli("cypher", "--store", str(store_copy), stdin=script)
    assert proc.returncode == 1
    assert "40" in proc.stdout and "error: refused: COPY" in proc.stdout
    assert not out.exists()


def test_kg_query_runs_canned_queries_through_the_check(sample_store, monkeypatch):
    import kg

    seen = []
    monkeypatch.setattr("kg.canned.check_cypher", seen.append)  # the one canned-query runner
    with kg.open(str(sample_store)) as g:
        g.query("top_datasets", limit=1)
    assert len(seen) == 1 and "LIMIT $limit" in seen[0]


# -- SPARQL: queries only, no SERVICE ---------------------------------------------------------
class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        self.hits.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    """A local HTTP server that records the requests it gets (what SERVICE would send)."""
    _Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", _Recorder.hits
    server.shutdown()


def test_service_sends_no_request_from_the_api_or_the_console_parser(dual_store, listener):
    import kg
    from kg.cli_rdf import is_complete
    from kg.errors import UsageError

    url, hits = listener
    query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    with kg.open(str(dual_store)) as g, pytest.raises(UsageError, match="refused: SERVICE"):
        g.sparql(query)
    assert is_complete(query)  # the console ends the statement without evaluating it
    time.sleep(0.2)
    assert hits == []


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE WHERE { ?s ?p ?o }", "LOAD <http://127.0.0.1:1/x>",
    "CLEAR ALL", "DROP GRAPH <urn:g>", "CREATE GRAPH <urn:g>", "ADD <urn:g> TO <urn:h>",
    "MOVE <urn:g> TO <urn:h>", "COPY <urn:g> TO <urn:h>"])
def test_sparql_update_is_refused(dual_store, update):
    import kg
    from kg.errors import UsageError

    with kg.open(str(dual_store)) as g, pytest.raises(UsageError, match=r"^refused: SPARQL Update"):
        g.sparql(update)


def test_kg_sparql_refuses_service_unless_allowed(dual_store, listener):
    url, hits = listener
    query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    one_line_error(kg_cli("sparql", "--store", str(dual_store), "-e", query), 2, "--allow-service")
    assert hits == []
    kg_cli("sparql", "--store", str(dual_store), "--allow-service", "-e", query)
    assert hits  # the flag lets it through (the listener answers 500)


# -- exports ----------------------------------------------------------------------------------
def test_export_into_the_working_directory_or_its_parent_deletes_nothing(sample_store, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text("mine")
    shutil.copytree(sample_store, tmp_path / "kg-data", ignore=shutil.ignore_patterns("write.lock"))
    for target in (".", ".."):
        proc = kg_cli("export", "--format", "csv", "-o", target, "--store", str(tmp_path / "kg-data"), cwd=work)
        one_line_error(proc, 2, "refusing to write")
    assert (work / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg-data", "work"]
    assert kg_cli("stats", "--store", str(tmp_path / "kg-data")).returncode == 0


@pytest.mark.parametrize("fmt,target", [("csv", "."), ("parquet", "rdf/tables"), ("neo4j-import", "."),
                                        ("nt", "graph.lbdb"), ("graphml", "meta.json"), ("ttl", "rdf/x.ttl")])
def test_export_never_writes_into_the_store(dual_store, tmp_path, fmt, target):
    store = tmp_path / "store"
    shutil.copytree(dual_store, store, ignore=shutil.ignore_patterns("write.lock"))
    before = fingerprint(store)
    proc = kg_cli("export", "--format", fmt, "-o", str(store / target), "--store", str(store))
    one_line_error(proc, 2, "kg store")
    assert fingerprint(store) == before
    proc = kg_cli("export", "--format", fmt, "-o", str(store / target), "--store", str(store), "--force")
    one_line_error(proc, 2, "kg store")  # --force never reaches into a store
    assert fingerprint(store) == before


def test_a_previous_export_is_replaced_and_a_foreign_directory_is_refused(sample_store, tmp_path):
    from kg.errors import UsageError
    from kg.graph import GraphTables
    from kg.rdf.from_store import read_tables
    from kg.stores.ladybug import LadybugStore
    from kg.tables_export import write_tables

    with LadybugStore(sample_store, read_only=True) as store:
        tables = read_tables(store)
    small = GraphTables(nodes={"Paper": tables.nodes["Paper"]}, edges={})
    out = tmp_path / "tables"
    write_tables(tables, out, "csv")
    assert (out / "Paper.csv").exists() and (out / ".kg-export").exists()
    write_tables(small, out, "parquet")  # ours: replaced as a whole
    assert sorted(p.name for p in out.iterdir()) == [".kg-export", "Paper.parquet"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left

    (out / "notes.txt").write_text("mine")  # no longer only ours
    with pytest.raises(UsageError, match="--force"):
        write_tables(small, out, "csv")
    assert sorted(p.name for p in out.iterdir()) == [".kg-export", "Paper.parquet", "notes.txt"]

    foreign = tmp_path / "project"
    foreign.mkdir()
    (foreign / "Paper.csv").write_text("my own file")
    (foreign / "README").write_text("mine")
    with pytest.raises(UsageError, match="not a kg export"):
        write_tables(small, foreign, "csv")
    assert (foreign / "Paper.csv").read_text() == "my own file"
    write_tables(small, foreign, "csv", force=True)  # written into it, nothing else touched
    assert (foreign / "README").read_text() == "mine"
    assert (foreign / "Paper.csv").read_text().startswith("id,")
    assert not (foreign / ".kg-export").exists()  # still not ours: the next export needs --force


def test_neo4j_import_export_refuses_a_foreign_directory(sample_store, tmp_path):
    (tmp_path / "import.sh").write_text("#!/bin/sh\necho mine\n")
    proc = kg_cli("export", "--format", "neo4j-import", "-o", str(tmp_path), "--store", str(sample_store))
    one_line_error(proc, 2, "--force")
    assert (tmp_path / "import.sh").read_text() == "#!/bin/sh\necho mine\n"


def test_single_file_exports_refuse_a_directory_and_replace_by_rename(sample_store, tmp_path):
    from kg.errors import UsageError
    from kg.output import atomic_path

    with pytest.raises(UsageError, match="is a directory"), atomic_path(tmp_path):
        pass
    target = tmp_path / "g.nt"
    target.write_text("old")
    link = tmp_path / "link.nt"
    link.symlink_to(target)
    with atomic_path(link) as tmp:
        Path(tmp).write_text("new")
    assert target.read_text() == "old" and link.read_text() == "new" and not link.is_symlink()


# -- usage errors with the accepted range -----------------------------------------------------
@pytest.mark.parametrize("name,param,value", [("top_datasets", "limit", "-5"), ("top_datasets", "limit", "1e23"),
                                              ("top_datasets", "limit", "99999999999999999999999"),
                                              ("top_datasets", "limit", "0"), ("beats_chain", "max_hops", "9")])
def test_integer_parameters_outside_their_range_are_usage_errors(name, param, value):
    from kg.errors import UsageError
    from kg.queries import load_query

    for lang in ("cypher", "sparql"):
        q = load_query(name, lang)
        values = {"winner": "a", "loser": "b", param: value}
        with pytest.raises(UsageError, match=rf"parameter {param} of '{name}' must be a whole number from \d"):
            q.bind({k: v for k, v in values.items() if k in {p.name for p in q.params}})


def test_kg_query_limit_is_a_usage_error_naming_the_range(sample_store):
    proc = kg_cli("query", "top_datasets", "-p", "limit=-5", "--store", str(sample_store))
    one_line_error(proc, 2, "limit of 'top_datasets' must be a whole number from 1 to 1,000,000, got '-5'")


@pytest.mark.parametrize("value", ["lots", "-3", "nan", "inf", "1e9", "8"])
def test_a_bad_buffer_pool_setting_is_a_usage_error(monkeypatch, value):
    from kg.errors import UsageError
    from kg.stores.ladybug import buffer_pool_bytes

    monkeypatch.setenv("KG_BUFFER_POOL_MB", value)
    with pytest.raises(UsageError, match=r"KG_BUFFER_POOL_MB=.* is not a size in MB from 64 to \d+"):
        buffer_pool_bytes()


def test_buffer_pool_setting_from_the_command_line(sample_store):
    proc = kg_cli("stats", "--store", str(sample_store), env={"KG_BUFFER_POOL_MB": "lots"})
    one_line_error(proc, 2, "KG_BUFFER_POOL_MB='lots' is not a size in MB")
    assert kg_cli("stats", "--store", str(sample_store), env={"KG_BUFFER_POOL_MB": "256"}).returncode == 0


def test_a_store_path_that_is_a_file(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("not a store")
    one_line_error(kg_cli("build", str(SAMPLE), "--store", str(afile), "-q"), 2, "is a file, not a directory")
    one_line_error(kg_cli("sparql", "--store", str(afile), "-e", "ASK {}"), 2, "is a file, not a directory")
    one_line_error(kg_cli("build", str(SAMPLE), "--store", str(afile / "sub"), "-q"), 2,
                   "cannot create the store directory")
    assert afile.read_text() == "not a store"


def test_a_damaged_rdf_store_is_a_sentence_saying_what_to_do(dual_store, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(dual_store, store, ignore=shutil.ignore_patterns("write.lock"))
    (store / "rdf" / "CURRENT").write_text("garbage")
    proc = kg_cli("sparql", "--store", str(store), "-e", "ASK { ?s ?p ?o }")
    one_line_error(proc, 1, "is damaged")
    assert "kg repair --store" in proc.stderr and "kg query and kg cypher still work" in proc.stderr
    assert kg_cli("query", "top_datasets", "--store", str(store)).returncode == 0  # the graph store works
    repaired = kg_cli("repair", "--store", str(store))  # what the message says to do mends it
    assert repaired.returncode == 0 and "was damaged; rebuilt" in repaired.stderr
    assert kg_cli("sparql", "--store", str(store), "-e", "ASK { ?s ?p ?o }").returncode == 0


# -- kg sparql: time limit and Ctrl-C ---------------------------------------------------------
def test_kg_sparql_stops_a_query_at_the_time_limit(dual_store):
    t0 = time.monotonic()
    proc = kg_cli("sparql", "--store", str(dual_store), "--timeout", "0.5", "-e", SLOW_SPARQL, timeout=60)
    one_line_error(proc, 1, "query stopped after 0.5 s")
    assert time.monotonic() - t0 < 15


def test_ctrl_c_ends_kg_sparql_e_with_130(dual_store):
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "sparql", "--store", str(dual_store), "-e", SLOW_SPARQL],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(2.5)  # started, the query running
        proc.send_signal(signal.SIGINT)
        assert proc.wait(10) == 130
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_ctrl_c_in_the_sparql_console_stops_the_query_and_returns_to_the_prompt(dual_store, tmp_path):
    pexpect = pytest.importorskip("pexpect")
    env = dict(os.environ, HOME=str(tmp_path), TERM="dumb", PYTHONUNBUFFERED="1")
    child = pexpect.spawn(sys.executable, ["-m", "kg.cli", "sparql", "--store", str(dual_store), "--timeout", "60"],
                          cwd=str(ROOT), env=env, encoding="utf-8", timeout=20, dimensions=(40, 200))
    try:
        child.expect("sparql> ")
        child.sendline(SLOW_SPARQL + ";")
        time.sleep(2)
        child.sendintr()
        child.expect("cancelled")
        child.expect("sparql> ")
        child.sendline("ASK { ?c a kg:Comparison };")
        child.expect("True")
        child.sendline("quit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?a ?b ?c FILTER(?a<?b)SERVICE#>\n<http://127.0.0.1:9/sparql>{ ?s ?p ?o } }",
    "SELECT * WHERE { ?x ?y trueSERVICE<http://127.0.0.1:9/sparql>{ ?s ?p ?o } }",
])
def test_service_spellings_a_word_scan_misses_are_refused_in_the_console_too(query):
    from kg.stores.readonly import Refused, check_sparql

    with pytest.raises(Refused):
        check_sparql(query)


def test_writing_to_a_special_file_writes_into_it_and_never_replaces_it(tmp_path):
    fifo = tmp_path / "out.jsonl"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "extract", str(SAMPLE), "-o", str(fifo)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    reader.join(30)
    assert proc.returncode == 0, proc.stderr
    assert fifo.is_fifo()  # still the pipe: not renamed over by a regular file
    assert got and got[0].count(b"\n") == 40
