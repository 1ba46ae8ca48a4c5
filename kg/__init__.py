"""kg — a knowledge graph of ML papers, methods, datasets, metrics and results.

>>> import kg
>>> g = kg.open("kg-data")                       # doctest: +SKIP
>>> g.methods_beating("ResNet-50", "ImageNet")   # doctest: +SKIP
"""

from kg.api import KnowledgeGraph, open  # noqa: A004

__all__ = ["KnowledgeGraph", "open", "__version__"]
__version__ = "0.1.0"
