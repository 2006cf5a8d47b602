"""Department names: one key per department, variants grouped, odd names found.

Used by the department check (``schema/checks/departments.py``) and by anything
that wants one spelling per department (the dataset builder).  No list of
departments is built in: the registry is made of the names a document uses,
plus the names of a user registry file; what *is* data is the vocabulary in
``schema/data/department_words.txt`` and ``department_abbreviations.txt``.

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

Two names with the same level and ending are variants of one department when

a. their stems are equal (the abbreviation table made them so), or
b. one stem abbreviates the other: its characters are a subsequence of the
   other's and touch every word of it except generic ones (管理, 事务 …) —
   城管局 ~ 城市管理局, 应急局 ~ 应急管理局, but not 自然资源局 ~
   自然资源和规划局 (规划 untouched) nor 农业局 ~ 农业农村局 (农村), or
c. both stems have at least :data:`SLIP_MIN_CHARS` characters and differ by
   one character (a slip: 住房和城乡健设局).

A group's *canonical* name is a name from the user registry if it has one
(the longest), else the longest name printed — the full form is the formal
one — with ties going to the name used more often, then to the first seen.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

#: Stems shorter than this are never matched by a one-character slip: 民政局
#: and 财政局 differ by one character too.
SLIP_MIN_CHARS = 5

#: How alike two stems must be (difflib ratio) for an unknown name's hint.
HINT_MIN_RATIO = 0.65

_ROLE = re.compile(r"^(?P<name>.+?)[（(](?P<role>[^（）()]+)[）)]$")
_SPACE = re.compile(r"\s+")


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Lexicon:
    """The department vocabulary: words by tag, and abbreviation pairs."""

    #: word -> (jieba frequency or None, tag), in file order.
    words: dict[str, tuple[int | None, str]]
    #: short form -> full form.
    abbreviations: dict[str, str]

    def tagged(self, tag: str) -> tuple[str, ...]:
        """Words with ``tag``, longest first (so 委员会 is tried before 会)."""
        return tuple(sorted((w for w, (_, t) in self.words.items() if t == tag), key=len, reverse=True))


def _data_lines(name: str) -> Iterator[list[str]]:
    text = resources.files("schema").joinpath(f"data/{name}").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            yield line.split()


def parse_user_dict_line(parts: list[str]) -> tuple[str, int | None, str]:
    """``word [freq] [tag]`` as jieba reads it; the tag defaults to ``word``."""
    word, rest = parts[0], parts[1:]
    freq = int(rest.pop(0)) if rest and rest[0].isdigit() else None
    tag = rest[0] if rest else "word"
    return word, freq, tag


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    words: dict[str, tuple[int | None, str]] = {}
    for parts in _data_lines("department_words.txt"):
        word, freq, tag = parse_user_dict_line(parts)
        words[word] = (freq, tag)
    abbreviations = {}
    for parts in _data_lines("department_abbreviations.txt"):
        if len(parts) != 2:
            raise ValueError(f"department_abbreviations.txt: expected `short full`, got {' '.join(parts)!r}")
        abbreviations[parts[0]] = parts[1]
    return Lexicon(words=words, abbreviations=abbreviations)


def user_words() -> list[tuple[str, int | None, str | None]]:
    """The department vocabulary jieba must know: (word, frequency, tag)."""
    lex = lexicon()
    words: list[tuple[str, int | None, str | None]] = [
        (word, freq, tag)
        for word, (freq, tag) in lex.words.items()
        if tag not in ("vague", "function")  # markers and conjunctions are matched as strings
    ]
    for short, full in lex.abbreviations.items():
        words += [(short, None, None), (full, None, None)]
    return words


def _tokenizer() -> Any:
    from .segmenter import tokenizer

    return tokenizer()


def segment(text: str) -> list[str]:
    """jieba tokens of ``text`` (HMM off: unknown characters stay single, so
    segmentation depends on the dictionary alone and is reproducible)."""
    return _tokenizer().lcut(text, HMM=False) if text else []


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


def parse_name(printed: str) -> DepartmentName | None:
    """``printed`` taken apart; None when no department is named (相关部门 alone
    still gives a name with an empty stem, so the vague marker is seen)."""
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


# --------------------------------------------------------------------------- similarity


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
    if min(len(a), len(b)) < SLIP_MIN_CHARS or abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    shorter, longer = sorted((a, b), key=len)
    return any(longer[:k] + longer[k + 1 :] == shorter for k in range(len(longer)))


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

        for i, a in enumerate(names):
            for b in names[i + 1 :]:
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
