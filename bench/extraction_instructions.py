"""Instructions per abstract for extraction, a measure that does not move with the machine's load.

    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.0 python bench/extraction_instructions.py 0
    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.100 python bench/extraction_instructions.py 100

The difference of the two "Collected" totals divided by 100 is the cost of one abstract after
the pipeline is loaded (the first run only loads it and extracts one abstract to warm up).
Run both with ``PYTHONHASHSEED=0``: with random string hashing the count moves by about 1%
from run to run (dictionary collisions differ).
Input: ``--input FILE`` (JSON Lines with title/abstract; default ../shared/eval/dev_papers.jsonl,
else the bundled sample corpus).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="how many abstracts to extract after warming up")
    ap.add_argument("--input", default=None)
    args = ap.parse_args()
    from kg.extract.pipeline import build_nlp, new_doc, to_extraction
    from kg.ingest.records import paper_from_record

    default = ROOT.parent / "shared" / "eval" / "dev_papers.jsonl"
    path = Path(args.input) if args.input else (default if default.is_file() else ROOT / "kg/data/sample/papers.jsonl")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    papers = [paper_from_record(json.loads(line), f"{path}:{i}") for i, line in enumerate(lines, 1)]
    papers = (papers * (args.n // len(papers) + 1))[:max(args.n, 1)]
    nlp = build_nlp()
    to_extraction(papers[0], nlp(new_doc(nlp, papers[0].text)))
    for paper in papers[:args.n]:
        to_extraction(paper, nlp(new_doc(nlp, paper.text)))


if __name__ == "__main__":
    main()
