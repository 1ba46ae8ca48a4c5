"""The extraction JSON Lines contract (see docs/contracts.md): one object per paper.

Offsets index into ``title + "\\n" + abstract``.
"""

from __future__ import annotations

from dataclasses import asdict

from kg.models import Comparison, Extraction, Mention, Paper, Result

LIST_FIELDS = ("methods_proposed", "methods", "datasets", "datasets_proposed", "metrics", "tasks",
               "repos", "urls")


def to_record(ex: Extraction) -> dict:
    record: dict = {"id": ex.paper.id, "title": ex.paper.title}
    for name in LIST_FIELDS:
        record[name] = list(getattr(ex, name))
    record["comparisons"] = [
        {k: v for k, v in asdict(c).items()} for c in ex.comparisons
    ]
    record["results"] = [{k: v for k, v in asdict(r).items()} for r in ex.results]
    record["mentions"] = [
        {"text": m.text, "label": m.label, "start": m.start, "end": m.end, "key": m.key,
         "name": m.name, "component": m.component, "confidence": m.confidence,
         "proposed": m.proposed}
        for m in ex.mentions
    ]
    record["proposed"] = ex.proposed
    record["paper"] = {"abstract": ex.paper.abstract, "date": ex.paper.date, "url": ex.paper.url,
                       "source": ex.paper.source}
    # additive optional fields (docs/contracts.md): only when the record gave them
    record["paper"].update({k: v for k in ("arxiv_id", "doi") if (v := getattr(ex.paper, k))})
    return record


def from_record(record: dict) -> Extraction:
    """Rebuild an Extraction from its JSON form (for building a graph from ``kg extract`` output)."""
    meta = record.get("paper") or {}
    paper = Paper(id=str(record["id"]), title=record.get("title", ""),
                  abstract=meta.get("abstract", ""), date=meta.get("date"), url=meta.get("url"),
                  source=meta.get("source", ""), arxiv_id=meta.get("arxiv_id"), doi=meta.get("doi"))
    ex = Extraction(paper=paper, proposed=record.get("proposed", "THIS_PAPER"))
    for name in LIST_FIELDS:
        setattr(ex, name, list(record.get(name) or []))
    ex.comparisons = [Comparison(**c) for c in record.get("comparisons") or []]
    ex.results = [Result(**r) for r in record.get("results") or []]
    ex.mentions = [Mention(**m) for m in record.get("mentions") or []]
    return ex
