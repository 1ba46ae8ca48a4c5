"""The analytics commands of ``kg``: ``analyze``, ``plot`` and ``export-graph``.

``register(cli)`` adds them to the main Click group (kg/cli.py). User mistakes (an unknown
dataset or metric, an unsupported file extension) raise :class:`kg.errors.UsageError`, which
``kg.cli.main`` prints as one line with exit code 2.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import click

from kg.config import DEFAULT_MIN_CONFIDENCE
from kg.errors import UsageError

STORE_HELP = "Store directory (default: $KG_STORE or ./kg-data)."
FORMATS = ["table", "json", "csv"]
# The table format leaves out the long evidence columns (json and csv keep them).
_TABLE_COLUMNS = {
    "contradictions": ["kind", "dataset", "metric", "paper_a", "claim_a", "paper_b", "claim_b"],
}


@contextlib.contextmanager
def _open(store_dir: str | None, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> Iterator:
    """The store, opened read-only and seen through the confidence cut; each analysis reads only
    the tables it needs."""
    from kg.analytics import confident
    from kg.cli_neo4j import current_neo4j_uri
    from kg.stores.open import open_store, resolve_target

    with open_store(resolve_target(store_dir, current_neo4j_uri())) as store:
        yield confident(store, min_confidence)


def _confidence_option(fn):
    return click.option("--min-confidence", type=click.FloatRange(0, 1), default=DEFAULT_MIN_CONFIDENCE,
                        show_default=True, help="Leave out claims and results less likely to be right than "
                        "this (0: everything stored; docs/evaluation.md).")(fn)


def _cut(items: list, limit: int = 6) -> str:
    shown = ", ".join(map(str, items[:limit]))
    return shown + (f", … (+{len(items) - limit})" if len(items) > limit else "")


def _show(df, fmt: str, name: str) -> None:
    from kg.output import print_frame

    if fmt == "table":
        df = df[_TABLE_COLUMNS.get(name, list(df.columns))].copy()
        for col in df.columns:  # long lists (a family's members) are cut in the table only
            df[col] = df[col].map(lambda v: _cut(v) if isinstance(v, list) else v)
    elif fmt == "csv":
        df = df.copy()
        for col in df.columns:  # lists as "a; b" rather than Python's repr
            df[col] = df[col].map(lambda v: "; ".join(map(str, v)) if isinstance(v, list) else v)
    print_frame(df, fmt)


def _analysis_options(default_top: int | None):
    def decorate(fn):
        fn = click.option("--store", "store_dir", envvar="KG_STORE", help=STORE_HELP)(fn)
        fn = _confidence_option(fn)
        fn = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)(fn)
        fn = click.option("--top", type=click.IntRange(1), default=default_top, show_default=default_top is not None,
                          help="Show only the first N rows" + ("" if default_top else " (default: all)") + ".")(fn)
        fn = click.option("--dataset", "-d", default=None,
                          help="Only claims and results on this dataset (any alias, any case).")(fn)
        return fn
    return decorate


@click.group("analyze")
def analyze() -> None:
    """Graph analytics: rank methods, find contradictions, find families of methods.

    \b
    Examples:
      kg analyze rank --dataset ImageNet --top 5
      kg analyze contradictions --format json
      kg analyze communities --top 10
    """


@analyze.command("rank")
@_analysis_options(default_top=20)
@click.option("--direct", is_flag=True, help="Rank by direct wins only (no transitive counts or PageRank).")
def rank_command(dataset: str | None, top: int, fmt: str, store_dir: str | None, direct: bool,
                 min_confidence: float) -> None:
    """Rank methods by how many others they beat, directly and transitively.

    \b
    beats       distinct methods it beats directly (out-degree on BEATS)
    beaten_by   distinct methods that beat it
    transitive  methods it beats directly or through a chain (A > B > C)
    pagerank    PageRank on the reversed beats graph (beating strong methods counts more)
    """
    from kg.analytics import rank_methods

    with _open(store_dir, min_confidence) as store:
        df = rank_methods(store, dataset=dataset, transitive=not direct, top=top)
    _show(df, fmt, "rank")


@analyze.command("contradictions")
@_analysis_options(default_top=None)
def contradictions_command(dataset: str | None, top: int | None, fmt: str, store_dir: str | None,
                           min_confidence: float) -> None:
    """Claims that cannot all be true, with both papers.

    \b
    beats  A beats B in one paper, B beats A in another, same dataset (and metric)
    value  two papers report different values for one method, dataset and metric
    The table leaves out the evidence sentences; --format json or csv includes them.
    """
    from kg.analytics import contradictions

    with _open(store_dir, min_confidence) as store:
        df = contradictions(store, dataset=dataset)
    _show(df.head(top) if top else df, fmt, "contradictions")


@analyze.command("communities")
@_analysis_options(default_top=None)
@click.option("--min-size", type=click.IntRange(1), default=2, show_default=True,
              help="Leave out families smaller than this.")
def communities_command(dataset: str | None, top: int | None, fmt: str, store_dir: str | None,
                        min_size: int, min_confidence: float) -> None:
    """Families of methods: greedy-modularity communities of the graph of beats claims and
    co-mentions (two methods named by one paper)."""
    from kg.analytics import communities

    with _open(store_dir, min_confidence) as store:
        df = communities(store, dataset=dataset, min_size=min_size, top=top)
    _show(df, fmt, "communities")


@click.group("plot")
def plot() -> None:
    """Pictures: leaderboards, the beats network, trends.

    \b
    Examples:
      kg plot leaderboard --dataset ImageNet --metric top-1 -o imagenet.png
      kg plot beats --dataset CIFAR-100 -o cifar100.html
      kg plot trends -o trends.png
    """


@plot.command("leaderboard")
@click.option("--dataset", "-d", required=True, help="A dataset (any alias, any case).")
@click.option("--metric", "-m", required=True, help='A metric (any alias: "top-1", "mIoU", "FID").')
@click.option("-o", "--output", required=True, help="Image file: .png or .svg.")
@click.option("--store", "store_dir", envvar="KG_STORE", help=STORE_HELP)
@_confidence_option
def leaderboard_command(dataset: str, metric: str, output: str, store_dir: str | None, min_confidence: float) -> None:
    """A bar chart of the values reported for METRIC on DATASET, best first by the metric's
    direction, each bar labelled with its paper."""
    from kg.plots import image_format, leaderboard_figure, leaderboard_frame, save_figure

    image_format(output)  # a wrong extension fails before the store is read
    with _open(store_dir, min_confidence) as store:
        df = leaderboard_frame(store, dataset, metric)
    save_figure(leaderboard_figure(df), output)
    click.echo(f"wrote {output}: {len(df)} values of {df['metric'].iloc[0]} on {df['dataset'].iloc[0]}", err=True)


@plot.command("beats")
@click.option("--dataset", "-d", default=None, help="A dataset (default: claims on every dataset).")
@click.option("-o", "--output", required=True, help="HTML file (self-contained; opens offline).")
@click.option("--store", "store_dir", envvar="KG_STORE", help=STORE_HELP)
@_confidence_option
def beats_command(dataset: str | None, output: str, store_dir: str | None, min_confidence: float) -> None:
    """The network of "A beats B" claims as one interactive HTML page (no network needed).
    Arrows point from winner to loser; contradicting pairs are red; hover for the evidence."""
    from pathlib import Path

    from kg.plots import write_beats_html

    if Path(output).suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"unsupported network file {output!r}: use an .html file name")
    with _open(store_dir, min_confidence) as store:
        stats = write_beats_html(store, output, dataset=dataset)
    click.echo(f"wrote {output}: {stats.methods} methods, {stats.pairs} beats pairs on {stats.dataset}", err=True)


@plot.command("trends")
@click.option("-o", "--output", required=True, help="Image file: .png or .svg.")
@click.option("--top", type=click.IntRange(1, 10), default=5, show_default=True,
              help="How many datasets and methods.")
@click.option("--store", "store_dir", envvar="KG_STORE", help=STORE_HELP)
def trends_command(output: str, top: int, store_dir: str | None) -> None:
    """Papers per year naming the most named datasets and methods (years from Paper.date;
    dates without a year are skipped)."""
    from kg.plots import image_format, plot_trends

    image_format(output)
    with _open(store_dir) as store:
        plot_trends(store, output, top=top)
    click.echo(f"wrote {output}", err=True)


@click.command("export-graph")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf"]), default=None,
              help="graphml or gexf (default: from the file extension).")
@click.option("-o", "--output", required=True, help="Output file (.graphml or .gexf), written atomically.")
@click.option("--dataset", "-d", default=None, help="Only the part of the graph about this dataset.")
@click.option("--beats-only", is_flag=True, help="Only Method nodes and BEATS relationships.")
@click.option("--store", "store_dir", envvar="KG_STORE", help=STORE_HELP)
def export_graph_command(fmt: str | None, output: str, dataset: str | None, beats_only: bool,
                         store_dir: str | None) -> None:
    """Export the property graph (or part of it) for Gephi, yEd or Cytoscape.

    Node ids are Label:key; node attributes kind (the label), label (text to show), node_key and the
    properties; edge attributes kind/label (the relationship type) and its properties. Lists
    are written as JSON text.
    """
    from kg.analytics import export_graph, graph_format

    fmt = graph_format(output, fmt)
    with _open(store_dir, 0) as store:
        graph = export_graph(store, output, fmt, dataset=dataset, view="beats" if beats_only else "full")
    click.echo(f"wrote {output} ({fmt}): {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges", err=True)


def register(cli: click.Group) -> None:
    """Add ``analyze``, ``plot`` and ``export-graph`` to the ``kg`` command group."""
    from kg.cli_neo4j import neo4j_param

    for command in (*analyze.commands.values(), *plot.commands.values(), export_graph_command):
        command.params.append(neo4j_param())  # --neo4j URI: the same analyses on a Neo4j graph
    cli.add_command(analyze)
    cli.add_command(plot)
    cli.add_command(export_graph_command)
