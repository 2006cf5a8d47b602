"""Disjoint sets: which of many things end up joined, by pairs that join them.

Grid cells merged where a rule is missing, rules that cross into one table,
department spellings that name one office: each is "join these two, then ask
which group each belongs to", so there is one implementation.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    """Union by joining roots, find with path halving."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self.parent: dict[T, T] = {item: item for item in items}

    def find(self, item: T) -> T:
        parent = self.parent
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, keep: T, join: T) -> None:
        """Join ``join``'s group into ``keep``'s (the root of ``keep`` stays the root)."""
        self.parent[self.find(join)] = self.find(keep)
