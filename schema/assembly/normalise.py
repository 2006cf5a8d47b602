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
import unicodedata
from functools import lru_cache
from importlib import resources

from duty_lists.parsers.unicode_ranges import IDEOGRAPHS
from duty_lists.schema.text.segmenter import segment

CJK = IDEOGRAPHS
#: A gap after these ends a step; after ：/: only when a step marker follows.
SENTENCE_END = "。；;！？!?"
CJK_PUNCT = "，。、；：？！（）“”《》【】〔〕—…·"
#: A step marker at the start of a step: 1.  1、 1) （1） (1) ① 一、 (一)
STEP_MARKER = re.compile(
    r"(?:\d{1,2}[.．、](?!\d)|\d{1,2}[)）]|[（(]\d{1,2}[)）]|[①-⑳]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])"
)
HEADING_MARKER = re.compile(r"(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])")
#: A label that opens a paragraph: 工作方式： or a department heading 师市民政局：
LABEL = re.compile(
    rf"(?:工作方式|承接部门|[{CJK}（）()]{{2,40}}?(?:局|部|委|会|院|队|中心|办|室|所|站|联|厅|处|政府)(?:[（(][^（()）]{{1,20}}[)）])?)[：:]"
)
# --------------------------------------------------------------------------- HTML

#: After a tag's name: attributes after white space, then ``>`` or ``/>`` — so
#: ``<a岁且收入>`` (a comparison in the text) is no tag and keeps its text.
_TAG_END = r"(?:\s[^<>]*)?/?\s*>"
_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:p|ol|ul|li|div|br|tr|h[1-6])" + _TAG_END, re.IGNORECASE)
_ANY_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*" + _TAG_END)


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


# --------------------------------------------------------------------------- radicals

_RADICALS = re.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf]")


@lru_cache(maxsize=1)
def _radical_table() -> dict[str, str]:
    table = {chr(cp): unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)}
    data = resources.files("duty_lists.schema").joinpath("data/radicals.txt").read_text(encoding="utf-8")
    for line in data.splitlines():
        if line.strip() and not line.startswith("#"):
            radical, _, character = line.partition("\t")
            table[radical] = character.strip()
    return table


def fold_radicals(text: str) -> str:
    """Rule ``text.radicals``: radical code points an extraction produced for
    ordinary characters (``⼈⺠`` for 人民, ``部⻔`` for 部门) become those characters.

    Browsers' print-to-PDF maps CJK glyphs to the Kangxi radicals and CJK
    Radicals Supplement blocks; the page shows the ordinary character, and no
    duty list writes a bare radical, so this is an extraction artefact.
    """
    if not _RADICALS.search(text):
        return text
    table = _radical_table()
    return _RADICALS.sub(lambda m: table.get(m.group(0), m.group(0)), text)


# --------------------------------------------------------------------------- gaps


def _is_cjk(char: str) -> bool:
    return bool(char) and re.match(f"[{CJK}]", char) is not None


def collapse_space(text: str) -> str:
    """Rule ``space.collapse``: CR/CRLF become line breaks; runs of any other
    white space (tabs, NBSP, ideographic spaces …) become one space, per line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n")]
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


def gap_is_separator(left: str, right: str) -> bool:
    """Rule ``wrap.long_text``: decide a soft gap inside a long text.

    Real separators: after a sentence or clause end; after a colon only when
    a step marker follows (a label stays with its text); before a step marker
    or a label (``工作方式：``, ``师市民政局：``); after a heading
    (``一、农机事故统计 进行…``, ``林业有害生物监测 根据…``) unless a
    dictionary word was cut by the gap.  Anything else between CJK
    characters is a wrap artefact.
    """
    if not left or not right:
        return True
    if left[-1] in SENTENCE_END:
        return True
    if STEP_MARKER.match(right):
        return True
    if _BARE_MARKER.fullmatch(_UNIT_START.split(left)[-1].strip()):
        return False  # a list number set apart by a tab or hanging indent: "1. 制定…", "6. 县党委组织部："
    if LABEL.match(right):
        return True
    if left[-1] in "：:":
        return False
    if not (_is_cjk(left[-1]) or left[-1] in "）)”"):
        return True
    if not _is_cjk(right[0]) and right[0] not in "（(“":
        return True
    return is_heading(left) and not word_cut_by_gap(left, right)


_BARE_MARKER = re.compile(STEP_MARKER.pattern)
_UNIT_START = re.compile(r"[。；;！？!?：:\n]")


def is_heading(left: str) -> bool:
    """Rule ``heading``: is the text before a gap a heading line?

    A heading is the unit since the last clause end that either starts with
    a step marker and has no ，。； (``2.建设单位申请环评``), or starts a
    paragraph or follows a label and has no punctuation at all and is short
    (``林业有害生物监测``).
    """
    unit = _UNIT_START.split(left)[-1].strip()
    marker = STEP_MARKER.match(unit)
    if marker:
        body = unit[marker.end():]
        return bool(body) and len(body) <= 30 and not re.search(r"[，,。；;]", body)
    return 0 < len(unit) <= 16 and not re.search(rf"[^{CJK}（）()]", unit)


def word_cut_by_gap(left: str, right: str) -> bool:
    """Did the gap cut a dictionary word, as a wrap does (``变 更``, ``行 为``)?

    jieba decides which word crosses the gap.  A crossing word that takes a
    whole word from the left and one character from the right (``检查 团镇``
    → 检查团, ``培训 师市`` → 培训师) is a segmentation accident, not a cut.
    """
    left_ctx, right_ctx = left[-6:], right[:6]
    cut = len(left_ctx)
    pos = 0
    for token in segment(left_ctx + right_ctx):
        end = pos + len(token)
        if pos < cut < end and len(token) >= 2:
            return cut - pos == 1 or end - cut >= 2
        pos = end
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
            buf += ("\n" if gap_is_separator(buf, part) else "") + part
        out_lines.append(buf)
    return "\n".join(out_lines)


# --------------------------------------------------------------------------- steps

_MARKER_AFTER_PUNCT = re.compile(rf"(?<=[。；;！？!?：:])(?={STEP_MARKER.pattern})")
#: A label after a sentence end: a department (师市公安局：) or a short
#: sub-heading (各行业监管部门共性职责：) that opens the next paragraph.
_LABEL_AFTER_SENTENCE = re.compile(rf"(?<=[。；;！？!?])(?={LABEL.pattern}|[{CJK}]{{2,16}}[：:])")
_HAS_MARKER = re.compile(rf"(?:^|(?<=[\s。；;！？!?：:，,]))(?:{STEP_MARKER.pattern})")
_GLUED_FIRST_STEP = re.compile(
    rf"^((?:{HEADING_MARKER.pattern})[^，,。；;：:]{{1,30}}?)(?=[1１][.．、](?=[{CJK}])|[（(]1[)）]|①)"
)
_CONTENT = re.compile(rf"[{CJK}A-Za-z0-9]")


#: A step's own marker where the step starts, by form: 1.  （1） (1)  1)  ①
_NUMBERED = re.compile(
    r"^(?:(?P<dot>\d{1,2})[.．、](?!\d)|[（(](?P<paren>\d{1,2})[)）]|(?P<closing>\d{1,2})[)）]|(?P<circled>[①-⑳]))"
)
_GLUED_AFTER = rf"(?<=[{CJK}）)”])"
_GLUED_BEFORE = rf"(?=[{CJK}（(“])"
#: The marker of each form glued between two characters; 第（2） is a reference, never a step.
_GLUED_MARKER = {
    "dot": re.compile(rf"{_GLUED_AFTER}(\d{{1,2}})[.．、]{_GLUED_BEFORE}"),
    "paren": re.compile(rf"{_GLUED_AFTER}(?<!第)[（(](\d{{1,2}})[)）]{_GLUED_BEFORE}"),
    "closing": re.compile(rf"{_GLUED_AFTER}(\d{{1,2}})[)）]{_GLUED_BEFORE}"),
    "circled": re.compile(rf"{_GLUED_AFTER}([①-⑳]){_GLUED_BEFORE}"),
}


def _marker_number(form: str, text: str) -> int:
    return ord(text) - ord("①") + 1 if form == "circled" else int(text)


def split_glued_next(unit: str) -> list[str]:
    """Rule ``steps.glued`` (numbered): a step marked N whose text runs into
    the marker N+1 of the same form right after a character (``…基本信息3.配合…``,
    ``…现场点②组织…``, ``…和报备函(3)报备函…``: a PDF line that filled its
    cell, or a row a page break cut, joined to the next without a gap)
    splits there.  Only the next number in sequence after a Chinese
    character and before one: ``2.5万元``, dates, ``附表1.`` and
    ``第（2）项`` in the text stay."""
    first = _NUMBERED.match(unit)
    if not first:
        return [unit]
    form = first.lastgroup or "dot"
    expected = _marker_number(form, first.group(form)) + 1
    for match in _GLUED_MARKER[form].finditer(unit, first.end()):
        if _marker_number(form, match.group(1)) == expected:
            return [unit[: match.start()], *split_glued_next(unit[match.start():])]
    return [unit]


def split_glued(unit: str) -> list[str]:
    """Rule ``steps.glued``: split where a step starts without a gap.

    ``…；2.制定…`` (a marker right after a clause end), ``…氛围。师市公安局：…``
    (a label right after a sentence), ``一、…申报1.做好…`` (a heading glued
    to its first numbered step, as a PDF line join leaves it).
    """
    glued = _GLUED_FIRST_STEP.match(unit)
    if glued:
        return [glued.group(1), *split_glued(unit[glued.end():])]
    pieces = _MARKER_AFTER_PUNCT.split(unit)
    return [
        step
        for piece in pieces
        for part in _LABEL_AFTER_SENTENCE.split(piece)
        for step in split_glued_next(part)
    ]


#: A step number left at the end of a line, glued to the text before it:
#: ``…现场点2.`` then a gap or a break, then Chinese text.
_LINE_END_MARKER = re.compile(rf"(?<=[{CJK}）)”])(\d{{1,2}}[.．、])\s+(?=[{CJK}（(“])")
#: A step's own number where a step starts (text start, a break, a gap, a clause end).
_STEP_START_NUMBER = re.compile(r"(?:^|(?<=[\s。；;：:]))(\d{1,2})[.．、](?!\d)")


def carry_line_end_markers(text: str) -> str:
    """Rule ``steps.line_end_marker``: a step marker at the end of a line
    belongs to the text after it.

    ``1.…推荐乡村振兴现场点2. 负责组织…`` (a PDF whose full line was joined
    to the next one, which starts with the hanging marker of the next step
    and its tab; or a line LibreOffice broke right after ``2.``) is
    ``1.…现场点`` and ``2.负责组织…``, as the document's paragraphs are.
    Only the next number in sequence after the step the text is in, glued
    to a Chinese character before it and followed by a gap or a hard break
    and Chinese text: any other number (``附件3. 见…`` in step 1) stays."""
    out: list[str] = []
    start, current = 0, None
    for match in _LINE_END_MARKER.finditer(text):
        numbers = _STEP_START_NUMBER.findall(text, start, match.start())
        current = int(numbers[-1]) if numbers else current
        number = int(match.group(1)[:-1])
        if current is None or number != current + 1:
            continue
        out += [text[start : match.start()], "\n", match.group(1)]
        start, current = match.end(), number
    return "".join(out) + text[start:]


def split_steps(text: str) -> list[str]:
    """Rule ``steps.split``: one string per step, markers kept as printed.

    Steps start at hard breaks, at real separators (``wrap.long_text``) and
    where ``steps.glued`` finds them.  A paragraph with no step marker at
    all that lists clauses with ``；`` is split there (unnumbered steps); in
    a numbered paragraph a ``；`` stays inside its step.  The ``；`` that only
    separated two steps is dropped, a final ``。`` kept; a unit of bare
    punctuation (a stray ``。``) is not a step.
    """
    steps: list[str] = []
    for paragraph in carry_line_end_markers(html_to_text(text)).split("\n"):
        paragraph = collapse_space(paragraph)
        if not paragraph:
            continue
        units = [piece for line in join_wrapped(paragraph).split("\n") for piece in split_glued(line)]
        if not _HAS_MARKER.search(paragraph):
            units = [piece for unit in units for piece in unit.split("；")]
        steps.extend(units)
    cleaned = (_strip_separator(step) for step in steps)
    return [step for step in cleaned if _CONTENT.search(step)]


def _strip_separator(step: str) -> str:
    return step.strip().rstrip("；;，, ").strip()


def clean_remark(text: str | None) -> str | None:
    """Rule ``remark.clean``: HTML and wraps removed; empty → ``None``."""
    if text is None:
        return None
    value = "\n".join(split_steps(text)) if text.strip() else ""
    return value or None
