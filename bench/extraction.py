"""Extraction throughput against spaCy's bare tokenizer, on the same abstracts.

    python bench/extraction.py [-n 10000] [--input FILE] [--workers 2] [--repeat 3]

Prints abstracts/s for ``nlp.make_doc`` (tokenizer only), the full pipeline in one process, and
the full extraction (records out) with N worker processes, plus the ratios. The texts are the
synthetic corpus (bench/corpus.py, fixed seed) unless --input names real abstracts. Each run is
repeated and the fastest kept: on a shared virtual machine the same code measures up to 20%
apart from one minute to the next, and the slow runs measure the neighbours.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10_000, help="number of abstracts (default 10000)")
    ap.add_argument("--input", help="read abstracts from this kg input instead (repeated up to -n)")
    ap.add_argument("--workers", type=int, default=2, help="processes for the parallel run")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the fastest is kept")
    a = ap.parse_args()

    from bench.corpus import generate
    from kg.extract.pipeline import build_nlp
    from kg.extract.runner import extract_papers
    from kg.models import Paper

    if a.input:
        from kg.ingest import read_papers

        base = list(read_papers([a.input]))
        papers = [base[i % len(base)] for i in range(a.n)]
    else:
        papers = [Paper(id=r["id"], title=r["title"], abstract=r["abstract"]) for r in generate(a.n)]
    texts = [p.text for p in papers]
    nlp = build_nlp()
    words = sum(len(t.split()) for t in texts)

    def fastest(run) -> tuple[float, int]:
        times, counts = [], set()
        for _ in range(max(1, a.repeat)):
            t0 = time.perf_counter()
            counts.add(run())
            times.append(time.perf_counter() - t0)
        return min(times), counts.pop() if len(counts) == 1 else -1

    tok, _ = fastest(lambda: sum(1 for t in texts if nlp.make_doc(t) is not None))
    one, n1 = fastest(lambda: sum(1 for _ in extract_papers(papers, workers=1)))
    many, nw = fastest(lambda: sum(1 for _ in extract_papers(papers, workers=a.workers)))
    assert n1 == nw == len(papers)

    rows = [("spaCy tokenizer only (1 process)", tok), ("kg extract, 1 process", one),
            (f"kg extract, {a.workers} workers", many)]
    print(f"{len(texts):,} abstracts, {words:,} words ({'real: ' + a.input if a.input else 'synthetic'})")
    print(f"{'run':36s} {'seconds':>8s} {'abstracts/s':>12s} {'vs tokenizer':>13s}")
    for name, sec in rows:
        print(f"{name:36s} {sec:8.2f} {len(texts) / sec:12,.0f} {sec / tok:12.2f}x")


if __name__ == "__main__":
    main()
