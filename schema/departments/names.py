"""One printed department name taken apart: level, stem words, ending, vague tail, role.

A name as printed becomes a :class:`DepartmentName` in five steps:

1. *vague tail* — 等, 等部门, 相关部门 … (tag ``vague``) is split off; what
   precedes it still names a department.
2. *role* — a trailing parenthesis names the same bureau's second nameplate
   (师市自然资源和规划局（林业和草原局）: one office, two plates).  It is split
   off and kept as an alias of the bureau, never compared as a spelling, so
   the two printed forms are one department and no variant of each other.
3. *level* — jieba, with the user dictionary, segments the name; leading
   tokens tagged ``level`` (师市, 市, 县 …) are its level, which is part of the
   key: 市公安局 and 师市公安局 are two departments.  In 师市合一 Shahe the
   市 of item 51 probably is the same 阿拉尔市, but nothing in the name says
   so, and equating levels would merge real 市/县 pairs elsewhere.
4. *expansion* — every token that is a known short form is replaced by its
   full form (人社 → 人力资源和社会保障).
5. *ending* — the longest department-type ending (局, 委员会 …) is split off
   and expanded (委 → 委员会); the rest, the *stem*, is segmented again into
   words and conjunctions (和, 与, 及) are dropped.

Separate from the comparison of two names (:mod:`schema.departments.similarity`)
and from grouping (:mod:`schema.departments.registry`): this looks at one name alone,
and is the only place that segments one, so a change to the tokenising rules
shows here and nowhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from duty_lists.schema.departments.vocabulary import lexicon
from duty_lists.schema.text.segmenter import segment

_ROLE = re.compile(r"^(?P<name>.+?)[（(](?P<role>[^（）()]+)[）)]$")
_SPACE = re.compile(r"\s+")


# --------------------------------------------------------------------------- tokens


def expand(text: str) -> str:
    """``text`` with every token that is a known short form replaced by its full form."""
    abbreviations = lexicon().abbreviations
    return "".join(abbreviations.get(token, token) for token in segment(text))


def stem_words(text: str) -> tuple[str, ...]:
    """Words of a stem, conjunctions dropped; compounds split at them too
    (人力资源和社会保障 → 人力资源, 社会保障)."""
    functions = lexicon().tagged("function")
    splitter = re.compile("(" + "|".join(map(re.escape, functions)) + ")") if functions else None
    words: list[str] = []
    for token in segment(text):
        pieces = splitter.split(token) if splitter and len(token) > 1 else [token]
        for piece in pieces:
            if piece in functions or not piece:
                continue
            words.extend(segment(piece) if piece != token else [piece])
    return tuple(words)


# --------------------------------------------------------------------------- one name


@dataclass(frozen=True)
class DepartmentName:
    """One printed department name, taken apart."""

    printed: str
    #: The printed name without vague tail and role: the form compared.
    name: str
    level: str
    #: Expanded stem words, conjunctions dropped.
    words: tuple[str, ...]
    #: Expanded ending (局, 委员会 …); "" when the name has none.
    ending: str
    #: The vague tail as printed (等, 相关部门 …), "" when none.
    vague: str = ""
    #: The second nameplate in a trailing parenthesis, "" when none.
    role: str = ""

    @property
    def stem(self) -> str:
        return "".join(self.words)

    @property
    def key(self) -> str:
        """Equal keys = the same department, by the abbreviation table alone."""
        return f"{self.level}|{self.stem}|{self.ending}"


def split_vague(text: str) -> tuple[str, str]:
    """(name, vague tail): 师市住房和城乡建设局等 → (师市住房和城乡建设局, 等)."""
    for marker in lexicon().tagged("vague"):
        if text.endswith(marker):
            return text[: -len(marker)], marker
    return text, ""


@lru_cache(maxsize=8192)
def parse_name(printed: str) -> DepartmentName | None:
    """``printed`` taken apart; None when no department is named (相关部门 alone
    still gives a name with an empty stem, so the vague marker is seen).

    Cached: a list names the same few dozen departments hundreds of times,
    and the answer depends on the printed text and the fixed vocabulary only.
    """
    lex = lexicon()
    text = _SPACE.sub("", printed).strip("：:，,。；;、")
    name, vague = split_vague(text)
    role = ""
    match = _ROLE.match(name)
    if match:
        name, role = match.group("name"), match.group("role")
    tokens = segment(name)
    levels = set(lex.tagged("level"))
    level_count = 0
    while level_count < len(tokens) and tokens[level_count] in levels:
        level_count += 1
    level = "".join(tokens[:level_count])
    # Expanded before the ending is split off, for whole-name short forms
    # (科协 → 科学技术协会), and again after, for short forms that jieba
    # glues to the ending (科技局 is one token; 科技 alone expands).
    body = expand("".join(tokens[level_count:]))
    if not body and not vague:
        return None
    ending = next((e for e in lex.tagged("suffix") if body.endswith(e) and len(body) > len(e)), "")
    return DepartmentName(
        printed=printed,
        name=name,
        level=level,
        words=stem_words(expand(body[: len(body) - len(ending)])),
        ending=lex.abbreviations.get(ending, ending),
        vague=vague,
        role=role,
    )
