"""docker/compose.yml and docker/Dockerfile are as docs/neo4j.md documents them.

No Docker engine runs here, so the files are parsed (PyYAML) and checked: services, environment,
healthcheck, volumes, the build wiring, the image's entrypoint. Compose's ``${VAR:-default}`` /
``${VAR:?error}`` interpolation is applied by a small re-implementation to check what the
containers receive.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML is not installed (pip install pyyaml)")

ROOT = Path(__file__).resolve().parent.parent
DOCKER = ROOT / "docker"
COMPOSE = DOCKER / "compose.yml"
DOCKERFILE = DOCKER / "Dockerfile"
_VAR = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}|\$\$")


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's variable substitution ($$ → $, ${V}, ${V:-default}, ${V:?error})."""
    def sub(m: re.Match) -> str:
        if m.group(0) == "$$":
            return "$"
        name, op, arg = m.group(1), m.group(2), m.group(3)
        val = env.get(name)
        if op in (":-", "-"):
            return val if val else (arg or "")
        if op in (":?", "?"):
            if not val:
                raise ValueError(f"required variable {name} is missing a value: {arg}")
            return val
        return val or ""

    return _VAR.sub(sub, value)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def _env(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def test_services(compose):
    assert set(compose["services"]) == {"neo4j", "kg"}
    neo4j, kg = compose["services"]["neo4j"], compose["services"]["kg"]
    assert re.fullmatch(r"neo4j:5(\.[\w.-]+)?", neo4j["image"])
    assert kg["depends_on"] == {"neo4j": {"condition": "service_healthy"}}
    build = kg["build"]
    assert (DOCKER / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE.resolve()


def test_neo4j_auth_comes_from_the_environment(compose):
    auth = _env(compose["services"]["neo4j"])["NEO4J_AUTH"]
    assert auth.startswith("${KG_NEO4J_USER:-neo4j}/${KG_NEO4J_PASSWORD:?")
    assert interpolate(auth, {"KG_NEO4J_PASSWORD": "s3cret-pw"}) == "neo4j/s3cret-pw"
    assert interpolate(auth, {"KG_NEO4J_USER": "kg", "KG_NEO4J_PASSWORD": "pw"}) == "kg/pw"
    with pytest.raises(ValueError, match="KG_NEO4J_PASSWORD"):
        interpolate(auth, {})


def test_kg_service_talks_to_neo4j(compose):
    env = {k: interpolate(v, {"KG_NEO4J_PASSWORD": "pw"}) for k, v in _env(compose["services"]["kg"]).items()}
    assert env == {"KG_NEO4J_URI": "bolt://neo4j:7687", "KG_NEO4J_USER": "neo4j", "KG_NEO4J_PASSWORD": "pw"}


def test_healthcheck_runs_cypher_shell_with_the_configured_credentials(compose):
    hc = compose["services"]["neo4j"]["healthcheck"]
    assert hc["test"][0] == "CMD-SHELL"
    command = interpolate(hc["test"][1], {})  # compose turns $$ into $; the shell does the rest
    assert command.startswith("cypher-shell -a bolt://localhost:7687 ")
    assert '-u "${NEO4J_AUTH%%/*}"' in command and '-p "${NEO4J_AUTH#*/}"' in command
    assert "RETURN 1" in command
    shlex.split(command)
    for key in ("interval", "timeout", "retries", "start_period"):
        assert key in hc


def test_volumes(compose):
    neo4j, kg = compose["services"]["neo4j"], compose["services"]["kg"]
    assert "neo4j-data:/data" in neo4j["volumes"] and "neo4j-logs:/logs" in neo4j["volumes"]
    assert set(compose["volumes"]) == {"neo4j-data", "neo4j-logs"}
    [data] = kg["volumes"]
    host, container, mode = interpolate(data, {}).split(":")
    assert (container, mode) == ("/data", "ro")
    assert (DOCKER / host).resolve() == (ROOT / "data").resolve()  # the repository's ./data


def test_ports_are_published_on_localhost_only(compose):
    ports = [interpolate(p, {}) for p in compose["services"]["neo4j"]["ports"]]
    assert ports == ["127.0.0.1:7474:7474", "127.0.0.1:7687:7687"]


def _instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip())
            for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_dockerfile():
    instr = _instructions()
    assert instr[0] == ("FROM", "python:3.11-slim")
    assert ("ENTRYPOINT", '["kg"]') in instr
    assert any(op == "RUN" and "pip install ." in arg for op, arg in instr)
    for op, arg in instr:
        if op == "COPY":
            *sources, _ = shlex.split(arg)
            for src in sources:
                assert (ROOT / src).exists(), f"COPY source {src} is missing"
    assert "kg = \"kg.cli:main\"" in (ROOT / "pyproject.toml").read_text()  # the entrypoint exists


def test_docs_show_the_compose_commands():
    doc = (ROOT / "docs" / "neo4j.md").read_text()
    assert "docker compose -f docker/compose.yml run --rm kg build /data" in doc
    assert "KG_NEO4J_PASSWORD" in doc
