"""Features, similarity, blocking and assignment; and the threshold measurement."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import gen_corpus
from duty_lists.ingest.analysis import matching
from duty_lists.ingest.analysis.matching import (
    DEFAULT_THRESHOLD,
    InvertedIndex,
    features,
    greedy_assign,
    match_texts,
    similarity,
    tokens,
)
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]

SHAHE = ROOT / "raw" / "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单.txt"


def shahe_names() -> list[str]:
    """Distinct item names of the 沙河镇 text form: column 3 of numbered rows."""
    names: set[str] = set()
    for line in SHAHE.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) >= 3 and cells[0].strip().isdigit():
            names.add(cells[2].strip())
    return sorted(names)


def test_tokens_drop_stopwords_and_punctuation() -> None:
    toks = tokens("负责做好辖区内的耕地保护工作，开展宣传。")
    assert "耕地" in toks or "耕地保护" in toks
    assert not {"负责", "做好", "工作", "开展", "的", "，", "。"} & set(toks)


def test_fillers_do_not_change_features() -> None:
    assert features("负责做好耕地保护工作").weights == features("耕地保护").weights


def test_similarity_bounds_and_symmetry() -> None:
    a, b = "农药经营许可", "农药经营许可证核发"
    assert similarity(a, a) == 1.0
    assert 0.0 < similarity(a, b) < 1.0
    assert similarity(a, b) == similarity(b, a)
    assert similarity("农药经营许可", "殡葬改革宣传") == 0.0
    assert similarity("，。", "") == 1.0  # no content at all on either side


def test_near_variant_scores_above_unrelated() -> None:
    base = "组织开展农村饮水安全日常巡查，建立台账"
    assert similarity(base, "组织开展农村饮水安全日常检查，建立台账") >= DEFAULT_THRESHOLD
    assert similarity(base, "组织开展农村人居环境日常巡查") < DEFAULT_THRESHOLD


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(shahe_names()), min_size=1, max_size=30, unique=True),
    st.sampled_from(shahe_names()),
    st.floats(min_value=0.05, max_value=0.95),
)
def test_prefix_filter_misses_nothing(indexed: list[str], query: str, threshold: float) -> None:
    """The blocked search finds exactly what scoring every pair would."""
    index = InvertedIndex()
    for name in indexed:
        index.add(features(name))
    found = {ident for _, ident in index.search(features(query), threshold)}
    brute = {i for i, name in enumerate(indexed) if similarity(query, name) >= threshold}
    assert found == brute


def test_candidates_are_blocked() -> None:
    """A query sharing no rare feature with most of the index scores few of them."""
    names = shahe_names()
    index = InvertedIndex()
    for name in names:
        index.add(features(name))
    sizes = [len(index.candidates(features(name), DEFAULT_THRESHOLD)) for name in names]
    assert sum(sizes) / len(sizes) < len(names) / 5


def test_greedy_assign_is_one_to_one_and_best_first() -> None:
    pairs = [(0.9, "a", 1), (0.8, "a", 2), (0.85, "b", 1), (0.7, "b", 2), (0.6, "c", 2)]
    assert greedy_assign(pairs) == [("a", 1, 0.9), ("b", 2, 0.7)]


def test_match_texts_prefers_exact_then_best() -> None:
    old = ["耕地保护巡查", "农药经营许可", "殡葬改革宣传教育", "退役军人优抚"]
    new = ["殡葬改革宣传引导", "农药经营许可", "耕地保护巡查。", "森林防火"]
    got = {(i, j) for i, j, _ in match_texts(old, new, 0.4)}
    assert got == {(0, 2), (1, 1), (2, 0)}


def test_threshold_separates_shahe_variants() -> None:
    """The measurement behind DEFAULT_THRESHOLD (figures in matching's docstring).

    Renamed (~10 % of characters replaced, at least one) and reworded
    variants of every 沙河镇 name against all pairs of distinct names.
    """
    names = shahe_names()
    rng = random.Random(7)
    renamed = [(n, gen_corpus.replace_chars(n, rng)) for n in names]
    reworded = [(n, gen_corpus.reword(n, rng)) for n in names]
    t = DEFAULT_THRESHOLD
    long_renamed = [similarity(a, b) for a, b in renamed if len(matching.normalise_key(a)) >= 8]
    missed_renamed = sum(similarity(a, b) < t for a, b in renamed)
    missed_reworded = sum(similarity(a, b) < t for a, b in reworded)
    unrelated = [similarity(a, b) for a, b in itertools.combinations(names, 2)]
    false_hits = sum(score >= t for score in unrelated)
    print(
        f"\n{len(names)} names; renamed missed {missed_renamed}, of ≥8 chars {sum(s < t for s in long_renamed)}"
        f"/{len(long_renamed)}; reworded missed {missed_reworded}; unrelated ≥ t: {false_hits}/{len(unrelated)}"
        f", max {max(unrelated):.3f}"
    )
    assert len(names) > 250
    assert sum(score < t for score in long_renamed) <= 0.01 * len(long_renamed)
    assert missed_renamed <= 0.08 * len(names)  # short names: one character is a quarter of them
    assert missed_reworded <= 0.01 * len(names)
    assert false_hits <= 0.0005 * len(unrelated)
