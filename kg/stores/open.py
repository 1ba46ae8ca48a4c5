"""One way to open a store: :func:`open_store` and the registry of backends, keyed by target.

A target is a store directory (the embedded backend: LadybugDB for Cypher and the property-graph
side, Oxigraph in ``<dir>/rdf`` for SPARQL and the RDF side) or a server URI whose scheme names
its backend (``bolt://``, ``neo4j://``, ``neo4j+s://``… : Neo4j, or any Bolt server such as
FalkorDB). Every command, ``kg.open()`` and the analytics open stores here.

>>> backend_for("bolt://localhost:7687").name, backend_for("./kg-data").name
('neo4j', 'embedded')
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kg.config import store_path
from kg.errors import UsageError
from kg.stores.base import StoreSet

READ, WRITE = "read", "write"


@dataclass(frozen=True)
class Backend:
    """How to open one kind of target.

    ``writers(target, **options)`` returns the sides a build writes, in order (each a
    :class:`kg.stores.base.GraphWriter`); ``reader(target, lang, **options)`` one reader for
    ``lang`` (``cypher`` or ``sparql``, one of ``langs``)."""

    name: str
    schemes: tuple[str, ...]  # URI schemes; () for a directory
    writers: Callable[..., list]
    reader: Callable[..., object]
    langs: tuple[str, ...] = ("cypher",)
    describe: Callable[[str], str] = field(default=lambda target: target)


BACKENDS: dict[str, Backend] = {}  # URI scheme ("" for a directory) → backend


def register_backend(backend: Backend) -> None:
    """Make ``open_store`` open targets of ``backend.schemes`` (a directory when empty) with it."""
    for scheme in backend.schemes or ("",):
        BACKENDS[scheme] = backend


def scheme_of(target: str | os.PathLike) -> str:
    text = os.fspath(target)
    return urlsplit(text).scheme.lower() if "://" in text else ""


def backend_for(target: str | os.PathLike) -> Backend:
    scheme = scheme_of(target)
    backend = BACKENDS.get(scheme)
    if backend is None:
        known = ", ".join(f"{s}://" for s in sorted(BACKENDS) if s)
        raise UsageError(f"no store backend for {os.fspath(target)!r}: give a store directory or a URI "
                         f"starting with one of {known}")
    return backend


def resolve_target(store_dir: str | os.PathLike | None = None, server: str | None = None) -> str:
    """The target a command works on: the server URI when given (``--neo4j``/``KG_NEO4J_URI``),
    else the store directory (``--store``/``KG_STORE``/``./kg-data``)."""
    return server or os.fspath(store_path(os.fspath(store_dir) if store_dir is not None else None))


def describe(target: str) -> str:
    """For summaries: ``store ./kg-data`` or ``Neo4j at bolt://…``."""
    return backend_for(target).describe(target)


def open_store(target: str | os.PathLike | None = None, mode: str = READ, *, lang: str = "cypher",
               rdf: bool = True, timeout: float | None = None, **options):
    """Open the store at ``target`` (default: ``$KG_STORE`` or ``./kg-data``).

    - ``mode="write"``: a :class:`~kg.stores.base.StoreSet` of every side the backend keeps
      (``rdf=False`` leaves the embedded store's RDF side alone); ``kg.build.build`` writes to it.
    - ``mode="read"``: one reader for ``lang``, its queries stopped after ``timeout`` seconds.

    ``options`` go to the backend (``allow_service`` for the RDF reader, ``base`` for the RDF
    writer, ``batch_size``/``database`` for Neo4j)."""
    target = resolve_target(target)
    backend = backend_for(target)
    if mode == WRITE:
        return StoreSet(backend.writers(target, rdf=rdf, **options))
    if mode != READ:
        raise ValueError(f"mode must be {READ!r} or {WRITE!r}, not {mode!r}")
    if lang not in backend.langs:
        raise UsageError(f"{backend.describe(target)} answers {', '.join(backend.langs)}, not {lang} "
                         f"(--lang {lang} needs a store directory with its RDF side)")
    reader = backend.reader(target, lang, **options)
    if timeout:
        reader.set_timeout(timeout)
    return reader


# -- the embedded backend -----------------------------------------------------------------------
def _embedded_writers(target: str, rdf: bool = True, base: str | None = None, **_options) -> list:
    from kg.stores.ladybug import LadybugStore

    graph = LadybugStore(target)  # takes the store's write lock first
    if not rdf:
        return [graph]
    from kg.stores.oxigraph import OxigraphStore

    try:
        return [graph, OxigraphStore(target, base=base)]
    except BaseException:
        graph.close()
        raise


def _embedded_reader(target: str, lang: str, allow_service: bool = False, **_options):
    if lang == "sparql":
        from kg.stores.oxigraph import OxigraphStore

        return OxigraphStore(target, read_only=True, allow_service=allow_service)
    from kg.stores.ladybug import LadybugStore

    return LadybugStore(target, read_only=True)


# -- Neo4j and other Bolt servers ----------------------------------------------------------------
def _bolt_writers(target: str, rdf: bool = True, **options) -> list:
    from kg.stores.neo4j import open_neo4j_from_env

    return [open_neo4j_from_env(target, **options)]


def _bolt_reader(target: str, lang: str, **options):
    from kg.stores.neo4j import open_neo4j_from_env

    options.pop("allow_service", None)
    return open_neo4j_from_env(target, **options)


register_backend(Backend("embedded", (), _embedded_writers, _embedded_reader, ("cypher", "sparql"),
                         lambda target: f"store {target}"))
register_backend(Backend("neo4j", ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"),
                         _bolt_writers, _bolt_reader, ("cypher",), lambda target: f"Neo4j at {target}"))
