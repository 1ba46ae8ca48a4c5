"""kg — a knowledge graph of ML papers, methods, datasets, metrics and results."""

__version__ = "0.1.0"
