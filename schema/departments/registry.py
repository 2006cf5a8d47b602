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

from duty_lists.schema.departments.names import DepartmentName, parse_name
from duty_lists.schema.departments.similarity import same_department, truncates

#: How alike two stems must be (difflib ratio) for an unknown name's hint.
HINT_MIN_RATIO = 0.65


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
        parent = {name: name for name in names}

        def find(name: str) -> str:
            while parent[name] != name:
                parent[name] = parent[parent[name]]
                name = parent[name]
            return name

        # Only names of one level and ending can be one department
        # (same_department): compare within those buckets, not all pairs.
        buckets: dict[tuple[str, str], list[str]] = {}
        for name in names:
            parsed = self._parsed[name]
            if parsed.ending:
                buckets.setdefault((parsed.level, parsed.ending), []).append(name)
        for bucket in buckets.values():
            for i, a in enumerate(bucket):
                for b in bucket[i + 1 :]:
                    if same_department(self._parsed[a], self._parsed[b]):
                        parent[find(b)] = find(a)
        for a, b in self._links:
            parent[find(b)] = find(a)
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
        师市…局 look half alike (师市统计局 ~ 师市民政局)."""
        from difflib import SequenceMatcher

        parsed = self._parsed.get(name)
        if parsed is None:
            return None
        scored = [
            (SequenceMatcher(None, parsed.stem, self._parsed[known].stem).ratio(), known)
            for known in sorted(self._registered)
            if self._parsed[known].level == parsed.level
        ]
        best = max(scored, default=None)
        return best[1] if best and best[0] >= HINT_MIN_RATIO else None
