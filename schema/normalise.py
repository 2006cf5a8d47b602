"""Named rules that turn raw cell text into record values.

Every rule is a small pure function with its own tests.  The guiding line:
text is kept as printed; only artefacts of extraction are removed —

* HTML left in cells by a web editor (``html_to_text``);
* whitespace that a line wrap put inside a phrase (``join_wrapped``);
* spacing around the separators between steps (``split_steps``).

Characters are never changed (no traditional → simplified, no full/half-width
folding): those are for checks to report, not for us to fix silently.

Cell text model: ``"\\n"`` is a *hard* break (a paragraph, list item or
``<br>`` in the source, or a PDF line that ended before the cell's edge);
``" "`` is a *soft* gap whose meaning the rules below decide.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: A gap after these ends a step; after ：/: only when a step marker follows.
SENTENCE_END = "。；;！？!?"
CJK_PUNCT = "，。、；：？！（）“”《》【】〔〕—…·"
#: Characters after which a gap is a real separator: sentence and clause ends.
CLOSING_PUNCT = "。；;！？!?：:"
#: A step marker at the start of a step: 1.  1、 （1） (1) ① 一、 (一)
STEP_MARKER = re.compile(
    r"(?:\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[)）]|[①-⑳]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])"
)
HEADING_MARKER = re.compile(r"(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])")
#: A label that opens a paragraph: 工作方式： or a department heading 师市民政局：
LABEL = re.compile(
    rf"(?:工作方式|承接部门|[{CJK}（）()]{{2,40}}?(?:局|部|委|会|院|队|中心|办|室|所|站|联|厅|处|政府))[：:]"
)
DISCONTINUED = re.compile(r"不再开展|法条废止|已废止|取消此项|不再承担|不再履行")

# --------------------------------------------------------------------------- HTML

_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:p|ol|ul|li|div|br|tr|h[1-6])\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>")


def html_to_text(text: str) -> str:
    """Rule ``html.strip``: drop tags, keep their structure as hard breaks.

    Block tags (``<p>``, ``<ol>``, ``<li>``, ``<br>`` …) become ``\\n`` — they
    are paragraph or list boundaries, even when unclosed (the seed has ``<ol>``
    without ``</ol>``).  Other tags vanish; entities are unescaped.
    """
    if "<" not in text and "&" not in text:
        return text
    text = _BLOCK_TAG.sub("\n", text)
    text = _ANY_TAG.sub("", text)
    return html.unescape(text)


# --------------------------------------------------------------------------- gaps


def _is_cjk(char: str) -> bool:
    return bool(char) and re.match(f"[{CJK}]", char) is not None


def collapse_space(text: str) -> str:
    """Rule ``space.collapse``: runs of spaces/tabs/NBSP/ideographic spaces → one space, per line."""
    lines = [re.sub(r"[ \t\u00a0\u3000]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def join_wrapped_phrase(text: str) -> str:
    """Rule ``wrap.phrase``: in a one-phrase cell (name, category, department)
    every gap or break touching a CJK character is a wrap artefact.

    ``管理工 作`` → ``管理工作``; ``统计执法检查 和统计违法违纪 案件查处`` →
    ``统计执法检查和统计违法违纪案件查处``.  A gap between two Latin words or
    digits is kept (``PM 2.5``).
    """
    text = collapse_space(html_to_text(text)).replace("\n", " ")
    return _PHRASE_GAP.sub("", text).strip()


_PHRASE_GAP = re.compile(rf"(?<=[{CJK}{CJK_PUNCT}]) +| +(?=[{CJK}{CJK_PUNCT}])")


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def word_spans_gap(left: str, right: str) -> bool:
    """Does a dictionary word cross the boundary between ``left`` and ``right``?

    jieba decides: segment the joined context and see whether a token of two
    or more characters starts in ``left`` and ends in ``right``.  ``违法违规行``
    + ``为监管`` → ``行为`` spans → the gap was a wrap.
    """
    left_ctx, right_ctx = left[-6:], right[:6]
    joined = left_ctx + right_ctx
    cut = len(left_ctx)
    pos = 0
    for token in _jieba().cut(joined, HMM=False):
        end = pos + len(token)
        if pos < cut < end and len(token) >= 2:
            return True
        pos = end
    return False


def gap_is_separator(left: str, right: str) -> bool:
    """Rule ``wrap.long_text``: decide a soft gap inside a long text.

    Real separators: after a sentence or clause end (not after a colon: a
    label stays with its text), before a step marker,
    before a label (``工作方式：``, ``师市民政局：``), or after a heading
    (``一、农机事故统计 进行…``) unless a dictionary word crosses the gap.
    Anything else between CJK characters is a wrap artefact.
    """
    if not left or not right:
        return True
    if left[-1] in SENTENCE_END:
        return True
    if STEP_MARKER.match(right) or LABEL.match(right):
        return True
    if not (_is_cjk(left[-1]) or left[-1] in "）)”"):
        return True
    if not _is_cjk(right[0]) and right[0] not in "（(“":
        return True
    current = re.split(r"[。；;！？!?：:\n]", left)[-1]
    if HEADING_MARKER.match(current.strip()) and not word_spans_gap(left, right):
        return True
    return False


def join_wrapped(text: str) -> str:
    """Apply ``wrap.long_text`` to every soft gap; separators become ``\\n``.

    The result has one step-ish unit per line: hard breaks are kept, real
    separators become hard breaks, wrap artefacts disappear.
    """
    out_lines: list[str] = []
    for line in collapse_space(text).split("\n"):
        parts = line.split(" ")
        buf = parts[0]
        for part in parts[1:]:
            if gap_is_separator(buf, part):
                buf += "\n" + part
            else:
                buf += part
        out_lines.append(buf)
    return "\n".join(out_lines)


# --------------------------------------------------------------------------- steps

_MARKER_SPLIT = re.compile(rf"(?<=[{re.escape(CLOSING_PUNCT)}\n])\s*(?={STEP_MARKER.pattern})")


def split_steps(text: str) -> list[str]:
    """Rule ``steps.split``: one string per step, markers kept as printed.

    A step starts at a hard break, or at a step marker that follows a clause
    end (``…；2.…``).  A unit with no markers that lists clauses with ``；`` is
    split there too (unnumbered steps).  The trailing ``；`` that only
    separated two steps is dropped; a final ``。`` is kept.
    """
    text = join_wrapped(html_to_text(text))
    units: list[str] = []
    for line in text.split("\n"):
        units.extend(_MARKER_SPLIT.split(line))
    steps: list[str] = []
    for unit in units:
        unit = unit.strip()
        if not unit:
            continue
        if not STEP_MARKER.match(unit) and "；" in unit.rstrip("；"):
            steps.extend(piece for piece in unit.split("；") if piece.strip())
        else:
            steps.append(unit)
    return [_strip_separator(step) for step in steps if _strip_separator(step)]


def _strip_separator(step: str) -> str:
    return step.strip().rstrip("；;，, ").strip()


# --------------------------------------------------------------------------- departments

_DEPT_SPLIT = re.compile(r"[、，,；;\n]+")


def split_departments(text: str) -> list[str]:
    """Rule ``departments.split``: split on 、，,；; and hard breaks; join wraps inside names."""
    text = html_to_text(text)
    names = [join_wrapped_phrase(part) for part in _DEPT_SPLIT.split(text)]
    return [name.rstrip("：:") for name in names if name.strip("：: ")]


# --------------------------------------------------------------------------- reclaimed

_RECEIVER = re.compile(r"^(?:收回后)?承接(?:部门|单位)[：:]\s*")
_METHOD = re.compile(r"工作方式[：:]")


def split_reclaimed(text: str) -> tuple[list[str], list[str], bool]:
    """Rule ``reclaimed.split``: one 承接部门及工作方式 cell → (departments, steps, discontinued).

    ``承接部门：师市农业农村局 工作方式： 1.…；2.…`` gives the department list and
    the steps.  A cell that says the work is no longer done (此项工作已不再开展,
    法条废止) is ``discontinued``; its statement is kept as the only step.
    """
    body = collapse_space(html_to_text(text))
    if not body:
        return [], [], False
    if DISCONTINUED.search(body) and not _RECEIVER.match(body):
        return [], split_steps(body), True
    method_match = _METHOD.search(body)
    head = body[: method_match.start()] if method_match else body
    rest = body[method_match.end():] if method_match else ""
    if _RECEIVER.match(head):
        departments = split_departments(_RECEIVER.sub("", head))
    elif method_match:
        departments = split_departments(head)
    else:
        # No labels at all: the whole cell is a department list.
        return split_departments(body), [], False
    return departments, split_steps(rest), bool(DISCONTINUED.search(rest)) and not departments


def is_discontinued(text: str) -> bool:
    return DISCONTINUED.search(text or "") is not None


def clean_remark(text: str | None) -> str | None:
    """Rule ``remark.clean``: HTML and wraps removed; empty → ``None``."""
    if text is None:
        return None
    value = "\n".join(split_steps(text)) if text.strip() else ""
    return value or None
