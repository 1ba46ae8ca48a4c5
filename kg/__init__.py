"""kg — a knowledge graph of ML papers, methods, datasets, metrics and results.

>>> import kg
>>> g = kg.open("kg-data")                       # doctest: +SKIP
>>> g.methods_beating("ResNet-50", "ImageNet")   # doctest: +SKIP

The API is imported on first use (``kg.open``, ``kg.KnowledgeGraph``): extraction workers import
``kg.extract`` without loading pandas, the stores or their engines.
"""

from __future__ import annotations

__all__ = ["KnowledgeGraph", "open", "__version__"]
__version__ = "0.1.0"


def __getattr__(name: str):
    if name in ("KnowledgeGraph", "open"):
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
