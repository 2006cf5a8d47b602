"""What changed between two versions of one town's lists.

Items are matched by content across *all* lists — towns renumber their items
between versions and move them between lists (a basic duty becomes one the
superior department takes back) — so ``seq`` never identifies an item here:

1. items whose names are equal up to punctuation and spacing pair first
   (ties: same list and category, then document order);
2. the rest pair by name similarity (:mod:`ingest.analysis.matching`), best first,
   one-to-one, above ``threshold``.

A matched pair is *renamed* if its name changed, *moved* if its list or
category changed, and carries *field changes* (departments, steps, remark …)
with a word-level diff over jieba tokens.  Unmatched old items are *removed*,
unmatched new ones *added*.  A new ``seq`` alone is not a change.

Texts are compared by what they say, not by how extraction cut them: step
markers (``1.`` ``（1）`` ``①`` ``一、``, renumbered or re-styled between
versions), step boundaries (a DOCX paragraph per step, a PDF line glued to
the next) and punctuation (a ``。`` doubled or dropped at a step end) are
no change.  A field differs when its content characters differ; the
word-level diff then shows the changed words only.

:func:`diff_documents` is pure; ``render_*`` turn its result into text,
JSON, Markdown or a self-contained HTML page.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import asdict, dataclass, field

from duty_lists.ingest.analysis.matching import DEFAULT_THRESHOLD, ItemRef, cut, match_texts, normalise_key
from duty_lists.schema.assembly.normalise import STEP_MARKER
from duty_lists.schema.fields import BY_KEY
from duty_lists.schema.records import LIST_NAMES, LIST_TYPES, Document, Item

#: Item fields compared for a matched pair, in report order.  Lists of names
#: join with 、, lists of steps with a line break (how they are printed).
JOINED_FIELDS: dict[str, str] = {
    "superior_departments": "、",
    "receiving_departments": "、",
    "superior_duties": "\n",
    "town_duties": "\n",
    "working_method": "\n",
}
COMPARED_FIELDS = ("remark", *JOINED_FIELDS, "discontinued", "extra")
#: Fields whose text is compared by content (see the module docstring).
TEXT_FIELDS = frozenset({"remark", "superior_duties", "town_duties", "working_method", "extra"})
_LEADING_MARKER = re.compile(rf"^\s*(?:{STEP_MARKER.pattern})\s*", re.MULTILINE)


@dataclass(frozen=True)
class Span:
    """One run of a word-level diff: ``op`` is ``equal``, ``delete`` or ``insert``."""

    op: str
    text: str


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str
    spans: list[Span]


@dataclass(frozen=True)
class ItemChange:
    """A matched pair that differs in more than its number."""

    old: ItemRef
    new: ItemRef
    score: float
    renamed: bool
    moved: bool
    name_spans: list[Span]
    fields: list[FieldChange]


@dataclass
class DocumentDiff:
    old_source: str
    new_source: str
    old_issuer: str
    new_issuer: str
    threshold: float
    added: list[ItemRef] = field(default_factory=list)
    removed: list[ItemRef] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    #: matched pairs equal in content (possibly renumbered)
    unchanged: int = 0
    renumbered: int = 0

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "renamed": sum(c.renamed for c in self.changed),
            "moved": sum(c.moved for c in self.changed),
            "fields_changed": sum(bool(c.fields) for c in self.changed),
            "unchanged": self.unchanged,
            "renumbered": self.renumbered,
        }


# --------------------------------------------------------------------------- diff


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def word_diff(old: str, new: str, content_only: bool = False) -> list[Span]:
    """Word-level diff of two texts over jieba tokens, adjacent runs merged.

    ``content_only``: a run that deletes or inserts only punctuation and
    white space is no change (the deleted text goes, the inserted stays).
    """
    a, b = cut(old), cut(new)
    spans: list[Span] = []

    def emit(op: str, parts: list[str]) -> None:
        text = "".join(parts)
        if not text:
            return
        if content_only and op != "equal" and not normalise_key(text):
            if op == "delete":
                return
            op = "equal"
        if spans and spans[-1].op == op:
            spans[-1] = Span(op, spans[-1].text + text)
        else:
            spans.append(Span(op, text))

    # per pair, not over all pairs: difflib is fine on two short token lists
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            emit("equal", a[i1:i2])
            continue
        # jieba cuts 管理工作 whole but 管理和服务工作 in four: trim the
        # characters a replaced run shares at its ends, so only 和服务 shows
        old_run, new_run = "".join(a[i1:i2]), "".join(b[j1:j2])
        head = _common_prefix(old_run, new_run)
        tail = _common_prefix(old_run[head:][::-1], new_run[head:][::-1])
        emit("equal", [old_run[:head]])
        emit("delete", [old_run[head : len(old_run) - tail]])
        emit("insert", [new_run[head : len(new_run) - tail]])
        emit("equal", [old_run[len(old_run) - tail :]])
    return spans


def field_text(item: Item, name: str) -> str:
    """A field as one text; steps without their markers (renumbering is no change)."""
    value = getattr(item, name)
    if name in JOINED_FIELDS:
        text = JOINED_FIELDS[name].join(value)
        return _LEADING_MARKER.sub("", text) if name in TEXT_FIELDS else text
    if name == "extra":
        return "\n".join(f"{k}: {v}" for k, v in sorted(value.items()))
    if name == "discontinued":
        return "是" if value else "否"
    return value or ""


def _flatten(doc: Document) -> list[tuple[str, Item]]:
    order = {t: i for i, t in enumerate(LIST_TYPES)}
    return [(lst.list_type, item) for lst in sorted(doc.lists, key=lambda x: order[x.list_type]) for item in lst.items]


def _ref(list_type: str, item: Item) -> ItemRef:
    return ItemRef(list_type, item.seq, item.category, item.name)


def compare_items(old: tuple[str, Item], new: tuple[str, Item], score: float) -> ItemChange | None:
    """The change between two matched items, or ``None`` if only ``seq`` differs."""
    (old_list, a), (new_list, b) = old, new
    renamed = normalise_key(a.name) != normalise_key(b.name)
    moved = old_list != new_list or a.category != b.category
    fields = [
        FieldChange(name, old_text, new_text, word_diff(old_text, new_text, content_only=name in TEXT_FIELDS))
        for name in COMPARED_FIELDS
        for old_text, new_text in [(field_text(a, name), field_text(b, name))]
        if _differs(name, old_text, new_text)
    ]
    if not (renamed or moved or fields):
        return None
    name_spans = word_diff(a.name, b.name, content_only=True) if renamed else []
    return ItemChange(_ref(old_list, a), _ref(new_list, b), round(score, 4), renamed, moved, name_spans, fields)


def content_key(text: str) -> str:
    """What a text says: its content characters, step markers anywhere left out
    (a PDF may glue a step and its marker to the step before)."""
    return normalise_key(STEP_MARKER.sub("", text))


def _differs(name: str, old_text: str, new_text: str) -> bool:
    if name in TEXT_FIELDS:
        return content_key(old_text) != content_key(new_text)
    return old_text != new_text


def diff_documents(old: Document, new: Document, threshold: float = DEFAULT_THRESHOLD) -> DocumentDiff:
    """Match every item of ``old`` to at most one of ``new`` and report the differences."""
    a, b = _flatten(old), _flatten(new)

    def tie_break(i: int, j: int) -> tuple:
        # among equal scores keep an item where it was: same list, same category
        return (a[i][0] != b[j][0], a[i][1].category != b[j][1].category, i, j)

    matches = match_texts([it.name for _, it in a], [it.name for _, it in b], threshold, tie_break)
    result = DocumentDiff(old.source.path, new.source.path, old.issuer, new.issuer, threshold)
    for i, j, score in sorted(matches, key=lambda m: m[1]):
        change = compare_items(a[i], b[j], score)
        if change:
            result.changed.append(change)
        else:
            result.unchanged += 1
            result.renumbered += a[i][1].seq != b[j][1].seq
    matched_old = {i for i, _, _ in matches}
    matched_new = {j for _, j, _ in matches}
    result.removed = [_ref(*a[i]) for i in range(len(a)) if i not in matched_old]
    result.added = [_ref(*b[j]) for j in range(len(b)) if j not in matched_new]
    return result


# --------------------------------------------------------------------------- renderers


def to_json(diff: DocumentDiff) -> str:
    """JSON with a fixed key order (the dataclass fields) and counts up front."""
    data = {"identical": diff.identical, "counts": diff.counts(), **asdict(diff)}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _where(ref: ItemRef) -> str:
    where = f"{LIST_NAMES[ref.list_type]}第 {ref.seq} 项"
    return f"{where}［{ref.category}］" if ref.category else where


def _summary(diff: DocumentDiff) -> str:
    c = diff.counts()
    return (
        f"新增 {c['added']} 项，删除 {c['removed']} 项，更名 {c['renamed']} 项，移动 {c['moved']} 项，"
        f"内容有变化 {c['fields_changed']} 项，未变化 {c['unchanged']} 项（其中仅序号变化 {c['renumbered']} 项）"
    )


def _field_label(name: str) -> str:
    spec = BY_KEY.get(name)
    return spec.label if spec else name


#: What kind of change a matched pair is, as a reviewer reads it.
CHANGE_KINDS = (("renamed", "更名"), ("moved", "移动"), ("changed", "内容变化"))


def _kinds(ch: ItemChange) -> list[str]:
    on = {"renamed": ch.renamed, "moved": ch.moved, "changed": bool(ch.fields)}
    return [label for key, label in CHANGE_KINDS if on[key]]


_ANSI = {"delete": ("\x1b[31;9m", "\x1b[0m"), "insert": ("\x1b[32;4m", "\x1b[0m"), "equal": ("", "")}
_PLAIN = {"delete": ("[-", "-]"), "insert": ("{+", "+}"), "equal": ("", "")}


def render_text(diff: DocumentDiff, color: bool = False) -> str:
    """Plain text; changed words as ``[-old-]{+new+}``, or coloured when ``color``."""
    marks = _ANSI if color else _PLAIN
    red, green, bold, reset = ("\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[0m") if color else ("",) * 4

    def spans(items: list[Span]) -> str:
        return "".join(marks[s.op][0] + s.text + marks[s.op][1] for s in items)

    lines = [f"{bold}{diff.old_source} → {diff.new_source}{reset}", _summary(diff)]
    if diff.old_issuer != diff.new_issuer:
        lines.append(f"发布单位：{diff.old_issuer} → {diff.new_issuer}")
    for ref in diff.removed:
        lines.append(f"{red}- 删除  {_where(ref)} {ref.name}{reset}")
    for ref in diff.added:
        lines.append(f"{green}+ 新增  {_where(ref)} {ref.name}{reset}")
    for ch in diff.changed:
        lines.append(f"~ {'、'.join(_kinds(ch))}  {_where(ch.old)} → {_where(ch.new)}")
        lines.append(f"    {_field_label('name')}：{spans(ch.name_spans) if ch.renamed else ch.new.name}")
        for fc in ch.fields:
            lines.append(f"    {_field_label(fc.field)}：" + spans(fc.spans).replace("\n", "\n      "))
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    escaped = "".join("\\" + ch if ch in "\\`*_~[]<>|#" else ch for ch in text)
    return escaped.replace("\n", "<br>")


def render_markdown(diff: DocumentDiff) -> str:
    """Markdown; deleted words ~~struck~~, inserted words **bold**."""

    def spans(items: list[Span]) -> str:
        wrap = {"delete": "~~{}~~", "insert": "**{}**", "equal": "{}"}
        return "".join(wrap[s.op].format(_md(s.text)) for s in items)

    out = [f"# {_md(diff.new_issuer)}: {_md(diff.old_source)} → {_md(diff.new_source)}", "", _summary(diff), ""]
    for title, refs in (("删除的事项", diff.removed), ("新增的事项", diff.added)):
        if refs:
            out += [f"## {title}", ""] + [f"- {_md(_where(r))} {_md(r.name)}" for r in refs] + [""]
    if diff.changed:
        out += ["## 有变化的事项", ""]
        for ch in diff.changed:
            out.append(f"- {'、'.join(_kinds(ch))}：{_md(_where(ch.old))} → {_md(_where(ch.new))}")
            if ch.renamed:
                out.append(f"  - {_field_label('name')}：{spans(ch.name_spans)}")
            out += [f"  - {_field_label(fc.field)}：{spans(fc.spans)}" for fc in ch.fields]
        out.append("")
    return "\n".join(out)


def render_html(diff: DocumentDiff) -> str:
    """One self-contained page (inline CSS, no scripts), changes as ``<ins>``/``<del>``:
    ``templates/diff.html.j2``, autoescaped."""
    from duty_lists.ingest.templating import environment

    changed = [("、".join(_kinds(ch)), ch) for ch in diff.changed]
    return environment("duty_lists.ingest.analysis").get_template("diff.html.j2").render(
        title=f"{diff.new_issuer}：{diff.old_source} → {diff.new_source}",
        summary=_summary(diff),
        diff=diff,
        changed=changed,
        where=_where,
        label=_field_label,
    )


RENDERERS = {"json": to_json, "markdown": render_markdown, "html": render_html}
