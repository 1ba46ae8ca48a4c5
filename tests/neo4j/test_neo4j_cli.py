"""The CLI wiring in kg/cli_neo4j.py: `kg build --neo4j` (through kg.build), `kg neo4j …`."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.build import build
from kg.cli_neo4j import describe_target, neo4j_option, open_build_store, open_graph, register

SAMPLE = Path(__file__).resolve().parents[2] / "kg" / "data" / "sample" / "papers.jsonl"


@pytest.fixture
def neo4j_env(monkeypatch, bolt_server):
    monkeypatch.setenv("KG_NEO4J_USER", bolt_server.user)
    if bolt_server.password is None:
        monkeypatch.delenv("KG_NEO4J_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("KG_NEO4J_PASSWORD", bolt_server.password)
    monkeypatch.delenv("KG_NEO4J_URI", raising=False)
    return bolt_server


def cli_group() -> click.Group:
    @click.group()
    def cli() -> None:
        pass

    register(cli)

    @cli.command()
    @neo4j_option
    def where(neo4j_uri):
        click.echo(describe_target(None, neo4j_uri))

    return cli


def test_build_into_neo4j_then_query(bolt_store, neo4j_env, ladybug_sample):
    """What `kg build --neo4j URI` does, end to end: read, extract, write; then a canned query."""
    with open_build_store(None, neo4j_env.uri) as store:
        summary = build([str(SAMPLE)], store, workers=1, batch_size=16)
        again = build([str(SAMPLE)], store, workers=1)
    assert summary.writes.papers_new == summary.report.papers >= 40
    assert again.writes.papers_unchanged == summary.report.papers and again.writes.papers_new == 0
    with open_graph(None, neo4j_env.uri, timeout=30) as g:
        df = g.query("methods_beating", baseline="resnet50", dataset="imagenet")
        assert g.stats()["Paper"] == summary.report.papers
    assert {"HieraViT", "RippleConv"} <= set(df["winner"])


def test_the_option_reads_kg_neo4j_uri(monkeypatch):
    runner = CliRunner()
    monkeypatch.setenv("KG_NEO4J_URI", "bolt://example:7687")
    assert runner.invoke(cli_group(), ["where"]).output.strip() == "Neo4j at bolt://example:7687"
    assert runner.invoke(cli_group(), ["where", "--neo4j", "bolt://other:7687"]).output.strip() == \
        "Neo4j at bolt://other:7687"
    monkeypatch.delenv("KG_NEO4J_URI")
    monkeypatch.setenv("KG_STORE", "/tmp/somewhere")
    assert runner.invoke(cli_group(), ["where"]).output.strip() == "store /tmp/somewhere"


def test_neo4j_schema_and_status_commands(bolt_store, neo4j_env, sample_tables):
    bolt_store.write(sample_tables)
    runner = CliRunner()
    result = runner.invoke(cli_group(), ["neo4j", "schema", "--neo4j", neo4j_env.uri])
    assert result.exit_code == 0, result.output
    assert "schema ready" in result.output
    if neo4j_env.name == "falkordb":
        assert "GRAPH.CONSTRAINT CREATE falkordb UNIQUE NODE Paper PROPERTIES 1 id" in result.output
    result = runner.invoke(cli_group(), ["neo4j", "status", "--neo4j", neo4j_env.uri])
    assert result.exit_code == 0, result.output
    assert f"{neo4j_env.uri}: {neo4j_env.name}" in result.output
    assert any(line.split()[:2] == ["Paper", str(len(sample_tables.nodes["Paper"]))]
               for line in result.output.splitlines())


def test_neo4j_import_csv_command(tmp_path, sample_tables):
    from kg.stores.ladybug import LadybugStore

    with LadybugStore(tmp_path / "store") as store:
        store.write(sample_tables)
    result = CliRunner().invoke(cli_group(), ["neo4j", "import-csv", str(tmp_path / "out"),
                                              "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "import.sh").exists()
    assert f"{len(sample_tables.nodes['Paper'])} nodes" not in result.output  # counts every label
    papers = (tmp_path / "out" / "nodes" / "Paper.csv").read_text(encoding="utf-8")
    assert papers.startswith("id:ID(Paper),") and '\n"kgs-001",' in papers


def test_commands_without_a_server_say_how_to_give_one(monkeypatch):
    monkeypatch.delenv("KG_NEO4J_URI", raising=False)
    result = CliRunner().invoke(cli_group(), ["neo4j", "status"])
    assert result.exit_code != 0
    assert "KG_NEO4J_URI" in str(result.exception)
