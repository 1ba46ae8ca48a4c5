"""Pictures of the graph: a leaderboard bar chart, the beats network as one offline HTML page, and
mentions per year.

Charts are drawn on a :class:`matplotlib.figure.Figure` with the Agg canvas, never through
``pyplot``: no global backend is switched (so importing this in a notebook changes nothing) and
nothing needs a display. The network page is built with pyvis, with vis-network inlined and
every remote ``<script>``/``<link>`` of pyvis's template removed, so it opens offline.

>>> from kg import plots
>>> plots.plot_leaderboard("kg-data", "ImageNet", "top-1", "imagenet.png")   # doctest: +SKIP
>>> plots.write_beats_html("kg-data", "beats.html", dataset="CIFAR-100")     # doctest: +SKIP
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from kg.analytics import (
    _BEATS_NODES,
    _BEATS_RELS,
    _RESULT_RELS,
    UNIT_SCALE,
    _fact_datasets,
    atomic_path,
    beats_table,
    leaderboard,
    load_tables,
    mentions_per_year,
    resolve_dataset,
)
from kg.errors import UsageError

IMAGE_FORMATS = ("png", "svg")
BEST = "#1f5f99"
OTHER = "#8fb3d9"
PROPOSED = "#e07b39"
BASELINE = "#5b8fc7"
CONFLICT = "#d62728"
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf"]
LABEL_CHARS = 38
_REMOTE_TAG = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>|<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
REMOTE_REFERENCE = re.compile(r"\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE)


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def image_format(path: str | os.PathLike) -> str:
    """``png`` or ``svg`` from the file's extension; anything else is a usage error."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in IMAGE_FORMATS:
        raise UsageError(f"unsupported image file {str(path)!r}: use a .png or .svg file name")
    return suffix


def save_figure(fig: Figure, path: str | os.PathLike, dpi: int = 150) -> Path:
    """Write ``fig`` as PNG or SVG (by extension), atomically."""
    fmt = image_format(path)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=fmt, dpi=dpi)
    return Path(path)


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- leaderboard --------------------------------------------------------------------------------

METHOD_LABEL_CHARS = 24  # a method name wraps at this width, on at most two lines
TITLE_LABEL_CHARS = 46   # a paper title is cut to one line of this many characters


def fit_label(text: str, width: int = METHOD_LABEL_CHARS, lines: int = 2) -> str:
    """``text`` wrapped to at most ``lines`` lines of ``width`` characters, ending with an
    ellipsis when it does not fit.

    >>> fit_label("ResNet-50")
    'ResNet-50'
    >>> print(fit_label("Masked Autoencoder with Gated Class-Attention Pooling", 20))
    Masked Autoencoder
    with Gated Class-…
    """
    return "\n".join(textwrap.wrap(" ".join(text.split()), width, max_lines=lines, placeholder="…") or [""])


def value_axis(values) -> tuple[float, float]:
    """Where a leaderboard's value axis starts and where its data end: ``(start, top)``.

    The axis starts at zero when zero is close to the data: when the smallest value is no
    further from zero than the values are from each other (``min <= max - min``), so bars show
    whole magnitudes. Otherwise (all values between 76 and 84, say) a zero-based axis would make
    every bar look alike: the axis starts a quarter of the values' range below the smallest,
    at the tick below that (matplotlib's ``MaxNLocator``: steps of 1, 2, 2.5 or 5 times a power
    of ten), never below zero. Values on both sides of zero keep zero; all-negative values
    mirror the rule (the axis ends at zero or above the largest).

    >>> value_axis([76.1, 83.4])
    (74.0, 83.4)
    >>> value_axis([20.0, 35.0, 60.0])
    (0.0, 60.0)
    >>> value_axis([-5.0, 3.0])
    (-5.0, 3.0)
    """
    lo, hi = float(min(values)), float(max(values))
    spread = hi - lo
    if lo < 0 < hi:
        return lo, hi
    if 0 <= lo <= spread or (spread == 0 and lo >= 0):  # one value (or all equal): whole bars
        return 0.0, hi
    if hi <= 0 and (-hi <= spread or spread == 0):
        return lo, 0.0
    pad = spread / 4
    if lo >= 0:
        step = _tick_step(lo - pad, hi)
        return max(0.0, round(math.floor((lo - pad) / step + 1e-9) * step, 10)), hi
    step = _tick_step(lo, hi + pad)
    return lo, min(0.0, round(math.ceil((hi + pad) / step - 1e-9) * step, 10))


def _tick_step(low: float, high: float) -> float:
    """The distance between the ticks matplotlib would put on an axis from ``low`` to ``high``."""
    ticks = MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)
    return float(ticks[1] - ticks[0])


def leaderboard_frame(source, dataset: str, metric: str) -> pd.DataFrame:
    """:func:`kg.analytics.leaderboard`: the reported values of ``metric`` on ``dataset``, best
    first by the metric's direction (high to low, unranked, when the direction is unknown)."""
    return leaderboard(source, dataset, metric)


def plot_leaderboard(source, dataset: str, metric: str, output: str | os.PathLike | None = None) -> Figure:
    """A horizontal bar chart of the values reported for ``metric`` on ``dataset``, best at the
    top: one bar per reported value, labelled on the left with the method's name, at its end
    with the value and unit, on the right with the title of the paper reporting it. Writes
    ``output`` (.png or .svg) when given; returns the figure.
    """
    if output is not None:
        image_format(output)
    fig = leaderboard_figure(leaderboard_frame(source, dataset, metric))
    if output is not None:
        save_figure(fig, output)
    return fig


def _value_text(value: float, unit: str) -> str:
    return f"{value:g}{unit}" if unit in ("", "%") or unit in UNIT_SCALE else f"{value:g} {unit}"


def leaderboard_figure(df: pd.DataFrame) -> Figure:
    """Draw a :func:`leaderboard_frame` (rows best first) as a horizontal bar chart; the value
    axis follows :func:`value_axis`, the figure grows with the rows."""
    ds_name, metric_name = df["dataset"].iloc[0], df["metric"].iloc[0]
    hib = df["higher_is_better"].iloc[0]
    direction = {True: "higher is better", False: "lower is better"}.get(
        hib, "direction unknown: highest at the top, no best marked")
    written = [u or "" for u in df["unit"]]
    values = df["value"].astype(float).tolist()
    scaled = sorted({u for u in written if u in UNIT_SCALE}, key=lambda u: (-written.count(u), -UNIT_SCALE[u], u))
    if scaled:  # "380M" and "3.1G" FLOPs: bars in the most used scale, labels as written
        values = [v * UNIT_SCALE.get(u, 1.0) / UNIT_SCALE[scaled[0]] for v, u in zip(values, written)]
        units = [scaled[0]]
    else:
        units = sorted({u for u in written if u})
    n = len(df)
    method_labels = [fit_label(m) for m in df["method"]]
    lines = sum(label.count("\n") + 1 for label in method_labels)
    fig = _figure(11.0, max(3.2, 1.5 + 0.3 * n + 0.16 * lines))
    ax = fig.add_subplot()
    ys = list(range(n))[::-1]
    start, top = value_axis(values)
    # bars grow from zero, else from the end of the axis nearer to zero
    base = 0.0 if start <= 0 <= top else start if start > 0 else top
    colors = [BEST if i == 0 and hib is not None else OTHER for i in range(n)]
    ax.barh(ys, [v - base for v in values], left=base, color=colors, height=0.7)
    reach = top - start or 1.0
    for y, value, (as_written, unit) in zip(ys, values, zip(df["value"], written)):
        ax.text(max(value, base) + reach * 0.01, y, _value_text(as_written, unit), va="center", fontsize=9)
    ax.set_xlim(start, top + reach * 0.14)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_yticks(ys, method_labels, fontsize=10)
    papers = ax.twinx()
    papers.set_ylim(ax.get_ylim())
    papers.set_yticks(ys, [_short(t or p, TITLE_LABEL_CHARS) for t, p in zip(df["title"], df["paper"])],
                      fontsize=8, color="#444444")
    papers.tick_params(axis="y", length=0)
    papers.set_ylabel("reported in", color="#444444")
    label = metric_name + (f" ({', '.join(units)})" if units else "")
    ax.set_xlabel(label + (f"; the axis starts at {start:g}, not 0" if start > 0 or top < 0 else ""))
    ax.set_ylabel("method")
    ax.set_title(f"{ds_name} — {metric_name} ({direction})\n{_plural(n, 'reported value')} from "
                 f"{_plural(df['paper'].nunique(), 'paper')}" + (", best at the top" if hib is not None else ""),
                 fontsize=11)
    for side in (ax, papers):
        side.spines[["top"]].set_visible(False)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    return fig


# -- trends -------------------------------------------------------------------------------------

def plot_trends(source, output: str | os.PathLike | None = None, top: int = 5) -> Figure:
    """Papers per year naming the ``top`` most named datasets (upper panel) and methods (lower
    panel). Papers whose date has no year (``--MM-DD``) are skipped. Writes ``output`` when given.
    """
    if output is not None:
        image_format(output)
    data = mentions_per_year(source, top=top)
    if data.empty:
        raise UsageError("no paper has a year in its date (trends need dates such as 2024-05-16); daily pages "
                         "show none: build them with --page-year YEAR or KG_PAGE_YEAR")
    years = sorted(set(data["year"]))
    fig = _figure(max(8.0, 4.0 + 1.1 * len(years)), 7.5)
    axes = fig.subplots(2, 1, sharex=True)
    for ax, kind in zip(axes, ("dataset", "method")):
        part = data[data["kind"] == kind]
        names = list(dict.fromkeys(part["name"]))
        width = 0.8 / max(1, len(names))
        for i, name in enumerate(names):
            line = part[part["name"] == name]
            offset = (i - (len(names) - 1) / 2) * width
            ax.bar(line["year"] + offset, line["papers"], width=width * 0.95, label=_short(name, 30),
                   color=PALETTE[i % len(PALETTE)])
        ax.set_title(f"top {top} {kind}s: papers per year naming each", fontsize=11, loc="left")
        ax.set_ylabel("papers")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
        if names:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    axes[-1].set_xlabel("year (from Paper.date)")
    axes[-1].set_xticks(years, [str(y) for y in years])
    fig.suptitle(f"Mentions per year, {years[0]}–{years[-1]}", fontsize=13)
    if output is not None:
        save_figure(fig, output)
    return fig


# -- beats network ------------------------------------------------------------------------------

@dataclass
class NetworkSummary:
    """What :func:`write_beats_html` drew."""

    path: Path | None
    dataset: str
    methods: int
    pairs: int
    claims: int
    contradictions: int


def _tooltip(lines: list[str], width: int = 90) -> str:
    out = []
    for line in lines:
        out.extend(textwrap.wrap(line, width) or [""])
    return "\n".join(out)


def _network(source, dataset: str | None, height: str):
    from pyvis.network import Network

    tables = load_tables(source, _BEATS_NODES, [*_BEATS_RELS, ("PROPOSES", "Paper", "Method"), _RESULT_RELS[1]])
    claims = beats_table(tables, dataset)
    ds_name = resolve_dataset(tables, dataset)[1] if dataset is not None else "all datasets"
    if claims.empty:
        known = ", ".join(_fact_datasets(tables)[:25]) or "none"
        raise UsageError(f"no beats claims on {ds_name}; datasets with claims or results: {known}")
    proposed = set(tables.edges[("PROPOSES", "Paper", "Method")]["to"])
    key_of = dict(zip(claims["winner"], claims["winner_key"])) | dict(zip(claims["loser"], claims["loser_key"]))
    pairs = {pair: g for pair, g in claims.groupby(["winner", "loser"], sort=True)}
    conflicting = {p for p in pairs if (p[1], p[0]) in pairs}
    wins: dict[str, int] = {}
    losses: dict[str, int] = {}
    for w, lo in pairs:
        wins[w] = wins.get(w, 0) + 1
        losses[lo] = losses.get(lo, 0) + 1
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", heading="")
    for name in sorted(key_of, key=lambda m: (m.lower(), m)):
        is_new = key_of[name] in proposed
        net.add_node(name, label=_short(name, 30), shape="dot", value=1 + wins.get(name, 0),
                     color=PROPOSED if is_new else BASELINE,
                     title=_tooltip([name, f"beats {wins.get(name, 0)} method(s), beaten by {losses.get(name, 0)}",
                                     "proposed in this corpus" if is_new else "baseline (not proposed here)"]))
    for (w, lo), group in pairs.items():
        lines = [f"{w} beats {lo}" + (" — contradicted by the reverse claim" if (w, lo) in conflicting else "")]
        for row in group.itertuples(index=False):
            where = f" on {row.dataset}" if row.dataset else " (no dataset named)"
            by = f" by {row.delta}" if row.delta else ""
            lines.append(f"{row.paper}{where}{by}: {row.sentence}")
        net.add_edge(w, lo, title=_tooltip(lines), width=1 + len(group),
                     color=CONFLICT if (w, lo) in conflicting else "#7f7f7f")
    # The page zooms out to fit the whole network: a big one gets bigger labels, so names stay
    # readable once fitted, and pushes its nodes further apart, so the bigger labels do not
    # overlap; a white halo keeps a label readable where an arrow runs under it.
    crowd = max(1.0, (len(key_of) / 30) ** 0.5)
    net.set_options(json.dumps({
        "layout": {"randomSeed": 7},
        "nodes": {"font": {"size": round(16 * min(crowd, 1.8)), "strokeWidth": 4, "strokeColor": "#ffffff"},
                  "scaling": {"min": 10, "max": 36}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.7}}, "smooth": {"type": "continuous"}},
        "physics": {"solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -80 * crowd ** 0.5, "springLength": 120},
                    "stabilization": {"iterations": 400}},
        "interaction": {"hover": True, "tooltipDelay": 120},
    }))
    stats = NetworkSummary(None, ds_name, len(key_of), len(pairs), len(claims), len(conflicting) // 2)
    return net, stats


def _offline(page: str, stats: NetworkSummary, title: str) -> str:
    """pyvis's page made self-contained: remote tags dropped, a header and a status line added."""
    page = _REMOTE_TAG.sub("", page)
    page = re.sub(r"\s*<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    # the template's commented-out <link>/<script> tags (relative paths that do not exist)
    page = re.sub(r"<!--\s*<(?:link|script)\b.*?-->", "", page, flags=re.DOTALL | re.IGNORECASE)
    style = ("<style>body{font-family:system-ui,sans-serif;margin:12px;color:#222}"
             "#kg-header h1{font-size:20px;margin:0 0 4px}#kg-header p{margin:2px 0;font-size:13px}"
             ".kg-item{white-space:nowrap}.kg-key{display:inline-block;width:11px;height:11px;border-radius:50%;margin:0 4px 0 12px}"
             ".vis-tooltip{white-space:pre-wrap!important;max-width:640px;font-size:12px}</style>")
    header = (
        f'<div id="kg-header"><h1>{html.escape(title)}</h1>'
        f"<p>{stats.methods} methods, {stats.pairs} beats pairs from {stats.claims} claims"
        f"{f', {stats.contradictions} contradiction(s) in red' if stats.contradictions else ''}. "
        "An arrow A → B: a paper claims A beats B; node size grows with the methods it beats."
        f'<span class="kg-item"><span class="kg-key" style="background:{PROPOSED}"></span>proposed in the corpus</span>'
        f'<span class="kg-item"><span class="kg-key" style="background:{BASELINE}"></span>baseline</span></p>'
        f'<p id="kg-status" data-methods="{stats.methods}" data-rendered="0">drawing…</p></div>'
    )
    status = (
        "<script>(function(){var s=document.getElementById('kg-status');"
        "if(typeof network!=='undefined'&&network){var n=Object.keys(network.getPositions()).length;"
        "s.setAttribute('data-rendered',String(n));"
        "s.textContent=n+' methods drawn; drag to move, scroll to zoom, hover for the evidence.';}"
        "else{s.textContent='the network could not be drawn';}})();</script>"
    )
    page = page.replace("</head>", f"<title>{html.escape(title)}</title>{style}</head>", 1)
    page = re.sub(r"<body>", lambda m: m.group(0) + header, page, count=1)
    page = page.replace("</body>", status + "</body>", 1)
    if REMOTE_REFERENCE.search(page):
        raise RuntimeError("the network page still refers to a remote resource")
    return page


def beats_html(source, dataset: str | None = None, height: str = "720px") -> tuple[str, NetworkSummary]:
    """The beats network on ``dataset`` (all datasets when None) as one self-contained HTML page
    (vis-network inlined, nothing fetched), and a summary of what it shows."""
    net, stats = _network(source, dataset, height)
    title = f"Who beats whom on {stats.dataset}"
    return _offline(net.generate_html(notebook=False), stats, title), stats


def write_beats_html(source, output: str | os.PathLike, dataset: str | None = None,
                     height: str = "720px") -> NetworkSummary:
    """Write :func:`beats_html` to ``output`` (an .html file), atomically."""
    if Path(output).suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"unsupported network file {str(output)!r}: use an .html file name")
    page, stats = beats_html(source, dataset, height)
    with atomic_path(output) as tmp:
        Path(tmp).write_text(page, encoding="utf-8")
    stats.path = Path(output)
    return stats


def html_network_data(page: str) -> tuple[list[dict], list[dict]]:
    """The node and edge records embedded in a page written by :func:`beats_html` (for tests and
    for checking a page without a browser)."""
    found = {}
    for name in ("nodes", "edges"):
        match = re.search(rf"{name} = new vis\.DataSet\((\[.*?\])\);", page, re.DOTALL)
        found[name] = json.loads(match.group(1)) if match else []
    return found["nodes"], found["edges"]


def iframe(page: str, height: int = 760) -> str:
    """``page`` wrapped in an ``<iframe srcdoc>``: shows a full page inside a notebook output."""
    return (f'<div class="kg-frame"><iframe srcdoc="{html.escape(page, quote=True)}" width="100%" height="{height}" '
            'style="border:1px solid #ddd"></iframe></div>')
