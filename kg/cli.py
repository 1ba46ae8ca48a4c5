"""The ``kg`` command.

Exit codes: 0 ok, 1 failure, 2 usage error (bad flags, missing file, unknown format or query).
User mistakes print one clear line; tracebacks only with ``--debug``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from kg import __version__
from kg.cli_analytics import register as register_analytics
from kg.cli_curate import build_curation as _curation
from kg.cli_curate import register as register_curate
from kg.cli_neo4j import neo4j_option
from kg.cli_neo4j import register as register_neo4j
from kg.cli_rdf import register as register_rdf
from kg.config import DEFAULT_BATCH_SIZE, DEFAULT_MIN_CONFIDENCE, DEFAULT_QUERY_TIMEOUT_S, store_path
from kg.errors import KgError, UsageError

STORE_HELP = "Store directory (default: $KG_STORE or ./kg-data)."


def _err(msg: str) -> None:
    click.echo(msg, err=True)


def _warning_printer(limit: int = 20):
    count = {"n": 0}

    def on_warning(source: str, message: str) -> None:
        count["n"] += 1
        if count["n"] <= limit:
            _err(f"warning: {source}: {message}")
        elif count["n"] == limit + 1:
            _err("warning: more bad records; the summary counts them all")

    return on_warning


class _Progress:
    """A progress bar on a terminal; silent when stderr is piped."""

    def __init__(self, label: str, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.label = label
        self._progress = None

    def __enter__(self):
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                console=Console(stderr=True), transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=None, rate="")
            self._t0 = time.perf_counter()
            self._n = 0
        return self

    def advance(self, n: int) -> None:
        if self._progress is not None:
            self._n += n
            rate = self._n / max(1e-9, time.perf_counter() - self._t0)
            self._progress.update(self._task, advance=n, rate=f"{rate:,.0f} papers/s")

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.stop()


PAGE_YEAR_OPTION = click.option(
    "--page-year", type=click.IntRange(1900, 2999), envvar="KG_PAGE_YEAR", metavar="YEAR",
    help="The year of Hugging Face daily pages whose date shows none ('Mar 21'); a date with a "
         "year on the page or in the file name wins. Without it their papers are dated --MM-DD.")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="kg")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """kg — a knowledge graph of ML papers, methods, datasets, metrics and results.

    \b
    Typical use:
      kg build papers.jsonl            # read, extract, load into ./kg-data
      kg query methods_beating --param baseline=ResNet-50 --param dataset=ImageNet
      kg stats
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--store", "store_dir", envvar="KG_STORE", help=STORE_HELP)
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Extraction processes (default: number of cores).")
@click.option("--batch-size", type=click.IntRange(1), default=DEFAULT_BATCH_SIZE, show_default=True,
              help="Papers written to the store per transaction.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Extract on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' "
                   "for a LocalCluster with --workers processes.")
@click.option("--no-rdf", is_flag=True, help="Do not keep the SPARQL store (<store>/rdf) in step.")
@PAGE_YEAR_OPTION
@click.option("--curation", "curation_file", metavar="FILE",
              help="Corrections to apply (default: <store>/curation.yaml when it exists; docs/curation.md).")
@neo4j_option
def build(inputs: tuple[str, ...], store_dir: str | None, workers: int | None, batch_size: int, quiet: bool,
          dask_address: str | None, no_rdf: bool, page_year: int | None, curation_file: str | None,
          neo4j_uri: str | None) -> None:
    """Read papers, extract what they say and load the graph into the store.

    INPUTS are files (.jsonl .json .csv .tsv .parquet, Hugging Face daily-papers page .txt,
    each optionally .gz), directories (read recursively) or - for standard input. Building the
    same input again changes nothing; new papers are added; changed papers are replaced.
    """
    from contextlib import nullcontext

    from kg.build import build as run_build
    from kg.cli_neo4j import describe_target, open_build_store
    from kg.extract.distributed import dask_client
    from kg.extract.runner import default_workers

    curation = _curation(store_dir, neo4j_uri, curation_file)  # checked before the store is touched
    cluster = dask_client(dask_address, workers or default_workers()) if dask_address else nullcontext()
    with cluster as client, open_build_store(store_dir, neo4j_uri, rdf=not no_rdf) as target, \
            _Progress("building", not quiet) as progress:
        summary = run_build(
            inputs, target, workers=workers or default_workers(), batch_size=batch_size,
            on_warning=_warning_printer(), on_progress=progress.advance, dask_client=client,
            page_year=page_year, curation=curation,
        )
    r, w = summary.report, summary.writes
    if not quiet:
        _err(
            f"{r.records} records read from {r.files} file(s): {r.papers} papers, {r.duplicates} duplicates "
            f"merged, {r.skipped} bad records skipped; {summary.seconds:.1f} s ({summary.rate:,.0f} papers/s)\n"
            f"{describe_target(store_dir, neo4j_uri)}: {w.papers_new} new, {w.papers_updated} updated, {w.papers_unchanged} unchanged papers; "
            f"{summary.comparisons} comparisons, {summary.results} results extracted"
        )
    if r.skipped:
        sys.exit(0)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", default="-", show_default=True, help="Output JSON Lines file, - for stdout.")
@click.option("--workers", type=click.IntRange(1, 256), default=None, help="Extraction processes (default: cores).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
@PAGE_YEAR_OPTION
def extract(inputs: tuple[str, ...], output: str, workers: int | None, quiet: bool, page_year: int | None) -> None:
    """Extract methods, datasets, metrics, tasks, repos, comparisons and results as JSON Lines.

    One object per paper (the extraction contract: docs/contracts.md). Offsets index into
    title + "\\n" + abstract. The output file is written atomically.
    """
    from kg.build import StopOnInputError
    from kg.extract.record import to_record
    from kg.extract.runner import default_workers, extract_papers
    from kg.ingest import IngestReport, read_papers
    from kg.output import atomic_writer

    report = IngestReport()
    papers = StopOnInputError(read_papers(list(inputs), report=report, on_warning=_warning_printer(),
                                          page_year=page_year))
    n = 0
    with atomic_writer(output) as out, _Progress("extracting", not quiet) as progress:
        for ex in extract_papers(papers, workers=workers or default_workers()):
            out.write(json.dumps(to_record(ex), ensure_ascii=False) + "\n")
            n += 1
            progress.advance(1)
    if not quiet:
        _err(f"{n} papers extracted ({report.duplicates} duplicates merged, {report.skipped} bad records skipped)")
    papers.raise_if_failed()  # the records read before the failure are written


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    from kg.output import parse_params

    return parse_params(pairs)


@cli.command()
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--lang", type=click.Choice(["cypher", "sparql"]), default="cypher", show_default=True)
@click.option("--store", "store_dir", envvar="KG_STORE", help=STORE_HELP)
@click.option("--timeout", type=click.FloatRange(0.1), default=DEFAULT_QUERY_TIMEOUT_S, show_default=True,
              help="Stop the query after this many seconds.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=DEFAULT_MIN_CONFIDENCE, show_default=True,
              help="Leave out claims and results less likely to be right than this (0: everything stored; "
                   "see docs/evaluation.md for what each level means).")
@neo4j_option
def query(name: str | None, params: tuple[str, ...], fmt: str, lang: str, store_dir: str | None,
          timeout: float, min_confidence: float, neo4j_uri: str | None) -> None:
    """Run a canned query by NAME (without NAME: list them).

    \b
    Example:
      kg query methods_beating --param baseline=ResNet-50 --param dataset=ImageNet
    Names match any alias, case-insensitively (resnet50 finds ResNet-50).
    """
    from kg.output import print_frame
    from kg.queries import list_queries, load_query

    if name is None:
        for q in list_queries(lang):
            cq = load_query(q, lang)
            args = " ".join(f"{p.name}=…" + ("?" if p.optional else "") for p in cq.params)
            click.echo(f"{q:22s} {args:40s} {cq.description}")
        return
    if lang == "sparql":
        from kg.cli_rdf import query_sparql

        load_query(name, lang)
        given = _parse_params(params)
        df = query_sparql(store_dir, name, given, timeout=timeout, min_confidence=min_confidence)
        if df.empty:
            _warn_unknown(store_dir, name, given)
        print_frame(df, fmt)
        return
    from kg.cli_neo4j import open_graph

    load_query(name, lang)  # unknown names fail before the store is opened
    with open_graph(store_dir, neo4j_uri, timeout=timeout) as g:
        df = g._quiet_query(name, {"min_confidence": min_confidence, **_parse_params(params)})
    for message in df.attrs.get("unknown", []):
        _err(f"warning: {message}")
    print_frame(df, fmt)


def _warn_unknown(store_dir: str | None, name: str, given: dict[str, str]) -> None:
    """The SPARQL side's empty answer to a misspelt name: the names come from the graph store."""
    from kg.api import open as open_graph
    from kg.queries import load_query
    from kg.suggest import unknown_names

    q = load_query(name, "sparql")
    with open_graph(store_dir) as g:
        for message in unknown_names(g.store, q, given, q.bind(given)):
            _err(f"warning: {message}")


@cli.command()
@click.argument("text")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--store", "store_dir", envvar="KG_STORE", help=STORE_HELP)
@neo4j_option
def find(text: str, limit: int, fmt: str, store_dir: str | None, neo4j_uri: str | None) -> None:
    """List the methods, datasets, metrics and tasks whose names match TEXT (any alias, any
    case, or close to it): kind, canonical name, aliases, how many papers name them.

    \b
    Example:
      kg find resnet
    """
    from kg.cli_neo4j import open_graph
    from kg.output import print_frame

    with open_graph(store_dir, neo4j_uri) as g:
        df = g.find(text, limit=limit)
    if df.empty:
        _err(f"warning: no name is close to {text!r}")
    print_frame(df, fmt)


@cli.command()
@click.option("--store", "store_dir", envvar="KG_STORE", help=STORE_HELP)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--hash", "with_hash", is_flag=True,
              help="Also print a canonical SHA-256 of the whole graph (equal graphs, equal hashes).")
@neo4j_option
def stats(store_dir: str | None, fmt: str, with_hash: bool, neo4j_uri: str | None) -> None:
    """Count nodes per label and relationships per type (and fingerprint the graph with --hash)."""
    from kg.cli_neo4j import open_graph
    from kg.graph import ENTITY_LABELS
    from kg.suggest import entity_names, shared_names

    with open_graph(store_dir, neo4j_uri) as g:
        counts = g.stats()
        # one node per real thing: a spelling two entities of a kind answer to says otherwise
        shared = shared_names(entity_names(g.store, papers=False))
        for label in ENTITY_LABELS:
            counts[f"{label} names shared"] = int((shared["kind"] == label).sum())
        if with_hash:
            from kg.integrity import ntriples_hash, store_hash

            counts["graph_sha256"] = store_hash(g.store)
            counts["ntriples_sha256"] = ntriples_hash(g.store)
    if with_hash and not neo4j_uri:
        _rdf_side_hash(store_path(store_dir), counts)
    if fmt == "json":
        click.echo(json.dumps({**counts, "shared_names": shared.to_dict("records")}, indent=2))
        return
    for k, v in counts.items():
        click.echo(f"{k:20s} {v:>10,}" if isinstance(v, int) else f"{k:20s} {v}")
    for kind, key, names in shared.head(20).itertuples(index=False):
        click.echo(f"  shared {kind} spelling {key!r}: {', '.join(names)}")


def _rdf_side_hash(folder: str, counts: dict) -> None:
    """``kg stats --hash``: the RDF side's own hash, and a warning when it holds another graph."""
    from kg.integrity import rdf_side_hash
    from kg.rdf.mapping import DEFAULT_BASE

    found = rdf_side_hash(folder)
    if found is None:
        return
    counts["rdf_sha256"], base = found
    expected = counts["ntriples_sha256"]
    if base != DEFAULT_BASE:
        from kg.integrity import tables_ntriples_hash
        from kg.rdf.from_store import read_tables
        from kg.stores.open import open_store

        with open_store(folder) as store:
            expected = tables_ntriples_hash(read_tables(store), base)
    if counts["rdf_sha256"] != expected:
        _err(f"warning: the RDF side differs from the property graph; rebuild it with: kg repair --store {folder}")


@cli.command()
@click.option("--store", "store_dir", envvar="KG_STORE", help=STORE_HELP)
@click.option("--base", default=None, metavar="IRI", help="Base IRI for a rebuilt RDF side (default: the old one's).")
@click.option("--force", is_flag=True, help="Rebuild the RDF side even when it matches.")
def repair(store_dir: str | None, base: str | None, force: bool) -> None:
    """Check the RDF side (<store>/rdf) against the property graph and rebuild it from the graph
    when it is missing, damaged or different. A build that stopped half-way is completed by
    running the same kg build again; repair mends what a re-run cannot."""
    from kg.stores.repair import repair_rdf_side

    report = repair_rdf_side(store_path(store_dir), base=base, force=force)
    _err(report.message)


@cli.command()
@click.option("-e", "--execute", "statement", help="Run one statement and exit.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter ($NAME) for the statements (repeatable; VALUE is JSON or text).")
@click.option("--format", "fmt", type=click.Choice(["table", "wide", "json", "csv"]), default="table",
              show_default=True, help="How answers print (wide: long cells whole, wrapped to the terminal).")
@click.option("--store", "store_dir", envvar="KG_STORE", help=STORE_HELP)
@click.option("--timeout", type=click.FloatRange(0.1), default=DEFAULT_QUERY_TIMEOUT_S, show_default=True,
              help="Stop a statement after this many seconds.")
@neo4j_option
def cypher(statement: str | None, params: tuple[str, ...], fmt: str, store_dir: str | None, timeout: float,
           neo4j_uri: str | None) -> None:
    """Cypher on the store: an interactive console, one statement (-e), or a script on stdin.

    \b
    Interactive: statements end with ';' and may span lines; history is kept in
    ~/.kg_cypher_history. Tab completes labels after '(m:', relationship types
    after '[:', property keys after 'm.', canned queries and their parameters
    after ':run '. Commands: :schema [LABEL], :format table|wide|json|csv,
    :row N, :param, :queries, :run NAME k=v, :help, :quit. EXPLAIN/PROFILE
    print the plan as a tree. Cypher differences from Neo4j: docs/console.md.
    Script:  kg console < queries.cypher     (statements separated by ';')
    `kg console` and `kg cypher` are the same command.
    """
    from kg.cli_neo4j import open_graph
    from kg.console import Console, default_history, error_message, parse_value
    from kg.errors import QueryError

    bound = {k: parse_value(v) for k, v in _parse_params(params).items()}
    with open_graph(store_dir, neo4j_uri, timeout=timeout) as g:
        if statement:
            try:
                df = g.cypher(statement, **bound)
            except RuntimeError as exc:  # the engine's binding failing on an answer (id values)
                raise QueryError(error_message(exc)) from None
            Console(g.console_engine(), fmt=fmt).show(df, count=True)
            return
        console = Console(g.console_engine(), history=default_history("cypher"), fmt=fmt)
        console.params.update(bound)
        if sys.stdin.isatty():
            console.interactive("kg")
        elif console.run_script(sys.stdin.read()):
            sys.exit(1)


cli.add_command(cypher, name="console")  # what users of other graph tools look for first


EXPORT_FORMATS = ["ttl", "nt", "jsonld", "rdfxml", "graphml", "gexf", "csv", "parquet", "neo4j-import"]


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="RDF (ttl, nt, jsonld, rdfxml), graph tools (graphml, gexf), tables (csv, parquet: "
                   "one file per label and relationship type), or neo4j-import CSVs.")
@click.option("-o", "--output", required=True,
              help="Output file; a directory for csv, parquet and neo4j-import. Written atomically.")
@click.option("--base", default=None, help="Base IRI for RDF instances (default https://w3id.org/kg-ml/).")
@click.option("--store", "store_dir", envvar="KG_STORE", help=STORE_HELP)
@click.option("--force", is_flag=True,
              help="Write a directory export into a non-empty directory that is not a previous kg export "
                   "(only the export's files are written there; nothing else is touched).")
@neo4j_option
def export(fmt: str, output: str, base: str | None, store_dir: str | None, force: bool,
           neo4j_uri: str | None) -> None:
    """Export the graph in the store: RDF for SPARQL tools, GraphML/GEXF for Gephi and
    Cytoscape, CSV/Parquet tables for pandas and Spark, CSVs for neo4j-admin import.

    Files are written beside OUTPUT and renamed into place. A directory export replaces a
    previous kg export there (marked by a .kg-export file); a non-empty directory that is not
    one is refused unless --force. Nothing is ever written inside a kg store."""
    from kg.export_target import check_export_directory, check_target
    from kg.stores.open import open_store, resolve_target

    target = resolve_target(store_dir, neo4j_uri)
    guarded = None if neo4j_uri else store_path(store_dir)  # nothing is written inside a kg store
    if fmt in ("csv", "parquet", "neo4j-import"):  # refused before the store is read
        check_export_directory(output, force, guarded)
    elif output != "-":
        check_target(output, guarded)
    if fmt in ("ttl", "nt", "jsonld", "rdfxml"):
        from kg.cli_rdf import run_export

        n = run_export(fmt, output, store_dir, base, neo4j_uri=neo4j_uri)
        _err(f"wrote {n:,} triples to {output}")
    elif fmt in ("graphml", "gexf"):
        from kg.analytics import export_graph

        with open_store(target) as store:
            graph = export_graph(store, output, fmt)
        _err(f"wrote {graph.number_of_nodes():,} nodes and {graph.number_of_edges():,} edges to {output}")
    elif fmt == "neo4j-import":
        from kg.cli_neo4j import export_neo4j_import, import_summary

        _err(import_summary(export_neo4j_import(output, store_dir, neo4j_uri=neo4j_uri, force=force)))
    else:
        from kg.rdf.from_store import read_tables
        from kg.tables_export import write_tables

        with open_store(target) as store:
            files = write_tables(read_tables(store), output, fmt, force=force, store=guarded)
        _err(f"wrote {len(files)} {fmt} files to {output}")


@cli.command("eval")
@click.argument("gold", required=False)
@click.argument("predictions", required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--cv", "folds", type=click.IntRange(2, 20), default=None,
              help="Cross-validate instead: fit the learned components on K-1 folds of --pair data, "
                   "score the fold left out; held-out figures first.")
@click.option("--pair", "pairs", nargs=2, multiple=True, metavar="PAPERS GOLD",
              help="With --cv: a papers file and its gold annotations (repeatable; default "
                   "../shared/eval/{dev,train}_{papers,gold}.jsonl).")
def eval_command(gold: str | None, predictions: str | None, fmt: str, folds: int | None,
                 pairs: tuple[tuple[str, str], ...]) -> None:
    """Score PREDICTIONS (kg extract output) against GOLD annotations: P/R/F1 per field.

    GOLD is JSON Lines with pid/id and the annotated fields; alternatives of one entity are
    joined by '|' ("Vision Transformer|ViT"). See docs/evaluation.md.

    With --cv K, no GOLD/PREDICTIONS: the generalisation protocol (docs/evaluation.md) — the
    figure to trust for papers nobody annotated is the held-out one.
    """
    if folds is not None:
        _cross_validate(folds, list(pairs), fmt)
        return
    if not gold or not predictions:
        raise UsageError("kg eval needs GOLD and PREDICTIONS files (or --cv K); see kg eval --help")
    from kg.evaluate import evaluate

    totals, n, missing = evaluate(gold, predictions)
    if fmt == "json":
        click.echo(json.dumps({k: _score_json(s) for k, s in totals.items()}))
        return
    click.echo(f"papers {n}  missing from predictions {missing}")
    for k, s in totals.items():
        click.echo(f"{k:18s} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}   "
                   f"(tp {s.tp}, pred {s.predicted}, gold {s.gold})")


def _score_json(s) -> dict:
    return {"p": round(s.precision, 3), "r": round(s.recall, 3), "f1": round(s.f1, 3),
            "tp": s.tp, "pred": s.predicted, "gold": s.gold}


def _cross_validate(folds: int, pairs: list[tuple[str, str]], fmt: str) -> None:
    from kg.learn.crossval import crossval, reliability, report
    from kg.learn.train import DEFAULT_PAIRS, load_annotated

    pairs = pairs or DEFAULT_PAIRS
    for path in (p for pair in pairs for p in pair):
        if not Path(path).is_file():
            raise UsageError(f"no such file: {path} (give annotated data with --pair PAPERS GOLD)")
    annotated = load_annotated(pairs)
    if len(annotated) < folds:
        raise UsageError(f"{len(annotated)} annotated papers cannot make {folds} folds")
    held, tuned, by_source, calibration, result_calibration = crossval(annotated, folds)
    if fmt == "json":
        click.echo(json.dumps({"held_out": {k: _score_json(s) for k, s in held.items()},
                               "tuned": {k: _score_json(s) for k, s in tuned.items()},
                               "held_out_by_source": {src: {k: _score_json(s) for k, s in t.items()}
                                                      for src, t in by_source.items()},
                               "papers": len(annotated), "folds": folds}))
        return
    click.echo(report(held, tuned, by_source, folds, len(annotated)))
    click.echo("\nclaims on held-out folds, by stated confidence (right = matches a gold claim's winner and loser)")
    click.echo(reliability(calibration))
    click.echo("\nresults on held-out folds, by stated confidence (right = a gold result of the paper "
               "reports the same number for the same method)")
    click.echo(reliability(result_calibration, what="results"))


register_neo4j(cli)
register_curate(cli)
register_analytics(cli)
register_rdf(cli, export=False)  # `kg export` above covers the RDF formats too


def main() -> None:
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(standalone_mode=False, prog_name="kg")
    except click.exceptions.Abort:
        _err("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError) or exc.exit_code == 2 else exc.exit_code)
    except KgError as exc:
        if debug:
            raise
        _err(f"kg: error: {exc}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # an internal failure: say so without a wall of text
        if debug:
            raise
        _err(f"kg: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)")
        sys.exit(1)


if __name__ == "__main__":
    main()
