"""The store contract suite (a package, so that its conftest is not the ``conftest`` other tests import)."""
