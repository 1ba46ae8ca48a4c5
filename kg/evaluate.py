"""Measure an extractor against hand annotations: precision, recall and F1 per field.

Gold lines follow the annotation guidelines: ``pid`` (or ``id``) and the fields
``methods_proposed``, ``methods_other``, ``datasets``, ``metrics``, ``tasks``, ``repos``,
``comparisons``; alternatives of one entity are joined by ``|`` ("Vision Transformer|ViT").
Predictions are ``kg extract`` output. Names match when their keys (letters and digits,
lowercase) equal any alternative; each gold item is matched at most once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import UsageError
from kg.normalize import norm_key

UNNAMED_LOSERS = {"sota", "stateoftheart", "baseline", "baselines", ""}
OWN_METHOD = {"thispaper", "ourmethod", "proposed"}


@dataclass
class Score:
    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, tp: int, predicted: int, gold: int) -> None:
        self.tp += tp
        self.predicted += predicted
        self.gold += gold

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else float(self.gold == 0)

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def alternatives(item: str) -> set[str]:
    return {norm_key(a) for a in str(item).split("|") if norm_key(a)}


def url_key(url: str) -> str:
    u = re.sub(r"^https?://(www\.)?", "", str(url).strip().lower())
    return re.sub(r"\.git$", "", u.rstrip("/.")).rstrip("/")


def greedy_match(gold: list, predicted: list, same: Callable[[object, object], bool]) -> int:
    used: set[int] = set()
    hits = 0
    for g in gold:
        for i, p in enumerate(predicted):
            if i not in used and same(g, p):
                used.add(i)
                hits += 1
                break
    return hits


def _names_equal(gold: str | None, pred: str | None, proposed: list[str]) -> bool:
    if gold in (None, "SOTA"):
        return norm_key(pred or "") in UNNAMED_LOSERS
    if gold == "THIS_PAPER":
        key = norm_key(pred or "")
        return key in OWN_METHOD or any(key in alternatives(p) for p in proposed)
    return norm_key(pred or "") in alternatives(gold)


def score_paper(gold: dict, pred: dict, totals: dict[str, Score]) -> None:
    mp = list(pred.get("methods_proposed") or [])
    mo = list(pred.get("methods_other", pred.get("methods")) or [])
    entity_fields = {
        "methods_proposed": (gold.get("methods_proposed", []), mp),
        "methods_all": (gold.get("methods_proposed", []) + gold.get("methods_other", []), mp + mo),
        "datasets": (gold.get("datasets", []), pred.get("datasets") or []),
        "metrics": (gold.get("metrics", []), pred.get("metrics") or []),
        "tasks": (gold.get("tasks", []), pred.get("tasks") or []),
    }
    for name, (g, p) in entity_fields.items():
        keys = list(dict.fromkeys(k for k in (norm_key(x) for x in p) if k))
        totals[name].add(greedy_match(g, keys, lambda a, b: b in alternatives(a)), len(keys), len(g))
    g_repos = gold.get("repos", [])
    p_repos = list(dict.fromkeys(url_key(u) for u in pred.get("repos") or []))
    totals["repos"].add(greedy_match(g_repos, p_repos, lambda a, b: url_key(a) == b), len(p_repos), len(g_repos))
    gc, pc = gold.get("comparisons", []), pred.get("comparisons") or []
    for name, with_dataset in (("comparisons_pair", False), ("comparisons_full", True)):
        def same(g: dict, p: dict, with_dataset: bool = with_dataset) -> bool:
            if not (_names_equal(g.get("winner"), p.get("winner"), mp)
                    and _names_equal(g.get("loser") or "SOTA", p.get("loser") or "SOTA", mp)):
                return False
            if not with_dataset:
                return True
            if g.get("dataset") is None:
                return not norm_key(p.get("dataset") or "")
            return norm_key(p.get("dataset") or "") in alternatives(g["dataset"])
        totals[name].add(greedy_match(gc, pc, same), len(pc), len(gc))
        if with_dataset:
            # "which methods beat X on Y": claims against a named loser, with a dataset, on both sides
            def named(c: dict) -> bool:
                return norm_key(c.get("loser") or "") not in ("", "sota") and bool(norm_key(c.get("dataset") or ""))
            gn, pn = [c for c in gc if named(c)], [c for c in pc if named(c)]
            totals["comparisons_named"].add(greedy_match(gn, pn, same), len(pn), len(gn))


FIELDS = ("methods_proposed", "methods_all", "datasets", "metrics", "tasks", "repos",
          "comparisons_pair", "comparisons_full", "comparisons_named")


def read_json_lines(path: str) -> Iterable[tuple[int, dict]]:
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"no such file: {path}")
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as exc:
                raise UsageError(f"{path}:{n}: not valid JSON ({exc.msg})") from None


def evaluate(gold_path: str, pred_path: str) -> tuple[dict[str, Score], int, int]:
    """Per-field scores, the number of gold papers, and how many the predictions lack."""
    gold = {str(d.get("pid") or d.get("id")): d for _, d in read_json_lines(gold_path)}
    pred = {str(d.get("pid") or d.get("id")): d for _, d in read_json_lines(pred_path)}
    totals = {f: Score() for f in FIELDS}
    missing = 0
    for pid, g in gold.items():
        if pid not in pred:
            missing += 1
        score_paper(g, pred.get(pid, {}), totals)
    return totals, len(gold), missing
