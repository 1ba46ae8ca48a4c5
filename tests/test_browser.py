"""The beats network page in a real headless browser (Chromium), with every host name made
unresolvable: it must draw its nodes from the inlined vis-network alone, without console errors.

Skipped when Chromium is not installed (Debian: ``apt-get install -y chromium``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from kg import analytics as ka
from kg import plots

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "",
                             shutil.which("chromium-browser") or "") if p and os.path.exists(p)), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium (/usr/bin/chromium): apt-get install -y chromium")
WINDOW = (1280, 900)
# Chromium logs console messages as `…:INFO:CONSOLE(line)] "message", source: …` (console.error
# included, at the same level), uncaught exceptions as "Uncaught …", failed fetches as
# "Failed to load resource" / net::ERR_….
CONSOLE = re.compile(r":CONSOLE(?:\(\d+\)|:\d+)?\]\s*(.*)")
BAD = re.compile(r"Uncaught|Error|error|Failed to load|net::ERR_")


def chromium(url: str, tmp: Path, *extra: str, timeout: float = 90) -> subprocess.CompletedProcess:
    """Run headless Chromium offline: all host names resolve to nothing, no background traffic."""
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
           "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=8000",
           f"--window-size={WINDOW[0]},{WINDOW[1]}", *extra, url]
    return subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=timeout, cwd=tmp)


def console_problems(stderr: str) -> list[str]:
    return [m.group(1) for m in map(CONSOLE.search, stderr.splitlines()) if m and BAD.search(m.group(1))]


def _share(img: Image.Image, rgb: tuple[int, int, int], tol: int = 12) -> int:
    """How many pixels are within ``tol`` of the colour ``rgb``."""
    return sum(n for n, px in img.getcolors(img.width * img.height)
               if all(abs(a - b) <= tol for a, b in zip(px, rgb)))


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


@pytest.fixture(scope="module")
def page(sample_store, tmp_path_factory) -> tuple[Path, int]:
    out = tmp_path_factory.mktemp("browser") / "beats.html"
    stats = plots.write_beats_html(sample_store, out, dataset="ImageNet")
    return out, stats.methods


def test_beats_page_draws_its_nodes_offline(page, tmp_path, sample_store):
    path, methods = page
    assert methods == ka.beats_graph(sample_store, "ImageNet").number_of_nodes()
    shot = tmp_path / "shot.png"
    run = chromium(path.as_uri(), tmp_path, f"--screenshot={shot}")
    assert run.returncode == 0, run.stderr[-2000:]
    assert console_problems(run.stderr) == []
    assert shot.exists() and shot.stat().st_size > 10_000
    with Image.open(shot) as raw:
        img = raw.convert("RGB")
    assert img.size == WINDOW
    assert len(img.getcolors(img.width * img.height)) > 50  # not blank
    # nodes are drawn on the canvas in their colours: proposed methods and baselines
    assert _share(img, _rgb(plots.PROPOSED)) > 2000
    assert _share(img, _rgb(plots.BASELINE)) > 300


def test_beats_page_dom_reports_every_node(page, tmp_path):
    path, methods = page
    run = chromium(path.as_uri(), tmp_path, "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert console_problems(run.stderr) == []
    status = re.search(r'<p id="kg-status"[^>]*data-rendered="(\d+)"[^>]*>([^<]*)', run.stdout)
    assert status, run.stdout[:2000]
    assert int(status.group(1)) == methods  # vis-network placed every node
    assert f"{methods} methods drawn" in status.group(2)
    assert "<canvas" in run.stdout


def test_console_errors_are_detected(tmp_path):
    """The check above would see a broken page: an exception and a fetch that cannot succeed."""
    bad = tmp_path / "bad.html"
    bad.write_text('<html><body><script src="https://cdn.example.org/lib.js"></script>'
                   "<script>console.error('kg broken'); notDefined();</script></body></html>")
    run = chromium(bad.as_uri(), tmp_path, "--dump-dom")
    problems = console_problems(run.stderr)
    assert any("Uncaught ReferenceError" in p for p in problems), run.stderr[-2000:]
