"""Whether two parsed department names are one department (variants) or one cuts the other short.

Two names with the same level and ending are variants of one department when

a. their stems are equal (the abbreviation table made them so), or
b. one stem abbreviates the other: its characters are a subsequence of the
   other's and touch every word of it except generic ones (管理, 事务 …) —
   城管局 ~ 城市管理局, 应急局 ~ 应急管理局, but not 自然资源局 ~
   自然资源和规划局 (规划 untouched) nor 农业局 ~ 农业农村局 (农村), or
c. both stems have at least :data:`SLIP_MIN_CHARS` characters and differ by
   one character (a slip: 住房和城乡健设局).

Pure predicates on two :class:`~schema.departments.names.DepartmentName`
values, separate from the registry (:mod:`schema.departments.registry`) that applies
them to the pairs its index finds (``registry.candidate_pairs``): the rules can be read and tested one pair at a time.
"""

from __future__ import annotations

from duty_lists.schema.departments.names import DepartmentName
from duty_lists.schema.departments.vocabulary import lexicon
from duty_lists.schema.text.distance import within_one_edit

#: Stems shorter than this are never matched by a one-character slip: 民政局
#: and 财政局 differ by one character too.
SLIP_MIN_CHARS = 5


def abbreviates(short: DepartmentName, full: DepartmentName) -> bool:
    """Rule (b): ``short``'s stem picks characters of ``full``'s in order,
    touching every non-generic word of ``full`` (人社 picks 人 of 人力资源 and 社
    of 社会保障)."""
    s, f = short.stem, full.stem
    if len(s) < 2 or len(s) >= len(f):
        return False
    generic = set(lexicon().tagged("generic"))
    owner = [index for index, word in enumerate(full.words) for _ in word]
    required = frozenset(index for index, word in enumerate(full.words) if word not in generic)

    def search(i: int, j: int, touched: frozenset[int]) -> bool:
        if i == len(s):
            return required <= touched
        # Backtracking, because the first matching character is not always
        # the right one (监 could come from either of two words); names are short.
        return any(f[k] == s[i] and search(i + 1, k + 1, touched | {owner[k]}) for k in range(j, len(f) - (len(s) - i - 1)))

    return search(0, 0, frozenset())


def one_slip(a: str, b: str) -> bool:
    """Rule (c): one character substituted, inserted or dropped."""
    return min(len(a), len(b)) >= SLIP_MIN_CHARS and a != b and within_one_edit(a, b)


def same_department(a: DepartmentName, b: DepartmentName) -> bool:
    """Whether two names are variants of one department (rules a–c)."""
    if a.level != b.level or a.ending != b.ending or not a.ending:
        return False
    if a.stem == b.stem:
        return True
    return abbreviates(a, b) or abbreviates(b, a) or one_slip(a.stem, b.stem)


def truncates(short: DepartmentName, full: DepartmentName) -> bool:
    """``short`` has no ending and is the start of ``full`` (师市人力资源和社会保障 → …局)."""
    if short.ending or not full.ending or short.level != full.level or not short.stem:
        return False
    return (full.stem + full.ending).startswith(short.stem)
