"""``TeeStore(primary, secondary)``: the two sides of a store directory as one writer (a
:class:`kg.stores.base.StoreSet`; kept for code written before the store set existed)."""

from __future__ import annotations

from kg.stores.base import StoreSet


class TeeStore(StoreSet):
    """Writes every batch to ``primary`` then ``secondary``, each planned from its own record."""

    def __init__(self, primary, secondary):
        super().__init__([primary, secondary])
