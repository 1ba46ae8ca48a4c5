"""A logistic model over named features, its fitting and its JSON form."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

WEIGHTS_DIR = Path(__file__).parent / "weights"


@dataclass
class LogisticModel:
    """P(right | features) = sigmoid(bias + sum of weight * value); ``threshold`` is the
    probability above which the fact is kept, chosen on held-out folds."""

    weights: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0
    threshold: float = 0.5

    def prob(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict:
        return {"bias": round(self.bias, 6), "threshold": self.threshold,
                "weights": {k: round(v, 6) for k, v in sorted(self.weights.items()) if abs(v) > 1e-6}}

    @classmethod
    def from_json(cls, data: dict) -> LogisticModel:
        return cls(weights=dict(data.get("weights", {})), bias=float(data.get("bias", 0.0)),
                   threshold=float(data.get("threshold", 0.5)))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1, sort_keys=True) + "\n", encoding="utf-8")


def load_model(name: str) -> LogisticModel | None:
    """The shipped model ``name`` (``kg/learn/weights/<name>.json``), None when absent."""
    path = WEIGHTS_DIR / f"{name}.json"
    if not path.is_file():
        return None
    return LogisticModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def fit(rows: list[dict[str, float]], labels: list[int], l2: float = 1.0, iterations: int = 400,
        min_count: int = 2) -> LogisticModel:
    """L2-regularised logistic regression by full-batch gradient descent with a fixed step
    schedule: the same data give the same weights on every machine. Features seen in fewer
    than ``min_count`` rows are dropped (they would only memorise single examples)."""
    counts: dict[str, int] = {}
    for row in rows:
        for name, value in row.items():
            if value:
                counts[name] = counts.get(name, 0) + 1
    names = sorted(n for n, c in counts.items() if c >= min_count)
    index = {n: i for i, n in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for r, row in enumerate(rows):
        for name, value in row.items():
            if name in index:
                x[r, index[name]] = value
    y = np.asarray(labels, dtype=float)
    w, b = np.zeros(len(names)), 0.0
    n = max(1, len(rows))
    for step in range(iterations):
        z = np.clip(x @ w + b, -30, 30)
        p = 1.0 / (1.0 + np.exp(-z))
        grad_w = x.T @ (p - y) / n + l2 * w / n
        grad_b = float(np.mean(p - y))
        rate = 1.0 / (1.0 + step / 100)
        w -= rate * grad_w
        b -= rate * grad_b
    return LogisticModel(weights={name: float(w[i]) for name, i in index.items()}, bias=b)


_ACTIVE: dict[str, LogisticModel | None] = {}


def active_model(name: str) -> LogisticModel | None:
    """The model extraction uses for ``name``: one set by :func:`use_models` (cross-validation
    trains its own per fold), else the shipped one."""
    if name not in _ACTIVE:
        _ACTIVE[name] = load_model(name)
    return _ACTIVE[name]


def use_models(models: dict[str, LogisticModel | None]) -> None:
    """Replace the models extraction uses in this process (None: the rules alone decide)."""
    _ACTIVE.update(models)


def reset_models() -> None:
    _ACTIVE.clear()
