"""On Bolt servers (FalkorDB always, Neo4j when configured) ``KnowledgeGraph.cypher`` — what
``kg cypher --neo4j`` and the Python API run — refuses what is not a reading statement before it
reaches the server, and sends the rest in a READ transaction."""

from __future__ import annotations

import pytest

REFUSED = [
    "CREATE (:Paper {id: 'x'})",
    "MERGE (:Paper {id: 'x'})",
    "MATCH (p:Paper) SET p.title = 'x'",
    "MATCH (p:Paper) DETACH DELETE p",
    "MATCH (p:Paper) REMOVE p.title",
    "UNWIND [1] AS i FOREACH (x IN [i] | CREATE (:Paper {id: 'x'}))",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "CALL apoc.load.json('file:///etc/passwd')",
    "RETURN apoc.text.join(['a'], ',') AS x",
    "CALL db.idx.fulltext.createNodeIndex('Paper', 'title')",
    "CALL { CREATE (:Paper {id: 'x'}) } RETURN 1",
    "USE system SHOW USERS",
    "MATCH (n) RETURN count(n); CREATE (:Paper {id: 'x'})",
]


@pytest.mark.parametrize("statement", REFUSED)
def test_non_reading_statements_are_refused_on_the_server(bolt_store, statement):
    from kg.api import KnowledgeGraph
    from kg.errors import UsageError

    g = KnowledgeGraph(bolt_store)
    with pytest.raises(UsageError, match=r"^refused: "):
        g.cypher(statement)
    assert bolt_store.counts()["Paper"] == 0


def test_reading_statements_and_canned_queries_run_as_reads(bolt_store):
    from kg.api import KnowledgeGraph

    g = KnowledgeGraph(bolt_store)
    assert g.cypher("MATCH (p:Paper) RETURN count(p) AS n")["n"].iloc[0] == 0
    g.cypher("CALL db.labels()")
    assert g.top_datasets(limit=3).empty
