"""Named rules for the cells that name departments and say what becomes of reclaimed work.

``departments.split`` and ``departments.none`` (who: 对应上级部门, 承接部门), ``reclaimed.split``
(one 承接部门及工作方式 cell), ``method.none`` (a 工作方式 cell holding only a filler) and what
says the work is no longer done (``discontinued``).  Text rules they build on are in
:mod:`schema.assembly.normalise`.
"""

from __future__ import annotations

import re

from duty_lists.schema.assembly.normalise import collapse_space, html_to_text, join_wrapped_phrase, split_steps
from duty_lists.schema.departments.vocabulary import lexicon

#: A statement that the work is no longer done: 此项工作已不再开展, 法条废止, 不再实施, and
#: 取消 when it is the whole clause's verb (取消 / 该事项已取消 / 此项工作予以取消), not an
#: object of other work (负责取消登记的审核).
DISCONTINUED = re.compile(
    r"不再开展|不再实施|停止实施|法条废止|已废止|取消此项|不再承担|不再履行"
    r"|(?:^|(?<=[，,。；;：:\s]))(?:[该此本](?:事项|项工作|项)?)?(?:已经|已|予以|被)?(?:予以)?取消(?=$|[。，,；;\s])"
)


# --------------------------------------------------------------------------- departments

_DEPT_SPLIT = re.compile(r"[、，,；;\n]+")
#: Rule ``departments.none``: what a form prints in a department cell that
#: has no department — a slash, a dash or 无 standing alone.  It is a filler
#: of the form, not a department name.
NO_DEPARTMENT = re.compile(r"[/／\\＼\-－—–―‐_]+|无|暂无|不涉及|空")


#: Rule ``departments.qualifier``: a line that opens with a bracket qualifies
#: the name before it (县自然资源和规划局 / （林业和草原局）), it never starts one.
_QUALIFIER_LINE = re.compile(r"\n+(?=\s*[（(])")


def split_departments(text: str) -> list[str]:
    """Rule ``departments.split``: split on 、，,；; and hard breaks; join wraps
    inside names; fillers that mean "no department" (``departments.none``) go.

    A break before a bracketed qualifier is no separator
    (``departments.qualifier``): a Chromium print broke 县自然资源和规划局（林业和草原局）
    before its bracket, at a page foot, and the two lines became two departments."""
    text = _QUALIFIER_LINE.sub("", html_to_text(text))
    names = [join_wrapped_phrase(part).rstrip("：:").strip() for part in _DEPT_SPLIT.split(text)]
    return [piece for name in names if name.strip("：: ") and not NO_DEPARTMENT.fullmatch(name) for piece in unglue(name)]


#: A bracketed qualifier at a name's end: 县自然资源和规划局（林业和草原局）.
_QUALIFIER = re.compile(r"[（(][^（）()]*[）)]$")
#: ``departments.glued``: a department's name has at least this many
#: characters between its level and the end of its type (县 + 党委组织部;
#: 县委 alone is too short to stand apart: 县委县政府督查室 is one office).
MIN_BODY = 2


def unglue(name: str) -> list[str]:
    """Rule ``departments.glued``: ``name`` cut where one whole department
    name ends and the next begins, with nothing printed between them.

    Departments written one per line in a narrow cell fill each line, so a
    print shows no sign that a line ended a name rather than wrapped it
    (measured: 县党委组织部 / 县人力资源和社会保障局, each line full, in a
    LibreOffice print); the text then reads 县党委组织部县人力资源和社会保障局.
    It is cut where a department type ends (部, 局, 委员会 … from
    ``schema/data/department_words.txt``) and an administrative level
    begins (县, 市, 师市 …), when the piece before is a level, a body of at
    least :data:`MIN_BODY` characters and a type, and the rest ends with a
    type too.  县城市管理局 is not cut (城 ends no type), nor 县委县政府督查室.
    """
    words = lexicon()
    levels, types = words.tagged("level"), words.tagged("suffix")

    def is_name(piece: str) -> bool:
        level = next((w for w in levels if piece.startswith(w)), "")
        body = _QUALIFIER.sub("", piece[len(level) :])
        return bool(level) and len(body) >= MIN_BODY and any(body.endswith(t) and len(body) > len(t) for t in types)

    pieces: list[str] = []
    start = 0
    for at in range(1, len(name)):
        if any(name.startswith(w, at) for w in levels) and is_name(name[start:at]) and is_name(name[at:]):
            pieces.append(name[start:at])
            start = at
    pieces.append(name[start:])
    return pieces if len(pieces) > 1 and all(is_name(piece) for piece in pieces) else [name]


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


def method_steps(text: str) -> list[str]:
    """A 工作方式 cell's steps; rule ``method.none``: a cell holding only a
    filler of the form (``/``, ``—``, ``无``, as ``departments.none``) states
    no working method, so it has no steps."""
    if NO_DEPARTMENT.fullmatch(collapse_space(html_to_text(text or "")).replace(" ", "")):
        return []
    return split_steps(text)


def is_discontinued(text: str) -> bool:
    return DISCONTINUED.search(text or "") is not None
