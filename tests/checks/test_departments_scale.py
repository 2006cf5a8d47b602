"""#16: a department registry of 20,000 names costs seconds — pairs found by index, groups and hints unchanged.

The index (``registry.candidate_pairs``) must find every pair the rules join
and the hint must be the one comparing every registered name gives: both are
held equal to the all-pairs computation on the Shahe document's names and on
a generated registry full of abbreviations, slips and near misses.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from duty_lists.ingest.pipeline import process_file
from duty_lists.schema.checks.departments import iter_mentions
from duty_lists.schema.departments.registry import HINT_MIN_RATIO, DepartmentRegistry
from duty_lists.schema.departments.similarity import same_department

from tests.conftest import REPO, SHAHE_TXT

#: Characters of real department stems, so generated names segment like real ones.
POOL = ("农业水利交通运输文化旅游卫生健康教育科技工业信息民政司法财政"
        "人力资源社会保障自然规划生态环境住房城乡建设商务应急管理审计统计市场监督")
ENDINGS = ["局", "局", "委员会", "办公室", "中心"]


def generated_names(count: int, seed: int = 16) -> list[str]:
    """Names at two levels with few endings (big buckets), each fifth an
    abbreviation of an earlier one, each fifth a one-character slip of one."""
    rng = random.Random(seed)
    names: list[str] = []
    while len(names) < count:
        kind = rng.random()
        if names and kind < 0.2:
            base = rng.choice(names)
            level = "师市" if base.startswith("师市") else ""
            stem, ending = base[len(level):-1], base[-1]
            picked = sorted(rng.sample(range(len(stem)), k=max(2, len(stem) // 2))) if len(stem) > 2 else range(len(stem))
            names.append(level + "".join(stem[i] for i in picked) + ending)
        elif names and kind < 0.4:
            base = rng.choice(names)
            at = rng.randrange(len(base) - 1)
            names.append(base[:at] + rng.choice(POOL) + base[at + 1:])
        else:
            stem = "".join(rng.choice(POOL) for _ in range(rng.randint(2, 8)))
            names.append(rng.choice(["师市", "", "县"]) + stem + rng.choice(ENDINGS))
    return names


def all_pairs_groups(registry: DepartmentRegistry) -> set[frozenset[str]]:
    """The groups as comparing every pair gives them (the grouping before the index)."""
    names = list(registry._parsed)
    parent = {name: name for name in names}

    def find(name: str) -> str:
        while parent[name] != name:
            name = parent[name]
        return name

    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if same_department(registry._parsed[a], registry._parsed[b]):
                parent[find(b)] = find(a)
    for a, b in registry._links:
        parent[find(b)] = find(a)
    members: dict[str, set[str]] = {}
    for name in names:
        members.setdefault(find(name), set()).add(name)
    return {frozenset(group) for group in members.values()}


def closest_of_all(registry: DepartmentRegistry, registered: list[str], name: str) -> str | None:
    """The hint as comparing every registered name at the level gives it."""
    parsed = registry.parsed(name)
    assert parsed is not None
    scored = [
        (SequenceMatcher(None, parsed.stem, registry._parsed[known].stem).ratio(), known)
        for known in sorted(registered)
        if registry._parsed[known].level == parsed.level
    ]
    best = max(scored, default=None)
    return best[1] if best and best[0] >= HINT_MIN_RATIO else None


def shahe_names() -> list[str]:
    return [mention.printed for mention in iter_mentions(process_file(SHAHE_TXT))]


@pytest.mark.parametrize("source", ["shahe", "generated"])
def test_indexed_groups_are_the_all_pairs_groups(source: str) -> None:
    names = shahe_names() if source == "shahe" else generated_names(800)
    registry = DepartmentRegistry()
    for printed in names:
        registry.add(printed)
    groups = {frozenset(group.names) for group in registry.groups()}
    assert groups == all_pairs_groups(registry)
    assert sum(len(group) > 1 for group in groups) >= (3 if source == "shahe" else 30)


def test_hints_are_those_of_every_registered_name() -> None:
    registry = DepartmentRegistry(generated_names(1500, seed=7))
    hints = 0
    for printed in shahe_names() + generated_names(300, seed=8):
        parsed = registry.add(printed)
        if parsed is None or not parsed.stem:
            continue
        expected = closest_of_all(registry, sorted(registry._registered), parsed.name)
        assert registry.closest_registered(parsed.name) == expected, printed
        hints += expected is not None
    assert hints >= 50


def test_a_registry_of_20000_names_costs_seconds(tmp_path: Path) -> None:
    """Not a tight timing: minutes before the index (82 s a document at 5,000), a few seconds after."""
    registry = tmp_path / "部门名录.txt"
    registry.write_text("\n".join(generated_names(20_000)), encoding="utf-8")
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "duty_lists", "validate", str(SHAHE_TXT), "--departments", str(registry)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    took = time.monotonic() - start
    assert done.returncode in (0, 1) and "department.unknown" in done.stdout, done.stderr
    assert took < 120, took
