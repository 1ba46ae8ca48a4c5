"""The interactive Cypher console, driven through a real pseudo-terminal."""

import os
import sys

import pytest

pexpect = pytest.importorskip("pexpect")

from conftest import ROOT  # noqa: E402


@pytest.fixture
def console(sample_store, tmp_path):
    env = dict(os.environ, HOME=str(tmp_path), TERM="dumb", PYTHONUNBUFFERED="1")
    child = pexpect.spawn(sys.executable, ["-m", "kg.cli", "cypher", "--store", str(sample_store)],
                          cwd=str(ROOT), env=env, encoding="utf-8", timeout=30, dimensions=(40, 200))
    child.expect("kg> ")
    yield child
    child.sendline(":quit")
    child.expect(pexpect.EOF)


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
    env = dict(os.environ, HOME=str(tmp_path), TERM="dumb")
    child = pexpect.spawn(sys.executable, ["-m", "kg.cli", "cypher", "--store", str(sample_store)],
                          cwd=str(ROOT), env=env, encoding="utf-8", timeout=30)
    child.expect("kg> ")
    child.sendline("RETURN 42 AS answer;")
    child.expect("answer")
    child.sendline(":quit")
    child.expect(pexpect.EOF)
    assert "RETURN 42 AS answer;" in (tmp_path / ".kg_cypher_history").read_text()


def test_script_on_stdin_fails_on_error(sample_store):
    from test_contract import run_kg

    ok = run_kg("cypher", "--store", str(sample_store), input="MATCH (p:Paper) RETURN count(p) AS n;\n")
    assert ok.returncode == 0 and "40" in ok.stdout
    bad = run_kg("cypher", "--store", str(sample_store), input="RETURN 1 AS a;\nMATCH (x RETURN x;\n")
    assert bad.returncode == 1 and "error:" in bad.stdout and "Traceback" not in bad.stderr
