"""Named repairs for OCR's frequent confusions in duty-list text.

Each rule fixes one kind of misreading that follows from how characters
look, never from which words are expected: it rewrites a character only
where its neighbours leave one reading (``O`` between digits is a zero).
Rules run in the order of :data:`RULES`; :func:`apply_fixes` reports which
fired, so a reader can see what OCR text was changed and why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from duty_lists.parsers.unicode_ranges import IDEOGRAPHS

CJK = IDEOGRAPHS


@dataclass(frozen=True, slots=True)
class FixRule:
    name: str
    description: str
    apply: Callable[[str], str]


def _dunhao(text: str) -> str:
    # 丶 (U+4E36, the "dot" radical) is not a word in modern text; in a list
    # of items it is always the enumeration comma 、 drawn a little heavier.
    return text.replace("丶", "、")


_NUMBER_RUN = re.compile(r"(?<![A-Za-z0-9])[0-9OolI|]*[0-9][0-9OolI|]*(?![A-Za-z0-9])")
_DIGIT_OF = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})


def _letters_in_numbers(text: str) -> str:
    # A run of digits with O/o/l/I/| mixed in, not touching other Latin
    # letters, is a number: 2O23 → 2023, l0 → 10.  A run with no digit at
    # all ("IO", "l") is left alone: nothing says it is a number.
    return _NUMBER_RUN.sub(lambda m: m.group(0).translate(_DIGIT_OF), text)


_STEP_MARKER = re.compile(rf"(^|[。；;：:\n]\s*)[lI|](?=[.．、][{CJK}])")


def _step_marker_one(text: str) -> str:
    # A numbered step "1.做好…" read as "l.做好…": a lone l/I/| where a step
    # starts (text start or after 。；：), followed by a step dot and Chinese.
    return _STEP_MARKER.sub(lambda m: f"{m.group(1)}1", text)


_STEP_MARKER_AT = re.compile(r"(?:^|(?<=[。；;：:\n]))\s*(\d{1,2})\s*[.．、]")
_UNDOTTED_STEP = re.compile(rf"(?<=[。；;])(\s*)(\d{{1,2}})(?=[{CJK}])")


def _step_marker_dot(text: str) -> str:
    # "2.掌握…；3协调…": the dot after a step number lost in the scan.  A
    # number right after a step end (。；) and touching Chinese text gets its
    # dot back only when the step marker before it is the previous number,
    # so "；3协调" after "2." is step 3 while "；3天内" after "1." is not.
    def restore(match: re.Match[str]) -> str:
        number = int(match.group(2))
        before = [int(m.group(1)) for m in _STEP_MARKER_AT.finditer(text, 0, match.start())]
        if before and before[-1] == number - 1:
            return f"{match.group(1)}{match.group(2)}."
        return match.group(0)

    return _UNDOTTED_STEP.sub(restore, text)


_HALF_PUNCT_NEAR_CJK = re.compile(rf"(?<=[{CJK}])[ \t]*([,;:?!])|([,;:?!])[ \t]*(?=[{CJK}])")
_FULL_OF = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


def _fullwidth_punctuation(text: str) -> str:
    # Chinese text uses full-width punctuation; OCR reads the narrow glyph
    # when the printed one sits tight.  Only marks touching a Chinese
    # character change: "1:3" (a ratio) keeps its colon.
    return _HALF_PUNCT_NEAR_CJK.sub(lambda m: _FULL_OF[m.group(1) or m.group(2)], text)


_INSIDE = rf"([^()（）]*[{CJK}][^()（）]*)"
_HALF_PARENS_CJK = re.compile(rf"\({_INSIDE}\)|（{_INSIDE}\)|\({_INSIDE}）")


def _fullwidth_parentheses(text: str) -> str:
    # A bracketed Chinese phrase uses full-width brackets (（家庭医生）); a
    # bracketed number "(1)" is printed half-width and stays so.  Mixed pairs
    # （…) are one misread bracket.
    return _HALF_PARENS_CJK.sub(lambda m: f"（{m.group(1) or m.group(2) or m.group(3)}）", text)


def _curly_quotes(text: str) -> str:
    # Chinese text quotes with “ ”; OCR reads a tight one as the straight ".
    # A straight quote touching a Chinese character takes the form the
    # quotes around it leave: closing after an opening one, else opening
    # (做好"干播湿出""一年多熟" → 做好“干播湿出”“一年多熟”).
    if '"' not in text or not re.search(f"[{CJK}]", text):
        return text
    out, inside = [], False
    for index, char in enumerate(text):
        if char == '"' and re.match(f"[{CJK}]", text[index - 1 : index] or " ") is None and re.match(
            f"[{CJK}]", text[index + 1 : index + 2] or " "
        ) is None:
            out.append(char)  # between Latin or at the ends of Latin: not ours
            continue
        if char == '"':
            char = "”" if inside else "“"
        if char in "“”":
            inside = char == "“"
        out.append(char)
    return "".join(out)


RULES: tuple[FixRule, ...] = (
    FixRule("dunhao", "丶 → 、 (the enumeration comma)", _dunhao),
    FixRule("letters_in_numbers", "O/o → 0 and l/I/| → 1 inside a run of digits", _letters_in_numbers),
    FixRule("step_marker_one", "l./I. at the start of a step → 1.", _step_marker_one),
    FixRule("step_marker_dot", "；3协调 after step 2 → ；3.协调 (the step number's lost dot)", _step_marker_dot),
    FixRule("fullwidth_punctuation", ", ; : ? ! next to Chinese → ，；：？！", _fullwidth_punctuation),
    FixRule("fullwidth_parentheses", "(…) around Chinese → （…）", _fullwidth_parentheses),
    FixRule("curly_quotes", '" next to Chinese → “ or ” (by the quotes around it)', _curly_quotes),
)


def apply_fixes(text: str, rules: tuple[FixRule, ...] = RULES) -> tuple[str, list[str]]:
    """``text`` with every rule applied, and the names of the rules that changed it."""
    fired: list[str] = []
    for rule in rules:
        fixed = rule.apply(text)
        if fixed != text:
            fired.append(rule.name)
            text = fixed
    return text, fired
