"""Which characters are Chinese: the one table of code-point ranges every layer uses.

Two questions, two answers, both here so they cannot drift apart:

* :data:`IDEOGRAPHS` — CJK unified ideographs (extension A, the main block,
  compatibility ideographs): what a word, a name or a department is made of.
  A regular-expression class body, for ``re`` patterns.
* :func:`is_wide` — a character set a full em wide in a Chinese layout:
  ideographs plus CJK punctuation, kana and full-width forms.  Layout asks
  this (does Chinese meet a Latin letter, where a quarter-em space is an
  artefact), text rules ask the first.
"""

from __future__ import annotations

import re

IDEOGRAPHS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
IDEOGRAPH = re.compile(f"[{IDEOGRAPHS}]")


def is_ideograph(char: str) -> bool:
    return IDEOGRAPH.fullmatch(char) is not None


def is_wide(char: str) -> bool:
    """A full-width character of a Chinese layout (see the module's docstring)."""
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef" or "\uf900" <= char <= "\ufaff"
