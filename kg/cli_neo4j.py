"""Neo4j wiring for the ``kg`` command, kept out of kg/cli.py so that it can be added in a few lines.

- :func:`neo4j_option` — the ``--neo4j URI`` option (default ``$KG_NEO4J_URI``), for ``kg build``
  and the reading commands.
- :func:`open_build_store` / :func:`open_read_store` / :func:`open_graph` — the store a command
  works on, through :func:`kg.stores.open.open_store`: Neo4j when a URI is given, else the
  embedded store (``--store``/``$KG_STORE``).
- :func:`export_neo4j_import` — ``kg export --format neo4j-import DIR``: CSV files and
  ``import.sh`` for ``neo4j-admin database import full``.
- :func:`register` — adds ``kg neo4j schema|import-csv|status``.

Credentials come from ``KG_NEO4J_USER`` (default ``neo4j``) and ``KG_NEO4J_PASSWORD``.
"""

from __future__ import annotations

import click

NEO4J_HELP = ("Use the Neo4j server at URI (bolt://HOST:7687 or neo4j://HOST:7687) instead of the "
              "embedded store (default: $KG_NEO4J_URI; credentials: $KG_NEO4J_USER, $KG_NEO4J_PASSWORD).")


def neo4j_option(f):
    """``@neo4j_option`` adds ``--neo4j URI`` (parameter ``neo4j_uri``) to a click command."""
    return click.option("--neo4j", "neo4j_uri", envvar="KG_NEO4J_URI", metavar="URI", help=NEO4J_HELP)(f)


def neo4j_param() -> click.Option:
    """``--neo4j URI`` for a command that does not take it as an argument: the value is kept in
    the click context (:func:`current_neo4j_uri`), for commands written before Neo4j was."""

    def keep(ctx: click.Context, _param, value):
        ctx.meta["kg.neo4j_uri"] = value
        return value

    return click.Option(["--neo4j", "neo4j_uri"], envvar="KG_NEO4J_URI", metavar="URI", help=NEO4J_HELP,
                        expose_value=False, callback=keep)


def current_neo4j_uri() -> str | None:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get("kg.neo4j_uri") if ctx is not None else None


def open_build_store(store_dir: str | None, neo4j_uri: str | None, rdf: bool = True):
    """The sides ``kg build`` writes (a :class:`kg.stores.base.StoreSet`; kg.stores.open)."""
    from kg.stores.open import open_store, resolve_target

    return open_store(resolve_target(store_dir, neo4j_uri), "write", rdf=rdf)


def open_read_store(store_dir: str | None, neo4j_uri: str | None, timeout: float | None = None,
                    lang: str = "cypher"):
    """The reader the reading commands use (kg.stores.open); queries stop after ``timeout``."""
    from kg.stores.open import open_store, resolve_target

    return open_store(resolve_target(store_dir, neo4j_uri), lang=lang, timeout=timeout)


def open_graph(store_dir: str | None, neo4j_uri: str | None, timeout: float | None = None):
    """A :class:`kg.api.KnowledgeGraph` (canned queries, stats, console) on the target."""
    import kg
    from kg.stores.open import resolve_target

    return kg.open(resolve_target(store_dir, neo4j_uri), timeout=timeout)


def describe_target(store_dir: str | None, neo4j_uri: str | None) -> str:
    """For summaries: ``Neo4j at bolt://…`` or ``store ./kg-data``."""
    from kg.stores.open import describe, resolve_target

    return describe(resolve_target(store_dir, neo4j_uri))


def export_neo4j_import(out_dir: str, store_dir: str | None = None, neo4j_uri: str | None = None,
                        force: bool = False):
    """Write neo4j-admin import files for the graph in the embedded store (or in Neo4j); the
    directory rules of kg.export_target apply (``force`` for a non-empty directory)."""
    from kg.config import store_path
    from kg.export_target import check_export_directory
    from kg.stores.neo4j_import import export_store

    check_export_directory(out_dir, force, None if neo4j_uri else store_path(store_dir))  # before reading
    with open_read_store(store_dir, neo4j_uri) as store:
        return export_store(store, out_dir, force=force)


def import_summary(files) -> str:
    nodes = sum(files.rows.get(p.stem, 0) for p in files.nodes)
    rels = sum(v for k, v in files.rows.items() if "(" in k)
    return (f"{nodes:,} nodes and {rels:,} relationships in {len(files.nodes) + len(files.relationships)} CSV "
            f"files under {files.out_dir}\nload them into an empty database with: {files.script}")


def register(cli_group: click.Group) -> None:
    """Add the ``kg neo4j`` command group to the CLI."""

    @cli_group.group("neo4j")
    def neo4j_group() -> None:
        """Neo4j: create the schema, write bulk-import files, show what a server holds."""

    @neo4j_group.command("schema")
    @neo4j_option
    def schema(neo4j_uri: str | None) -> None:
        """Create kg's constraints and indexes (after a neo4j-admin import; idempotent)."""
        from kg.stores.neo4j import constraint_statements, falkordb_constraint_commands

        with open_build_store(None, _require(neo4j_uri)) as store:
            store.ensure_schema()
            flavor = store.flavor
        click.echo(f"schema ready on {neo4j_uri} ({flavor})")
        if flavor == "falkordb":
            click.echo("FalkorDB has no Cypher constraints; for unique keys run with redis-cli:")
            for cmd in falkordb_constraint_commands():
                click.echo("  " + cmd)
        else:
            for stmt in constraint_statements():
                click.echo("  " + stmt)

    @neo4j_group.command("import-csv")
    @click.argument("out_dir")
    @click.option("--store", "store_dir", envvar="KG_STORE", help="Store directory (default: $KG_STORE or ./kg-data).")
    @click.option("--force", is_flag=True, help="Write into a non-empty directory that is not a previous kg export.")
    def import_csv(out_dir: str, store_dir: str | None, force: bool) -> None:
        """Write CSV files and import.sh for neo4j-admin database import full (first loads)."""
        files = export_neo4j_import(out_dir, store_dir, force=force)
        click.echo(import_summary(files), err=True)

    @neo4j_group.command("status")
    @neo4j_option
    def status(neo4j_uri: str | None) -> None:
        """Which server answers at URI and what kg graph it holds."""
        with open_read_store(None, _require(neo4j_uri)) as store:
            counts = store.counts()
            flavor = store.flavor
        click.echo(f"{neo4j_uri}: {flavor}")
        for k, v in counts.items():
            click.echo(f"{k:20s} {v:>10,}")


def _require(neo4j_uri: str | None) -> str:
    if not neo4j_uri:
        from kg.errors import UsageError

        raise UsageError("no Neo4j server: pass --neo4j bolt://HOST:7687 or set KG_NEO4J_URI")
    return neo4j_uri
