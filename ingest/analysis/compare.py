"""Compare towns' lists with each other, or with a reference list.

Items are matched by name (:mod:`ingest.analysis.matching`) across all lists of a
town.  Matching is *incremental* so it scales to thousands of towns: items
fall into groups — one group per duty — and each town's items are matched
against the groups seen so far, never against every other town's items:

1. a name equal (up to punctuation and spacing) to one already placed in a
   group joins that group straight away — most items of most towns are copies
   of a common template, so most items end here, unscored;
2. other names are blocked through an inverted index over the groups'
   representative names (:class:`matching.InvertedIndex`, prefix filter) and
   assigned one-to-one, best score first: a town puts at most one item in a
   group;
3. what is left founds new groups.

With a reference, the reference's items are the (fixed) groups and each
town's items are matched against them the same way: covered, lacking, own.

The town × town similarity is the Jaccard index of the towns' group sets,
computed for all pairs at once as a matrix product over the groups that
more than one town has.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from duty_lists.ingest.analysis.matching import DEFAULT_THRESHOLD, InvertedIndex, ItemRef, features, greedy_assign, normalise_key
from duty_lists.schema.records import LIST_TYPES, Document


def town_items(doc: Document) -> list[ItemRef]:
    """All items of a town in list order (basic, cooperative, reclaimed)."""
    order = {t: i for i, t in enumerate(LIST_TYPES)}
    return [
        ItemRef(lst.list_type, item.seq, item.category, item.name)
        for lst in sorted(doc.lists, key=lambda x: order[x.list_type])
        for item in lst.items
    ]


def town_labels(towns: Sequence[Document]) -> list[str]:
    """The issuer of each town; its source file added where issuers repeat."""
    counts = Counter(doc.issuer for doc in towns)
    return [doc.issuer if counts[doc.issuer] == 1 else f"{doc.issuer} ({doc.source.path})" for doc in towns]


class GroupMatcher:
    """Groups of equivalent items and the index that finds a name's group."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.index = InvertedIndex()
        self.by_key: dict[str, int] = {}
        self.names: list[str] = []

    def add_group(self, name: str) -> int:
        group = self.index.add(features(name))
        self.names.append(name)
        self.by_key.setdefault(normalise_key(name), group)
        return group

    def match(self, names: Sequence[str]) -> dict[int, tuple[int, float]]:
        """``{position: (group, score)}`` for the names that join an existing group."""
        found: dict[int, tuple[int, float]] = {}
        used: set[int] = set()
        keys = [normalise_key(name) for name in names]
        for pos, key in enumerate(keys):
            group = self.by_key.get(key)
            if group is not None and group not in used:
                found[pos] = (group, 1.0)
                used.add(group)
        pairs = [
            (score, pos, group)
            for pos, name in enumerate(names)
            if pos not in found
            for score, group in self.index.search(features(name), self.threshold)
            if group not in used
        ]
        for pos, group, score in greedy_assign(pairs, lambda p, g: (p, g)):
            found[pos] = (group, score)
            # later copies of this variant then join by step 1, unscored
            self.by_key.setdefault(keys[pos], group)
        return found


@dataclass
class Group:
    """One duty as found across towns."""

    id: int
    name: str
    category: str
    towns: list[int]
    names: int  # distinct spellings seen


@dataclass
class Coverage:
    """One town against the reference: indices into the reference's items."""

    town: str
    covered: list[tuple[int, ItemRef, float]] = field(default_factory=list)
    lacking: list[int] = field(default_factory=list)
    own: list[ItemRef] = field(default_factory=list)


@dataclass
class Comparison:
    towns: list[str]
    threshold: float
    groups: list[Group]
    #: similarity[i][j]: Jaccard index of towns i and j's groups
    similarity: list[list[float]]
    reference: str | None = None
    reference_items: list[ItemRef] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)

    def shared(self) -> list[Group]:
        """Groups more than half of the towns have."""
        return [g for g in self.groups if 2 * len(g.towns) > len(self.towns)]

    def unique(self) -> list[Group]:
        return [g for g in self.groups if len(g.towns) == 1]


def group_towns(items: Sequence[Sequence[ItemRef]], threshold: float) -> tuple[list[Group], list[list[int]]]:
    """Groups over all towns, and each town's item → group."""
    matcher = GroupMatcher(threshold)
    assignment: list[list[int]] = []
    for town in items:
        found = matcher.match([it.name for it in town])
        assignment.append([found[pos][0] if pos in found else matcher.add_group(it.name) for pos, it in enumerate(town)])
    members: list[list[tuple[int, ItemRef]]] = [[] for _ in matcher.names]
    for t, (town, town_groups) in enumerate(zip(items, assignment, strict=True)):
        for it, group in zip(town, town_groups, strict=True):
            members[group].append((t, it))
    groups: list[Group] = []
    for gid, group_members in enumerate(members):
        # the spelling and category most towns use; first seen breaks ties
        name = Counter(it.name for _, it in group_members).most_common(1)[0][0]
        category = Counter(it.category for _, it in group_members).most_common(1)[0][0]
        towns = sorted({t for t, _ in group_members})
        groups.append(Group(gid, name, category, towns, len({it.name for _, it in group_members})))
    return groups, assignment


def similarity_matrix(n_towns: int, assignment: list[list[int]], groups: list[Group]) -> list[list[float]]:
    """Jaccard of group sets for every pair of towns, via one matrix product."""
    import numpy as np

    shared = [g for g in groups if len(g.towns) > 1]  # a group of one town adds to no intersection
    column = {g.id: k for k, g in enumerate(shared)}
    member = np.zeros((n_towns, len(shared)), dtype=np.float32)
    for t, town_groups in enumerate(assignment):
        cols = [column[g] for g in town_groups if g in column]
        member[t, cols] = 1.0
    inter = member @ member.T
    sizes = np.array([len(set(groups)) for groups in assignment], dtype=np.float64)
    union = sizes[:, None] + sizes[None, :] - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        jaccard = np.where(union > 0, inter / union, 1.0)
    # the diagonal: a town's one-town groups are left out of ``inter`` above
    np.fill_diagonal(jaccard, 1.0)
    return np.round(jaccard, 4).tolist()


def cover(reference: Sequence[ItemRef], town: Sequence[ItemRef], label: str, matcher: GroupMatcher) -> Coverage:
    found = matcher.match([it.name for it in town])
    result = Coverage(label)
    hit: set[int] = set()
    for pos, it in enumerate(town):
        if pos in found:
            ref, score = found[pos]
            result.covered.append((ref, it, round(score, 4)))
            hit.add(ref)
        else:
            result.own.append(it)
    result.covered.sort(key=lambda c: c[0])
    result.lacking = [i for i in range(len(reference)) if i not in hit]
    return result


def compare_towns(
    towns: Sequence[Document], reference: Document | None = None, threshold: float = DEFAULT_THRESHOLD
) -> Comparison:
    """Groups, shared/unique items and the similarity table; coverage if ``reference``."""
    labels = town_labels(towns)
    items = [town_items(doc) for doc in towns]
    groups, assignment = group_towns(items, threshold)
    result = Comparison(labels, threshold, groups, similarity_matrix(len(towns), assignment, groups))
    if reference is not None:
        result.reference = reference.issuer
        result.reference_items = town_items(reference)
        matcher = GroupMatcher(threshold)
        for it in result.reference_items:
            matcher.add_group(it.name)
        result.coverage = [cover(result.reference_items, town, label, matcher) for town, label in zip(items, labels, strict=True)]
    return result


# --------------------------------------------------------------------------- renderers


def _ref_dict(ref: ItemRef) -> dict[str, object]:
    return {"list_type": ref.list_type, "seq": ref.seq, "category": ref.category, "name": ref.name}


def by_category(result: Comparison) -> dict[str, dict[str, list[Group]]]:
    """Per category (sorted): groups shared by most towns and groups unique to one."""
    table: dict[str, dict[str, list[Group]]] = {}
    for kind, groups in (("shared", result.shared()), ("unique", result.unique())):
        for g in groups:
            table.setdefault(g.category, {"shared": [], "unique": []})[kind].append(g)
    return dict(sorted(table.items()))


def to_dict(result: Comparison) -> dict[str, object]:
    """Everything, with stable keys; towns by label, items as their refs."""
    labels = result.towns
    data: dict[str, object] = {
        "towns": labels,
        "threshold": result.threshold,
        "reference": result.reference,
        "groups": [
            {"id": g.id, "name": g.name, "category": g.category, "n_towns": len(g.towns), "spellings": g.names,
             "towns": [labels[t] for t in g.towns]}
            for g in result.groups
        ],
        "by_category": {
            cat: {kind: [g.id for g in groups] for kind, groups in kinds.items()} for cat, kinds in by_category(result).items()
        },
        "similarity": result.similarity,
    }
    if result.reference is not None:
        ref = result.reference_items
        data["coverage"] = [
            {
                "town": c.town,
                "counts": {"covered": len(c.covered), "lacking": len(c.lacking), "own": len(c.own)},
                "covered": [{"reference": _ref_dict(ref[i]), "item": _ref_dict(it), "score": s} for i, it, s in c.covered],
                "lacking": [_ref_dict(ref[i]) for i in c.lacking],
                "own": [_ref_dict(it) for it in c.own],
            }
            for c in result.coverage
        ]
    return data


def _nearest(result: Comparison, t: int) -> tuple[str, float]:
    row = result.similarity[t]
    best = max((j for j in range(len(row)) if j != t), key=lambda j: (row[j], -j), default=None)
    return ("", 0.0) if best is None else (result.towns[best], row[best])


def _limited(items: list[str], limit: int) -> list[str]:
    if limit and len(items) > limit:
        return [*items[:limit], f"…… 另有 {len(items) - limit} 项"]
    return items


def render_text(result: Comparison, limit: int = 20, markdown: bool = False) -> str:
    """Text or Markdown: coverage, shared/unique per category, similarity.

    Long listings stop after ``limit`` entries (0: no limit); JSON and CSV
    always carry everything.
    """
    h2, bullet = ("## ", "- ") if markdown else ("", "  ")
    out: list[str] = [f"{'# ' if markdown else ''}{len(result.towns)} 个乡镇（街道），共 {len(result.groups)} 个不同事项", ""]
    ref = result.reference_items
    if result.reference is not None:
        out += [f"{h2}对照参考清单「{result.reference}」（{len(ref)} 项）", ""]
        if markdown:
            out += ["| 乡镇（街道） | 已有 | 缺少 | 自有 |", "|---|---:|---:|---:|"]
        for c in result.coverage:
            share = f"{len(c.covered) / len(ref):.0%}" if ref else "-"
            if markdown:
                out.append(f"| {c.town} | {len(c.covered)} ({share}) | {len(c.lacking)} | {len(c.own)} |")
            else:
                out.append(f"{c.town}：已有 {len(c.covered)}/{len(ref)}（{share}），缺少 {len(c.lacking)}，自有 {len(c.own)}")
                for i, it, score in c.covered:
                    if it.name != ref[i].name:
                        out.append(f"{bullet}≈ {ref[i].name} ← {it.name} ({score:.2f})")
                out += _limited([f"{bullet}- 缺少 {ref[i].name}" for i in c.lacking], limit)
                out += _limited([f"{bullet}+ 自有 {it.name}" for it in c.own], limit)
        out.append("")
    for category, kinds in by_category(result).items():
        out.append(f"{h2}{category}：多数乡镇共有 {len(kinds['shared'])} 项，仅一个乡镇有 {len(kinds['unique'])} 项")
        out += _limited([f"{bullet}共有（{len(g.towns)} 个）：{g.name}" for g in kinds["shared"]], limit)
        out += _limited([f"{bullet}独有（{result.towns[g.towns[0]]}）：{g.name}" for g in kinds["unique"]], limit)
    out += ["", f"{h2}相似度（匹配事项的 Jaccard 系数）", ""]
    n = len(result.towns)
    if n <= 12:  # a matrix fits a screen; beyond that, each town's nearest
        sep = " | " if markdown else "  "
        out.append(sep.join(["", *result.towns]).strip() if not markdown else "| | " + " | ".join(result.towns) + " |")
        if markdown:
            out.append("|---" * (n + 1) + "|")
        for t, row in enumerate(result.similarity):
            cells = [result.towns[t], *(f"{x:.2f}" for x in row)]
            out.append("| " + " | ".join(cells) + " |" if markdown else "  ".join(cells))
    else:
        nearest = [(result.towns[t], *_nearest(result, t)) for t in range(n)]
        out += _limited([f"{bullet}{town} ~ {other} ({score:.2f})" for town, other, score in nearest], limit)
    return "\n".join(out) + "\n"


CSV_TABLES = ("coverage", "groups", "similarity")


def csv_rows(result: Comparison, table: str) -> list[list[object]]:
    """One table as rows (header first) for ``--format csv``."""
    if table == "similarity":
        header: list[object] = ["town", *result.towns]
        return [header] + [[t, *row] for t, row in zip(result.towns, result.similarity, strict=True)]
    if table == "groups":
        rows: list[list[object]] = [["group", "category", "name", "n_towns", "share", "spellings", "towns"]]
        n = len(result.towns) or 1
        for g in result.groups:
            towns = "、".join(result.towns[t] for t in g.towns)
            rows.append([g.id, g.category, g.name, len(g.towns), round(len(g.towns) / n, 4), g.names, towns])
        return rows
    if result.reference is None:
        raise ValueError("the coverage table needs --reference")
    ref = result.reference_items
    rows = [["town", "status", "ref_list", "ref_seq", "ref_category", "ref_name", "list", "seq", "category", "name", "score"]]
    for c in result.coverage:
        for i, it, score in c.covered:
            r = ref[i]
            rows.append([c.town, "covered", r.list_type, r.seq, r.category, r.name, it.list_type, it.seq, it.category, it.name, score])
        for i in c.lacking:
            r = ref[i]
            rows.append([c.town, "lacking", r.list_type, r.seq, r.category, r.name, "", "", "", "", ""])
        for it in c.own:
            rows.append([c.town, "own", "", "", "", "", it.list_type, it.seq, it.category, it.name, ""])
    return rows
