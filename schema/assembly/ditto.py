"""Rule ``ditto.carry``: a cell reading 同上 (〃, 仝上) holds the value of the row above.

Paper forms and the spreadsheets typed from them print a block's 事项类别 (or
its department) once and write 同上 — "the same as above" — in the rows below.
That is a printing convention for a value, not text of the item: kept
literally, every such item would have the category 同上.  So, within one list,
a cell whose whole text is a ditto mark (``schema/data/ditto_marks.txt``) takes
the value its column has on the item above, itself resolved first, so a run of
dittos all carry the label that started the block.

Only columns whose cells carry one value over several rows are read so (the
same columns a vertical merge fills: category and the department columns); a
name or a duty reading 同上 is left as printed.  The first item of a list has
nothing above it: its ditto is kept as printed and reported
(``source.ditto_unresolved``), never silently resolved; the cells resolved are
counted in one ``source.ditto_resolved`` note, so the reviewer sees the rule
was used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from duty_lists.parsers.model import Note
from duty_lists.schema.assembly.model import AssembledList

#: Columns a ditto mark may stand in (the columns a vertical merge fills).
DITTO_FIELDS = ("category", "superior_departments", "receiving_departments")
_LABELS = {"category": "事项类别", "superior_departments": "对应上级部门", "receiving_departments": "承接部门"}
_LIST_NAMES = {"basic": "基本履职事项清单", "cooperative": "配合履职事项清单", "reclaimed": "上级部门收回事项清单"}
_IGNORED = re.compile(r"[\s\u3000。.]+")


@lru_cache(maxsize=1)
def ditto_marks() -> frozenset[str]:
    data = resources.files("duty_lists.schema").joinpath("data/ditto_marks.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in data.splitlines() if line.strip() and not line.startswith("#"))


def is_ditto(text: str | None) -> bool:
    """Is the cell's whole text a ditto mark (spaces and a closing 。 aside)?"""
    return bool(text) and _IGNORED.sub("", text or "") in ditto_marks()


def carry_dittos(lists: Sequence[AssembledList]) -> list[Note]:
    """Resolve every ditto cell of every list in place; the notes to report."""
    notes: list[Note] = []
    resolved = 0
    for lst in lists:
        for column in DITTO_FIELDS:
            above = ""
            for row in lst.rows:
                value = row.fields.get(column)
                if value is None:
                    continue
                if is_ditto(value):
                    if not above.strip():
                        page = next((p.page for p in row.prov if p.page > 0), None)
                        notes.append(Note(
                            "source.ditto_unresolved",
                            f"{_LIST_NAMES[lst.list_type]}第 {row.fields.get('seq', '?')} 项的{_LABELS[column]}"
                            f"写作「{value.strip()}」，但其上没有可承接的值",
                            page=page,
                        ))
                        continue
                    row.fields[column] = above
                    resolved += 1
                above = row.fields[column]
    if resolved:
        notes.append(Note("source.ditto_resolved", f"{resolved} 个单元格"))
    return notes
