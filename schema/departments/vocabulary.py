"""The department vocabulary: words by tag and abbreviation pairs, from ``schema/data``.

No list of departments is built in; what *is* data is the vocabulary in
``schema/data/department_words.txt`` (words tagged ``level``, ``suffix``,
``generic``, ``vague``, ``function``) and ``department_abbreviations.txt``
(short form → full form).

Kept apart from the name rules because two different users read it: the
shared jieba tokenizer (:mod:`schema.text.segmenter`) loads it into its dictionary
while it is being built, and the name analysis (:mod:`schema.departments.names`,
:mod:`schema.departments.similarity`) asks it which words carry which tag.
Loading it needs no jieba, so the tokenizer can ask for it without a cycle.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Lexicon:
    """The department vocabulary: words by tag, and abbreviation pairs."""

    #: word -> (jieba frequency or None, tag), in file order.
    words: dict[str, tuple[int | None, str]]
    #: short form -> full form.
    abbreviations: dict[str, str]
    #: :meth:`tagged`'s answers: it is asked for every name, and a registry file has thousands.
    _tagged: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def tagged(self, tag: str) -> tuple[str, ...]:
        """Words with ``tag``, longest first (so 委员会 is tried before 会)."""
        if tag not in self._tagged:
            self._tagged[tag] = tuple(sorted((w for w, (_, t) in self.words.items() if t == tag), key=len, reverse=True))
        return self._tagged[tag]


def _data_lines(name: str) -> Iterator[list[str]]:
    text = resources.files("duty_lists.schema").joinpath(f"data/{name}").read_text(encoding="utf-8")
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
