"""End-to-end build, incremental rebuild and canned-query latency on synthetic corpora.

    python bench/build.py                 # 10k papers
    python bench/build.py --sizes 10000 100000
    python bench/build.py --sizes 1000000 --workers 2      # the 1M run (long)

For each size: a full build into a fresh embedded store (wall time, papers/s, peak RSS of the
build process and of its worker processes, store size on disk); an incremental rebuild with 1%
new papers added to the same input (only the new ones are extracted and loaded); and, for the
largest size, p50/p95 latency over 100 runs of each canned query. Prints one table per part.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def peak_rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def full_and_incremental(n: int, workers: int, work: Path) -> dict:
    from bench.corpus import write
    from kg.build import build
    from kg.stores.ladybug import LadybugStore

    corpus, extra = work / f"corpus-{n}.jsonl.gz", work / f"extra-{n}.jsonl"
    write(n, str(corpus), seed=7)
    write(max(1, n // 100), str(extra), seed=8)  # 1% new papers (other seed: other ids)
    store = work / f"store-{n}"
    shutil.rmtree(store, ignore_errors=True)
    t0 = time.perf_counter()
    with LadybugStore(store) as s:
        summary = build([str(corpus)], s, workers=workers)
    full = time.perf_counter() - t0
    rss_parent, rss_children = peak_rss_mb()
    size = dir_size(store)
    t0 = time.perf_counter()
    with LadybugStore(store) as s:
        again = build([str(corpus), str(extra)], s, workers=workers)
    incremental = time.perf_counter() - t0
    return {"papers": summary.report.papers, "full_s": full, "rate": summary.report.papers / full,
            "rss_parent_mb": rss_parent, "rss_workers_mb": rss_children, "store_mb": size / 2**20,
            "incremental_s": incremental, "incremental_new": again.writes.papers_new,
            "incremental_unchanged": again.writes.papers_unchanged, "store": str(store)}


def query_latency(store_path: str, runs: int = 100) -> list[tuple[str, float, float, int]]:
    import kg
    from kg.queries import list_queries

    out = []
    with kg.open(store_path) as g:
        top = g.cypher("MATCH (l:Method)<-[:LOSER]-(c:Comparison)-[:ON_DATASET]->(d:Dataset) "
                       "RETURN l.name AS m, d.name AS d, count(*) AS n ORDER BY n DESC LIMIT 1")
        loser, dataset = top["m"][0], top["d"][0]
        winner = g.cypher("MATCH (w:Method)-[:BEATS]->(:Method)-[:BEATS]->(:Method)-[:BEATS]->(l:Method) "
                          "RETURN w.name AS w, l.name AS l LIMIT 1")
        chain_w, chain_l = (winner["w"][0], winner["l"][0]) if len(winner) else (loser, loser)
        metric = g.cypher("MATCH (d:Dataset {name: $d})<-[:ON_DATASET]-(r:Result)-[:BY_METRIC]->(x:Metric) "
                          "RETURN x.name AS x, count(*) AS n ORDER BY n DESC LIMIT 1", d=dataset)
        params = {
            "methods_beating": {"baseline": loser, "dataset": dataset},
            "sota_claims": {"dataset": dataset},
            "leaderboard": {"dataset": dataset, "metric": metric["x"][0] if len(metric) else "accuracy"},
            "method_profile": {"method": loser},
            "datasets_for_method": {"method": loser},
            "methods_on_dataset": {"dataset": dataset},
            "papers_with_code": {"dataset": dataset},
            "top_datasets": {},
            "beats_chain": {"winner": chain_w, "loser": chain_l, "max_hops": 3},
        }
        for name in list_queries("cypher"):
            p = params.get(name, {})
            g.query(name, **p)  # warm
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                rows = g.query(name, **p)
                times.append((time.perf_counter() - t0) * 1000)
            times.sort()
            out.append((name, statistics.median(times), times[int(0.95 * len(times)) - 1], len(rows)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--workdir", default=None, help="where corpora and stores go (default: a temp dir)")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, no timing claims (for CI)")
    ap.add_argument("--json", help="also write the results as JSON here")
    a = ap.parse_args()
    sizes = [300] if a.smoke else a.sizes
    work = Path(a.workdir or tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = {}
    print(f"{'papers':>9} {'build s':>8} {'papers/s':>9} {'RSS MB':>7} {'workers MB':>10} {'store MB':>9} "
          f"{'+1% s':>7} {'+1%/full':>8}")
    for n in sizes:
        r = full_and_incremental(n, a.workers, work)
        results[n] = r
        print(f"{r['papers']:9,d} {r['full_s']:8.1f} {r['rate']:9,.0f} {r['rss_parent_mb']:7.0f} "
              f"{r['rss_workers_mb']:10.0f} {r['store_mb']:9.1f} {r['incremental_s']:7.1f} "
              f"{r['incremental_s'] / r['full_s']:8.1%}")
    largest = results[max(results)]
    print(f"\ncanned query latency at {largest['papers']:,} papers (embedded store, 100 runs each)")
    print(f"{'query':22s} {'p50 ms':>8} {'p95 ms':>8} {'rows':>6}")
    lat = query_latency(largest["store"], runs=10 if a.smoke else 100)
    for name, p50, p95, rows in lat:
        print(f"{name:22s} {p50:8.1f} {p95:8.1f} {rows:6d}")
    if a.json:
        Path(a.json).write_text(json.dumps({"builds": results, "latency": lat}, indent=2))
    if not a.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
