"""Fuzzy matching of duty items by their text: features, similarity, blocking.

An item's text becomes a set of weighted *features*:

* jieba words (dictionary mode, HMM off, so the cut is deterministic and
  does not invent words from the item itself), minus stopwords — the verbs
  and fillers every item is wrapped in (负责/做好/开展/工作/的 …) say nothing
  about *which* duty it is;
* character bigrams of what is left, within each run of text between
  punctuation and dropped stopwords, so a changed character or an odd cut by
  jieba still leaves most of the text shared.

Similarity is the weighted Jaccard index ``Σ w(shared) / Σ w(union)``.  As a
feature's weight depends only on the feature, that is
``O / (Wa + Wb − O)`` with ``O`` the weight of the shared features.

Blocking uses an :class:`InvertedIndex` (feature → ids) with the *prefix
filter*: a query's features are taken rarest first until their weight
exceeds ``(1 − t)`` of its total; any indexed text with similarity ``≥ t``
must share one of them (otherwise the shared weight is below ``t·Wa``, and
``J ≤ O / Wa``).  So only ids sharing rare features are scored, and none above
the threshold is missed.

Threshold — measured on the 267 distinct item names of the 沙河镇 document
(``raw/…沙河镇履职事项清单.txt``, column 3; the measurement is
``tests/analysis/test_matching.py::test_threshold_separates_shahe_variants``), with
variants made by ``tools/gen_corpus.py`` (``random.Random(7)``):

==============================================  =====  =====  =====  ======
similarity of a name to its variant             min    p1     p5     median
==============================================  =====  =====  =====  ======
renamed: ~10 % of characters replaced (≥ 1)     0.000  0.227  0.385  0.619
  — of names with ≥ 8 content characters        0.321  0.410  0.507  0.638
reworded: synonym, filler, clause order         0.389  0.534  0.685  1.000
==============================================  =====  =====  =====  ======

Unrelated pairs (all 35,511 pairs of distinct names): median 0.000, p99
0.111, p99.9 0.255, max 0.606 (生产经营单位应急预案的备案监管 vs
生产经营单位生产安全事故应急预案备案 — arguably one duty).

At ``DEFAULT_THRESHOLD = 0.4``: renamed variants missed 16/267 (1/235 of
names ≥ 8 characters: in a 4-character name one changed character is a
quarter of it, 法律援助→法律施助, and such pairs are as far apart as real
neighbours like 医疗救助待遇审批/给付), reworded missed 1/267, unrelated
pairs above 9/35,511 (0.025 %).  The error count is lowest between 0.30 and
0.40 (7+0+24 … 16+1+9); 0.40 is chosen to keep false matches rare, as
one-to-one assignment then still pairs each near-twin with its own copy.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from duty_lists.parsers.unicode_ranges import IDEOGRAPHS
from duty_lists.schema.text.segmenter import segment

DEFAULT_THRESHOLD = 0.4

#: Words that wrap most items; dropped, and they also break bigram runs.
STOPWORDS: frozenset[str] = frozenset(
    {
        "负责", "做好", "工作", "开展", "组织", "组织开展", "落实", "贯彻", "贯彻落实", "加强", "强化", "推进",
        "推动", "配合", "协助", "协调", "承担", "履行", "相关", "有关", "等", "的", "和", "及", "与", "或",
        "对", "在", "按", "按照", "依法", "根据", "其他", "事项", "本", "团镇", "乡镇", "街道", "辖区",
        "本辖区", "范围", "内", "了", "并", "以及", "为", "中", "各类", "各项", "进行", "实施", "具体",
    }
)

#: Weights by feature kind.  Bigrams carry most weight: a word is all or
#: nothing (法律援助 vs 法律施助 share no word), a bigram survives a changed
#: character next to it.  Measured: words at 1.0 and bigrams at 0.5 missed
#: 27 of the calibration pairs at their best threshold, this 25, with
#: reworded variants (synonyms, reordered clauses) scoring higher.
WORD_WEIGHT = 0.5
CHAR_WORD_WEIGHT = 0.3
BIGRAM_WEIGHT = 1.0

_CONTENT = re.compile(f"[0-9A-Za-z{IDEOGRAPHS}]")
def cut(text: str) -> list[str]:
    """All jieba tokens of ``text`` (HMM off), punctuation and spaces kept.

    Joining the result gives ``text`` back, which word-level diffs rely on.
    """
    return segment(text, with_departments=False)


def tokens(text: str) -> list[str]:
    """The content words of ``text``: no punctuation, no spaces, no stopwords."""
    return [tok for tok in cut(text) if _CONTENT.search(tok) and tok not in STOPWORDS]


@dataclass(frozen=True, slots=True)
class Features:
    """A text's features with their weights, and the total weight.

    ``words``, ``chars`` and ``bigrams`` hold the same keys by kind (so by
    weight): the overlap of two texts is then three C-level set
    intersections, not a Python loop — it is the inner loop of every
    comparison.
    """

    weights: dict[str, float]
    total: float
    words: frozenset[str]
    chars: frozenset[str]
    bigrams: frozenset[str]

    def __len__(self) -> int:
        return len(self.weights)


@lru_cache(maxsize=200_000)
def features(text: str) -> Features:
    """Word and bigram features of ``text`` (cached: towns repeat texts)."""
    weights: dict[str, float] = {}
    run: list[str] = []
    runs: list[str] = []
    for tok in cut(text):
        if not _CONTENT.search(tok) or tok in STOPWORDS:
            # a dropped word ends a run: bigrams across it would pair words
            # that are only adjacent because of the filler between them
            if run:
                runs.append("".join(run))
                run = []
            continue
        run.append(tok)
        weights["w" + tok] = WORD_WEIGHT if len(tok) > 1 else CHAR_WORD_WEIGHT
    if run:
        runs.append("".join(run))
    for chunk in runs:
        chars = "".join(_CONTENT.findall(chunk))
        for i in range(len(chars) - 1):
            weights["b" + chars[i : i + 2]] = BIGRAM_WEIGHT
    words = frozenset(k for k in weights if k[0] == "w" and len(k) > 2)
    single_chars = frozenset(k for k in weights if k[0] == "w" and len(k) == 2)
    bigrams = frozenset(k for k in weights if k[0] == "b")
    return Features(weights, sum(weights.values()), words, single_chars, bigrams)


def overlap(a: Features, b: Features) -> float:
    """Weight of the features ``a`` and ``b`` share."""
    return (
        WORD_WEIGHT * len(a.words & b.words)
        + CHAR_WORD_WEIGHT * len(a.chars & b.chars)
        + BIGRAM_WEIGHT * len(a.bigrams & b.bigrams)
    )


def similarity(a: Features | str, b: Features | str) -> float:
    """Weighted Jaccard index of two texts (or their features), in [0, 1]."""
    fa = features(a) if isinstance(a, str) else a
    fb = features(b) if isinstance(b, str) else b
    if not fa.total or not fb.total:
        # texts with no content words: equal only if both are empty of content
        return 1.0 if not fa.total and not fb.total else 0.0
    shared = overlap(fa, fb)
    return shared / (fa.total + fb.total - shared)


class InvertedIndex:
    """Feature → ids of indexed texts, for finding candidates above a threshold."""

    #: Postings longer than this are not counted to bound a candidate's
    #: overlap: counting costs ~30 ns an id, scoring a candidate ~2 µs.
    COUNT_CAP = 2000

    def __init__(self) -> None:
        self._postings: dict[str, list[int]] = {}
        self._features: list[Features] = []

    def __len__(self) -> int:
        return len(self._features)

    def add(self, feats: Features) -> int:
        """Index ``feats``; returns its id (0, 1, 2 … in order of addition)."""
        ident = len(self._features)
        self._features.append(feats)
        for key in feats.weights:
            self._postings.setdefault(key, []).append(ident)
        return ident

    def features_of(self, ident: int) -> Features:
        return self._features[ident]

    def candidates(self, feats: Features, threshold: float) -> dict[int, float]:
        """Ids sharing one of the query's rarest features, each with a bound on its overlap.

        Features are taken in order of increasing document frequency until
        their weight exceeds ``(1 − threshold)`` of the query's total (the
        prefix filter; see the module docstring for why nothing above
        ``threshold`` is missed).  Only ids found there are candidates.

        Further features are then counted for those ids while their postings
        stay short (:attr:`COUNT_CAP`): the overlap of a candidate is at most
        ``shared features × max weight + weight not counted``, which lets
        :meth:`search` drop most candidates without scoring them.
        """
        postings = self._postings
        weights = feats.weights
        keys = sorted(weights, key=lambda k: (len(postings.get(k, ())), k))
        budget = (1.0 - threshold) * feats.total
        counts: Counter[int] = Counter()
        taken = 0.0
        position = len(keys)
        for position, key in enumerate(keys, start=1):  # noqa: B007 - position is used after the loop
            ids = postings.get(key)
            if ids:
                counts.update(ids)
            taken += weights[key]
            if taken > budget:
                break
        found = set(counts)
        for key in keys[position:]:
            more = postings.get(key) or ()
            if len(more) > self.COUNT_CAP:
                break  # keys are sorted by postings length: the rest are longer still
            counts.update(more)  # Counter.update runs in C: cheaper than scoring
            taken += weights[key]
        rest = feats.total - taken
        top = max(weights.values(), default=0.0)
        return {ident: counts[ident] * top + rest for ident in found}

    def search(self, feats: Features, threshold: float) -> list[tuple[float, int]]:
        """``(score, id)`` of indexed texts with similarity ``≥ threshold``, best first."""
        hits: list[tuple[float, int]] = []
        total = feats.total
        # J ≥ t  ⇔  O ≥ t·(Wa + Wb) / (1 + t): the overlap a candidate needs
        need = threshold / (1.0 + threshold)
        for ident, bound in self.candidates(feats, threshold).items():
            other = self._features[ident]
            if bound < need * (total + other.total):
                continue
            shared = overlap(feats, other)
            score = shared / (total + other.total - shared)
            if score >= threshold:
                hits.append((score, ident))
        hits.sort(key=lambda hit: (-hit[0], hit[1]))
        return hits


A = TypeVar("A", bound=Hashable)
B = TypeVar("B", bound=Hashable)


def greedy_assign(
    pairs: Iterable[tuple[float, A, B]], tie_break: Callable[[A, B], tuple] | None = None
) -> list[tuple[A, B, float]]:
    """One-to-one assignment: take pairs best score first, each side once.

    ``tie_break(a, b)`` orders pairs of equal score (smaller first); without
    it, the pair order given decides, so callers pass pairs in a stable order.
    """
    ranked = sorted(pairs, key=lambda p: (-p[0], tie_break(p[1], p[2]) if tie_break else ()))
    used_a: set[A] = set()
    used_b: set[B] = set()
    chosen: list[tuple[A, B, float]] = []
    for score, a, b in ranked:
        if a in used_a or b in used_b:
            continue
        used_a.add(a)
        used_b.add(b)
        chosen.append((a, b, score))
    return chosen


def normalise_key(text: str) -> str:
    """Exact-match key: the text's content characters only."""
    return "".join(_CONTENT.findall(text))


def match_texts(
    old: Sequence[str],
    new: Sequence[str],
    threshold: float = DEFAULT_THRESHOLD,
    tie_break: Callable[[int, int], tuple] | None = None,
) -> list[tuple[int, int, float]]:
    """Match ``old[i]`` to ``new[j]`` one-to-one: ``(i, j, score)``, sorted by ``i``.

    Texts equal up to punctuation and spacing pair first (score 1.0, taken in
    order, preferring ``tie_break``); the rest are blocked through an
    inverted index over ``new`` and assigned greedily by score.
    """
    by_key: dict[str, list[int]] = {}
    for j, text in enumerate(new):
        by_key.setdefault(normalise_key(text), []).append(j)
    exact: list[tuple[float, int, int]] = []
    for i, text in enumerate(old):
        exact.extend((1.0, i, j) for j in by_key.get(normalise_key(text), ()))
    chosen = greedy_assign(exact, tie_break or (lambda i, j: (i, j)))
    done_old = {i for i, _, _ in chosen}
    done_new = {j for _, j, _ in chosen}

    index = InvertedIndex()
    ids: list[int] = []
    for j, text in enumerate(new):
        if j not in done_new:
            index.add(features(text))
            ids.append(j)
    scored: list[tuple[float, int, int]] = []
    for i, text in enumerate(old):
        if i in done_old:
            continue
        scored.extend((score, i, ids[ident]) for score, ident in index.search(features(text), threshold))
    chosen += greedy_assign(scored, tie_break or (lambda i, j: (i, j)))
    return sorted(chosen)


@dataclass(frozen=True)
class ItemRef:
    """Where an item stands in one document (one town, or one version of it)."""

    list_type: str
    seq: int
    category: str
    name: str
