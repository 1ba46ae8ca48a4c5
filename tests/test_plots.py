"""Pictures from the sample corpus built into a real store: leaderboard PNG/SVG, the beats network
page (self-contained, offline) and the trends chart (kg/plots.py, kg plot)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import combinations

import click
import pandas as pd
import pytest
from click.testing import CliRunner
from PIL import Image

from kg import analytics as ka
from kg import plots
from kg.errors import UsageError
from kg.graph import GraphTables

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def tables(sample_store) -> GraphTables:
    return ka.load_tables(sample_store)


def _drawn_texts(fig) -> list:
    """The texts a reader sees: titles, axis labels, tick labels inside the view, annotations,
    legend entries, the figure's title."""
    texts = [fig._suptitle, *fig.texts]
    for ax in fig.axes:
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        for axis, limits in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            lo, hi = sorted(limits)
            texts += [t.label1 for t in axis.get_major_ticks() if lo - 1e-9 <= t.get_loc() <= hi + 1e-9]
        if ax.get_legend() is not None:
            texts += ax.get_legend().get_texts()
    unique = {id(t): t for t in texts if t is not None}  # the suptitle is in fig.texts too
    return [t for t in unique.values() if t.get_visible() and t.get_text().strip()]


def _texts_do_not_overlap(fig) -> None:
    """No two visible texts of the figure overlap, and every text lies inside the figure."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in _drawn_texts(fig)]
    assert len(boxes) > 10
    width, height = fig.bbox.width, fig.bbox.height
    for text, box in boxes:
        assert box.x0 >= -1 and box.y0 >= -1 and box.x1 <= width + 1 and box.y1 <= height + 1, f"{text!r} is cut off"
    for (ta, a), (tb, b) in combinations(boxes, 2):
        overlap_w = min(a.x1, b.x1) - max(a.x0, b.x0)
        overlap_h = min(a.y1, b.y1) - max(a.y0, b.y0)
        assert overlap_w <= 1 or overlap_h <= 1, f"{ta!r} overlaps {tb!r}"


# -- leaderboard --------------------------------------------------------------------------------

def _method_ticks(ax) -> list[str]:
    """The left tick labels (method names), top to bottom."""
    return [label for _, label in sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())),
                                         reverse=True)]


def _bars(ax) -> list:
    return sorted(ax.patches, key=lambda p: -p.get_y())  # top to bottom


def test_leaderboard_png(sample_store, tmp_path, expected):
    out = tmp_path / "imagenet.png"
    fig = plots.plot_leaderboard(sample_store, "ImageNet", "top-1", out)
    data = out.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 20_000
    with Image.open(out) as img:
        assert img.width >= 1000 and img.height >= 600
        assert len(img.convert("RGB").getcolors(1 << 20)) > 20  # not a blank canvas
    ax, papers = fig.axes
    frame = plots.leaderboard_frame(sample_store, "ImageNet", "top-1")
    assert frame["value"].is_monotonic_decreasing  # top-1: higher is better, best first
    assert _method_ticks(ax) == frame["method"].tolist()  # bars are labelled with method names, best at the top
    assert len(ax.patches) == len(frame)
    # each bar ends in its value with its unit; the right-hand labels are the papers' titles
    assert sorted(t.get_text() for t in ax.texts) == sorted(f"{v:g}%" for v in frame["value"])
    for value in expected["resnet50_imagenet_top1"].values():
        assert f"{value:g}%" in [t.get_text() for t in ax.texts]
    titles = [t.get_text() for t in papers.get_yticklabels()]
    assert len(titles) == len(frame) and not any(re.fullmatch(r"kgs-\d+", t) for t in titles)
    assert any(t.startswith("PolyConv: Polynomial Depthwise") for t in titles)
    assert "ImageNet" in ax.get_title() and "higher is better" in ax.get_title()
    assert ax.get_xlabel().startswith("top-1 accuracy (%)")
    _texts_do_not_overlap(fig)


def test_leaderboard_axis_follows_the_data(sample_store):
    """76.1-83.4% on a zero-based axis would be twelve bars of nearly one length: the axis starts
    just below the data (plots.value_axis) and says so; bars start where the axis does."""
    frame = plots.leaderboard_frame(sample_store, "ImageNet", "top-1")
    ax = plots.leaderboard_figure(frame).axes[0]
    low, high = ax.get_xlim()
    assert (low, frame["value"].max()) == plots.value_axis(frame["value"])
    assert 70 <= low < frame["value"].min() and frame["value"].max() < high
    assert all(bar.get_x() == pytest.approx(low) for bar in ax.patches)
    widths = [bar.get_width() for bar in _bars(ax)]
    assert widths[0] > 3 * widths[-1]  # the best and the worst bar look different
    assert f"the axis starts at {low:g}, not 0" in ax.get_xlabel()
    # values near zero relative to their spread keep a zero-based axis
    assert plots.value_axis([20.0, 35.0, 60.0]) == (0.0, 60.0)
    assert plots.value_axis([5.0]) == (0.0, 5.0)
    assert plots.value_axis([76.1, 83.4]) == (74.0, 83.4)


def test_leaderboard_mixed_scales_compare_scaled(sample_store):
    """380M FLOPs is less than 3.1G: ranked first (lower is better), its bar the shortest."""
    frame = plots.leaderboard_frame(sample_store, "ImageNet", "FLOPs")
    assert frame["method"].tolist()[0] == "ProxiNAS-A" and frame["unit"].tolist()[0] == "M"
    ax = plots.leaderboard_figure(frame).axes[0]
    widths = [bar.get_width() for bar in _bars(ax)]
    assert widths == sorted(widths) and widths[0] == pytest.approx(0.38)
    assert ax.get_xlabel() == "FLOPs (G)" and "380M" in [t.get_text() for t in ax.texts]


def test_leaderboard_labels_fit_however_long_the_names(sample_store):
    """Long method names wrap onto two lines and end in an ellipsis; the figure grows with its
    rows; nothing is cut off or overlaps."""
    frame = plots.leaderboard_frame(sample_store, "ImageNet", "top-1")
    long = "Hierarchically Gated Multi-Resolution Cross-Attention Vision Transformer with Token Merging"
    renamed = frame.assign(method=[f"{m} {long}" if i % 2 else m for i, m in enumerate(frame["method"])])
    fig = plots.leaderboard_figure(renamed)
    ticks = _method_ticks(fig.axes[0])
    assert ticks[0] == frame["method"].iloc[0]
    wrapped = ticks[1]
    assert wrapped.count("\n") == 1 and wrapped.endswith("…") and wrapped.startswith(frame["method"].iloc[1])
    assert all(len(line) <= plots.METHOD_LABEL_CHARS for tick in ticks for line in tick.split("\n"))
    _texts_do_not_overlap(fig)
    short = plots.leaderboard_figure(frame.head(3))
    assert fig.get_figheight() > plots.leaderboard_figure(frame).get_figheight() > short.get_figheight()


def test_leaderboard_lower_is_better_sorts_ascending(tables, tmp_path):
    frame = plots.leaderboard_frame(tables, "FFHQ", "FID")
    assert frame["value"].is_monotonic_increasing and frame["method"].iloc[0] == "CascadeFlow"
    out = tmp_path / "ffhq.svg"
    fig = plots.plot_leaderboard(tables, "ffhq", "fid", out)
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    assert "lower is better" in fig.axes[0].get_title()
    assert _bars(fig.axes[0])[0].get_facecolor() != _bars(fig.axes[0])[1].get_facecolor()  # the best stands out


def test_leaderboard_errors(tables, tmp_path):
    with pytest.raises(UsageError, match=r"\.png or \.svg"):
        plots.plot_leaderboard(tables, "ImageNet", "top-1", tmp_path / "x.jpg")
    with pytest.raises(UsageError, match="metrics reported on ImageNet: .*top-1 accuracy"):
        plots.plot_leaderboard(tables, "ImageNet", "BLEU")
    with pytest.raises(UsageError, match="unknown dataset 'Atlantis'.*ImageNet"):
        plots.plot_leaderboard(tables, "Atlantis", "top-1")
    assert not list(tmp_path.iterdir())


# -- beats network ------------------------------------------------------------------------------

def test_beats_html_is_self_contained(sample_store, tmp_path):
    out = tmp_path / "beats.html"
    stats = plots.write_beats_html(sample_store, out, dataset="ImageNet")
    page = out.read_text(encoding="utf-8")
    assert 200_000 < len(page.encode()) < 5_000_000  # vis-network is inlined
    assert "new vis.Network(" in page and "vis-network" in page
    # nothing is fetched: no remote script, stylesheet, image or frame
    assert not plots.REMOTE_REFERENCE.search(page)
    assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page, re.IGNORECASE)
    nodes, edges = plots.html_network_data(page)
    graph = ka.beats_graph(sample_store, "ImageNet")
    assert len(nodes) == graph.number_of_nodes() == stats.methods
    assert {n["id"] for n in nodes} == set(graph.nodes)
    assert len(edges) == graph.number_of_edges() == stats.pairs
    assert {(e["from"], e["to"]) for e in edges} == set(graph.edges)
    assert f'data-methods="{stats.methods}"' in page


def test_beats_html_marks_the_contradiction(tables):
    page, stats = plots.beats_html(tables, "CIFAR-100")
    nodes, edges = plots.html_network_data(page)
    assert sorted(n["id"] for n in nodes) == ["CutMix", "DropBlock", "SpectraDrop", "TideMix"]
    red = {(e["from"], e["to"]) for e in edges if e["color"] == plots.CONFLICT}
    assert red == {("TideMix", "SpectraDrop"), ("SpectraDrop", "TideMix")}
    assert stats.contradictions == 1
    tip = next(e["title"] for e in edges if (e["from"], e["to"]) == ("TideMix", "SpectraDrop"))
    assert "kgs-005" in tip and "contradicted" in tip


def test_beats_html_escapes_text(tables):
    """Sentences end up in JavaScript: they must not be able to close the script element."""
    t = GraphTables(nodes=dict(tables.nodes), edges=dict(tables.edges))
    comp = t.nodes["Comparison"].copy()
    comp["sentence"] = "</script><script>alert(1)</script>"
    t.nodes["Comparison"] = comp
    page, _ = plots.beats_html(t, "CIFAR-100")
    assert "<script>alert(1)" not in page


def test_beats_errors(tables, tmp_path):
    with pytest.raises(UsageError, match=r"\.html"):
        plots.write_beats_html(tables, tmp_path / "beats.png")
    with pytest.raises(UsageError, match="no beats claims on AccentBench; datasets with claims or results: ImageNet"):
        plots.write_beats_html(tables, tmp_path / "b.html", dataset="AccentBench")


# -- trends -------------------------------------------------------------------------------------

def test_trends_png(sample_store, tmp_path):
    out = tmp_path / "trends.png"
    fig = plots.plot_trends(sample_store, out, top=5)
    assert out.read_bytes().startswith(PNG_MAGIC) and out.stat().st_size > 20_000
    top_ax, bottom_ax = fig.axes
    assert "datasets" in top_ax.get_title(loc="left") and "methods" in bottom_ax.get_title(loc="left")
    assert top_ax.get_legend().get_texts()[0].get_text() == "ImageNet"
    assert [t.get_text() for t in bottom_ax.get_xticklabels()] == ["2022", "2023", "2024", "2025"]
    _texts_do_not_overlap(fig)


def test_trends_without_years_is_a_usage_error():
    t = GraphTables()
    t.nodes["Paper"] = pd.DataFrame({"id": ["p1"], "date": ["--05-06"]})
    t.nodes["Dataset"] = pd.DataFrame({"key": ["d"], "name": ["D"], "aliases": [[]], "keys": [["d"]]})
    t.nodes["Method"] = pd.DataFrame(columns=["key", "name", "aliases", "keys"])
    t.edges[("USES_DATASET", "Paper", "Dataset")] = pd.DataFrame({"from": ["p1"], "to": ["d"]})
    with pytest.raises(UsageError, match="year"):
        plots.plot_trends(t)


# -- command line -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kg_cli() -> click.Group:
    from kg.cli_analytics import register

    group = click.Group("kg")
    register(group)
    return group


def test_cli_plots(kg_cli, sample_store, tmp_path):
    runner = CliRunner()
    store = ["--store", str(sample_store)]
    lb, net, tr = tmp_path / "lb.png", tmp_path / "net.html", tmp_path / "tr.svg"
    for args in (["plot", "leaderboard", "-d", "imagenet", "-m", "top1", "-o", str(lb)],
                 ["plot", "beats", "-d", "CIFAR-100", "-o", str(net)],
                 ["plot", "trends", "-o", str(tr)]):
        result = runner.invoke(kg_cli, args + store)
        assert result.exit_code == 0, (args, result.output, result.exception)
    assert lb.read_bytes().startswith(PNG_MAGIC)
    assert len(plots.html_network_data(net.read_text())[0]) == 4
    assert ET.parse(tr).getroot().tag.endswith("svg")


def test_cli_plot_rejects_extension_before_reading(kg_cli, tmp_path):
    result = CliRunner().invoke(kg_cli, ["plot", "trends", "-o", str(tmp_path / "t.gif"), "--store",
                                         str(tmp_path / "missing")])
    assert isinstance(result.exception, UsageError) and ".png or .svg" in str(result.exception)


def test_overlap_check_catches_overlapping_labels():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, "a long label here")
    ax.text(0.52, 0.5, "another long label")
    with pytest.raises(AssertionError, match="overlaps"):
        _texts_do_not_overlap(fig)
