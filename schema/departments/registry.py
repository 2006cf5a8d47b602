"""Department names: one key per department, variants grouped, odd names found.

The one grouping of department names: used by the department check
(``schema/checks/departments.py``) and by ``dataset``'s ``departments.csv``
(``ingest/analysis/dataset.py``), both over the same mentions
(:func:`schema.checks.departments.iter_mentions`), so the report and the
dataset never group one document's names differently.  No list of
departments is built in: the registry is made of the names a document uses,
plus the names of a user registry file; the vocabulary it compares them with
is data (:mod:`schema.departments.vocabulary`).

This module holds the registry: every name seen, grouped into departments.
How one name is taken apart is :mod:`schema.departments.names`; when two names
are one department is :mod:`schema.departments.similarity`.  Grouping is kept
apart from both because it is the only stage with state (counts, the user
registry, second nameplates) and the only one that looks at all names at once.

A group's *canonical* name is a name from the user registry if it has one
(the longest), else the longest name printed — the full form is the formal
one — with ties going to the name used more often, then to the first seen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from duty_lists.parsers.union_find import UnionFind
from duty_lists.schema.departments.names import DepartmentName, parse_name
from duty_lists.schema.departments.similarity import SLIP_MIN_CHARS, same_department, truncates

#: How alike two stems must be (difflib ratio) for an unknown name's hint.
HINT_MIN_RATIO = 0.65


# --------------------------------------------------------------------------- candidates


def candidate_pairs(stems: list[str]) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of the stems of one (level, ending) bucket
    that :func:`~schema.departments.similarity.same_department` may call one
    department, found by index instead of comparing every pair — a registry
    file of 20,000 names is 200 million pairs.  Each rule's necessary condition:

    a. equal stems — by stem;
    b. one stem abbreviates the other: the short one's characters all occur
       in the long one — the long ones are those in every posting list of
       the short one's characters;
    c. one slip between stems of at least ``SLIP_MIN_CHARS`` characters:
       two strings one edit apart share a string made by deleting at most
       one character from each (substitution at k: both without k;
       insertion: the longer without it is the shorter).

    Every pair the rules can join is here, so the groups are those of all pairs.
    """
    pairs: set[tuple[int, int]] = set()

    def join(indexes: list[int]) -> None:
        pairs.update((a, b) for n, a in enumerate(indexes) for b in indexes[n + 1 :])

    by_stem: dict[str, list[int]] = {}
    by_char: dict[str, set[int]] = {}
    by_deletion: dict[str, list[int]] = {}
    for index, stem in enumerate(stems):
        by_stem.setdefault(stem, []).append(index)
        for char in set(stem):
            by_char.setdefault(char, set()).add(index)
        if len(stem) >= SLIP_MIN_CHARS:
            for key in {stem} | {stem[:k] + stem[k + 1 :] for k in range(len(stem))}:
                by_deletion.setdefault(key, []).append(index)
    for indexes in by_stem.values():
        join(indexes)
    for indexes in by_deletion.values():
        join(indexes)
    for index, short in enumerate(stems):
        if len(short) < 2:
            continue
        postings = sorted((by_char[char] for char in set(short)), key=len)
        for other in postings[0].intersection(*postings[1:]):
            if len(stems[other]) > len(short):
                pairs.add((min(index, other), max(index, other)))
    return sorted(pairs)


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class DepartmentGroup:
    """The names of one department."""

    canonical: str
    names: tuple[str, ...]
    #: Whether the user registry names this department.
    registered: bool


class DepartmentRegistry:
    """Department names seen in documents, plus those of a user registry."""

    def __init__(self, registered: Iterable[str] = ()) -> None:
        self._parsed: dict[str, DepartmentName] = {}
        self._counts: Counter[str] = Counter()
        self._registered: set[str] = set()
        #: Second nameplates (林业和草原局 of 自然资源和规划局（林业和草原局）).
        self._aliases: set[str] = set()
        self._links: list[tuple[str, str]] = []
        self._group_of: dict[str, DepartmentGroup] | None = None
        self._by_char: dict[str, dict[str, list[str]]] | None = None
        # Sorted: a registry file is a set, and group order must not depend on hashing.
        for printed in sorted(registered):
            for parsed in self._remember(parse_name(printed), count=False):
                self._registered.add(parsed.name)

    def add(self, printed: str) -> DepartmentName | None:
        """Record one mention; returns it taken apart (None if it names nothing).

        A bare 相关部门 is returned (its vague tail matters) but not recorded:
        it names no department."""
        parsed = parse_name(printed)
        if parsed is not None:
            self._remember(parsed, count=True)
        return parsed

    def _remember(self, parsed: DepartmentName | None, count: bool) -> list[DepartmentName]:
        if parsed is None or not parsed.stem:
            return []
        self._group_of = None
        remembered = [parsed]
        if parsed.role:
            # The plate inherits the bureau's level: （林业和草原局） of 师市….
            alias = parse_name(parsed.level + parsed.role)
            if alias is not None and alias.stem:
                self._aliases.add(alias.name)
                self._links.append((parsed.name, alias.name))
                remembered.append(alias)
        for name in remembered:
            self._parsed.setdefault(name.name, name)
        if count:
            self._counts[parsed.name] += 1
        return remembered

    def parsed(self, name: str) -> DepartmentName | None:
        return self._parsed.get(name)

    # ----------------------------------------------------------------- grouping

    def _groups(self) -> dict[str, DepartmentGroup]:
        if self._group_of is not None:
            return self._group_of
        names = list(self._parsed)
        sets = UnionFind(names)
        find = sets.find

        # Only names of one level and ending can be one department
        # (same_department): compare within those buckets, not all pairs.
        buckets: dict[tuple[str, str], list[str]] = {}
        for name in names:
            parsed = self._parsed[name]
            if parsed.ending:
                buckets.setdefault((parsed.level, parsed.ending), []).append(name)
        for bucket in buckets.values():
            stems = [self._parsed[name].stem for name in bucket]
            for i, j in candidate_pairs(stems):
                if same_department(self._parsed[bucket[i]], self._parsed[bucket[j]]):
                    sets.union(bucket[i], bucket[j])
        for a, b in self._links:
            sets.union(a, b)
        members: dict[str, list[str]] = {}
        for name in names:
            members.setdefault(find(name), []).append(name)
        self._group_of = {}
        for group_names in members.values():
            group = DepartmentGroup(
                canonical=self._choose_canonical(group_names),
                names=tuple(group_names),
                registered=any(name in self._registered for name in group_names),
            )
            for name in group_names:
                self._group_of[name] = group
        return self._group_of

    def _choose_canonical(self, names: list[str]) -> str:
        registered = [name for name in names if name in self._registered]
        # A plate is never canonical unless it is all there is.
        candidates = registered or [name for name in names if name not in self._aliases] or names
        order = {name: index for index, name in enumerate(names)}
        return max(candidates, key=lambda name: (len(name), self._counts[name], -order[name]))

    def groups(self) -> list[DepartmentGroup]:
        return list({id(group): group for group in self._groups().values()}.values())

    def group(self, name: str) -> DepartmentGroup | None:
        """The group of a name as compared (vague tail and role already off)."""
        return self._groups().get(name)

    def canonical(self, printed: str) -> str | None:
        """One spelling per department, for datasets: 师市市场监管局 → 师市市场监督管理局."""
        parsed = parse_name(printed)
        if parsed is None:
            return None
        group = self.group(parsed.name)
        return group.canonical if group else None

    # ----------------------------------------------------------------- questions

    def variant_of(self, name: str) -> str | None:
        """The canonical name when ``name`` is another spelling of it, else None."""
        group = self.group(name)
        if group is None or name == group.canonical or name in self._registered or name in self._aliases:
            return None
        return group.canonical

    def completions(self, name: str) -> list[str]:
        """Full names that a name without ending cuts short, most used first."""
        short = self._parsed.get(name)
        if short is None or short.ending:
            return []
        full = {self._groups()[other].canonical for other, parsed in self._parsed.items() if truncates(short, parsed)}
        return sorted(full, key=lambda canonical: (-self._group_count(canonical), canonical))

    def mentions(self, name: str) -> int:
        """How often ``name`` (as compared) was added; 0 for a name only registered or only a plate."""
        return self._counts[name]

    def _group_count(self, canonical: str) -> int:
        group = self.group(canonical)
        return sum(self._counts[name] for name in group.names) if group else 0

    def is_registered(self, name: str) -> bool:
        group = self.group(name)
        return bool(group and group.registered)

    @property
    def has_registry(self) -> bool:
        return bool(self._registered)

    def closest_registered(self, name: str) -> str | None:
        """The registered name most like ``name`` (for a hint), if any is close.

        Stems are compared, at the same level: whole names would make every
        师市…局 look half alike (师市统计局 ~ 师市民政局).  Only registered
        stems sharing a character with it can reach :data:`HINT_MIN_RATIO`,
        and of those only the ones whose upper bound (``quick_ratio``) does
        are measured — the best is the one comparing all would find."""
        from difflib import SequenceMatcher

        parsed = self._parsed.get(name)
        if parsed is None:
            return None
        by_char = self._registered_chars().get(parsed.level, {})
        candidates = sorted({known for char in set(parsed.stem) for known in by_char.get(char, ())})
        matcher = SequenceMatcher(None, parsed.stem, "")  # as compared before: the name first, each known second
        scored = []
        for known in candidates:
            matcher.set_seq2(self._parsed[known].stem)
            if matcher.real_quick_ratio() >= HINT_MIN_RATIO and matcher.quick_ratio() >= HINT_MIN_RATIO:
                scored.append((matcher.ratio(), known))
        best = max(scored, default=None)
        return best[1] if best and best[0] >= HINT_MIN_RATIO else None

    def _registered_chars(self) -> dict[str, dict[str, list[str]]]:
        """Registered names by level, then by each character of their stem."""
        if self._by_char is None:
            self._by_char = {}
            for known in sorted(self._registered):
                parsed = self._parsed[known]
                for char in set(parsed.stem):
                    self._by_char.setdefault(parsed.level, {}).setdefault(char, []).append(known)
        return self._by_char
