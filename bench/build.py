"""End-to-end build, incremental rebuild and canned-query latency on synthetic corpora.

    python bench/build.py                 # 10k papers
    python bench/build.py --sizes 10000 100000
    python bench/build.py --sizes 1000000 --workers 2      # the 1M run (long)
    python bench/build.py --latency-only STORE             # time the queries on a built store

For each size: a full build into a fresh embedded store (wall time, papers/s, peak RSS of the
build process and of its worker processes, store size on disk); an incremental rebuild with 1%
new papers added to the same input (only the new ones are extracted and loaded); then, for the
largest size, the store's RDF side (``<store>/rdf``, pyoxigraph) is written from it (timed; skip
with ``--no-rdf``) and p50/p95 latency over 100 runs of each canned query is measured, Cypher on
the embedded store and SPARQL on the RDF store, with the same parameters (the largest answers:
the most beaten method, its most common dataset), plus ``methods_beating (mixed)``: one call for
each of 100 (baseline, dataset) pairs drawn from the comparisons. Prints one table per part.
``--workdir DIR`` keeps corpora and stores, so ``--latency-only DIR/store-N`` can time queries
again after a change to them without rebuilding.
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


def latency_params(g) -> dict[str, dict]:
    """Parameters with many rows: the most often beaten method and the dataset it is most often
    beaten on, that dataset's most reported metric, a 3-hop beats chain."""
    top = g.cypher("MATCH (l:Method)<-[:LOSER]-(c:Comparison)-[:ON_DATASET]->(d:Dataset) "
                   "RETURN l.name AS m, d.name AS d, count(*) AS n ORDER BY n DESC, m, d LIMIT 1")
    loser, dataset = top["m"][0], top["d"][0]
    winner = g.cypher("MATCH (w:Method)-[:BEATS]->(:Method)-[:BEATS]->(:Method)-[:BEATS]->(l:Method) "
                      "RETURN w.name AS w, l.name AS l ORDER BY w.name, l.name LIMIT 1")
    chain_w, chain_l = (winner["w"][0], winner["l"][0]) if len(winner) else (loser, loser)
    metric = g.cypher("MATCH (d:Dataset {name: $d})<-[:ON_DATASET]-(r:Result)-[:BY_METRIC]->(x:Metric) "
                      "RETURN x.name AS x, count(*) AS n ORDER BY n DESC, x LIMIT 1", d=dataset)
    return {
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


def _p50_p95(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[max(0, int(0.95 * len(times)) - 1)]


def _time(run, runs: int) -> tuple[float, float, int]:
    """p50 and p95 in ms of ``runs`` calls after one warm-up call, and the rows returned."""
    run()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        rows = run()
        times.append((time.perf_counter() - t0) * 1000)
    return *_p50_p95(times), len(rows)


def _language_latency(run, names: list[str], params: dict[str, dict], mixed: list[dict], runs: int) -> list:
    """(query, p50, p95, rows, params) per canned query of one language, ``run(name, params)``,
    then ``methods_beating`` over the mixed pairs."""
    out = [(name, *_time(lambda name=name: run(name, params.get(name, {})), runs), params.get(name, {}))
           for name in names]
    out.append(("methods_beating (mixed)", *_time_each(lambda p: run("methods_beating", p), mixed),
                f"{len(mixed)} pairs drawn from the comparisons"))
    return out


def query_latency(store_path: str, runs: int = 100, sparql: bool = True) -> dict[str, list]:
    """{"cypher": [(query, p50, p95, rows, params)], "sparql": [...]}: SPARQL only when the store
    has its RDF side and ``sparql`` is set."""
    import kg
    from kg.queries import list_queries

    out: dict[str, list] = {"cypher": [], "sparql": []}
    with kg.open(store_path) as g:
        params = latency_params(g)
        mixed = mixed_pairs(g, runs)
        out["cypher"] = _language_latency(lambda name, p: g.query(name, **p), list_queries("cypher"),
                                          params, mixed, runs)
    if sparql and (Path(store_path) / "rdf").is_dir():
        from kg.rdf.query import run_sparql_query
        from kg.stores.oxigraph import OxigraphStore

        with OxigraphStore(store_path, read_only=True) as ox:
            out["sparql"] = _language_latency(lambda name, p: run_sparql_query(ox, name, p),
                                              list_queries("sparql"), params, mixed, runs)
    return out


def mixed_pairs(g, n: int = 100, seed: int = 7) -> list[dict]:
    """``methods_beating`` parameters as users might ask them: (baseline, dataset) pairs drawn
    from the comparisons themselves, so popular pairs come up as often as they are stated."""
    import random

    pairs = g.cypher("MATCH (l:Method)<-[:LOSER]-(c:Comparison)-[:ON_DATASET]->(d:Dataset) "
                     "RETURN l.name AS m, d.name AS d ORDER BY c.id")
    rows = list(zip(pairs["m"], pairs["d"]))
    return [{"baseline": m, "dataset": d} for m, d in random.Random(seed).choices(rows, k=n)]


def _time_each(run, params: list[dict]) -> tuple[float, float, int]:
    """p50 and p95 in ms over one call per parameter set (after one warm-up call), median rows."""
    run(params[0])
    times, rows = [], []
    for p in params:
        t0 = time.perf_counter()
        rows.append(len(run(p)))
        times.append((time.perf_counter() - t0) * 1000)
    return *_p50_p95(times), int(statistics.median(rows))


def rdf_side(store_path: str) -> float:
    """Write the store's RDF side from it; seconds taken."""
    from kg.rdf.from_store import sync_rdf_store

    t0 = time.perf_counter()
    sync_rdf_store(store_path)
    return time.perf_counter() - t0


def print_latency(lat: dict[str, list], papers: str, runs: int) -> None:
    engines = {"cypher": "embedded store, Cypher", "sparql": "pyoxigraph (<store>/rdf), SPARQL"}
    for lang, rows in lat.items():
        if not rows:
            continue
        print(f"\ncanned query latency at {papers} papers ({engines[lang]}, {runs} runs each)")
        print(f"{'query':24s} {'p50 ms':>8} {'p95 ms':>8} {'rows':>6}")
        for name, p50, p95, n, _ in rows:
            print(f"{name:24s} {p50:8.1f} {p95:8.1f} {n:6d}")
    params = {name: p for rows in lat.values() for name, *_, p in rows}
    print("\nparameters: " + "; ".join(f"{k} {v}" for k, v in params.items() if v), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--workdir", default=None, help="where corpora and stores go (default: a temp dir)")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, no timing claims (for CI)")
    ap.add_argument("--no-rdf", action="store_true", help="do not write the RDF side nor time SPARQL")
    ap.add_argument("--latency-only", metavar="STORE",
                    help="only time the canned queries on this built store (and its rdf/, if any)")
    ap.add_argument("--runs", type=int, default=None, help="runs per query (default 100; 10 with --smoke)")
    ap.add_argument("--json", help="also write the results as JSON here")
    a = ap.parse_args()
    runs = a.runs or (10 if a.smoke else 100)
    if a.latency_only:
        lat = query_latency(a.latency_only, runs=runs, sparql=not a.no_rdf)
        print_latency(lat, "the given store's", runs)
        if a.json:
            Path(a.json).write_text(json.dumps({"latency": lat}, indent=2))
        return
    sizes = [300] if a.smoke else a.sizes
    work = Path(a.workdir or tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = {}
    print(f"{'papers':>9} {'build s':>8} {'papers/s':>9} {'RSS MB':>7} {'workers MB':>10} {'store MB':>9} "
          f"{'+1% s':>7} {'+1%/full':>8}", flush=True)
    for n in sizes:
        r = full_and_incremental(n, a.workers, work)
        results[n] = r
        print(f"{r['papers']:9,d} {r['full_s']:8.1f} {r['rate']:9,.0f} {r['rss_parent_mb']:7.0f} "
              f"{r['rss_workers_mb']:10.0f} {r['store_mb']:9.1f} {r['incremental_s']:7.1f} "
              f"{r['incremental_s'] / r['full_s']:8.1%}", flush=True)
    largest = results[max(results)]
    if not a.no_rdf:
        largest["rdf_s"] = rdf_side(largest["store"])
        largest["rdf_mb"] = dir_size(Path(largest["store"]) / "rdf") / 2**20
        print(f"\nRDF side of the {largest['papers']:,}-paper store written in {largest['rdf_s']:.1f} s "
              f"({largest['rdf_mb']:.0f} MB)", flush=True)
    lat = query_latency(largest["store"], runs=runs, sparql=not a.no_rdf)
    print_latency(lat, f"{largest['papers']:,}", runs)
    if a.json:
        Path(a.json).write_text(json.dumps({"builds": results, "latency": lat}, indent=2))
    if not a.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
