"""The shared primitives: one union-find, one table of Chinese code points."""

from __future__ import annotations

from duty_lists.parsers.unicode_ranges import is_ideograph, is_wide
from duty_lists.parsers.union_find import UnionFind


def test_union_find_groups_what_pairs_join() -> None:
    sets: UnionFind[str] = UnionFind("abcdef")
    sets.union("a", "b")
    sets.union("c", "d")
    sets.union("b", "d")
    assert len({sets.find(x) for x in "abcd"}) == 1 and sets.find("d") == sets.find("a") == "a"
    assert sets.find("e") == "e" != sets.find("f")
    assert sets.find("new") == "new"  # an unseen item is its own group


def test_ideographs_and_wide_characters() -> None:
    assert all(is_ideograph(c) for c in "党建㐀鿿豈")
    assert not any(is_ideograph(c) for c in "，。Aa1　")
    assert all(is_wide(c) for c in "党，。　Ａ")  # punctuation and full-width forms take a full em
    assert not any(is_wide(c) for c in "Aa1,.")
