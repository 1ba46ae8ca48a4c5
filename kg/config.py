"""Configuration in one place: defaults, then environment variables, then CLI flags."""

from __future__ import annotations

import math
import os

from kg.errors import UsageError

DEFAULT_STORE = "./kg-data"
# Papers per store transaction. LadybugDB's relationship COPY looks up the endpoint tables'
# primary-key indexes at a cost that grows with the store, not the batch (measured at 1M papers:
# 2.9 s for 2,000 papers, 4.4 s for 10,000), so large stores want large batches.
DEFAULT_BATCH_SIZE = 10_000
DEFAULT_QUERY_TIMEOUT_S = 30.0
# Claims and results below this confidence are left out of canned answers, analytics and plots
# unless asked for (--min-confidence, min_confidence=). Confidence is the claim model's measured
# probability of being right (docs/evaluation.md). Extraction itself drops claims below the model's
# threshold (kg/learn/weights/claim.json: half the best F1 on the training rows, about 0.37-0.38), so 0.3
# keeps every claim extraction kept; 0.6 keeps claims right about 75% of the time, 0 everything stored.
DEFAULT_MIN_CONFIDENCE = 0.3
MIN_BUFFER_POOL_MB = 64  # below this LadybugDB cannot open even a small store ("buffer pool is full")


def store_path(flag: str | None = None) -> str:
    return flag or os.environ.get("KG_STORE") or DEFAULT_STORE


def neo4j_settings(uri: str | None = None, user: str | None = None, password: str | None = None) -> dict:
    return {
        "uri": uri or os.environ.get("KG_NEO4J_URI"),
        "user": user or os.environ.get("KG_NEO4J_USER", "neo4j"),
        "password": password or os.environ.get("KG_NEO4J_PASSWORD"),
    }


def machine_memory_mb() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError, AttributeError):
        return 2**20  # unknown: do not refuse a setting for it


def buffer_pool_mb() -> float | None:
    """``KG_BUFFER_POOL_MB`` (LadybugDB's page cache, MB), checked: None when unset; a usage
    error naming the value and the accepted range otherwise."""
    raw = os.environ.get("KG_BUFFER_POOL_MB", "").strip()
    if not raw:
        return None
    high = machine_memory_mb()
    try:
        mb = float(raw)
    except ValueError:
        mb = math.nan
    if not MIN_BUFFER_POOL_MB <= mb <= high:  # NaN fails too
        raise UsageError(f"KG_BUFFER_POOL_MB={raw!r} is not a size in MB from {MIN_BUFFER_POOL_MB} to {high} "
                         "(this machine's memory); set a number in that range or unset it")
    return mb


def page_year(flag: int | None = None) -> int | None:
    """The year of Hugging Face daily pages whose date shows none ("Mar 21"): ``--page-year``,
    else ``KG_PAGE_YEAR``, else None (their papers are then dated ``--MM-DD``)."""
    if flag is not None:
        return flag
    raw = os.environ.get("KG_PAGE_YEAR", "").strip()
    if not raw:
        return None
    if not (raw.isdigit() and 1900 <= int(raw) <= 2999):
        raise UsageError(f"KG_PAGE_YEAR={raw!r} is not a year such as 2024; set one or unset it")
    return int(raw)
