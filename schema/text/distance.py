"""How far apart two short texts are: one edit distance for the whole project.

Categories, header synonyms and department names are short (2–20
characters), so the plain dynamic-programming table is fast enough; the
one-edit test is the common question (a misread or mistyped character) and
is answered without the table.
"""

from __future__ import annotations


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions, each 1."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def within_one_edit(a: str, b: str) -> bool:
    """``edit_distance(a, b) <= 1``, without the table."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    # After the common prefix the rest must match with one character of b
    # skipped (insertion) or one of each replaced (substitution).
    return a[i:] == b[i + 1:] or (len(a) == len(b) and a[i + 1:] == b[i + 1:])
