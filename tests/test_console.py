"""The Cypher console: a real ``kg console`` process on a real store built from the bundled
sample, driven through a pseudo-terminal (pexpect) or fed a script; completion candidates from
the graph model; the Cypher of docs/console.md run on the same store."""

import csv
import io
import json
import os
import re
import sys

import pytest

pexpect = pytest.importorskip("pexpect")

from conftest import ROOT  # noqa: E402
from test_contract import run_kg  # noqa: E402

from kg.console.complete import candidates  # noqa: E402
from kg.console.schema import GraphSchema  # noqa: E402
from kg.stores.open import open_store  # noqa: E402


def spawn(store, home, *extra):
    # a dumb terminal: prompt_toolkit then echoes, after each change, only the character before
    # the cursor (no escape sequences to read through)
    env = dict(os.environ, HOME=str(home), TERM="dumb", PYTHONUNBUFFERED="1")
    child = pexpect.spawn(sys.executable, ["-m", "kg.cli", "console", "--store", str(store), *extra],
                          cwd=str(ROOT), env=env, encoding="utf-8", timeout=30, dimensions=(40, 200))
    child.expect("kg> ")
    return child


@pytest.fixture
def console(sample_store, tmp_path):
    child = spawn(sample_store, tmp_path)
    yield child
    child.sendline(":quit")
    child.expect(pexpect.EOF)


def tab(child, typed: str, completed: str) -> None:
    """Type ``typed``, press Tab, wait until the line reads ``completed`` (the dumb terminal
    echoes the last character of the completed word once the completion is in)."""
    child.send(typed)
    child.expect_exact(typed[-1])
    child.send("\t")
    child.expect_exact(completed[-1])


def history(home) -> str:
    return (home / ".kg_cypher_history").read_text()


def script(store, text: str, *extra: str, columns: int = 100):
    """``kg console`` with a script on standard input; ``columns``: the width ``wide`` wraps to."""
    return run_kg("console", "--store", str(store), *extra, input=text, env=dict(os.environ, COLUMNS=str(columns)))


# -- Tab completion in a real terminal session --------------------------------------------------
def test_tab_completes_a_label_and_a_relationship_type(sample_store, tmp_path):
    child = spawn(sample_store, tmp_path)
    tab(child, "MATCH (m:Me", "MATCH (m:Method")
    tab(child, ")-[:BE", ")-[:BEATS")
    child.send("]->(x:Method) RETURN count(*) AS beats;\r")
    child.expect(r"beats\s+-+\s+(\d+)")
    counted = int(child.match.group(1))
    child.sendline(":quit")
    child.expect(pexpect.EOF)
    with open_store(sample_store) as reader:  # every BEATS relationship: both names were completed
        assert counted == reader.cypher("MATCH (:Method)-[:BEATS]->(:Method) RETURN count(*) AS n")["n"][0] > 0
    assert "MATCH (m:Method)-[:BEATS]->(x:Method) RETURN count(*) AS beats;" in history(tmp_path)


def test_tab_cycles_candidates_and_completes_keys_and_canned_queries(sample_store, tmp_path, expected):
    child = spawn(sample_store, tmp_path)
    tab(child, "MATCH (m:Me", "MATCH (m:Method")
    child.send("\t")  # the second candidate
    child.expect_exact("c")
    tab(child, ") RETURN count(m.na", "m.name")
    child.send(") AS n;\r")
    child.expect(r"n\s+-+\s+(\d+)")
    counted = int(child.match.group(1))  # the Metric nodes, every one named
    tab(child, ":run methods_be", ":run methods_beating")
    tab(child, " ba", " baseline=")
    child.send("resnet50 dataset=ImageNet\r")
    child.expect(expected["beats_resnet50_imagenet"][0])
    child.expect(r"rows?, [0-9.]+ ms\)")
    child.sendline(":quit")
    child.expect(pexpect.EOF)
    with open_store(sample_store) as reader:
        assert counted == reader.cypher("MATCH (m:Metric) RETURN count(m.name) AS n")["n"][0] > 0
    lines = history(tmp_path)
    assert "MATCH (m:Metric) RETURN count(m.name) AS n;" in lines
    assert ":run methods_beating baseline=resnet50 dataset=ImageNet" in lines


# -- completion candidates by context -----------------------------------------------------------
SCHEMA = GraphSchema.from_model()


@pytest.mark.parametrize("line, before, expected", [
    ("MATCH (m:Me", "", ["Method", "Metric"]),
    ("MATCH (a)-[:BE", "", ["BEATS"]),
    ("MATCH (a)-[r:BEATS|WI", "", ["WINNER"]),
    ("MATCH (p:Paper)-[:HAS_CODE]->(r:Rep", "", ["Repository"]),
    ("RETURN m.na", "MATCH (m:Method)", ["name"]),  # the variable's label, from an earlier line
    ("MATCH (c:Comparison) RETURN c.s", "", ["sentence", "start_char"]),
    ("MATCH (m:Method {ke", "", ["key", "keys"]),
    ("MATCH (m:Method {name: 'a:Me", "", []),  # inside a string: nothing
    ("MATCH (m:Method {name: Me", "", []),  # a map value is no label
    (":fo", "", [":format"]),
    (":format w", "", ["wide"]),
    (":schema BE", "", ["BEATS"]),
    (":run methods_b", "", ["methods_beating"]),
    (":run methods_beating ba", "", ["baseline="]),
    (":run methods_beating baseline=x d", "", ["dataset="]),
    (":run methods_beating baseline=x ba", "", []),  # given already
])
def test_completion_candidates_follow_the_context(line, before, expected):
    from kg.console import canned_parameters
    from kg.queries import list_queries

    _, found = candidates(line, SCHEMA, before, canned=list_queries("cypher"), canned_params=canned_parameters)
    assert found == expected


def test_keywords_complete_in_capitals_and_parameters_after_dollar():
    back, found = candidates("MATCH (m:Method) OPTI", SCHEMA)
    assert (back, found) == (4, ["OPTIONAL"])
    assert candidates("WHERE m.name = $na", SCHEMA, params=["name", "n", "limit"])[1] == ["name"]


# -- formats, rows, values ----------------------------------------------------------------------
EVIDENCE = ("MATCH (:Method {key: 'resnet50'})<-[:LOSER]-(c:Comparison)-[:WINNER]->(w:Method {key: 'hieravit'}) "
            "RETURN w.name AS winner, c.sentence AS evidence;\n")


def test_format_table_clips_and_wide_shows_whole_sentences(sample_store):
    table = script(sample_store, EVIDENCE)
    assert table.returncode == 0, table.stdout
    sentence = re.search(r"HieraViT\s+(HieraViT outperforms.*)", table.stdout).group(1)
    assert sentence.endswith("…") and len(sentence) == 60

    narrow = script(sample_store, ":format wide\n" + EVIDENCE, columns=70)
    assert narrow.returncode == 0 and "format: wide" in narrow.stdout
    body = narrow.stdout.split("format: wide\n", 1)[1].split("\n(1 row")[0]
    assert "…" not in body and all(len(line) <= 70 for line in body.splitlines())
    text = " ".join(line[10:].strip() for line in body.splitlines()[2:])  # the evidence column
    assert text.startswith("HieraViT outperforms ResNet-50 on ImageNet by 7.1% top-1 accuracy")
    assert text.endswith("while using a third of the compute.")

    detail = script(sample_store, EVIDENCE + ":row 1\n:row 2\n", columns=70)
    assert "row 1 of 1" in detail.stdout and "a third of the compute." in detail.stdout
    assert "error: :row takes a row number from 1 to 1" in detail.stdout and detail.returncode == 1


def test_format_json_and_csv_and_unknown_format(sample_store):
    node = "MATCH (m:Method {key: 'resnet50'}) RETURN m, m.name AS name"
    as_json = run_kg("console", "--store", str(sample_store), "--format", "json", "-e", node)
    rows = json.loads(as_json.stdout)
    assert rows[0]["name"] == "ResNet-50"
    assert rows[0]["m"]["_label"] == "Method" and rows[0]["m"]["key"] == "resnet50"
    assert "resnet50" in rows[0]["m"]["keys"] and "_ID" not in rows[0]["m"]

    as_csv = run_kg("console", "--store", str(sample_store), "--format", "csv", "-e", node)
    header, row = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert header == ["m", "name"] and row[1] == "ResNet-50"
    assert row[0].startswith('(:Method {name: "ResNet-50", key: "resnet50"')

    switched = script(sample_store, f":format csv\n{node};\n:format\n:format yaml\n")
    assert 'name\n"(:Method {name: ""ResNet-50""' in switched.stdout.replace("m,name", "name")
    assert "format: csv (one of table, wide, json, csv)" in switched.stdout
    assert "error: unknown format 'yaml'; use one of table, wide, json, csv" in switched.stdout
    assert switched.returncode == 1 and "Traceback" not in switched.stderr


def test_nodes_relationships_and_paths_print_as_cypher(sample_store):
    proc = run_kg("console", "--store", str(sample_store), "--format", "wide", "-e",
                  "MATCH p = (a:Method {key: 'hieravit'})-[r:BEATS]->(b:Method {key: 'resnet50'}) "
                  "MATCH q = (b)<-[:BEATS]-(a) RETURN a, r, p, q LIMIT 1", env=dict(os.environ, COLUMNS="400"))
    assert proc.returncode == 0, proc.stderr
    out = " ".join(proc.stdout.split())
    assert '(:Method {name: "HieraViT", key: "hieravit", aliases: [], keys: ["hieravit"]})' in out
    assert re.search(r'\[:BEATS \{comparison: "\w+", paper: "kgs-\d+", dataset: "imagenet"\}\]', out)
    assert '(:Method {name: "HieraViT"})-[:BEATS]->(:Method {name: "ResNet-50"})' in out
    assert '(:Method {name: "ResNet-50"})<-[:BEATS]-(:Method {name: "HieraViT"})' in out
    assert "_ID" not in out and "_LABEL" not in out


# -- :schema ------------------------------------------------------------------------------------
def test_schema_shows_labels_types_and_properties_with_counts(sample_store):
    stats = json.loads(run_kg("stats", "--store", str(sample_store), "--format", "json").stdout)
    proc = script(sample_store, ":schema\n:schema Method\n:schema beats\n")
    assert proc.returncode == 0, proc.stdout
    out = proc.stdout
    for label in ("Paper", "Method", "Dataset", "Metric", "Task", "Repository", "Comparison", "Result"):
        assert re.search(rf"^{label}\s+{stats[label]:,}\s+\w", out, re.M), label
    alias = re.search(r"^Alias\s+([\d,]+)\s+key\s+\(internal", out, re.M)
    assert alias and int(alias.group(1).replace(",", "")) > stats["Method"]
    # a type with two endpoint pairs: one count each, adding up to the type's total
    on = re.findall(r"^(?:ON_DATASET)?\s+([\d,]+)\s+\(:(\w+)\)-\[:ON_DATASET\]->\(:Dataset\)", out, re.M)
    assert {src for _, src in on} == {"Comparison", "Result"}
    assert sum(int(n.replace(",", "")) for n, _ in on) == stats["ON_DATASET"]
    assert re.search(rf"^BEATS\s+{stats['BEATS']}\s+\(:Method\)-\[:BEATS\]->\(:Method\)\s+"
                     r"\{comparison, paper, dataset\}", out, re.M)
    assert re.search(rf"^\(:Method\)\s+{stats['Method']} nodes", out, re.M)
    assert re.search(rf"^\s+aliases\s+{stats['Method']}\s+STRING\[\]", out, re.M)
    assert re.search(rf"^\[:BEATS\]\s+{stats['BEATS']} relationships", out, re.M)  # any case finds it


def test_schema_of_an_unknown_name_says_which_exist(sample_store):
    proc = script(sample_store, ":schema Methd\n")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "error: no label or relationship type 'Methd' (known: Paper, Method," in proc.stdout


# -- EXPLAIN / PROFILE, internal nodes, errors --------------------------------------------------
def test_explain_and_profile_print_a_tree(sample_store):
    proc = script(sample_store, "EXPLAIN MATCH (m:Method) RETURN m.name;\n"
                                "PROFILE MATCH (m:Method)<-[:WINNER]-(c:Comparison) RETURN m.name, count(c);\n")
    assert proc.returncode == 0, proc.stdout
    out = proc.stdout
    assert "┌" not in out and "│" not in out.replace("│  ", "")  # no boxes: a tree
    explain, profile = out.split("PROFILE[", 1)
    assert re.search(r"^RESULT_COLLECTOR\[\d+\]  expressions m\.name$", explain, re.M)
    assert re.search(r"^   └─ SCAN_NODE_TABLE\[\d+\]  tables Method; alias m; properties m\.name$", explain, re.M)
    assert "rows" not in explain.split("(", 1)[0]  # EXPLAIN measures nothing
    comparisons = json.loads(run_kg("stats", "--store", str(sample_store), "--format", "json").stdout)["Comparison"]
    assert re.search(rf"SCAN_NODE_TABLE\[\d+\]  tables Comparison; alias c  \[{comparisons} rows, [\d.]+ ms\]", profile)
    assert re.search(r"^\d+\]  \[[\d.]+ ms wall clock\]", profile, re.M)


def test_alias_nodes_are_flagged_when_an_answer_shows_them(sample_store):
    proc = script(sample_store, "MATCH (a:Alias {key: 'resnet50'})-[r:NAMES]->(m) RETURN a, r, m;\n"
                                "MATCH (m:Method {key: 'resnet50'}) RETURN m;\n")
    first, second, _ = re.split(r"^\(\d+ rows?, [\d.]+ ms\)$", proc.stdout, flags=re.M)
    assert '(:Alias {key: "resnet50"})' in first and "note: Alias nodes and NAMES relationships" in first
    assert "note:" not in second


def test_internal_ids_are_a_clear_error(sample_store):
    proc = run_kg("console", "--store", str(sample_store), "-e", "MATCH (m:Method) RETURN id(m) LIMIT 1")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "internal ids" in proc.stderr and "CAST(id(n) AS STRING)" in proc.stderr
    proc = script(sample_store, "MATCH (m:Method) RETURN id(m) LIMIT 1;\nRETURN 1 AS alive;\n")
    assert "error: this answer holds internal ids" in proc.stdout and "alive" in proc.stdout


# -- docs/console.md: every equivalent runs here, every Neo4j form still does not ----------------
DOC = (ROOT / "docs" / "console.md").read_text()
WORKS = re.findall(r"```cypher\n(.*?)```", DOC, re.S)
NEO4J_ONLY = re.findall(r"```cypher-neo4j\n(.*?)```", DOC, re.S)


def test_the_docs_have_examples():
    assert len(WORKS) >= 12 and len(NEO4J_ONLY) >= 10


@pytest.fixture(scope="module")
def graph(sample_store):
    import kg

    return kg.open(sample_store)


@pytest.mark.parametrize("statement", WORKS, ids=[s.split("\n")[0][:50] for s in WORKS])
def test_documented_cypher_runs_here(graph, statement):
    df = graph.cypher(statement)
    assert len(df) >= 1


@pytest.mark.parametrize("statement", NEO4J_ONLY, ids=[s.split("\n")[0][:50] for s in NEO4J_ONLY])
def test_documented_neo4j_forms_are_refused_here(graph, statement):
    with pytest.raises(Exception):  # noqa: B017, PT011 - parser, binder or catalogue: any refusal
        graph.cypher(statement)


# -- what was there before ----------------------------------------------------------------------
def test_multiline_statement_then_table_and_timing(console):
    console.sendline("MATCH (p:Paper)")
    console.expect(r"\| ")
    console.sendline("RETURN count(p) AS papers;")
    console.expect(r"papers")
    console.expect(r"40")
    console.expect(r"\(1 row, [0-9.]+ ms\)")


def test_parameterised_canned_query(console, expected):
    console.sendline(":run methods_beating baseline=resnet50 dataset=ImageNet")
    console.expect(r"winner")
    console.expect(expected["beats_resnet50_imagenet"][0])
    console.expect(r"rows?, [0-9.]+ ms\)")


def test_parameters_and_errors(console):
    console.sendline(':param name => "HieraViT"')
    console.expect(r'\$name = "HieraViT"')
    console.sendline("MATCH (m:Method {name: $name}) RETURN m.key AS key;")
    console.expect(r"hieravit")
    console.sendline("MATCH (n:Nope RETURN n;")
    console.expect(r"error: Parser exception")
    console.expect(r"\^")
    console.sendline("RETURN 1 AS still_alive;")
    console.expect(r"still_alive")


def test_history_is_kept_across_sessions(sample_store, tmp_path):
    child = spawn(sample_store, tmp_path)
    child.sendline("RETURN 42 AS answer;")
    child.expect("answer")
    child.sendline(":quit")
    child.expect(pexpect.EOF)
    assert "RETURN 42 AS answer;" in history(tmp_path)


def test_script_on_stdin_fails_on_error(sample_store):
    ok = run_kg("cypher", "--store", str(sample_store), input="MATCH (p:Paper) RETURN count(p) AS n;\n")
    assert ok.returncode == 0 and "40" in ok.stdout
    bad = run_kg("cypher", "--store", str(sample_store), input="RETURN 1 AS a;\nMATCH (x RETURN x;\n")
    assert bad.returncode == 1 and "error:" in bad.stdout and "Traceback" not in bad.stderr


def test_help_names_the_commands(sample_store):
    proc = script(sample_store, ":help\n")
    for word in (":schema", ":format [table|wide|json|csv]", ":row N", ":run NAME", "EXPLAIN", "docs/console.md"):
        assert word in proc.stdout
    assert "(now: table)" in proc.stdout
    cli_help = run_kg("console", "--help")
    assert ":format table|wide|json|csv" in cli_help.stdout and "docs/console.md" in cli_help.stdout
