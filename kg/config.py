"""Configuration in one place: defaults, then environment variables, then CLI flags."""

from __future__ import annotations

import os

DEFAULT_STORE = "./kg-data"
# Papers per store transaction. LadybugDB's relationship COPY looks up the endpoint tables'
# primary-key indexes at a cost that grows with the store, not the batch (measured at 1M papers:
# 2.9 s for 2,000 papers, 4.4 s for 10,000), so large stores want large batches.
DEFAULT_BATCH_SIZE = 10_000
DEFAULT_QUERY_TIMEOUT_S = 30.0


def store_path(flag: str | None = None) -> str:
    return flag or os.environ.get("KG_STORE") or DEFAULT_STORE


def neo4j_settings(uri: str | None = None, user: str | None = None, password: str | None = None) -> dict:
    return {
        "uri": uri or os.environ.get("KG_NEO4J_URI"),
        "user": user or os.environ.get("KG_NEO4J_USER", "neo4j"),
        "password": password or os.environ.get("KG_NEO4J_PASSWORD"),
    }
